"""A small mixed election for service tests: a party list everywhere, two single-member districts."""

from __future__ import annotations

import json

BALLOT = ("registered", "received", "issued", "cancelled", "participated", "invalid")
PARTIES = ("amanat", "auyl", "respublica")
LIST_FIELDS = (*BALLOT, *PARTIES, "against_all")
SMD1 = (*BALLOT, "c_one", "c_two", "against_all")
SMD2 = (*BALLOT, "c_three", "c_four", "against_all")

TEXT = [{"lang": "en", "text": "Party lists", "official": True}]
EVENT = {
    "code": "mini-election",
    "title": "A small Mazhilis-style election",
    "date": "2023-03-19",
    "preset": "kz-mazhilis-2023",
    "questions": [
        {
            "code": "list",
            "kind": "party_list",
            "seats": 10,
            "texts": TEXT,
            "options": [
                {
                    "code": "amanat",
                    "kind": "party",
                    "order": 1,
                    "names": {"en": "AMANAT"},
                    "candidates": [f"Amanat candidate {i}" for i in range(1, 9)],
                },
                {
                    "code": "auyl",
                    "kind": "party",
                    "order": 2,
                    "names": {"en": "Auyl"},
                    "candidates": ["Auyl candidate 1"],
                },
                {
                    "code": "respublica",
                    "kind": "party",
                    "order": 3,
                    "names": {"en": "Respublica"},
                    "candidates": ["Respublica candidate 1", "Respublica candidate 2"],
                },
                {"code": "against_all", "kind": "against_all"},
            ],
        },
        {
            "code": "smd-1",
            "kind": "district",
            "scope": "E1",
            "texts": TEXT,
            "options": [
                {"code": "c_one", "kind": "candidate", "party": "amanat", "names": {"en": "Candidate One"}},
                {"code": "c_two", "kind": "candidate", "names": {"en": "Candidate Two"}},
                {"code": "against_all", "kind": "against_all"},
            ],
        },
        {
            "code": "smd-2",
            "kind": "district",
            "scope": "E2",
            "texts": TEXT,
            "options": [
                {"code": "c_three", "kind": "candidate", "names": {"en": "Candidate Three"}},
                {"code": "c_four", "kind": "candidate", "party": "auyl", "names": {"en": "Candidate Four"}},
                {"code": "against_all", "kind": "against_all"},
            ],
        },
    ],
}

TERRITORY = """code,kind,parent,name_kk,name_ru,name_en,registered
KZ,country,,,,Kazakhstan,
R1,region,KZ,,,Region One,
E1,district,R1,,,Electoral district 1,
P1,precinct,E1,,,Precinct 1,1000
P2,precinct,E1,,,Precinct 2,1000
E2,district,R1,,,Electoral district 2,
P3,precinct,E2,,,Precinct 3,1000
AB,abroad,KZ,,,Abroad,
P4,precinct,AB,,,Embassy,100
"""

# ballot part: registered, received, issued, cancelled, participated, invalid
_B = {
    "P1": (1000, 1000, 600, 400, 600, 10),
    "P2": (1000, 1000, 500, 500, 500, 10),
    "P3": (1000, 1000, 700, 300, 700, 20),
    "P4": (100, 100, 60, 40, 60, 0),
}
LIST_VOTES = {"P1": (400, 100, 60, 30), "P2": (300, 120, 50, 20), "P3": (450, 90, 100, 40), "P4": (40, 5, 10, 5)}
DISTRICT = {"P1": ("smd-1", (350, 200, 40)), "P2": ("smd-1", (200, 250, 40)), "P3": ("smd-2", (300, 340, 40))}


def event_bytes() -> bytes:
    return json.dumps(EVENT).encode()


def protocols_csv() -> bytes:
    union = list(dict.fromkeys((*LIST_FIELDS, *SMD1, *SMD2)))
    lines = ["precinct,question," + ",".join(union)]

    def row(precinct: str, contest: str, fields: tuple[str, ...], votes: tuple[int, ...]) -> str:
        values = dict(zip(fields, (*_B[precinct], *votes), strict=True))
        return f"{precinct},{contest}," + ",".join(str(values[f]) if f in values else "" for f in union)

    for precinct in _B:
        lines.append(row(precinct, "list", LIST_FIELDS, LIST_VOTES[precinct]))
        if precinct in DISTRICT:
            contest, votes = DISTRICT[precinct]
            lines.append(row(precinct, contest, SMD1 if contest == "smd-1" else SMD2, votes))
    return ("\n".join(lines) + "\n").encode()
