"""Generate the ``kz-2023-election`` demo data set: a RECONSTRUCTION of the Mazhilis election of 19 March 2023.

The national party-list totals are the official ones (tests/fixtures/seats/kz-mazhilis-2023.csv); the
register, the number of voters who took part, the precinct count and the regional turnout figures come
from published election-day figures (see the README this script writes). Everything below national level
and every candidate is synthetic: names are generated and marked "(fictional)".

    python scripts/gen_kz2023_election.py [--out DIR] [--seed N]

Re-running it reproduces the files byte for byte. Only integer arithmetic is used (no floats).
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from demo_data import apportion, ensure, run, write_files

SEED = 20230319
OUT = Path(__file__).resolve().parent.parent / "src" / "saylau" / "data" / "demo" / "kz-2023-election"

# Election-day figures (sources in the README): register (CEC at 14:00, TASS), voters who took part
# (ElectionGuide "cast votes"), polling stations (10,223, of them 77 abroad; Astana Times).
REGISTERED, PARTICIPATED = 12_032_550, 6_521_860
PRECINCTS, ABROAD_PRECINCTS = 10_223, 77
# Invented: the register and turnout abroad.
ABROAD_REGISTERED, ABROAD_TURNOUT_BP = 24_600, 5_500
BALLOT = ("registered", "received", "issued", "cancelled", "participated", "invalid")
MAX_CANDIDATES = 6


@dataclass(frozen=True)
class Party:
    code: str
    votes: int  # official national list votes (CEC, 27 March 2023)
    names: dict[str, str]
    order: int  # registration order: plausible, the real one is not known to us
    list_size: int  # invented split of the 283 list candidates reported in the press


# fmt: off
PARTIES: tuple[Party, ...] = (
    Party("amanat", 3_431_510, {"kk": "AMANAT", "ru": "AMANAT", "en": "AMANAT"}, 1, 80),
    Party("ak_zhol", 535_139, {"kk": "Ақ жол", "ru": "Ак жол", "en": "Ak Zhol"}, 2, 38),
    Party("ppk", 432_920, {"kk": "Қазақстан Халық партиясы", "ru": "Народная партия Казахстана",
                           "en": "People's Party of Kazakhstan"}, 3, 40),
    Party("auyl", 693_938, {"kk": "Ауыл", "ru": "Ауыл", "en": "Auyl"}, 4, 40),
    Party("nsdp", 331_058, {"kk": "Жалпыұлттық социал-демократиялық партия",
                            "ru": "Общенациональная социал-демократическая партия",
                            "en": "Nationwide Social Democratic Party"}, 5, 25),
    Party("baytaq", 146_431, {"en": "Baytaq"}, 6, 25),
    Party("respublica", 547_154, {"kk": "Respublica", "ru": "Respublica", "en": "Respublica"}, 7, 35),
)
# fmt: on
AGAINST_ALL_VOTES = 248_291
AGAINST_ALL_NAMES = {"kk": "Барлығына қарсы", "ru": "Против всех", "en": "Against all"}
VALID = sum(p.votes for p in PARTIES) + AGAINST_ALL_VOTES  # 6,366,441
INVALID = PARTICIPATED - VALID  # [computed] 155,419


@dataclass(frozen=True)
class Region:
    code: str
    en: str
    ru: str
    kk: str
    turnout_bp: int  # turnout at 22:10 (Kazinform), basis points
    districts: int  # single-member districts (invented, by register size)
    precincts: int  # invented
    weight: int  # relative size of the register (invented, plausible)
    kind: str  # "city", "urban" or "rural": shapes the invented party strengths


# fmt: off
REGIONS: tuple[Region, ...] = (
    Region("AST", "Astana city", "город Астана", "Астана қаласы", 4291, 2, 500, 900, "city"),
    Region("ALA", "Almaty city", "город Алматы", "Алматы қаласы", 2582, 3, 622, 1290, "city"),
    Region("SHY", "Shymkent city", "город Шымкент", "Шымкент қаласы", 4546, 2, 290, 700, "city"),
    Region("ABA", "Abai Region", "область Абай", "Абай облысы", 5702, 1, 470, 420, "urban"),
    Region("AKM", "Akmola Region", "Акмолинская область", "Ақмола облысы", 6001, 1, 640, 510, "urban"),
    Region("AKT", "Aktobe Region", "Актюбинская область", "Ақтөбе облысы", 5800, 1, 480, 560, "urban"),
    Region("ALM", "Almaty Region", "Алматинская область", "Алматы облысы", 6003, 2, 650, 930, "rural"),
    Region("ATY", "Atyrau Region", "Атырауская область", "Атырау облысы", 5123, 1, 262, 420, "rural"),
    Region("ZKO", "West Kazakhstan Region", "Западно-Казахстанская область", "Батыс Қазақстан облысы",
           5920, 1, 468, 450, "urban"),
    Region("ZHA", "Zhambyl Region", "Жамбылская область", "Жамбыл облысы", 6521, 2, 519, 740, "rural"),
    Region("ZHT", "Zhetysu Region", "область Жетісу", "Жетісу облысы", 5532, 1, 520, 480, "rural"),
    Region("KAR", "Karaganda Region", "Карагандинская область", "Қарағанды облысы", 5948, 2, 590, 790, "urban"),
    Region("KOS", "Kostanay Region", "Костанайская область", "Қостанай облысы", 6510, 1, 660, 560, "urban"),
    Region("KZY", "Kyzylorda Region", "Кызылординская область", "Қызылорда облысы", 6721, 1, 445, 500, "rural"),
    Region("MAN", "Mangystau Region", "Мангистауская область", "Маңғыстау облысы", 5410, 1, 210, 470, "urban"),
    Region("PAV", "Pavlodar Region", "Павлодарская область", "Павлодар облысы", 5868, 1, 520, 510, "urban"),
    Region("SKO", "North Kazakhstan Region", "Северо-Казахстанская область", "Солтүстік Қазақстан облысы",
           6525, 1, 560, 370, "urban"),
    Region("TUR", "Turkistan Region", "Туркестанская область", "Түркістан облысы", 5301, 3, 1000, 1340, "rural"),
    Region("ULY", "Ulytau Region", "область Ұлытау", "Ұлытау облысы", 5899, 1, 170, 150, "urban"),
    Region("VKO", "East Kazakhstan Region", "Восточно-Казахстанская область", "Шығыс Қазақстан облысы",
           6415, 1, 570, 480, "urban"),
)
# Invented relative strength (100 = national average) of the smaller lists by kind of unit.
STRENGTH = {
    "city": {"against_all": 150, "baytaq": 130, "nsdp": 140, "ppk": 90, "ak_zhol": 140, "respublica": 150,
             "auyl": 45},
    "urban": {"against_all": 105, "baytaq": 100, "nsdp": 105, "ppk": 115, "ak_zhol": 105, "respublica": 100,
              "auyl": 90},
    "rural": {"against_all": 70, "baytaq": 85, "nsdp": 75, "ppk": 90, "ak_zhol": 75, "respublica": 70,
              "auyl": 150},
    "abroad": {"against_all": 200, "baytaq": 120, "nsdp": 150, "ppk": 60, "ak_zhol": 120, "respublica": 160,
               "auyl": 30},
}
# fmt: on
# Who wins the districts, as in 2023 (ElectionGuide seats minus the list seats: AMANAT 62 - 40 = 22,
# NSDP 5 - 4 = 1, self-nominated 6): which district goes to whom is invented.
WINNERS = ("amanat",) * 22 + ("nsdp",) + (None,) * 6

# fmt: off
GIVEN_M = ("Aibek", "Arman", "Askar", "Bauyrzhan", "Daniyar", "Erlan", "Galym", "Kairat", "Marat", "Nurlan",
           "Olzhas", "Rustem", "Serik", "Talgat", "Timur", "Yerzhan", "Zhandos", "Azamat", "Dauren", "Murat")
GIVEN_F = ("Aigerim", "Aizhan", "Akmaral", "Asel", "Dana", "Dinara", "Gulnara", "Kamila", "Madina", "Saule",
           "Zhanar", "Aruzhan", "Botagoz", "Elmira", "Indira", "Lazzat", "Meruert", "Nazym", "Raushan", "Togzhan")
# fmt: on
# Syllables for invented surnames (Kazakh-sounding, not taken from any person).
ROOTS_A = ("Zhan", "Kur", "Sar", "Tol", "Bek", "Nur", "Ak", "Kara", "Dos", "Yes", "Ul", "Bay", "Ser", "Tas", "Kel")
ROOTS_B = ("bol", "tay", "gal", "zhar", "men", "dar", "kan", "sen", "bat", "tur", "sal", "kyn", "mur", "zhol")


@dataclass
class Precinct:
    code: str
    parent: str  # the single-member district unit, or ABR
    kind: str  # kind of the region (STRENGTH key)
    registered: int = 0
    ballots: dict[str, int] = field(default_factory=dict)  # the ballot fields except invalid
    lists: dict[str, int] = field(default_factory=dict)  # invalid + list options
    smd: dict[str, int] = field(default_factory=dict)  # invalid + district options (empty abroad)


@dataclass
class District:
    number: int
    unit: str  # territory code, e.g. AST-E01
    region: Region
    candidates: list[dict[str, object]]  # event options (code, kind, names, order, party?)
    strength: dict[str, int]  # option code -> invented strength
    winner: str  # option code of the favourite

    @property
    def contest(self) -> str:
        return f"smd-{self.number:02d}"


class Names:
    """Unique invented names, each marked "(fictional)"."""

    def __init__(self, rng: random.Random):
        self.rng, self.seen = rng, set[str]()

    def __call__(self) -> str:
        while True:
            female = self.rng.randint(0, 1) == 1
            given = self.rng.choice(GIVEN_F if female else GIVEN_M)
            root = self.rng.choice(ROOTS_A) + self.rng.choice(ROOTS_B)
            name = f"{given} {root}{'ova' if female else 'ov'} (fictional)"
            if name not in self.seen:
                self.seen.add(name)
                return name


def make_districts(rng: random.Random, names: Names) -> list[District]:
    winners = list(WINNERS)
    rng.shuffle(winners)
    out: list[District] = []
    for r in REGIONS:
        for _ in range(r.districts):
            number = len(out) + 1
            out.append(district(rng, names, number, r, winners[number - 1]))
    return out


def district(rng: random.Random, names: Names, number: int, region: Region, favourite: str | None) -> District:
    """2-6 candidates: the favourite (party or self-nominated), then others; at most one per party."""
    n = rng.randint(2, MAX_CANDIDATES)
    others = [p.code for p in PARTIES if p.code != favourite]
    rng.shuffle(others)
    parties: list[str | None] = [favourite]
    for _ in range(n - 1):
        parties.append(None if rng.randint(1, 100) <= 40 or not others else others.pop())
    strengths = [rng.randint(45, 70)] + [rng.randint(4, 18) for _ in parties[1:]]
    slots = list(range(n))
    rng.shuffle(slots)  # registration order; codes c1..cn follow it
    candidates: list[dict[str, object]] = []
    strength: dict[str, int] = {}
    for pos, i in enumerate(slots, start=1):
        option: dict[str, object] = {"code": f"c{pos}", "kind": "candidate", "names": {"en": names()}, "order": pos}
        if parties[i] is not None:
            option["party"] = parties[i]
        candidates.append(option)
        strength[f"c{pos}"] = strengths[i]
    strength["against_all"] = rng.randint(3, 7)
    winner = f"c{slots.index(0) + 1}"
    return District(number, f"{region.code}-E{number:02d}", region, candidates, strength, winner)


def layout(rng: random.Random, districts: list[District]) -> list[Precinct]:
    """Precincts numbered within their region, split over the region's districts."""
    precincts: list[Precinct] = []
    for r in REGIONS:
        mine = [d for d in districts if d.region is r]
        split = apportion(r.precincts, [rng.randint(90, 110) for _ in mine])
        n = 0
        for d, count in zip(mine, split, strict=True):
            for _ in range(count):
                n += 1
                precincts.append(Precinct(f"{r.code}-{n:04d}", d.unit, r.kind))
    precincts += [Precinct(f"ABR-{p:03d}", "ABR", "abroad") for p in range(1, ABROAD_PRECINCTS + 1)]
    return precincts


