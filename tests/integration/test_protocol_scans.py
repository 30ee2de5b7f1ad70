"""Scans of the signed paper protocols on SQLite and PostgreSQL: uploaded with an entry (type by magic
bytes, size limit, optional unless required), the SHA-256 kept per version (a correction has its own),
the public route under the embargo, the precinct JSON, ``saylau protocols scan`` and the static release."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.integration.small import GOOD
from tests.integration.test_commission_pages import KEY, URL, client, code, commission_setup, form
from tests.integration.test_embargo import UNTIL, VOTING_DAY, WASHINGTON
from typer.testing import CliRunner

from saylau.api import create_app
from saylau.cli.main import app as cli
from saylau.model import Phase
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context
from saylau.services.paper.embargo import kz_polls_close, set_embargo
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.publication import publish_release
from saylau.services.settings import DeploymentSettings, ScanPolicy
from saylau.store import schema as t

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40)
FIXED = (*GOOD["P1"][:5], 499, 151, *GOOD["P1"][7:])
SCAN = "/events/small/precincts/P1/scan"


@pytest.fixture
def app_ctx(ctx: Context) -> Context:
    return commission_setup(ctx)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def scan_file(
    data: bytes, name: str = "protocol.pdf", media: str = "application/pdf"
) -> dict[str, tuple[str, bytes, str]]:
    return {"scan": (name, data, media)}


def accept_p1(ctx: Context, first: bytes | None, second: bytes | None) -> None:
    """P1 keyed by d1 then d2 (agreeing), each with the scan given (None: without)."""
    d1, t1 = client(ctx, "d1")
    r = d1.post(URL, data=form(GOOD["P1"], csrf=t1), files=scan_file(first) if first else None)
    assert r.status_code == 200, r.text
    d2, t2 = client(ctx, "d2")
    r = d2.post(URL, data=form(GOOD["P1"], csrf=t2, totp=code(ctx, "d2")), files=scan_file(second) if second else None)
    assert r.status_code == 200, r.text
    assert "version 1 accepted" in r.text


def test_a_scan_uploaded_with_the_entries_is_kept_and_published_with_its_hash(app_ctx: Context) -> None:
    accept_p1(app_ctx, PDF, None)
    public = TestClient(create_app(app_ctx))
    r = public.get(SCAN)
    assert r.status_code == 200
    assert r.content == PDF
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["etag"] == f'"{sha(PDF)}"'
    assert public.get(SCAN, headers={"if-none-match": f'"{sha(PDF)}"'}).status_code == 304
    states = {s["precinct"]: s for s in public.get("/api/events/small/precincts").json()}
    assert states["P1"]["scan_sha256"] == sha(PDF)
    assert states["P2"]["scan_sha256"] is None
    page = public.get("/events/small/units/P1").text
    assert sha(PDF) in page
    assert "/events/small/precincts/P1/scan?version=1" in page
    d3, _ = client(app_ctx, "d3")
    assert sha(PDF) in d3.get(URL).text  # the entry page lists the version's scan
    with app_ctx.store.transaction() as tx:
        log = [r for r in tx.audit_rows("small") if r["action"] == "scan.attach"]
        blobs = tx.conn.execute(select(func.count()).select_from(t.scan_blob)).scalar_one()
    assert [(r["actor"], r["details"]["sha256"], r["details"]["round"]) for r in log] == [("d1", sha(PDF), 1)]
    assert blobs == 1


@pytest.mark.parametrize(("data", "media"), [(PNG, "image/png"), (JPEG, "image/jpeg")])
def test_png_and_jpeg_are_recognised_by_their_bytes_not_their_name(app_ctx: Context, data: bytes, media: str) -> None:
    d1, t1 = client(app_ctx, "d1")
    r = d1.post(URL, data=form(GOOD["P1"], csrf=t1), files=scan_file(data, "scan.pdf", "application/pdf"))
    assert r.status_code == 200, r.text
    assert sha(data) in r.text
    d2, t2 = client(app_ctx, "d2")
    d2.post(URL, data=form(GOOD["P1"], csrf=t2, totp=code(app_ctx, "d2")))
    r = TestClient(create_app(app_ctx)).get(SCAN)
    assert r.headers["content-type"] == media
    assert r.content == data


def test_other_files_and_too_large_scans_are_refused_and_nothing_is_entered(app_ctx: Context) -> None:
    small = dataclasses.replace(app_ctx, settings=DeploymentSettings(secret_key=KEY, scans=ScanPolicy(max_bytes=1000)))
    d1, t1 = client(small, "d1")
    for data, rule in [
        (b"GIF89a" + bytes(30), "scan_type"),
        (b"hello, this is not a PDF", "scan_type"),
        (PDF + bytes(2000), "scan_too_large"),
    ]:
        r = d1.post(URL, data=form(GOOD["P1"], csrf=t1), files=scan_file(data, "protocol.pdf"))
        assert r.status_code == 422, r.text
        body = r.json()
        assert body["code"] == "bad_input"
        assert [p["rule"] for p in body["problems"]] == [rule]
        assert body["problems"][0]["field"] == "scan"
    r = d1.post(URL, data=form(GOOD["P1"], csrf=t1), files=scan_file(PDF + bytes(20_000_000)))
    assert r.status_code == 413  # far beyond the limit: refused before the form is read
    with small.store.transaction() as tx:
        assert tx.conn.execute(select(func.count()).select_from(t.protocol_entry)).scalar_one() == 0
        assert tx.conn.execute(select(func.count()).select_from(t.scan_blob)).scalar_one() == 0


def test_a_required_scan_refuses_an_entry_without_one(app_ctx: Context) -> None:
    strict = dataclasses.replace(app_ctx, settings=DeploymentSettings(secret_key=KEY, scans=ScanPolicy(required=True)))
    d1, t1 = client(strict, "d1")
    r = d1.post(URL, data=form(GOOD["P1"], csrf=t1))
    assert r.status_code == 422
    assert [p["rule"] for p in r.json()["problems"]] == ["scan_required"]
    assert 'name="scan" accept="application/pdf,image/png,image/jpeg" required' in d1.get(URL).text
    assert d1.post(URL, data=form(GOOD["P1"], csrf=t1), files=scan_file(PDF)).status_code == 200


def test_a_correction_has_its_own_scan_and_the_first_stays_available(app_ctx: Context) -> None:
    accept_p1(app_ctx, PDF, PDF)
    second = PDF + b"% corrected\n"
    d1, t1 = client(app_ctx, "d1")
    d2, t2 = client(app_ctx, "d2")
    fix = {"reason": "recount of box 2"}
    r = d1.post(URL, data=form(FIXED, csrf=t1, totp=code(app_ctx, "d1"), **fix), files=scan_file(second))
    assert r.status_code == 200, r.text
    assert TestClient(create_app(app_ctx)).get(SCAN).content == PDF  # v2 is not accepted yet
    r = d2.post(URL, data=form(FIXED, csrf=t2, totp=code(app_ctx, "d2"), **fix))
    assert "version 2 accepted" in r.text
    public = TestClient(create_app(app_ctx))
    assert public.get(SCAN).content == second
    assert public.get(SCAN + "?version=1").content == PDF
    assert public.get(SCAN + "?version=2").content == second
    missing = public.get(SCAN + "?version=3")
    assert missing.status_code == 404
    assert missing.json()["code"] == "no_scan"
    states = {s["precinct"]: s for s in public.get("/api/events/small/precincts").json()}
    assert states["P1"]["scan_sha256"] == sha(second)
    with app_ctx.store.transaction() as tx:
        rounds = tx.conn.execute(
            select(t.protocol_scan.c.round, t.protocol_scan.c.sha256).order_by(t.protocol_scan.c.id)
        )
        assert [tuple(r) for r in rounds] == [(1, sha(PDF)), (1, sha(PDF)), (2, sha(second))]


def test_the_public_scan_waits_for_the_embargo_but_the_commission_sees_it(app_ctx: Context) -> None:
    accept_p1(app_ctx, PDF, None)
    set_embargo(app_ctx, "small", kz_polls_close(VOTING_DAY, [("Washington", WASHINGTON)]))
    public = TestClient(create_app(app_ctx))
    r = public.get(SCAN)
    assert r.status_code == 409
    assert r.json()["code"] == "embargo"
    obs, _ = client(app_ctx, "obs")
    assert obs.get("/commission/events/small/precincts/P1/scan").content == PDF
    app_ctx.clock.now = UNTIL  # type: ignore[attr-defined]
    assert public.get(SCAN).content == PDF
    assert public.get("/events/small/precincts/P9/scan").status_code == 404
    assert public.get("/events/small/precincts/P2/scan").json()["code"] == "no_scan"


def test_the_cli_attaches_a_scan_to_the_current_version(app_ctx: Context, db_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    png = tmp_path / "p1.png"
    png.write_bytes(PNG)
    args = ["protocols", "scan", "small", "P1", str(png), "--operator", "clerk", "--db", db_url]
    r = runner.invoke(cli, args)
    assert r.exit_code == 1
    assert "no accepted protocol" in r.output
    accept_p1(app_ctx, None, None)
    assert TestClient(create_app(app_ctx)).get(SCAN).status_code == 404
    r = runner.invoke(cli, [*args, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == {
        "event": "small",
        "precinct": "P1",
        "version": 1,
        "sha256": sha(PNG),
        "media_type": "image/png",
        "size": len(PNG),
    }
    bad = tmp_path / "p1.pdf"
    bad.write_bytes(b"not a scan")
    r = runner.invoke(cli, ["protocols", "scan", "small", "P1", str(bad), "--operator", "clerk", "--db", db_url])
    assert r.exit_code == 1
    assert "scan_type" in r.output
    assert TestClient(create_app(app_ctx)).get(SCAN).content == PNG
    with app_ctx.store.transaction() as tx:
        log = [(r["actor"], r["outcome"]) for r in tx.audit_rows("small") if r["action"] == "scan.attach"]
    assert log == [("clerk", "refused"), ("clerk", "ok"), ("clerk", "refused")]


def test_a_static_release_carries_every_versions_scan(app_ctx: Context, db_url: str, tmp_path: Path) -> None:
    accept_p1(app_ctx, PDF, None)
    advance(app_ctx, "small", Phase.PROVISIONAL, LOCAL_CLI)
    site = tmp_path / "site"
    first = publish_release(app_ctx, "small", site)
    assert (site / "scans" / "P1" / "1.pdf").read_bytes() == PDF
    index = json.loads((site / "scans" / "index.json").read_text())
    assert index == [{"precinct": "P1", "version": 1, "file": "scans/P1/1.pdf", "sha256": sha(PDF)}]
    release = json.loads((site / "release.json").read_text())
    assert release["release"]["files"]["scans/P1/1.pdf"] == sha(PDF)
    assert publish_release(app_ctx, "small", site).created is False  # nothing changed: the same release
    runner = CliRunner()
    png = tmp_path / "p1.png"
    png.write_bytes(PNG)
    args = ["protocols", "scan", "small", "P1", str(png), "--operator", "c", "--db", db_url]
    assert runner.invoke(cli, args).exit_code == 0
    again = publish_release(app_ctx, "small", site)  # the same figures, a new scan: a new release
    assert again.created
    assert again.number == first.number + 1
    assert (site / "scans" / "P1" / "1.png").read_bytes() == PNG
    assert not (site / "scans" / "P1" / "1.pdf").exists()
