#!/usr/bin/env python
"""
`make bench`: speed figures against floors measured in the same run.

Usage: scripts/bench.py [-k NAME] [--runs N] [-v] [--profile] [--keep]

How it works
- Sets up Django production-like (DEBUG off, so no query logging or template debug info) on a
  throwaway SQLite file in a temp dir, with the same OPTIONS as settings.py (WAL, IMMEDIATE),
  and migrates it once. Each section then gets its own copy of that fresh database.
- The URLconf is `benchlib`: the project's URLs plus two floor views (see benchlib).
- It discovers the section modules `scripts/bench_*.py` (alphabetical order), runs each one's
  `run(ctx)` and prints the rows it returns; at the end it prints them all as one table.

Adding a section: create `scripts/bench_<name>.py` with

    TITLE = "Trends page"                     # optional, printed as the section heading

    def run(ctx: benchlib.Context) -> list[benchlib.Row]:
        user = ctx.user("trends")             # a user with a Europe/London profile
        generate_episodes(user, weeks=260, per_week=50_000 / 260, seed=1)   # diary.demo
        timing = ctx.time_request(ctx.client(user), "get", "/trends/?weeks=12")
        floor = ctx.median_seconds(lambda: ...)                            # your floor
        return [
            benchlib.time_row("floor: raw SQL", floor),
            benchlib.time_row("GET /trends/", timing.median, floor=floor, floor_name="SQL",
                              max_ratio=3),
            benchlib.check_row("queries", timing.queries, target="<= 8",
                               ok=timing.queries <= 8),
        ]

To measure a floor in turns with what is compared with it (the same machine load for both),
use `ctx.time_requests({name: benchlib.Request(client, "get", path), ...})` or
`ctx.interleaved_medians({name: (fn, None), ...})`. No change to this file is needed.

Keep a section well under a minute: the whole run should stay under two. A section that
raises is reported and the others still run; the exit status is then 1 (a MISS alone does not
fail the run: these are figures to report, not tests).
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent


def configure(tmpdir: Path) -> Path:
    """Point Django at a temp SQLite file and production-like settings; return the db path."""
    database = tmpdir / "fresh.sqlite3"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "twitchlog.settings",
            # settings.py gives any SQLite database the WAL/IMMEDIATE OPTIONS.
            "DATABASE_URL": f"sqlite:///{database}",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "ERROR",
        }
    )
    sys.path[:0] = [str(ROOT), str(SCRIPTS)]
    import django

    django.setup()
    from django.conf import settings

    settings.ROOT_URLCONF = "benchlib"
    settings.STATIC_ROOT = tmpdir / "staticfiles"  # WhiteNoise warns when it does not exist
    settings.STATIC_ROOT.mkdir()
    # No collectstatic in a bench: plain static URLs instead of the manifest's hashed ones.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return database


def use_database(path: Path) -> None:
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = str(path)


def discover(names: list[str]) -> list[str]:
    modules = sorted(p.stem for p in SCRIPTS.glob("bench_*.py"))
    if names:
        modules = [m for m in modules if any(n in m for n in names)]
    return modules


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "-k",
        dest="names",
        action="append",
        default=[],
        help="only sections whose name contains NAME",
    )
    parser.add_argument("--runs", type=int, default=20, help="timed runs per figure (20)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print measured SQL")
    parser.add_argument("--profile", action="store_true", help="cProfile one request each")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir")
    args = parser.parse_args()

    started = time.perf_counter()
    tmpdir = Path(tempfile.mkdtemp(prefix="twitchlog-bench-"))
    try:
        fresh = configure(tmpdir)
        import benchlib
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
        mode = connection.settings_dict["OPTIONS"].get("transaction_mode")
        if (journal, mode) != ("wal", "IMMEDIATE"):
            raise RuntimeError(f"expected settings.py's WAL + IMMEDIATE, got {journal} + {mode}")
        connection.close()  # the last connection to close checkpoints the WAL into the file
        print(
            f"Twitchlog bench · SQLite ({journal}, {mode}) in {tmpdir} · DEBUG off · "
            f"median of {args.runs} timed runs per figure\n"
        )

        all_rows: list[benchlib.Row] = []
        failed = []
        for name in discover(args.names):
            module = importlib.import_module(name)
            section = name.removeprefix("bench_")
            print(f"== {getattr(module, 'TITLE', section)} ==")
            database = tmpdir / f"{section}.sqlite3"
            shutil.copyfile(fresh, database)
            use_database(database)
            ctx = benchlib.Context(
                tmpdir=tmpdir, runs=args.runs, verbose=args.verbose, profile=args.profile
            )
            t0 = time.perf_counter()
            try:
                rows = module.run(ctx)
            except Exception:
                traceback.print_exc()
                failed.append(section)
                print(f"-- {section}: FAILED\n")
                continue
            finally:
                use_database(fresh)
            for row in rows:
                row.section = section
            benchlib.print_table(rows)
            print(f"-- {section}: {time.perf_counter() - t0:.1f} s\n")
            all_rows += rows

        print("== Summary ==")
        benchlib.print_table(all_rows)
        misses = sum(r.ok is False for r in all_rows)
        print(
            f"\n{sum(r.ok is True for r in all_rows)} PASS, {misses} MISS"
            + (f", failed sections: {', '.join(failed)}" if failed else "")
            + f" · {time.perf_counter() - started:.1f} s in all"
        )
        return 1 if failed else 0
    finally:
        if args.keep:
            print(f"Kept {tmpdir}")
        else:
            shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