def size_weight(rng: random.Random, kind: str) -> int:
    """Relative register size of a precinct: cities large, regions a mix of village and town, abroad small."""
    if kind == "abroad":
        return rng.randint(60, 800)
    if kind == "city":
        return rng.randint(1200, 3000)
    return rng.randint(80, 700) if rng.randint(1, 100) <= 45 else rng.randint(700, 2800)


def fill_turnout(rng: random.Random, precincts: list[Precinct]) -> None:
    """Registers and participants per precinct: units' registers invented, turnout shaped by §22:10 figures."""
    regs = apportion(REGISTERED - ABROAD_REGISTERED, [r.weight for r in REGIONS])
    abroad_part = ABROAD_REGISTERED * ABROAD_TURNOUT_BP // 10_000
    parts = apportion(PARTICIPATED - abroad_part, [n * r.turnout_bp for n, r in zip(regs, REGIONS, strict=True)])
    units = [(r.code, n, p) for r, n, p in zip(REGIONS, regs, parts, strict=True)]
    for unit, registered, participated in [*units, ("ABR", ABROAD_REGISTERED, abroad_part)]:
        mine = [p for p in precincts if p.code.startswith(unit + "-")]
        sizes = apportion(registered, [size_weight(rng, mine[0].kind) for _ in mine])
        part = apportion(participated, [n * rng.randint(850, 1150) for n in sizes], sizes)
        for p, n, k in zip(mine, sizes, part, strict=True):
            p.registered = n
            p.ballots = {"registered": n, "participated": k}


