"""A seeded referendum of 4 regions and abroad, 160 precincts, for the forensics service, CLI and pages:
enough precincts for every check to run (at least 10; 3 per region), small enough to count in a second.

The event is ``tests/elections/small``'s (kz-constitutional, one question); the territory and the good
protocols are generated here from a seed, in the formats the production parsers read.
"""

from __future__ import annotations

import random

from tests.elections import SMALL, PaperElection

__all__ = ["ABROAD", "PRECINCTS", "REGIONS", "forensics_election"]

REGIONS = ("R1", "R2", "R3", "R4")
PRECINCTS = 40  # per region
ABROAD = 4  # precincts abroad (special: left out of the distribution checks)


def forensics_election(seed: int = 11) -> PaperElection:
    rng = random.Random(seed)
    territory = ["code,kind,parent,name_kk,name_ru,name_en,registered", "KZ,country,,Қазақстан,Казахстан,Kazakhstan,"]
    protocols = ["precinct,question,registered,received,issued,cancelled,participated,yes,no,not_counted,invalid"]
    units: list[tuple[str, str]] = [(r, "region") for r in REGIONS] + [("AB", "abroad")]
    for parent, kind in units:
        territory.append(f"{parent},{kind},KZ,,,{'Abroad' if kind == 'abroad' else 'Region ' + parent[1:]},")
        for i in range(ABROAD if kind == "abroad" else PRECINCTS):
            code = f"{parent}-{i + 1:03d}"
            registered = rng.randint(150, 2500)
            participated = round(registered * min(0.97, max(0.2, rng.gauss(0.62, 0.08))))
            invalid = rng.randint(0, participated // 50)
            not_counted = rng.randint(0, participated // 80)
            valid = participated - invalid - not_counted
            yes = round(valid * min(0.98, max(0.05, rng.gauss(0.66, 0.07))))
            issued = min(registered, participated + rng.randint(0, 5))
            territory.append(f"{code},precinct,{parent},,,Precinct {code},{registered}")
            protocols.append(
                f"{code},q1,{registered},{registered},{issued},{registered - issued},{participated},"
                f"{yes},{valid - yes},{not_counted},{invalid}"
            )
    return PaperElection(
        "forensics", SMALL.event, ("\n".join(territory) + "\n").encode(), ("\n".join(protocols) + "\n").encode()
    )
