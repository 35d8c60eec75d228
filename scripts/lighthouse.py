#!/usr/bin/env python
"""
`make lighthouse`: Lighthouse (mobile) on the Log page and Trends, as a logged-in phone sees them.

With production settings (DEBUG=0, a generated SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, no TLS
redirect on loopback) on a throwaway SQLite database, this script:
1. migrates, creates the cache table, collects static files and loads the demo data
   (`manage.py seed_demo`: 12 weeks of episodes);
2. makes a session for the demo user (no login form, nothing to type);
3. starts gunicorn on a free 127.0.0.1 port: compression and caching headers as users get them,
   which the development server does not give;
4. runs npm's lighthouse (package.json pins it) with the system Chromium on each page, the
   session cookie sent as a header, and prints performance, total blocking time, CLS,
   accessibility and best practices.

Chart.js is served from the vendored copy (CHARTJS_URL=local): the machine running this may
have no internet, and a CDN that does not answer would only measure the fallback's patience.
Lighthouse simulates a slow phone (4x CPU slowdown) on top of whatever this machine is doing:
on a busy machine the performance score and TBT come out worse than on a quiet one.

Usage: .venv/bin/python scripts/lighthouse.py [--runs 1] [--language de] [PATH ...]
(default: / /trends/, in English; --language en-xa for the longer pseudo-locale)
Only ever talks to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import serve

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
LOOPBACK = serve.LOOPBACK
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
    " --disable-background-networking --disable-component-update --disable-sync"
)
TARGETS = {"performance": 95, "tbt_ms": 200}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=["/", "/trends/"])
    parser.add_argument("--runs", type=int, default=1, help="runs a page (the median is shown)")
    parser.add_argument("--reports", type=Path, help="keep the JSON reports in this folder")
    parser.add_argument(
        "--language",
        help="the demo person's language (en-xa, ar-xb: the pseudo-locales; de once offered)",
    )
    return parser.parse_args()


def manage(*args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL
    )


def demo_session() -> str:
    """A session key for the demo account, made directly in the session store."""
    sys.path.insert(0, str(ROOT))  # run as scripts/lighthouse.py: the project is one level up
    import django

    django.setup()
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from diary.demo import DEMO_USERNAME

    user = get_user_model().objects.get(username=DEMO_USERNAME)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def lighthouse(url: str, cookie: str, report: Path) -> dict:
    """One Lighthouse run; the figures this script prints."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("Chromium is missing: make system-deps")
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--form-factor=mobile",
            "--only-categories=performance,accessibility,best-practices",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={CHROME_FLAGS}",
            f"--extra-headers={json.dumps({'Cookie': f'sessionid={cookie}'})}",
            "--quiet",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": chromium},
    )
    result = json.loads(report.read_text())
    if result["finalDisplayedUrl"].split("?")[0] != url:
        sys.exit(f"{url} ended at {result['finalDisplayedUrl']}: not logged in?")
    categories, audits = result["categories"], result["audits"]
    return {
        "performance": round(100 * categories["performance"]["score"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "accessibility": round(100 * categories["accessibility"]["score"]),
        "best_practices": round(100 * categories["best-practices"]["score"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
    }


def median_run(runs: list[dict]) -> dict:
    return sorted(runs, key=lambda run: run["performance"])[len(runs) // 2]


def main() -> None:
    args = parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `npm ci`.")
    with ExitStack() as stack:
        tmpdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lighthouse-")))
        database = tmpdir / "lighthouse.sqlite3"
        os.environ.update(serve.production_env(database_url=f"sqlite:///{database}"))
        os.environ["PSEUDO_LOCALES"] = "1" if args.language else "0"
        manage("migrate", "--noinput")
        manage("collectstatic", "--noinput")
        manage("seed_demo", "--password", secrets.token_urlsafe(16))
        cookie = demo_session()
        if args.language:
            from diary.demo import DEMO_USERNAME
            from diary.models import Profile

            Profile.objects.filter(user__username=DEMO_USERNAME).update(language=args.language)
        port = serve.free_port()
        stack.enter_context(serve.gunicorn(port, log=tmpdir / "gunicorn.log", workers=2))
        print(f"\nLighthouse mobile ({args.runs} run(s) a page; a busy machine scores lower)")
        print(f"{'page':<12}{'perf':>6}{'TBT ms':>8}{'CLS':>7}{'LCP ms':>8}{'a11y':>6}{'b-p':>5}")
        for path in args.paths:
            url = f"http://{LOOPBACK}:{port}{path}"
            folder = args.reports or tmpdir
            folder.mkdir(parents=True, exist_ok=True)
            name = path.strip("/").replace("/", "-") or "log"
            runs = [lighthouse(url, cookie, folder / f"{name}-{i}.json") for i in range(args.runs)]
            r = median_run(runs)
            print(
                f"{path:<12}{r['performance']:>6}{r['tbt_ms']:>8}{r['cls']:>7}{r['lcp_ms']:>8}"
                f"{r['accessibility']:>6}{r['best_practices']:>5}"
            )
        print(f"targets: performance >= {TARGETS['performance']}, TBT <= {TARGETS['tbt_ms']} ms")


if __name__ == "__main__":
    main()
