"""A small referendum for service tests: 2 regions + abroad, 5 precincts, one question."""

from __future__ import annotations

import json

EVENT = {
    "code": "small",
    "title": "Small constitutional referendum",
    "date": "2022-06-05",
    "preset": "kz-constitutional",
    "settings": {},
    "description": "Test event",
    "questions": [
        {
            "code": "q1",
            "texts": [
                {"lang": "ru", "text": "Принимаете ли Вы изменения?", "official": True, "source": "test"},
                {"lang": "en", "text": "Do you accept the amendments?", "official": False, "source": "translation"},
            ],
        }
    ],
}

TERRITORY = """code,kind,parent,name_kk,name_ru,name_en,registered
KZ,country,,Қазақстан,Казахстан,Kazakhstan,
R1,region,KZ,,,Region One,
R1-D1,district,R1,,,District One,
P1,precinct,R1-D1,,,Precinct 1,1000
P2,precinct,R1-D1,,,Precinct 2,800
R2,region,KZ,,,Region Two,
P3,precinct,R2,,,Precinct 3,1200
AB,abroad,KZ,,,Abroad,
P4,precinct,AB,,,Embassy A,300
P5,precinct,AB,,,Embassy B,200
"""

FIELDS = ("registered", "received", "issued", "cancelled", "participated", "yes", "no", "not_counted", "invalid")

# precinct -> (registered, received, issued, cancelled, participated, yes, no, not_counted, invalid)
GOOD = {
    "P1": (1000, 1000, 700, 300, 690, 500, 150, 20, 20),
    "P2": (800, 800, 600, 200, 600, 400, 180, 10, 10),
    "P3": (1200, 1200, 900, 300, 880, 300, 560, 10, 10),
    "P4": (300, 300, 200, 100, 200, 150, 40, 5, 5),
    "P5": (200, 200, 100, 100, 100, 90, 10, 0, 0),
}


def event_bytes() -> bytes:
    return json.dumps(EVENT, ensure_ascii=False).encode()


def protocols_csv(rows: dict[str, tuple[int, ...]], reason: str | None = None) -> bytes:
    header = "precinct,question," + ",".join(FIELDS) + (",reason" if reason else "")
    lines = [header]
    for precinct, values in rows.items():
        line = f"{precinct},q1," + ",".join(str(v) for v in values)
        lines.append(line + (f",{reason}" if reason else ""))
    return ("\n".join(lines) + "\n").encode()
