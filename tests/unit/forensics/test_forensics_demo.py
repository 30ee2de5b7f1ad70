"""The checks on the kz-2022 demo (a reconstruction, 10,012 precincts, 65 abroad): they run, the data set
is labelled synthetic, the precincts abroad are excluded and named (spec/forensics.md §2, §11)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from saylau.forensics import (
    SYNTHETIC_NOTE,
    Distribution,
    ExclusionReason,
    ForensicsInput,
    ForensicsSettings,
    PrecinctData,
    Special,
    analyse,
)
from saylau.io.territory import parse_territory
from saylau.model import Territory, UnitCode
from saylau.publish.forensics_json import report_json
from saylau.publish.site.forensics import check_rows
from saylau.publish.site.i18n_forensics import forensics_strings

DEMO = Path(__file__).resolve().parents[3] / "src" / "saylau" / "data" / "demo" / "kz-2022"


def _top(territory: Territory, code: UnitCode) -> UnitCode:
    """The unit just below the country holding ``code``."""
    unit = territory[code]
    while unit.parent is not None and territory[unit.parent].parent is not None:
        unit = territory[unit.parent]
    return unit.code


def _demo() -> ForensicsInput:
    territory = parse_territory((DEMO / "territory.csv").read_bytes(), "territory.csv", "csv")
    rows = csv.DictReader(io.StringIO((DEMO / "protocols.csv").read_text(encoding="utf-8")))
    precincts = []
    for row in rows:
        code = UnitCode(row["precinct"])
        region = _top(territory, code)
        precincts.append(
            PrecinctData(
                code=code,
                region=region,
                registered=int(row["registered"]),
                cast=int(row["participated"]),
                votes={"yes": int(row["yes"]), "no": int(row["no"])},
                special=Special.ABROAD if territory[region].kind == "abroad" else None,
            )
        )
    return ForensicsInput(contest="q1", precincts=tuple(precincts), synthetic=True)


def test_the_demo_is_examined_and_labelled_synthetic() -> None:
    report = analyse(_demo(), seed=20220605, settings=ForensicsSettings(heaping_simulations=100))
    assert report.synthetic is True
    assert SYNTHETIC_NOTE.startswith("This data set is synthetic")
    assert report.winner == "yes"
    assert report.precincts == 10_012
    assert report.excluded_by_reason[ExclusionReason.SPECIAL] == 65
    abroad = {e.code for e in report.exclusions if e.reason is ExclusionReason.SPECIAL}
    assert all(code.startswith("ABR") for code in abroad)
    assert report.analysed == report.precincts - len(report.exclusions)
    regions = {getattr(r, "region", None) for r in report.slopes.regions}
    assert len(regions) == 17  # the 17 units of 2022; abroad is excluded
    assert "ABR" not in regions


def test_the_demos_dip_tests_are_reported_by_region_beside_the_national_one() -> None:
    report = analyse(_demo(), seed=20220605, settings=ForensicsSettings(heaping_simulations=100))
    t = forensics_strings("en")
    for d in (report.turnout, report.share):
        assert isinstance(d, Distribution)
        assert len(d.regions) == 17  # every region of 2022 has at least 10 analysed precincts
        assert [r.region for r in d.regions] == sorted(r.region for r in d.regions)
        assert all(r.holm_p >= r.dip_p for r in d.regions)
        assert sum(r.n for r in d.regions) == report.analysed
        flagged = [r.region for r in d.regions if r.flagged]
        assert d.centred_dip_p is not None
        assert d.between_regions == (d.flagged and d.centred_dip_p >= 0.05)
        (row,) = [r for r in check_rows(report_json(report), t) if r["name"] == t[f"check_{d.variable}"]]
        assert ("between regions" in row["figure"]) == d.between_regions
        if flagged:
            assert f"bimodal within {len(flagged)} of the 17 regions tested" in row["figure"]
            assert ", ".join(flagged) in row["figure"]
    # the reconstruction's regions differ in turnout (Almaty city far below the rest): bimodal nationally,
    # unimodal once each region is centred on its median, so the verdict puts it down to the mixture
    assert isinstance(report.turnout, Distribution)
    assert report.turnout.flagged
    assert report.turnout.between_regions
    assert report.flags == ("turnout",)  # neither the share, nor the fingerprint, nor a digit test
