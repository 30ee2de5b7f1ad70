"""The event definition is parsed once per load, not on every find_event; the question tables are gone.

The store caches a parsed definition by the SHA-256 of its stored text (written once, never updated), so
the cache is right for any writer and any process (store/repo.py ``Tx._referendum``); migration 0012 drops
the ``question`` and ``question_text`` tables nothing read, and its downgrade refills them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, select, text, update
from tests.integration.small import EVENT, TERRITORY, event_bytes

from saylau.io import parse_event
from saylau.model import Phase, QuestionContest, Referendum
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context
from saylau.services.paper.events import create_event, import_territory
from saylau.services.paper.lifecycle import advance
from saylau.store import Store, migrate, repo
from saylau.store import schema as t
from saylau.store.canonical import sha256_hex


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every parse of a stored definition by the store, by its source name."""
    calls: list[str] = []
    real: Callable[[bytes, str], Referendum] = parse_event

    def counted(data: bytes, source: str) -> Referendum:
        calls.append(source)
        return real(data, source)

    monkeypatch.setattr(repo, "parse_event", counted)
    return calls


def _contests(store: Store, code: str = "small") -> Any:
    with store.transaction() as tx:
        row = tx.find_event(code)
        assert row is not None
        return row


def test_a_definition_is_parsed_once_per_store(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch)
    create_event(ctx, event_bytes(), "event.json")
    import_territory(ctx, "small", TERRITORY.encode(), "territory.csv", "csv")
    first = _contests(ctx.store)
    for _ in range(3):
        assert _contests(ctx.store).referendum is first.referendum
    advance(ctx, "small", Phase.VOTING, LOCAL_CLI)
    again = _contests(ctx.store)
    assert again.phase is Phase.VOTING  # the phase is read every time; only the definition is cached
    assert again.referendum is first.referendum
    assert calls == ["stored definition of event small"]
    assert first.definition_sha256 == sha256_hex(event_bytes().decode("utf-8"))

    other = Store(ctx.store.engine)  # another worker or process: its own cache, the same event
    assert _contests(other).referendum == first.referendum
    assert len(calls) == 2
    with pytest.raises(AttributeError):
        first.definition  # noqa: B018  (the row carries the digest, not the text)


def test_the_cache_follows_the_stored_definition(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keyed by the definition's digest, not the event id: a different text is a different entry (here an
    out-of-band rewrite of the row, which the store itself never does)."""
    create_event(ctx, event_bytes(), "event.json")
    assert [q.code for q in _contests(ctx.store).referendum.contests] == ["q1"]
    changed = json.loads(json.dumps(EVENT))
    changed["questions"].append({**changed["questions"][0], "code": "q2"})
    definition = json.dumps(changed, ensure_ascii=False)
    with ctx.store.engine.begin() as conn:
        conn.execute(
            update(t.event)
            .where(t.event.c.code == "small")
            .values(definition=definition, definition_sha256=sha256_hex(definition))
        )
    calls = _counting(monkeypatch)
    contests = _contests(ctx.store).referendum.contests
    assert [q.code for q in contests] == ["q1", "q2"]
    assert all(isinstance(q, QuestionContest) for q in contests)
    assert len(calls) == 1


def _alembic(store: Store, action: Callable[[Config, str], None], revision: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("saylau.store") / "migrations"))
    with store.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        action(cfg, revision)


def test_the_question_tables_are_dropped_and_a_downgrade_refills_them(ctx: Context) -> None:
    create_event(ctx, event_bytes(), "event.json")
    assert not {"question", "question_text"} & set(inspect(ctx.store.engine).get_table_names())

    _alembic(ctx.store, command.downgrade, "0011")
    with ctx.store.engine.connect() as conn:
        questions = conn.execute(text("SELECT id, code, position FROM question")).all()
        texts = conn.execute(
            text("SELECT question_id, lang, text, official, source FROM question_text ORDER BY lang")
        ).all()
    assert [(c, p) for _, c, p in questions] == [("q1", 0)]
    given: list[dict[str, Any]] = EVENT["questions"][0]["texts"]  # type: ignore[index]
    wanted = sorted((x["lang"], x["text"], x["official"], x["source"]) for x in given)
    assert [(lang, body, bool(official), source) for _, lang, body, official, source in texts] == wanted
    assert {qid for qid, *_ in texts} == {questions[0][0]}

    migrate(ctx.store.engine)  # up again: the tables go, the event stays
    assert not {"question", "question_text"} & set(inspect(ctx.store.engine).get_table_names())
    with ctx.store.engine.connect() as conn:
        assert conn.execute(select(t.event.c.code)).scalars().all() == ["small"]
