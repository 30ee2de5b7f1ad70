"""`publish_release`: numbered, hash-chained releases of the static site, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from tests.elections import SMALL, load
from tests.integration.small import GOOD, protocols_csv

from saylau.model import Mode, Phase, SaylauError
from saylau.publish.static_site import release_hash
from saylau.record.encoding import canon
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.protocols import enter_file
from saylau.services.paper.publication import publish_release

FIRST = {p: GOOD[p] for p in ("P1", "P2", "P3")}
REST = {p: GOOD[p] for p in ("P4", "P5")}


def _enter(ctx: Context, rows: dict[str, tuple[int, ...]], mode: Mode = Mode.LIVE) -> None:
    for who in ("alice", "bob"):
        enter_file(
            Context(ctx.store, ctx.clock, who),
            "small",
            protocols_csv(rows),
            "b.csv",
            "csv",
            mode=mode,
            factor=LOCAL_CLI,
        )


def _counting(ctx: Context) -> None:
    load(ctx, SMALL)


def _release(site: Path) -> dict:
    return json.loads((site / "release.json").read_text(encoding="utf-8"))


def _check_files(site: Path, doc: dict) -> None:
    """Every file listed has its SHA-256, and the hash is the SHA-256 of the canonical manifest."""
    for rel, digest in {**doc["release"]["files"], **doc["attachments"]}.items():
        assert hashlib.sha256((site / rel).read_bytes()).hexdigest() == digest, rel
    assert doc["hash"] == hashlib.sha256(canon(doc["release"]).encode()).hexdigest() == release_hash(doc["release"])


def test_provisional_final_certified_chain(ctx: Context, tmp_path: Path) -> None:
    site = tmp_path / "site"
    _counting(ctx)
    _enter(ctx, FIRST)
    r1 = publish_release(ctx, "small", site)
    assert (r1.number, r1.kind, r1.previous, r1.created) == (1, "provisional", "", True)
    doc1 = _release(site)
    _check_files(site, doc1)
    assert doc1["hash"] == r1.hash
    for rel in ("index.html", "kk/index.html", "ru/units/R1.html", "en/units/P5.html", "results.json",
                "results.csv", "nist.json", "static/site.css"):  # fmt: skip
        assert rel in doc1["release"]["files"], rel
    assert "Precincts reported" in (site / "en/index.html").read_text(encoding="utf-8")
    region = (site / "en/units/R1.html").read_text(encoding="utf-8")
    assert 'href="/ru/units/R1.html"' in region  # the same unit in Russian
    assert 'href="/en/units/KZ.html?lang=en"' in region  # up to the country

    _enter(ctx, REST)
    advance(ctx, "small", Phase.PROVISIONAL, LOCAL_CLI)
    advance(ctx, "small", Phase.FINAL, LOCAL_CLI)
    r2 = publish_release(ctx, "small", site)
    assert (r2.number, r2.kind, r2.previous) == (2, "final", r1.hash)
    _check_files(site, _release(site))
    assert not (site / "protocol.pdf").exists()

    advance(ctx, "small", Phase.CERTIFIED, LOCAL_CLI)
    r3 = publish_release(ctx, "small", site)
    assert (r3.number, r3.kind, r3.previous) == (3, "certified", r2.hash)
    doc3 = _release(site)
    _check_files(site, doc3)
    assert "protocol.pdf" in doc3["attachments"]
    pdf = (site / "protocol.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    participated = sum(r[4] for r in GOOD.values())
    registered = sum(r[0] for r in GOOD.values())
    for figure in (registered, participated, sum(r[5] for r in GOOD.values())):
        assert f"{figure:,}".replace(",", " ") in text, figure
    assert r3.hash in text
    assert "Выпуск: 3" in text

    with ctx.store.transaction() as tx:
        audit = [r for r in tx.audit_rows("small") if r["action"] == "publish"]
    assert [a["details"]["number"] for a in audit] == [1, 2, 3]


def test_republishing_unchanged_results_rewrites_the_last_release(ctx: Context, tmp_path: Path) -> None:
    _counting(ctx)
    _enter(ctx, GOOD)
    first = publish_release(ctx, "small", tmp_path / "a")
    again = publish_release(ctx, "small", tmp_path / "b")  # another folder: the same release, byte for byte
    assert (again.number, again.hash, again.created) == (1, first.hash, False)
    for rel in _release(tmp_path / "a")["release"]["files"]:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
    advance(ctx, "small", Phase.PROVISIONAL, LOCAL_CLI)  # the published document names the phase: a new release
    assert publish_release(ctx, "small", tmp_path / "a").number == 2


def test_refusals(ctx: Context, tmp_path: Path) -> None:
    load(ctx, SMALL, until=Phase.SETUP)
    with pytest.raises(SaylauError) as nothing:
        publish_release(ctx, "small", tmp_path / "site")
    assert nothing.value.code == "nothing_to_publish"
    advance(ctx, "small", Phase.VOTING, LOCAL_CLI)
    advance(ctx, "small", Phase.COUNTING, LOCAL_CLI)
    with pytest.raises(SaylauError) as test:
        publish_release(ctx, "small", tmp_path / "site", mode=Mode.TEST)
    assert test.value.code == "test_not_publishable"
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SaylauError) as full:
        publish_release(ctx, "small", busy)
    assert full.value.code == "target_not_empty"
    assert (busy / "notes.txt").read_text(encoding="utf-8") == "mine"
    publish_release(ctx, "small", tmp_path / "site")
    (tmp_path / "site" / "extra.html").write_text("x", encoding="utf-8")  # no longer only a release
    with pytest.raises(SaylauError) as extra:
        publish_release(ctx, "small", tmp_path / "site")
    assert extra.value.code == "target_not_empty"
