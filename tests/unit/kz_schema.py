"""The Kazakh protocol schema (kazakhstan.md §2.2) and small territories, built for the count tests.

The rule presets are written elsewhere; these tests build their own schema from model types.
"""

from __future__ import annotations

from saylau.model import (
    STANDARD_FIELDS,
    FieldDef,
    ProtocolSchema,
    QuestionCode,
    Relation,
    Territory,
    Unit,
    UnitCode,
    UnitKind,
)

SOURCE = "inferred, kazakhstan.md §2.2"
Q1 = QuestionCode("Q1")

BALLOTS_SUM = Relation("ballots_sum", ("participated",), "==", ("yes", "no", "not_counted", "invalid"), SOURCE)
IN_BOXES = Relation("in_boxes", ("participated",), "<=", ("issued",), SOURCE)
TURNOUT_CAP = Relation("turnout_cap", ("participated",), "<=", ("registered",), SOURCE)
BALLOTS_RECEIVED = Relation("ballots_received", ("received",), "==", ("issued", "cancelled"), SOURCE)
KZ_RELATIONS = (BALLOTS_SUM, IN_BOXES, TURNOUT_CAP, BALLOTS_RECEIVED)
KZ_SCHEMA = ProtocolSchema(tuple(FieldDef(f) for f in STANDARD_FIELDS), KZ_RELATIONS)


def kz_counts(
    registered: int = 1000,
    participated: int = 700,
    yes: int = 500,
    no: int = 180,
    not_counted: int = 5,
    invalid: int = 15,
    issued: int | None = None,
    cancelled: int = 290,
) -> dict[str, int]:
    """A valid protocol by default; ``received`` always balances issued + cancelled."""
    issued = participated + 10 if issued is None else issued
    return {
        "registered": registered,
        "received": issued + cancelled,
        "issued": issued,
        "cancelled": cancelled,
        "participated": participated,
        "yes": yes,
        "no": no,
        "not_counted": not_counted,
        "invalid": invalid,
    }


def synthetic_territory(regions: int, districts: int, precincts: int, abroad: int = 0) -> Territory:
    """Country "KZ" -> regions "R{r}" -> districts "R{r}D{d}" -> precincts "R{r}D{d}P{p}", plus an abroad
    unit "ABR" with ``abroad`` precincts "ABRP{p}". Registers are 500 + 37 × p."""
    units = [Unit(UnitCode("KZ"), UnitKind.COUNTRY, None)]
    for r in range(regions):
        region = UnitCode(f"R{r}")
        units.append(Unit(region, UnitKind.REGION, UnitCode("KZ")))
        for d in range(districts):
            district = UnitCode(f"{region}D{d}")
            units.append(Unit(district, UnitKind.DISTRICT, region))
            units.extend(
                Unit(UnitCode(f"{district}P{p}"), UnitKind.PRECINCT, district, registered=500 + 37 * p)
                for p in range(precincts)
            )
    if abroad:
        units.append(Unit(UnitCode("ABR"), UnitKind.ABROAD, UnitCode("KZ")))
        units.extend(
            Unit(UnitCode(f"ABRP{p}"), UnitKind.PRECINCT, UnitCode("ABR"), registered=500 + 37 * p)
            for p in range(abroad)
        )
    return Territory.build(units)
