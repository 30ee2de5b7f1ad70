"""Generate the ``kz-2022`` demo data set: a RECONSTRUCTION of Kazakhstan's referendum of 5 June 2022.

The official per-precinct (and even per-region) final table is not public in a usable form. This script
builds a plausible one, deterministic from a fixed seed, whose national sums equal the official FINAL
totals exactly (kazakhstan.md §1.2) and whose per-unit turnout and "No" shares follow the published
unit figures (§1.4). See the README.md it writes for what is real and what is invented.

    python scripts/gen_kz2022.py [--out DIR] [--seed N]

Re-running it reproduces the files byte for byte. Only integer arithmetic is used (no floats).
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from demo_data import apportion, ensure, run, write_files

SEED = 20220605
OUT = Path(__file__).resolve().parent.parent / "src" / "saylau" / "data" / "demo" / "kz-2022"

# Official FINAL national totals (kazakhstan.md §1.2).
REGISTERED, PARTICIPATED = 11_734_642, 7_985_769
YES, NO, NOT_COUNTED, INVALID = 6_163_516, 1_490_470, 125_859, 205_924
# Ballots received by citizens at 22:00 (§1.2): used as the national sum of ``issued``.
ISSUED = 8_030_739
PRECINCTS, ABROAD_PRECINCTS = 10_012, 65
# Invented: the register and turnout abroad (not published per unit).
ABROAD_REGISTERED, ABROAD_TURNOUT_BP = 20_457, 5_800
FIELDS = ("registered", "received", "issued", "cancelled", "participated", "yes", "no", "not_counted", "invalid")


@dataclass(frozen=True)
class Region:
    code: str
    en: str
    ru: str
    kk: str
    turnout_2200_bp: int  # turnout at 22:00 (ballots received), basis points, §1.4
    final_turnout_bp: int | None  # final turnout where published (§1.4)
    no_bp: int  # "No" share of participants, bp: published (§1.4) where marked, else invented
    no_published: bool
    precincts: int  # invented, but the 5 western units sum to 1,858 and the other 12 to 8,089 (§1.3)
    districts: int  # invented, plausible
    weight: int  # relative size of the register (invented, plausible; Almaty city is fixed below)


# fmt: off
REGIONS: tuple[Region, ...] = (
    Region("AKM", "Akmola Region", "Акмолинская область", "Ақмола облысы", 7381, None, 1900, False, 640, 19, 520),
    Region("AKT", "Aktobe Region", "Актюбинская область", "Ақтөбе облысы", 5806, None, 2471, True, 480, 15, 560),
    Region("ALM", "Almaty Region", "Алматинская область", "Алматы облысы", 7283, None, 1500, False, 1150, 19, 1300),
    Region("ATY", "Atyrau Region", "Атырауская область", "Атырау облысы", 6768, None, 2329, True, 262, 8, 380),
    Region("ZKO", "West Kazakhstan Region", "Западно-Казахстанская область", "Батыс Қазақстан облысы",
           6937, None, 2416, True, 468, 13, 440),
    Region("ZHA", "Zhambyl Region", "Жамбылская область", "Жамбыл облысы", 6959, None, 1450, False, 519, 11, 680),
    Region("KAR", "Karaganda Region", "Карагандинская область", "Қарағанды облысы", 7739, None, 2000, False,
           760, 16, 900),
    Region("KOS", "Kostanay Region", "Костанайская область", "Қостанай облысы", 7228, None, 2087, True, 660, 20, 590),
    Region("KZY", "Kyzylorda Region", "Кызылординская область", "Қызылорда облысы", 7989, None, 1350, False,
           445, 9, 470),
    Region("MAN", "Mangystau Region", "Мангистауская область", "Маңғыстау облысы", 6119, None, 2639, True,
           203, 7, 420),
    Region("PAV", "Pavlodar Region", "Павлодарская область", "Павлодар облысы", 7553, None, 2000, False, 520, 13, 510),
    Region("SKO", "North Kazakhstan Region", "Северо-Казахстанская область", "Солтүстік Қазақстан облысы",
           7549, None, 1950, False, 560, 14, 390),
    Region("TUR", "Turkistan Region", "Туркестанская область", "Түркістан облысы", 8066, 8031, 1150, False,
           1000, 17, 1200),
    Region("VKO", "East Kazakhstan Region", "Восточно-Казахстанская область", "Шығыс Қазақстан облысы",
           7749, None, 2000, False, 1020, 20, 960),
    Region("AST", "Nur-Sultan city", "город Нур-Султан", "Нұр-Сұлтан қаласы", 5706, None, 2050, False, 440, 4, 800),
    Region("ALA", "Almaty city", "город Алматы", "Алматы қаласы", 3330, 3299, 2741, True, 560, 8, 1129),
    Region("SHY", "Shymkent city", "город Шымкент", "Шымкент қаласы", 7253, None, 1400, False, 260, 5, 620),
)
# fmt: on
ALMATY_CITY_REGISTERED = 1_129_117  # informburo, preliminary (§1.4)
CITIES = frozenset({"AST", "ALA", "SHY"})
WESTERN = frozenset({"AKT", "ATY", "ZKO", "MAN", "KZY"})


def unit_totals(rng: random.Random) -> dict[str, dict[str, int]]:
    """Per top-level unit: registered, participated, yes, no, not_counted, invalid; sums are official."""
    others = [r for r in REGIONS if r.code != "ALA"]
    reg_rest = apportion(REGISTERED - ALMATY_CITY_REGISTERED - ABROAD_REGISTERED, [r.weight for r in others])
    registered = {r.code: n for r, n in zip(others, reg_rest, strict=True)}
    registered["ALA"] = ALMATY_CITY_REGISTERED
    registered["ABR"] = ABROAD_REGISTERED
    fixed = {r.code: registered[r.code] * r.final_turnout_bp // 10_000 for r in REGIONS if r.final_turnout_bp}
    fixed["ABR"] = ABROAD_REGISTERED * ABROAD_TURNOUT_BP // 10_000
    free = [r for r in REGIONS if r.code not in fixed]
    part_rest = apportion(PARTICIPATED - sum(fixed.values()), [registered[r.code] * r.turnout_2200_bp for r in free])
    participated = dict(fixed) | {r.code: n for r, n in zip(free, part_rest, strict=True)}
    codes = [*(r.code for r in REGIONS), "ABR"]
    no_bp = {r.code: r.no_bp for r in REGIONS} | {"ABR": 1800}
    nc_bp = {c: 277 if c == "ALA" else rng.randint(110, 200) for c in codes}
    inv_bp = {c: 460 if c == "ALA" else rng.randint(180, 300) for c in codes}
    totals = {c: {"registered": registered[c], "participated": participated[c]} for c in codes}
    for name, total, bp in (("no", NO, no_bp), ("not_counted", NOT_COUNTED, nc_bp), ("invalid", INVALID, inv_bp)):
        split = apportion(total, [participated[c] * bp[c] for c in codes])
        for c, n in zip(codes, split, strict=True):
            totals[c][name] = n
    for t in totals.values():
        t["yes"] = t["participated"] - t["no"] - t["not_counted"] - t["invalid"]
        ensure(2 * t["yes"] > t["participated"], t)
    return totals


@dataclass
class Precinct:
    code: str
    parent: str
    registered: int
    counts: dict[str, int]


def layout(rng: random.Random) -> tuple[list[tuple[str, str, str]], list[Precinct]]:
    """Districts (code, parent, English name) and precincts with their registers still empty."""
    districts: list[tuple[str, str, str]] = []
    precincts: list[Precinct] = []
    for r in REGIONS:
        per_district = apportion(r.precincts, [rng.randint(60, 140) for _ in range(r.districts)], None)
        for d, n in enumerate(per_district, start=1):
            dcode = f"{r.code}-{d:02d}"
            label = "city district" if r.code in CITIES else "district"
            districts.append((dcode, r.code, f"{r.en} — {label} {d:02d}"))
            precincts += [Precinct(f"{dcode}-{p:03d}", dcode, 0, {}) for p in range(1, n + 1)]
    precincts += [Precinct(f"ABR-{p:03d}", "ABR", 0, {}) for p in range(1, ABROAD_PRECINCTS + 1)]
    return districts, precincts


def size_weight(rng: random.Random, unit: str) -> int:
    """Relative register size of a precinct: cities large, oblasts a mix of village and town, abroad small."""
    if unit == "ABR":
        return rng.randint(40, 900)
    if unit in CITIES:
        return rng.randint(1200, 3000)
    return rng.randint(80, 700) if rng.randint(1, 100) <= 45 else rng.randint(700, 2800)


def fill_unit(rng: random.Random, unit: str, totals: dict[str, int], precincts: list[Precinct]) -> None:
    """Split one top-level unit's totals over its precincts, keeping every protocol relation."""
    regs = apportion(totals["registered"], [size_weight(rng, unit) for _ in precincts])
    part = apportion(totals["participated"], [n * rng.randint(850, 1150) for n in regs], regs)
    no = apportion(totals["no"], [n * rng.randint(600, 1400) for n in part], [n // 2 for n in part])
    nc_caps = [(p - n) // 4 for p, n in zip(part, no, strict=True)]
    nc = apportion(totals["not_counted"], [n * rng.randint(700, 1300) for n in part], nc_caps)
    inv_caps = [(p - n - c) // 4 for p, n, c in zip(part, no, nc, strict=True)]
    inv = apportion(totals["invalid"], [n * rng.randint(700, 1300) for n in part], inv_caps)
    for i, pr in enumerate(precincts):
        pr.registered = regs[i]
        pr.counts = {"registered": regs[i], "participated": part[i], "no": no[i], "not_counted": nc[i]}
        pr.counts["invalid"] = inv[i]
        pr.counts["yes"] = part[i] - no[i] - nc[i] - inv[i]


def add_ballots(rng: random.Random, precincts: list[Precinct]) -> None:
    """Issued = participated + ballots taken away; received = issued + cancelled (unused + reserve)."""
    caps = [p.registered - p.counts["participated"] for p in precincts]
    extra = apportion(ISSUED - PARTICIPATED, [p.counts["participated"] * rng.randint(0, 20) for p in precincts], caps)
    for p, e in zip(precincts, extra, strict=True):
        issued = p.counts["participated"] + e
        reserve = p.registered * rng.randint(5, 30) // 1000
        p.counts["issued"] = issued
        p.counts["cancelled"] = p.registered - issued + reserve
        p.counts["received"] = issued + p.counts["cancelled"]


def build(seed: int) -> tuple[list[tuple[str, str, str]], list[Precinct]]:
    rng = random.Random(seed)
    totals = unit_totals(rng)
    districts, precincts = layout(rng)
    for unit in [*(r.code for r in REGIONS), "ABR"]:
        fill_unit(rng, unit, totals[unit], [p for p in precincts if p.code.startswith(unit + "-")])
    add_ballots(rng, precincts)
    check(precincts)
    return districts, precincts


def check(precincts: list[Precinct]) -> None:
    """Fail loudly if the reconstruction breaks an official total or a protocol relation."""
    official = {"registered": REGISTERED, "participated": PARTICIPATED, "yes": YES, "no": NO}
    official |= {"not_counted": NOT_COUNTED, "invalid": INVALID, "issued": ISSUED}
    for name, value in official.items():
        ensure(sum(p.counts[name] for p in precincts) == value, name)
    ensure(len(precincts) == PRECINCTS, "precinct count")
    west = sum(1 for p in precincts if p.code[:3] in WESTERN)
    ensure((west, PRECINCTS - west - ABROAD_PRECINCTS) == (1_858, 8_089), "western/other precincts")
    for p in precincts:
        c = p.counts
        ensure(c["participated"] == c["yes"] + c["no"] + c["not_counted"] + c["invalid"], p)
        ensure(c["participated"] <= c["issued"] <= c["registered"], p)
        ensure(c["received"] == c["issued"] + c["cancelled"], p)
        ensure(c["cancelled"] >= 0, p)


QUESTION_RU = (
    "Принимаете ли Вы изменения и дополнения в Конституцию Республики Казахстан, изложенные в проекте "
    "Закона Республики Казахстан «О внесении изменений и дополнений в Конституцию Республики Казахстан», "
    "опубликованном в средствах массовой информации 6 мая 2022 года?"
)
QUESTION_EN = (
    "Do you accept amendments and additions to the Constitution of the Republic of Kazakhstan set forth in "
    'the draft Law of the Republic of Kazakhstan "On Amendments and Additions to the Constitution of the '
    'Republic of Kazakhstan", published in the media on 6 May 2022?'
)
# Our own translation of the Russian text: the official Kazakh wording was not available to us.
QUESTION_KK = (
    "2022 жылғы 6 мамырда бұқаралық ақпарат құралдарында жарияланған «Қазақстан Республикасының "
    "Конституциясына өзгерістер мен толықтырулар енгізу туралы» Қазақстан Республикасы Заңының жобасында "
    "баяндалған Қазақстан Республикасының Конституциясына өзгерістер мен толықтыруларды қабылдайсыз ба?"
)
SOURCE_RU = (
    "https://mobile-business.by/nowosti/v-mire/tokaev-naznachil-datu-referenduma-v-kazakhstane-na-5-iiunia "
    "(citing Kazinform)"
)
SOURCE_EN = "translation, from Wikipedia: https://en.wikipedia.org/wiki/2022_Kazakh_constitutional_referendum"
SOURCE_KK = "translation of the Russian text by the saylau project (unofficial; not the official Kazakh wording)"
DESCRIPTION = (
    "RECONSTRUCTION, not official data. The national sums equal the official final totals of the Central "
    "Election Commission (registered 11,734,642; took part 7,985,769; Yes 6,163,516; No 1,490,470; valid "
    "but not counted 125,859; invalid 205,924) and 10,012 precincts (65 abroad), but the split over regions, "
    "districts and precincts is generated (seed 20220605) and shaped by published turnout figures. District "
    "and precinct names are generic. Sources and method: src/saylau/data/demo/kz-2022/README.md in the saylau "
    "source."
)


def event_json() -> str:
    texts = [
        {"lang": "ru", "text": QUESTION_RU, "official": True, "source": SOURCE_RU},
        {"lang": "kk", "text": QUESTION_KK, "official": False, "source": SOURCE_KK},
        {"lang": "en", "text": QUESTION_EN, "official": False, "source": SOURCE_EN},
    ]
    event = {
        "code": "kz-2022",
        "title": "Constitutional referendum of 5 June 2022 (reconstruction)",
        "date": "2022-06-05",
        "preset": "kz-constitutional",
        "settings": {},
        "description": DESCRIPTION,
        "questions": [{"code": "q1", "texts": texts}],
    }
    return json.dumps(event, ensure_ascii=False, indent=2) + "\n"


def territory_csv(districts: list[tuple[str, str, str]], precincts: list[Precinct]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["code", "kind", "parent", "name_kk", "name_ru", "name_en", "registered"])
    w.writerow(["KZ", "country", "", "Қазақстан Республикасы", "Республика Казахстан", "Republic of Kazakhstan", ""])
    by_parent: dict[str, list[Precinct]] = {}
    for p in precincts:
        by_parent.setdefault(p.parent, []).append(p)
    for r in REGIONS:
        w.writerow([r.code, "region", "KZ", r.kk, r.ru, r.en, ""])
        for dcode, parent, name in districts:
            if parent == r.code:
                w.writerow([dcode, "district", r.code, "", "", name, ""])
                w.writerows([p.code, "precinct", dcode, "", "", "", p.registered] for p in by_parent[dcode])
    w.writerow(["ABR", "abroad", "KZ", "Шетелдегі учаскелер", "Участки за рубежом", "Abroad", ""])
    w.writerows([p.code, "precinct", "ABR", "", "", "", p.registered] for p in by_parent["ABR"])
    return buf.getvalue()


def protocols_csv(precincts: list[Precinct]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["precinct", "question", *FIELDS])
    w.writerows([p.code, "q1", *(p.counts[f] for f in FIELDS)] for p in precincts)
    return buf.getvalue()


def readme(districts: list[tuple[str, str, str]], precincts: list[Precinct]) -> str:
    sizes = sorted(p.registered for p in precincts if p.parent != "ABR")
    abroad = sorted(p.registered for p in precincts if p.parent == "ABR")
    return README.format(
        districts=len(districts),
        min_size=sizes[0],
        median_size=sizes[len(sizes) // 2],
        max_size=sizes[-1],
        abroad_min=abroad[0],
        abroad_max=abroad[-1],
        per_region="\n".join(f"| {r.en} | {r.code} | {r.districts} | {r.precincts} |" for r in REGIONS),
    )


README = """# kz-2022: Kazakhstan's constitutional referendum of 5 June 2022 (RECONSTRUCTION)

**This is not official data.** The Central Election Commission's per-unit final table is not public in a
usable form, so this data set is generated by `scripts/gen_kz2022.py` (seed 20220605; re-running it
reproduces these files byte for byte). Load it with `saylau.io` (`parse_event`, `parse_territory`,
`parse_protocols`, formats in `spec/formats.md`).

## What is official

- National sums, FINAL figures (zakon.kz, sudd.ch; `kazakhstan.md` §1.2): registered 11,734,642;
  took part 7,985,769; Yes 6,163,516; No 1,490,470; valid but not counted 125,859; invalid 205,924.
  The protocols of this set add up to these numbers exactly.
- 10,012 precincts, 65 of them abroad; 1,858 in the five western units (Aktobe, Atyrau, West
  Kazakhstan, Mangystau, Kyzylorda) and 8,089 in the other twelve (`kazakhstan.md` §1.3).
- The 17 units of 2022 (14 oblasts and the cities Nur-Sultan, Almaty, Shymkent) and their names.
- The question: Russian text official; the English text (Wikipedia) is a translation; the Kazakh text is
  **our own translation** of the Russian one, marked `official: false`, because the official Kazakh
  wording was not available to us.

## What is reconstructed

- **Registers per unit**: Almaty city 1,129,117 (the preliminary figure published by informburo.kz);
  abroad 20,457 (invented); the rest split by plausible relative sizes.
- **Turnout per unit**: Almaty city 32.99% and Turkistan Region 80.31% (the two published final
  figures); abroad 58% (invented); the other units follow the 22:00 turnout of each unit (`kazakhstan.md`
  §1.4), scaled so that the national figure is the final 7,985,769.
- **"No" shares**: the six published ones (Almaty city 27.41%, Mangystau 26.39%, Aktobe 24.71%, West
  Kazakhstan 24.16%, Atyrau 23.29%, Kostanay 20.87%) shape their units; the others are invented; all are
  scaled to the national 1,490,470. Yes has more than half of the participants in every unit.
- **Ballots**: `issued` sums to 8,030,739 (ballots received by citizens at 22:00); `received` is the
  register plus a 0.5-3% reserve; `cancelled` = received - issued.
- **Districts** ({districts} in all) and **precincts** are generic: "Akmola Region — district 07",
  precinct codes `AKM-07-015`. Region codes are this data set's own (not ISO 3166-2).
- Precinct sizes (registered): {min_size} to {max_size} at home (median {median_size}); abroad
  {abroad_min} to {abroad_max}. The 65 precincts abroad sit directly under the unit `ABR`
  (kind `abroad`), which counts nationally but is not one of the 17 units of the two-thirds test.

| Unit | Code | Districts | Precincts |
|---|---|---|---|
{per_region}
| Abroad | ABR | 0 | 65 |

## Files

- `event.json`: the event (one question `q1`, preset `kz-constitutional`).
- `territory.csv`: country `KZ`, 17 units, `ABR`, districts, precincts with their registers.
- `protocols.csv`: one protocol per precinct, question `q1`, the nine standard fields. Every protocol
  satisfies participated = yes + no + not_counted + invalid, participated <= issued,
  participated <= registered and received = issued + cancelled.
"""


def write(out: Path, seed: int) -> None:
    districts, precincts = build(seed)
    files = {
        "event.json": event_json(),
        "territory.csv": territory_csv(districts, precincts),
        "protocols.csv": protocols_csv(precincts),
        "README.md": readme(districts, precincts),
    }
    write_files(out, files)


def main(argv: Sequence[str] | None = None) -> None:
    run(__doc__, OUT, SEED, write, argv)


if __name__ == "__main__":
    main()
