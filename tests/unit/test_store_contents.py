"""store.contents: which URLs name a SQLite file, and what an absent file holds (nothing, and it is not made)."""

from __future__ import annotations

from pathlib import Path

import pytest

from saylau.store import read_contents, sqlite_file


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("sqlite:///saylau.db", Path("saylau.db")),
        ("sqlite:////srv/count/saylau.db", Path("/srv/count/saylau.db")),
        ("sqlite://", None),
        ("sqlite:///:memory:", None),
        ("sqlite:///file:x.db?mode=ro&uri=true", None),
        ("postgresql://count@db.example/referendum", None),
        ("postgres://count@db.example/referendum", None),
        ("not a url", None),
    ],
)
def test_sqlite_file(url: str, file: Path | None) -> None:
    assert sqlite_file(url) == file


def test_an_absent_file_holds_nothing_and_is_not_created(tmp_path: Path) -> None:
    contents = read_contents(f"sqlite:///{tmp_path / 'none.db'}")
    assert contents.empty
    assert list(tmp_path.iterdir()) == []