def fill_lists(rng: random.Random, precincts: list[Precinct]) -> None:
    """Invalid list ballots and list votes: every national total official, AMANAT the remainder."""
    part = [p.ballots["participated"] for p in precincts]
    invalid = apportion(INVALID, [n * rng.randint(700, 1300) for n in part], [n // 10 for n in part])
    left = [n - i for n, i in zip(part, invalid, strict=True)]
    valid = list(left)
    for p, i in zip(precincts, invalid, strict=True):
        p.lists = {"invalid": i}
    others = [("against_all", AGAINST_ALL_VOTES), *((q.code, q.votes) for q in reversed(PARTIES[1:]))]
    for code, votes in others:
        weights = [v * STRENGTH[p.kind][code] * rng.randint(70, 130) for v, p in zip(valid, precincts, strict=True)]
        got = apportion(votes, weights, [n // 2 for n in left])
        for i, (p, g) in enumerate(zip(precincts, got, strict=True)):
            p.lists[code] = g
            left[i] -= g
    for p, n in zip(precincts, left, strict=True):
        p.lists["amanat"] = n


def fill_districts(rng: random.Random, districts: list[District], precincts: list[Precinct]) -> None:
    """District ballots: invented invalid share, votes by each candidate's strength with precinct noise."""
    by_unit = {d.unit: d for d in districts}
    for p in precincts:
        d = by_unit.get(p.parent)
        if d is None:
            continue
        part = p.ballots["participated"]
        invalid = part * rng.randint(100, 350) // 10_000
        codes = list(d.strength)
        votes = apportion(part - invalid, [d.strength[c] * rng.randint(70, 130) for c in codes])
        p.smd = {"invalid": invalid} | dict(zip(codes, votes, strict=True))


def fill_ballots(rng: random.Random, precincts: list[Precinct]) -> None:
    """Issued = participated + a few ballots taken away; received = register + reserve = issued + cancelled."""
    for p in precincts:
        part, reg = p.ballots["participated"], p.registered
        issued = min(reg, part + part * rng.randint(0, 8) // 1000)
        received = reg + reg * rng.randint(5, 30) // 1000
        p.ballots |= {"received": received, "issued": issued, "cancelled": received - issued}


def build(seed: int) -> tuple[list[District], list[Precinct], dict[str, list[str]]]:
    rng = random.Random(seed)
    names = Names(rng)
    lists = {p.code: [names() for _ in range(p.list_size)] for p in PARTIES}
    districts = make_districts(rng, names)
    precincts = layout(rng, districts)
    fill_turnout(rng, precincts)
    fill_lists(rng, precincts)
    fill_districts(rng, districts, precincts)
    fill_ballots(rng, precincts)
    check(districts, precincts)
    return districts, precincts, lists


def check(districts: list[District], precincts: list[Precinct]) -> None:
    """Fail loudly if the reconstruction breaks an official total, a protocol relation or a winner."""
    ensure(len(precincts) == PRECINCTS and sum(p.parent == "ABR" for p in precincts) == ABROAD_PRECINCTS, "count")
    ensure(sum(p.registered for p in precincts) == REGISTERED, "registered")
    ensure(sum(p.ballots["participated"] for p in precincts) == PARTICIPATED, "participated")
    official = {p.code: p.votes for p in PARTIES} | {"against_all": AGAINST_ALL_VOTES, "invalid": INVALID}
    for code, votes in official.items():
        ensure(sum(p.lists[code] for p in precincts) == votes, code)
    for p in precincts:
        b = p.ballots
        ensure(b["participated"] <= b["issued"] <= b["registered"] and b["cancelled"] >= 0, p)
        ensure(b["received"] == b["issued"] + b["cancelled"], p)
        for counts in (p.lists, p.smd) if p.smd else (p.lists,):
            ensure(min(counts.values()) >= 0 and sum(counts.values()) == b["participated"], p)
    for d in districts:
        totals = {c: sum(p.smd.get(c, 0) for p in precincts if p.parent == d.unit) for c in d.strength}
        ranked = sorted(totals.values(), reverse=True)
        ensure(max(totals, key=lambda c: totals[c]) == d.winner and ranked[0] > ranked[1], d.contest)


LIST_TEXTS = [
    {"lang": "en", "text": "Deputies of the Mazhilis: party lists (one nationwide constituency, 69 seats)"},
    {"lang": "ru", "text": "Выборы депутатов Мажилиса Парламента Республики Казахстан по партийным спискам"},
    {
        "lang": "kk",
        "text": "Қазақстан Республикасы Парламенті Мәжілісінің депутаттарын партиялық тізімдер бойынша сайлау",
    },
]
TEXT_SOURCE = "wording by the saylau project (not the ballot text)"
DESCRIPTION = (
    "RECONSTRUCTION, not official data. The national party-list votes are the official final ones of the Central "
    "Election Commission (AMANAT 3,431,510; Auyl 693,938; Respublica 547,154; Ak Zhol 535,139; People's Party of "
    "Kazakhstan 432,920; Nationwide Social Democratic Party 331,058; Baytaq 146,431; against all 248,291; valid "
    "6,366,441), with the published register (12,032,550), voters who took part (6,521,860) and 10,223 polling "
    "stations (77 abroad). Everything below national level is generated (seed 20230319): the split over regions, "
    "districts and precincts, the 29 single-member districts, and every candidate; all candidate names are "
    "invented and marked (fictional). Sources and method: src/saylau/data/demo/kz-2023-election/README.md in the "
    "saylau source."
)


def event_json(districts: list[District], lists: dict[str, list[str]]) -> str:
    texts = [t | {"official": False, "source": TEXT_SOURCE} for t in LIST_TEXTS]
    options: list[dict[str, object]] = [
        {"code": p.code, "kind": "party", "names": p.names, "order": p.order, "candidates": lists[p.code]}
        for p in sorted(PARTIES, key=lambda p: p.order)
    ]
    options.append({"code": "against_all", "kind": "against_all", "names": AGAINST_ALL_NAMES})
    contests: list[dict[str, object]] = [
        {"code": "list", "kind": "party_list", "seats": 69, "texts": texts, "options": options}
    ]
    for d in districts:
        where = f"single-member territorial district No. {d.number} ({d.region.en}; synthetic boundaries)"
        contests.append(
            {
                "code": d.contest,
                "kind": "district",
                "seats": 1,
                "scope": d.unit,
                "texts": [{"lang": "en", "text": f"Deputy of the Mazhilis, {where}", "official": False,
                           "source": TEXT_SOURCE}],
                "options": [*d.candidates, {"code": "against_all", "kind": "against_all", "names": AGAINST_ALL_NAMES}],
            }
        )  # fmt: skip
    event = {
        "code": "kz-2023-election",
        "title": "Mazhilis election of 19 March 2023 (reconstruction)",
        "date": "2023-03-19",
        "preset": "kz-mazhilis-2023",
        "settings": {},
        "description": DESCRIPTION,
        "questions": contests,
    }
    return json.dumps(event, ensure_ascii=False, indent=2) + "\n"


def territory_csv(districts: list[District], precincts: list[Precinct]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["code", "kind", "parent", "name_kk", "name_ru", "name_en", "registered"])
    w.writerow(["KZ", "country", "", "Қазақстан Республикасы", "Республика Казахстан", "Republic of Kazakhstan", ""])
    by_parent: dict[str, list[Precinct]] = {}
    for p in precincts:
        by_parent.setdefault(p.parent, []).append(p)
    for r in REGIONS:
        w.writerow([r.code, "region", "KZ", r.kk, r.ru, r.en, ""])
        for d in districts:
            if d.region is r:
                kk = f"№ {d.number} бір мандатты аумақтық сайлау округі"
                ru = f"Одномандатный территориальный избирательный округ № {d.number}"
                w.writerow([d.unit, "district", r.code, kk, ru, f"Single-member district No. {d.number}", ""])
                w.writerows([p.code, "precinct", d.unit, "", "", "", p.registered] for p in by_parent[d.unit])
    w.writerow(["ABR", "abroad", "KZ", "Шетелдегі учаскелер", "Участки за рубежом", "Abroad", ""])
    w.writerows([p.code, "precinct", "ABR", "", "", "", p.registered] for p in by_parent["ABR"])
    return buf.getvalue()


def protocol_columns() -> list[str]:
    parties = [p.code for p in sorted(PARTIES, key=lambda p: p.order)]
    return [*BALLOT, *parties, "against_all", *(f"c{i}" for i in range(1, MAX_CANDIDATES + 1))]


def protocols_csv(districts: list[District], precincts: list[Precinct]) -> str:
    """One row for the list contest per precinct, one more for its district contest (not abroad)."""
    contest = {d.unit: d.contest for d in districts}
    columns = protocol_columns()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["precinct", "question", *columns])
    for p in precincts:
        w.writerow([p.code, "list", *(p.ballots.get(c, p.lists.get(c, "")) for c in columns)])
        if p.smd:
            w.writerow([p.code, contest[p.parent], *(p.ballots.get(c, p.smd.get(c, "")) for c in columns)])
    return buf.getvalue()


def pct(num: int, den: int) -> str:
    """A percentage with two decimals, rounded half up, in integers only."""
    hundredths = (20_000 * num + den) // (2 * den)
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


def readme(districts: list[District], precincts: list[Precinct]) -> str:
    rows, smd_rows = [], []
    for r in REGIONS:
        mine = [p for p in precincts if p.code.startswith(r.code + "-")]
        reg, part = sum(p.registered for p in mine), sum(p.ballots["participated"] for p in mine)
        valid = sum(p.ballots["participated"] - p.lists["invalid"] for p in mine)
        amanat_share = pct(sum(p.lists["amanat"] for p in mine), valid)
        rows.append(
            f"| {r.en} | {r.code} | {r.districts} | {len(mine)} | {reg:,} | {pct(r.turnout_bp, 10_000)} "
            f"| {pct(part, reg)} | {amanat_share} |"
        )
    for d in districts:
        mine = [p for p in precincts if p.parent == d.unit]
        winner = next(c for c in d.candidates if c["code"] == d.winner)
        party = str(winner.get("party", "self-nominated"))
        valid = sum(p.ballots["participated"] - p.smd["invalid"] for p in mine)
        share = pct(sum(p.smd[d.winner] for p in mine), valid)
        smd_rows.append(
            f"| {d.contest} | {d.unit} | {d.region.en} | {len(mine)} | {len(d.candidates)} | {party} | {share} |"
        )
    home = sorted(p.registered for p in precincts if p.parent != "ABR")
    abroad = sorted(p.registered for p in precincts if p.parent == "ABR")
    return README.format(
        per_region="\n".join(rows),
        per_district="\n".join(smd_rows),
        min_size=home[0],
        median_size=home[len(home) // 2],
        max_size=home[-1],
        abroad_min=abroad[0],
        abroad_max=abroad[-1],
        abroad_registered=f"{ABROAD_REGISTERED:,}",
        abroad_turnout=pct(ABROAD_TURNOUT_BP, 10_000),
        invalid=f"{INVALID:,}",
        invalid_share=pct(INVALID, PARTICIPATED),
        turnout=pct(PARTICIPATED, REGISTERED),
        columns=",".join(protocol_columns()),
    )


README = """# kz-2023-election: the Mazhilis election of 19 March 2023 (RECONSTRUCTION)

**This is not official data.** Only national figures are real; everything below national level and every
candidate is synthetic. Generated by `scripts/gen_kz2023_election.py` (seed 20230319; re-running it
reproduces these files byte for byte). Load it with `saylau.io` (`parse_event`, `parse_territory`,
`parse_protocols` with per-contest fields, formats in `spec/formats.md`, contests in `spec/contests.md`).

## What is official (or published)

- **Party-list votes**, final, CEC 27 March 2023 (`tests/fixtures/seats/kz-mazhilis-2023.csv` and its
  README for the sources): AMANAT 3,431,510; Auyl 693,938; Respublica 547,154; People's Party of
  Kazakhstan 432,920; Baytaq 146,431; Ak Zhol 535,139; Nationwide Social Democratic Party 331,058;
  against all 248,291; together 6,366,441 valid list votes. The protocols add up to these exactly.
- **Register**: 12,032,550 voters, the figure a CEC member gave at 14:00 on election day (TASS,
  https://tass.com/world/1590877); the final register may differ slightly. Used as the national sum.
- **Voters who took part**: 6,521,860, ElectionGuide's "cast votes" (https://www.electionguide.org/elections/id/4078/),
  not checked against a CEC protocol. Turnout {turnout}; the CEC's figure at 22:10 was 54.19% (Kazinform,
  https://en.inform.kz/news/2023-parliamentary-elections-in-kazakhstan-voter-turnout-at-54-19_a4047921/).
- **Invalid list ballots** {invalid} ({invalid_share} of those who took part): **[computed]** = took part - valid
  list votes; no published figure was found.
- **Polling stations**: 10,223, of them 77 abroad in 62 countries (Astana Times,
  https://astanatimes.com/2023/03/more-than-14-percent-voter-turnout-recorded-so-far-in-kazakhstans-parliamentary-election/).
- The 20 regions of 2023 (17 of 2022 plus Abai, Ulytau and Zhetysu, created on 8 June 2022; the capital
  renamed Astana) and their names; the seven parties' names (Baytaq in English only: we are not sure of
  its Kazakh and Russian spelling).
- 69 list seats, 5% threshold of parties + against all, 29 single-member districts by plurality
  (`kazakhstan.md` §3). District winners by party follow the 2023 seat totals (ElectionGuide: AMANAT 62 =
  40 list + 22 districts, NSDP 5 = 4 + 1, self-nominated 6) **[computed]**, but which district went to whom
  is invented.

## What is reconstructed (invented)

- **Registers per region**: split by plausible relative sizes; abroad {abroad_registered} (turnout
  {abroad_turnout}).
- **Turnout per region** follows the CEC's 22:10 figures per region (Kazinform, above), scaled so that the
  national number of voters who took part is 6,521,860 (the table shows both).
- **Party strengths per region** (cities stronger for Respublica, Ak Zhol, NSDP and against all; rural
  regions for Auyl), AMANAT the remainder: the national totals stay exact.
- **The 29 single-member districts**: their number per region (by register size, at least one each: not
  the official scheme), their boundaries (whole groups of precincts) and numbering.
- **Every candidate**: list candidates (283 in all, the number the press reported, Astana Times; the split
  per party is invented) and 2-6 candidates per district (in 2023 there were about 370 district
  candidates, far more per district). **All names are generated and marked "(fictional)".**
- **Registration order** of the lists (option `order`): plausible, the real order is not known to us.
- **District results**: invalid 1-3.5%, votes by invented candidate strengths; the favourite wins every
  district (no ties).
- **Ballots**: `issued` = took part + up to 0.8% taken away; `received` = the register + a 0.5-3% reserve;
  `cancelled` = received - issued. The district ballot repeats the list ballot's registered, received,
  issued, cancelled and participated; its invalid and votes are its own.
- Precinct sizes (registered): {min_size} to {max_size} at home (median {median_size}); abroad {abroad_min}
  to {abroad_max}. Precincts abroad (`ABR-001`...) vote in the party-list contest only.
- Region codes are this data set's own (not ISO 3166-2).

| Region | Code | Districts | Precincts | Registered | Turnout 22:10 (CEC) | Turnout here | AMANAT here |
|---|---|---|---|---|---|---|---|
{per_region}

| Contest | Scope (unit) | Region | Precincts | Candidates | Winner nominated by | Winner's share of valid |
|---|---|---|---|---|---|---|
{per_district}

## Files

- `event.json`: the event (preset `kz-mazhilis-2023`); contest `list` (party_list, 69 seats, seven parties
  with their ranked lists, against all) and `smd-01` ... `smd-29` (district, 1 seat, `scope` = the
  district's unit; candidates `c1`... in registration order with their nominating `party`, absent when
  self-nominated; against all).
- `territory.csv`: country `KZ`; 20 regions; under them the 29 single-member districts (kind `district`,
  codes like `AST-E01`), precincts under those (`AST-0001`, numbered within the region); `ABR` (kind
  `abroad`) with its precincts directly under it.
- `protocols.csv`: one row per precinct and contest: `list` everywhere, plus the precinct's district
  contest at home. Columns `precinct,question,{columns}`; a row fills its contest's fields and leaves the
  others empty. Every protocol satisfies participated = options + invalid, participated <= issued,
  participated <= registered and received = issued + cancelled.
"""


def write(out: Path, seed: int) -> None:
    districts, precincts, lists = build(seed)
    files = {
        "event.json": event_json(districts, lists),
        "territory.csv": territory_csv(districts, precincts),
        "protocols.csv": protocols_csv(districts, precincts),
        "README.md": readme(districts, precincts),
    }
    write_files(out, files)


def main(argv: Sequence[str] | None = None) -> None:
    run(__doc__, OUT, SEED, write, argv)


if __name__ == "__main__":
    main()
