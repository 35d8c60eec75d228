#!/usr/bin/env python
"""
`make bench`: speed figures against floors measured in the same run.

Usage: scripts/bench.py [-k NAME] [--runs N] [-v] [--profile] [--keep] [--postgres] [--cpu]

How it works
- Sets up Django production-like (DEBUG off, so no query logging or template debug info) on a
  throwaway SQLite file in a temp dir, with the same OPTIONS as settings.py (WAL, IMMEDIATE),
  and migrates it once. Each section then gets its own copy of that fresh database.
- `--postgres` (`make bench POSTGRES=1`): the same on a throwaway PostgreSQL cluster
  (scripts/with-postgres starts it, and bench.py restarts itself inside it): a database is
  migrated once and each section gets its own copy (CREATE DATABASE ... TEMPLATE).
- Timings are of cache misses (nothing cached that a first request would not find) unless a
  row says "hit". The load average is printed at the start and the end.
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
`ctx.interleaved_medians({name: (fn, None), ...})`. A section that starts a server of its own
(scripts/serve.py) points it at `ctx.database_url`, the section's database. No change to this
file is needed.

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


def configure(database: Database) -> None:
    """Point Django at the fresh database and production-like settings."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "twitchlog.settings",
            # settings.py gives any SQLite database the WAL/IMMEDIATE OPTIONS.
            "DATABASE_URL": database.url("fresh"),
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
    settings.STATIC_ROOT = database.tmpdir / "staticfiles"  # WhiteNoise warns without it
    settings.STATIC_ROOT.mkdir()
    # No collectstatic in a bench: plain static URLs instead of the manifest's hashed ones.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


class Database:
    """
    The bench's databases: SQLite files in the temp dir, or databases in the PostgreSQL
    cluster that `server` (a postgres:// URL) points into. "fresh" is migrated once; each
    section works on a copy of it.
    """

    def __init__(self, tmpdir: Path, server: str | None) -> None:
        self.tmpdir, self.server = tmpdir, server
        self.name = "PostgreSQL" if server else "SQLite"

    def url(self, name: str) -> str:
        if self.server:
            return f"{self.server.rsplit('/', 1)[0]}/bench_{name}"
        return f"sqlite:///{self.tmpdir / name}.sqlite3"

    def _name(self, name: str) -> str:
        return f"bench_{name}" if self.server else str(self.tmpdir / f"{name}.sqlite3")

    def create_fresh(self) -> None:
        if self.server:
            self._admin("CREATE DATABASE bench_fresh")

    def copy_fresh(self, name: str) -> None:
        """Switch to a copy of the migrated fresh database, for a section."""
        from django.db import connection

        connection.close()
        if self.server:
            self._admin(f"CREATE DATABASE bench_{name} TEMPLATE bench_fresh")
        else:
            shutil.copyfile(self._name("fresh"), self._name(name))
        connection.settings_dict["NAME"] = self._name(name)

    def use_fresh(self) -> None:
        from django.db import connection

        connection.close()
        connection.settings_dict["NAME"] = self._name("fresh")

    def describe(self) -> str:
        """What the bench runs on; checks SQLite has settings.py's OPTIONS."""
        from django.db import connection

        with connection.cursor() as cursor:
            if self.server:
                cursor.execute("SHOW server_version")
                return f"PostgreSQL {cursor.fetchone()[0]} (a throwaway cluster)"
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
        mode = connection.settings_dict["OPTIONS"].get("transaction_mode")
        if (journal, mode) != ("wal", "IMMEDIATE"):
            raise RuntimeError(f"expected settings.py's WAL + IMMEDIATE, got {journal} + {mode}")
        connection.close()  # the last connection to close checkpoints the WAL into the file
        return f"SQLite ({journal}, {mode}) in {self.tmpdir}"

    def _admin(self, statement: str) -> None:
        """One statement on the cluster's own database, outside a transaction."""
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as admin:
            admin.execute(statement)


def load_average() -> str:
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


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
    parser.add_argument(
        "--postgres", action="store_true", help="on a throwaway PostgreSQL (scripts/with-postgres)"
    )
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time with this process's CPU time, not the wall clock (a busy machine; see benchlib)",
    )
    args = parser.parse_args()
    server = os.environ.get("DATABASE_URL", "") if args.postgres else None
    if server is not None and not server.startswith("postgres"):
        # Start again inside a throwaway cluster, which is removed afterwards.
        command = [str(SCRIPTS / "with-postgres"), sys.executable, *sys.argv]
        os.execv(command[0], command)

    started = time.perf_counter()
    tmpdir = Path(tempfile.mkdtemp(prefix="twitchlog-bench-"))
    try:
        database = Database(tmpdir, server)
        configure(database)
        import benchlib
        from django.core.management import call_command

        if args.cpu:
            benchlib.clock = time.process_time

        database.create_fresh()
        call_command("migrate", verbosity=0)
        print(
            f"Twitchlog bench · {database.describe()} · DEBUG off · "
            f"median of {args.runs} timed runs per figure"
            + (" · CPU time of this process" if args.cpu else "")
            + f" · load average {load_average()}\n"
        )

        all_rows: list[benchlib.Row] = []
        failed = []
        for name in discover(args.names):
            module = importlib.import_module(name)
            section = name.removeprefix("bench_")
            print(f"== {getattr(module, 'TITLE', section)} ==")
            database.copy_fresh(section)
            ctx = benchlib.Context(
                tmpdir=tmpdir,
                runs=args.runs,
                verbose=args.verbose,
                profile=args.profile,
                database_url=database.url(section),
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
                database.use_fresh()
            for row in rows:
                row.section = section
            benchlib.print_table(rows)
            print(f"-- {section}: {time.perf_counter() - t0:.1f} s\n")
            all_rows += rows

        print("== Summary ==")
        benchlib.print_table(all_rows)
        misses = sum(r.ok is False for r in all_rows)
        print(
            f"\n{database.name}{' (CPU time)' if args.cpu else ''} · "
            f"load average {load_average()} · "
            f"{sum(r.ok is True for r in all_rows)} PASS, {misses} MISS"
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
