"""The risk-limiting audit in the static site (spec/formats.md §9, spec/audit.md §15), SQLite and
PostgreSQL: once an audit is planned a release holds its page in kk/ru/en, ``audit.json`` (the same
document as ``/events/{code}/audit.json``) and, once published, the manifest's exact bytes, linked from the
results pages; each step of the audit makes a new release, an unchanged audit re-writes the release byte
for byte; without an audit nothing of it is in the site. Through ``saylau publish`` too."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.elections import SMALL, load
from typer.testing import CliRunner

from saylau.model import Phase
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.audit.reading import audit_view, manifest_file, public_json
from saylau.services.audit.release import published_audit
from saylau.services.audit.workflow import draw_round, enter_seed, plan_audit, publish_manifest
from saylau.services.context import Context
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.publication import publish_release

SEED = "12345678901234567890"
PAGES = ("kk/audit.html", "ru/audit.html", "en/audit.html")


def _final(ctx: Context) -> None:
    load(ctx, SMALL, operators=("alice", "bob"))
    advance(ctx, "small", Phase.PROVISIONAL, LOCAL_CLI)
    advance(ctx, "small", Phase.FINAL, LOCAL_CLI)


def _files(site: Path) -> dict[str, str]:
    return json.loads((site / "release.json").read_text(encoding="utf-8"))["release"]["files"]


def _publish(ctx: Context, site: Path):  # type: ignore[no-untyped-def]
    return publish_release(ctx, "small", site, audit=published_audit(ctx, "small"))


def test_a_release_holds_the_audit_once_planned(ctx: Context, tmp_path: Path) -> None:
    site = tmp_path / "site"
    _final(ctx)
    assert published_audit(ctx, "small") is None
    first = _publish(ctx, site)
    assert not any(p.startswith(("audit", "kk/audit", "ru/audit", "en/audit")) for p in _files(site))
    assert "data-audit" not in (site / "kk" / "units" / "KZ.html").read_text(encoding="utf-8")

    plan_audit(ctx, "small", factor=LOCAL_CLI)
    planned = _publish(ctx, site)
    assert planned.created
    assert planned.number == first.number + 1
    files = _files(site)
    assert set(PAGES) <= set(files)
    assert "audit.json" in files
    assert "audit/manifest.json" not in files
    facts = json.loads((site / "audit.json").read_text(encoding="utf-8"))
    assert facts == public_json(audit_view(ctx, "small"))
    for lang in ("kk", "ru", "en"):
        results = (site / lang / "units" / "KZ.html").read_text(encoding="utf-8")
        assert f'href="/{lang}/audit.html?lang={lang}" data-audit' in results
        page = (site / lang / "audit.html").read_text(encoding="utf-8")
        assert f'lang="{lang}"' in page
        assert facts["plan"]["hardest"] in page
        assert 'href="/audit.json"' in page
        assert f'href="/{lang}/units/KZ.html?lang={lang}"' in page  # back to the results
    ru = (site / "ru" / "audit.html").read_text(encoding="utf-8")
    assert "голоса «за»" in ru
    assert "наименьший разбавленный запас" in ru
    assert "Yes votes" not in ru
    assert 'href="/kk/audit.html"' in ru  # the language switch stays on the audit page
    assert _publish(ctx, site).created is False  # nothing changed: the same release, byte for byte

    _, digest = publish_manifest(ctx, "small", factor=LOCAL_CLI)
    manifested = _publish(ctx, site)
    assert manifested.created
    data = (site / "audit" / "manifest.json").read_bytes()
    assert data == manifest_file(ctx, "small")[0].encode("utf-8")
    assert hashlib.sha256(data).hexdigest() == digest == _files(site)["audit/manifest.json"]
    assert 'href="/audit/manifest.json"' in (site / "en" / "audit.html").read_text(encoding="utf-8")

    enter_seed(ctx, "small", SEED, "member-1", factor=LOCAL_CLI)
    enter_seed(ctx, "small", SEED, "member-2", factor=LOCAL_CLI)
    draw_round(ctx, "small", factor=LOCAL_CLI)
    drawn = _publish(ctx, site)
    assert drawn.created
    assert drawn.number == manifested.number + 1
    facts = json.loads((site / "audit.json").read_text(encoding="utf-8"))
    assert facts["seed"] == SEED
    assert len(facts["rounds"]) == 1
    assert 'data-round="1"' in (site / "kk" / "audit.html").read_text(encoding="utf-8")
    assert _publish(ctx, site).created is False


def test_saylau_publish_writes_the_audit(db_url: str, ctx: Context, tmp_path: Path) -> None:
    from saylau.cli.main import app  # noqa: PLC0415  # the command tree, as the console script builds it

    _final(ctx)
    plan_audit(ctx, "small", factor=LOCAL_CLI)
    site = tmp_path / "cli-site"
    result = CliRunner().invoke(app, ["publish", "--static", str(site), "--db", db_url, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["number"] == 1
    assert set(PAGES) <= set(_files(site))
    assert json.loads((site / "audit.json").read_text(encoding="utf-8"))["event"] == "small"
