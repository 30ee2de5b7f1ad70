"""A synthetic India-scale country: 1,000,000 precincts counted end to end (target ≤ 3 min, ≤ 2 GB).

Territory and protocols are generated from a fixed seed as CSV, then go the production way: parsed,
imported, opened, every protocol keyed twice by two operators in batches (double entry), aggregated at
every level and decided.

    .venv/bin/python -m bench.bench_national [--precincts N] [--db URL]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import tempfile
import time
from pathlib import Path

from bench._util import peak_mb, timed
from saylau.count.layout import event_rules
from saylau.io import parse_protocols
from saylau.model import Mode, Phase
from saylau.services.access.factor import LOCAL_CLI
from saylau.services.context import Context, utc_now
from saylau.services.paper.events import create_event, import_territory
from saylau.services.paper.lifecycle import advance
from saylau.services.paper.protocols import enter_protocols
from saylau.services.paper.results import results
from saylau.store import Store, connect, migrate

FIELDS = ("registered", "received", "issued", "cancelled", "participated", "yes", "no", "not_counted", "invalid")
REGIONS = 36
DISTRICTS_PER_REGION = 40
BATCH = 50_000


def event_json() -> bytes:
    return json.dumps(
        {
            "code": "synthetic",
            "title": "Synthetic national referendum",
            "date": "2024-10-06",
            "preset": "kz-ordinary",
            "settings": {},
            "description": "Benchmark data, generated from a fixed seed.",
            "questions": [
                {
                    "code": "q1",
                    "texts": [{"lang": "en", "text": "Synthetic question?", "official": True, "source": "benchmark"}],
                }
            ],
        }
    ).encode()


def territory_csv(n: int) -> tuple[bytes, list[tuple[str, int]]]:
    out = io.StringIO()
    out.write("code,kind,parent,name_kk,name_ru,name_en,registered\nC,country,,,,Country,\n")
    rng = random.Random(1)
    precincts: list[tuple[str, int]] = []
    districts = REGIONS * DISTRICTS_PER_REGION
    for r in range(REGIONS):
        out.write(f"R{r},region,C,,,Region {r},\n")
        for d in range(DISTRICTS_PER_REGION):
            district = f"R{r}D{d}"
            out.write(f"{district},district,R{r},,,District {d},\n")
            index = r * DISTRICTS_PER_REGION + d
            for p in range(index * n // districts, (index + 1) * n // districts):
                registered = rng.randint(300, 1500)
                out.write(f"P{p},precinct,{district},,,,{registered}\n")
                precincts.append((f"P{p}", registered))
    return out.getvalue().encode(), precincts


def protocols_csv(precincts: list[tuple[str, int]], seed: int) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    out.write("precinct,question," + ",".join(FIELDS) + "\n")
    for code, registered in precincts:
        issued = rng.randint(registered // 3, registered)
        participated = issued - rng.randint(0, min(3, issued))
        invalid = rng.randint(0, participated // 50)
        not_counted = rng.randint(0, (participated - invalid) // 80)
        yes = rng.randint(0, participated - invalid - not_counted)
        no = participated - invalid - not_counted - yes
        received = registered + rng.randint(0, 20)
        row = (registered, received, issued, received - issued, participated, yes, no, not_counted, invalid)
        out.write(f"{code},q1," + ",".join(map(str, row)) + "\n")
    return out.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--precincts", type=int, default=1_000_000)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        engine = connect(args.db or f"sqlite:///{Path(tmp) / 'national.db'}")
        migrate(engine)
        ctx = Context(Store(engine), utc_now, "bench")
        with timed("generate territory"):
            territory, precincts = territory_csv(args.precincts)
        ref = create_event(ctx, event_json(), "synthetic.json")
        with timed(f"import territory ({len(precincts):,} precincts)"):
            import_territory(ctx, ref.code, territory, "territory.csv", "csv")
        del territory
        advance(ctx, ref.code, Phase.VOTING, LOCAL_CLI)
        advance(ctx, ref.code, Phase.COUNTING, LOCAL_CLI)
        fields = event_rules(ref).version.protocol_schema(event_rules(ref).settings).field_names
        for operator in ("op-a", "op-b"):
            with timed(f"double entry by {operator}: {len(precincts):,} protocols in batches of {BATCH:,}"):
                for start in range(0, len(precincts), BATCH):
                    data = protocols_csv(precincts[start : start + BATCH], seed=start)
                    parsed = parse_protocols(data, "batch.csv", "csv", ["q1"], fields)
                    enter_protocols(
                        Context(ctx.store, ctx.clock, operator),
                        ref.code,
                        parsed,
                        mode=Mode.LIVE,
                        source="batch.csv",
                        factor=LOCAL_CLI,
                    )
        with timed("aggregate every level and decide"):
            view = results(ctx, ref.code)
        national = view.results[view.territory.root]
        total = time.perf_counter() - started
        print(f"reported {national.reported:,}/{national.expected:,}; adopted={view.outcomes['q1'].adopted}")
        print(
            f"TOTAL {len(precincts):,} precincts on {engine.dialect.name}: {total:.1f} s (target ≤ 180 s: "
            f"{'met' if total <= 180 else 'MISSED'}), peak memory {peak_mb():.0f} MB (target ≤ 2048 MB: "
            f"{'met' if peak_mb() <= 2048 else 'MISSED'})"
        )


if __name__ == "__main__":
    main()
