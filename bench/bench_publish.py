"""`saylau publish --static` at full scale: the shipped kz-2022 demo (10,012 precincts, every unit's pages
in kk/ru/en) published as a static site, and published again unchanged.

tests/e2e/test_cli_publish.py checks the command on the small referendum (5 precincts); this prints the
figures of the real one: files, megabytes, seconds.

    .venv/bin/python -m bench.bench_publish [--db URL] [--keep DIR]

Exits 1 if the site's release.json does not carry the release's hash, the pages lack the DEMO banner, or
the unchanged re-publication is not the same release.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from bench._util import peak_mb, timed
from saylau.services.context import Context, utc_now
from saylau.services.paper.demo import run_demo
from saylau.services.paper.publication import publish_release
from saylau.store import Store, connect, migrate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--keep", type=Path, help="a new folder to write the site into (kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="saylau-bench-publish-") as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = connect(url)
        migrate(engine)
        ctx = Context(Store(engine), utc_now, "bench")
        with timed(f"demo counted on {engine.dialect.name}"):
            code = run_demo(ctx, lambda _label, _done, _total: None).view.event.code
        site = args.keep or Path(tmp) / "site"
        started = time.perf_counter()
        release = publish_release(ctx, code, site, demo=True)
        seconds = time.perf_counter() - started
        size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / 1e6
        print(
            f"publish {code} (release {release.number}, {release.kind}): {release.files:,} files, {size:,.1f} MB "
            f"in {seconds:.1f} s ({release.files / seconds:,.0f} files/s), peak memory {peak_mb():.0f} MB",
            flush=True,
        )
        with timed("publish again, unchanged (the same release re-written)"):
            again = publish_release(ctx, code, site, demo=True)
        ok = (
            json.loads((site / "release.json").read_text(encoding="utf-8"))["hash"] == release.hash
            and "DEMO" in (site / "index.html").read_text(encoding="utf-8")
            and (again.number, again.created, again.hash) == (release.number, False, release.hash)
        )
        print(f"release.json carries the hash, DEMO banner, unchanged = same release: {'HOLD' if ok else 'BROKEN'}")
        ctx.store.dispose()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
