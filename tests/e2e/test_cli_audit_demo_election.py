"""An audit of the election demo (`saylau demo --election`: the 2023 Mazhilis reconstruction, 10,223
precincts) through the command line: its party list (69 seats, Hare, 5% of every vote with "against all")
and one single-member district, each planned, drawn, hand counted as the protocols say by two operators and
confirmed; the draws are recomputed from the seed and the manifest with the pure core (spec/audit.md §3a,
§10a, §11-§14)."""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saylau.audit import ContestBatch, OptionAssertion, Seed, contest_macro, draw_pps

runner = CliRunner()
SEED = "20230319000000000001"
EVENT = "kz-2023-election"


def _run(*args: str) -> str:
    from saylau.cli.main import app  # noqa: PLC0415  # the command tree, as the console script builds it

    result = runner.invoke(app, list(args), terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


def _audit(tmp_path: Path, db: list[str], contest: str) -> dict[str, object]:
    tmp_path.mkdir()
    plan = json.loads(_run("audit", "plan", EVENT, "--contest", contest, *db, "--json"))["plan"]
    _run("audit", "manifest", EVENT, "--out", str(tmp_path / "manifest.json"), *db)
    for member in ("m1", "m2"):
        _run("audit", "seed", EVENT, "--digits", SEED, "--operator", member, *db)
    drawn = json.loads(_run("audit", "draw", EVENT, *db, "--json"))
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    figures = {b["id"]: b for b in manifest["batches"]}
    options = list(plan["votes"])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["batch", *options, "invalid"])
    for batch in drawn["to_count"]:  # the audit boards find what the protocols say
        writer.writerow([batch, *(figures[batch]["votes"][o] for o in options), figures[batch]["invalid"]])
    (tmp_path / "hand.csv").write_text(out.getvalue(), encoding="utf-8")
    for operator in ("c1", "c2"):
        entered = json.loads(_run("audit", "enter", EVENT, str(tmp_path / "hand.csv"), "--operator", operator,
                                  *db, "--json"))  # fmt: skip
    assert entered["decision"] == "confirmed"
    _run("audit", "report", EVENT, "--out", str(tmp_path / "report"), *db)
    record = [json.loads(x) for x in (tmp_path / "report" / "record.jsonl").read_text(encoding="utf-8").splitlines()]
    (draw,) = [e["payload"] for e in record if e["type"] == "draw"]
    return {"plan": plan, "manifest": manifest, "draw": draw}


@pytest.mark.slow
def test_the_election_demo_party_list_is_audited(tmp_path: Path, election_demo_db: str) -> None:
    db = ["--db", election_demo_db]  # the election demo as `saylau demo --election` counts it (tests/dbpool.py)
    seen = _audit(tmp_path / "list", db, "list")
    plan = seen["plan"]
    assert isinstance(plan, dict)
    assert plan["seats"] == {"amanat": 40, "auyl": 8, "respublica": 6, "ak_zhol": 6, "ppk": 5, "nsdp": 4, "baytaq": 0}
    assert plan["hardest"] == "threshold:nsdp"  # NSDP's 5.2% of every vote: the closest call of the allocation
    manifest, draw = seen["manifest"], seen["draw"]
    assert isinstance(manifest, dict)
    assert isinstance(draw, dict)
    assert len(manifest["batches"]) == 10_223

    # the draws are the sampler's over the manifest with the plan's weights (recomputed here from the files)
    def assertion(a: dict[str, object]) -> OptionAssertion:
        claim = a["claim"]
        assert isinstance(claim, dict)
        coefficients = tuple((o, Fraction(c)) for o, c in sorted(claim["coefficients"].items()))
        assorter = a["assorter"]
        assert isinstance(assorter, dict)
        return OptionAssertion(str(a["id"]), "last_seat", coefficients, int(claim["ballots"]),
                               tuple((o, Fraction(v)) for o, v in sorted(assorter.items())), Fraction(str(a["other"])),
                               Fraction(str(a["margin_exact"])), "", Fraction(claim["k"]))  # fmt: skip

    batches = [ContestBatch(b["id"], b["unit"], tuple(b["votes"].items()), b["invalid"]) for b in manifest["batches"]]
    macro = contest_macro(batches, [assertion(a) for a in plan["assertions"]])
    ids = [b.id for b in macro.batches]
    assert list(draw_pps(Seed(SEED), ids, macro.weights, len(draw["draws"]), 1)) == draw["draws"]
    _pages_say_it(election_demo_db, draw)


def _pages_say_it(db_url: str, draw: dict[str, object]) -> None:
    """The audit's public page and JSON (spec/audit.md §15): the parties by their names in each language, the
    hardest assertion (NSDP's threshold) said in kk, ru and en, the round's batches as drawn."""
    from fastapi.testclient import TestClient  # noqa: PLC0415
    from tests.conftest import FixedClock  # noqa: PLC0415
    from tests.elections import context  # noqa: PLC0415

    from saylau.api import create_app  # noqa: PLC0415
    from saylau.publish.site.audit import render_audit_public  # noqa: PLC0415

    with context(db_url, FixedClock()) as ctx:
        client = TestClient(create_app(ctx))
        facts = client.get(f"/events/{EVENT}/audit.json").json()
        en = client.get(f"/events/{EVENT}/audit?lang=en").text
    # the page is rendered from the same facts (routes_audit): the other languages without reading them again
    pages = {lang: render_audit_public(facts, EVENT, lang, path="/", demo=False, events=[]) for lang in ("ru", "kk")}
    pages["en"] = en
    assert (facts["contest"], facts["kind"], facts["finish"]["outcome"]) == ("list", "party_list", "confirmed")
    draws = draw["draws"]
    assert isinstance(draws, list)
    assert [b["batch"] for b in facts["rounds"][0]["batches"]] == list(dict.fromkeys(draws))
    assert "Nationwide Social Democratic Party reaches the 5% threshold" in pages["en"]
    assert "«Общенациональная социал-демократическая партия» преодолевает порог 5%" in pages["ru"]
    assert "«Жалпыұлттық социал-демократиялық партия» 5% шегінен өтеді" in pages["kk"]
    assert "data-reported-outcome>AMANAT: 40 · " in pages["en"]


@pytest.mark.slow
def test_a_district_of_the_election_demo_is_audited(tmp_path: Path, election_demo_db: str) -> None:
    """One audit per event: a district's on a database of its own."""
    db = ["--db", election_demo_db]  # the election demo as `saylau demo --election` counts it (tests/dbpool.py)
    seen = _audit(tmp_path / "smd", db, "smd-01")
    plan, manifest, draw = seen["plan"], seen["manifest"], seen["draw"]
    assert isinstance(plan, dict)
    assert isinstance(manifest, dict)
    assert isinstance(draw, dict)
    assert plan["kind"] == "district"
    assert plan["scope"] == "AST-E01"
    assert plan["winner"] is not None
    assert {b["unit"] for b in manifest["batches"]} == {"AST"}  # the district's precincts, all in Astana
    assert set(draw["draws"]) <= {b["id"] for b in manifest["batches"]}
