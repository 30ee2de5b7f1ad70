"""Generate the recall-petition demo (issue 12, "Done when"): a SYNTHETIC register of a reconstructed
maslikhat district and a recall petition's paper and online signatures, deterministic from a fixed seed.

Everything here is invented: the territory (Karaganda region's "district No. 7", precincts P1 and P2, with a
neighbouring district No. 8 and its precinct P9), 360 persons with Kazakh and Russian names (the register in
Cyrillic; some signers write their name in Latin letters), valid IINs by the published algorithm, Ed25519
keys made from the seed. The signatures are built so that the petition shows every verdict: duplicates
within paper and across paper and online, a withdrawal, a line dated after the deadline, a signer who moved
out of the district before signing, a voter of the other district, an illegible line, an identifier not on
the register; and so that California's random sample (here of every signature: fewer than 500) lands in the
grey zone (projected 84 of 80 required, 105%) and escalates to a full count, which qualifies it.

    python scripts/gen_petition_demo.py --out DIR [--seed N]

writes territory.csv, base-event.json, register.csv, register-moved.csv, sheets/S*-{alice,bob}.csv and
S*.scan, online/NN.json (a statement) with online/signatures.json (key and signature per statement), and
plan.json (the dates, the commands' order and the expected figures). Re-running reproduces it byte for byte.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519

from saylau.petitions import Statement, statement_bytes
from saylau.register import check_digit
from saylau.register.names import match_key

SEED = 20240310
PETITION = "d7-recall"
OPENS, CLOSES = dt.date(2024, 3, 10), dt.date(2024, 4, 10)
REGISTER_AT = "2024-03-01T09:00:00+00:00"  # the register imported
MOVE_AT = "2024-03-20T09:00:00+00:00"  # one voter moves out of the district (a re-import)
ONLINE_AT = "2024-03-25T12:00:00+00:00"  # the online signatures received
VERIFY_AT = "2024-04-12T09:00:00+00:00"  # sheets imported, a withdrawal recorded, the petition verified
WITHDRAWN_ON = dt.date(2024, 4, 1)
SHEET_LINES = 20

TERRITORY = """code,kind,parent,name_kk,name_ru,name_en,registered
KZ,country,,Қазақстан,Казахстан,Kazakhstan,
KAR,region,KZ,Қарағанды облысы,Карагандинская область,Karaganda Region,
KAR-D7,district,KAR,№7 округ,Округ №7,Maslikhat district No. 7,
P1,precinct,KAR-D7,№1 учаске,Участок №1,Precinct 1,180
P2,precinct,KAR-D7,№2 учаске,Участок №2,Precinct 2,140
KAR-D8,district,KAR,№8 округ,Округ №8,Maslikhat district No. 8,
P9,precinct,KAR-D8,№9 учаске,Участок №9,Precinct 9,40
"""
PRECINCTS = [("P1", 180), ("P2", 140), ("P9", 40)]

KZ_M = ["Қайрат", "Нұрлан", "Ерлан", "Асқар", "Бауыржан", "Дәулет", "Санжар", "Мұрат", "Ғалым", "Жандос"]
KZ_F = ["Айгүл", "Жанар", "Гүлнар", "Әсем", "Мөлдір", "Дана", "Салтанат", "Ақмарал", "Шынар", "Назгүл"]
KZ_SUR = ["Әлиев", "Сейітов", "Омаров", "Жақсыбеков", "Нұрланов", "Қасымов", "Бекболатов", "Төлеуов"]
RU_M = ["Иван", "Сергей", "Алексей", "Дмитрий", "Андрей", "Николай", "Павел", "Михаил"]
RU_F = ["Мария", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Анна", "Светлана"]
RU_SUR = ["Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Новиков"]
SHEET_HEADER = "line,identifier,name,birth_date,signed_on,illegible\n"
REGISTER_HEADER = "identifier,surname,given_name,patronymic,birth_date,sex,address,precinct,status\n"


def iin(born: dt.date, sex: str, serial: int) -> str:
    """A valid IIN (spec/register.md §2): YYMMDD, century-and-sex digit, serial, check digit."""
    century = {1900: 3, 2000: 5}[born.year // 100 * 100] + (sex == "f")
    for n in range(serial, serial + 1000):
        first = f"{born:%y%m%d}{century}{n % 10000:04d}"
        digit = check_digit(first)
        if digit is not None:
            return first + str(digit)
    raise AssertionError("no IIN")


def _people(rng: random.Random) -> list[dict[str, Any]]:
    out = []
    serial = 100
    for precinct, n in PRECINCTS:
        for _ in range(n):
            sex = rng.choice("mf")
            if rng.random() < 0.6:  # Kazakh names, patronymic with -ұлы / -қызы
                sur = rng.choice(KZ_SUR) + ("а" if sex == "f" else "")
                given = rng.choice(KZ_M if sex == "m" else KZ_F)
                patr = rng.choice(KZ_M) + ("ұлы" if sex == "m" else "қызы") if rng.random() < 0.7 else ""
            else:
                sur = rng.choice(RU_SUR) + ("а" if sex == "f" else "")
                given = rng.choice(RU_M if sex == "m" else RU_F)
                patr = rng.choice(["Иван", "Сергей", "Петр", "Николай"]) + ("ович" if sex == "m" else "овна")
            born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 50))
            serial += 7
            ident = iin(born, sex, serial)
            p = {"id": ident, "sur": sur, "given": given, "patr": patr, "born": born, "sex": sex, "precinct": precinct}
            out.append(p)
    return out


def _name(p: dict[str, Any], latin: bool = False) -> str:
    full = " ".join(x for x in (p["sur"], p["given"], p["patr"]) if x)
    return match_key(full).title() if latin else full  # the key's Latin spelling: one a signer might write


def _register(people: list[dict[str, Any]], moved: str | None = None) -> str:
    rows = []
    for p in people:
        where = "P9" if p["id"] == moved else p["precinct"]
        name = f"{p['sur']},{p['given']},{p['patr']}"
        rows.append(f'{p["id"]},{name},{p["born"]},{p["sex"]},"Қарағанды, {where}",{where},active\n')
    return REGISTER_HEADER + "".join(rows)


def _online(out: Path, rng: random.Random, signers: list[dict[str, Any]]) -> None:
    """Each signer's statement (its canonical bytes) and an Ed25519 key and signature made from the seed."""
    online_day = dt.date.fromisoformat(ONLINE_AT[:10])
    manifest = []
    for n, p in enumerate(signers, start=1):
        statement = Statement(PETITION, p["id"], _name(p, latin=n % 3 == 0), p["born"], online_day)
        data = statement_bytes(statement)
        key = ed25519.Ed25519PrivateKey.from_private_bytes(rng.randbytes(32))
        (out / "online" / f"{n:02d}.json").write_bytes(data + b"\n")
        manifest.append(
            {
                "statement": f"online/{n:02d}.json",
                "algorithm": "ed25519",
                "public_key": key.public_key().public_bytes_raw().hex(),
                "signature": key.sign(data).hex(),
            }
        )
    (out / "online" / "signatures.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


def generate(out: Path, seed: int = SEED) -> dict[str, Any]:
    """Write the demo's files under ``out``; returns the plan (also written as plan.json)."""
    rng = random.Random(seed)
    people = _people(rng)
    d7 = [p for p in people if p["precinct"] != "P9"]
    d8 = [p for p in people if p["precinct"] == "P9"]
    rng.shuffle(d7)
    valid_paper, valid_online, mover = d7[:66], d7[66:84], d7[84]
    day = lambda: OPENS + dt.timedelta(days=rng.randrange((CLOSES - OPENS).days))  # noqa: E731
    # (identifier, name, birth, signed_on, illegible, what)
    lines: list[tuple[str, str, str, str, str, str]] = []
    for i, p in enumerate(valid_paper):
        ident = "" if i % 11 == 5 else p["id"]  # a few lines without the IIN: matched by name and birth date
        lines.append((ident, _name(p, latin=i % 4 == 1), str(p["born"]), str(day()), "", "valid"))
    dup = valid_paper[3]
    lines.append((dup["id"], _name(dup), str(dup["born"]), "2024-04-05", "", "duplicate within paper"))
    w = d7[85]
    lines.append((w["id"], _name(w), str(w["born"]), "2024-03-15", "", "withdrawn"))
    late = d7[86]
    lines.append((late["id"], _name(late), str(late["born"]), "2024-04-12", "", "after the deadline"))
    lines.append((mover["id"], _name(mover), str(mover["born"]), "2024-03-25", "", "moved out before signing"))
    other = d8[0]
    lines.append((other["id"], _name(other), str(other["born"]), "2024-03-18", "", "a voter of district 8"))
    lines.append(("", "", "", "2024-03-19", "1", "illegible"))
    ghost = iin(dt.date(1977, 7, 7), "m", 9000)
    lines.append((ghost, "Белгісіз Адам", "1977-07-07", "2024-03-20", "", "not in the register"))
    rng.shuffle(lines)
    sheets = [lines[i : i + SHEET_LINES] for i in range(0, len(lines), SHEET_LINES)]
    (out / "sheets").mkdir(parents=True, exist_ok=True)
    (out / "online").mkdir(parents=True, exist_ok=True)
    plan_sheets = []
    withdrawn = None
    for n, sheet in enumerate(sheets, start=1):
        body = "".join(f"{k},{i},{nm},{b},{s},{ill}\n" for k, (i, nm, b, s, ill, _) in enumerate(sheet, start=1))
        for op in ("alice", "bob"):
            (out / "sheets" / f"S{n}-{op}.csv").write_text(SHEET_HEADER + body, encoding="utf-8")
        (out / "sheets" / f"S{n}.scan").write_bytes(f"synthetic scan of sheet S{n}\n".encode() + body.encode())
        plan_sheets.append({"sheet": f"S{n}", "collector": f"collector-{(n - 1) % 2 + 1}", "lines": len(sheet)})
        for k, line in enumerate(sheet, start=1):
            if line[5] == "withdrawn":
                withdrawn = f"paper:S{n}:{k}"
    signers = [*valid_online, *valid_paper[10:13]]  # three who also signed on paper
    _online(out, rng, signers)
    (out / "territory.csv").write_text(TERRITORY, encoding="utf-8")
    base = {
        "code": "kar-2024",
        "title": "Karaganda region, maslikhat districts 7 and 8 (synthetic base event holding the territory)",
        "date": "2024-03-03",
        "preset": "kz-recall",
        "settings": {"body": "maslikhat"},
        "questions": [{"code": "recall", "texts": [{"lang": "en", "text": "Recall?", "official": True}]}],
    }
    (out / "base-event.json").write_text(json.dumps(base, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "register.csv").write_text(_register(people), encoding="utf-8")
    (out / "register-moved.csv").write_text(_register(people, moved=mover["id"]), encoding="utf-8")
    plan = {
        "petition": PETITION,
        "scope": "KAR-D7",
        "opens": str(OPENS),
        "closes": str(CLOSES),
        "rule": "random_sample",
        "seed": "20240412073915180264",
        "register_at": REGISTER_AT,
        "move_at": MOVE_AT,
        "online_at": ONLINE_AT,
        "verify_at": VERIFY_AT,
        "withdraw": {"signature": withdrawn, "on": str(WITHDRAWN_ON)},
        "sheets": plan_sheets,
        "expect": {"registered": 320, "required": 80, "raw": len(lines) + len(signers), "valid": 84},
    }
    (out / "plan.json").write_text(json.dumps(plan, indent=1) + "\n", encoding="utf-8")
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    plan = generate(args.out, args.seed)
    print(json.dumps(plan["expect"]))


if __name__ == "__main__":
    main()
