#!/usr/bin/env python
"""
Screenshots of every page in each language, at 320 and 390 px, light and dark, into a folder
(a new temporary one unless --out names one): to look at what translations and longer words
do to the pages.

Like scripts/lighthouse.py: production settings on a throwaway SQLite database with the demo
diary, gunicorn on a free 127.0.0.1 port, the system Chromium through Playwright. The two
pseudo-locales are switched on (PSEUDO_LOCALES=1): en-xa (accented, ~40 % longer) and ar-xb
(right to left). The logged-in pages are taken as the demo person with the language set on
their profile; the pages before login with the language cookie.

Usage: .venv/bin/python scripts/language_screenshots.py [--languages en-xa ar-xb de]
       [--widths 320 390] [--out DIR]        (default: every offered language and both pseudo)
Only ever talks to 127.0.0.1.
"""

from __future__ import annotations

import argparse
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
LOOPBACK = serve.LOOPBACK
SCROLL_THROUGH = """async () => {
    for (let y = 0; y < document.body.scrollHeight; y += 400) {
        window.scrollTo(0, y);
        await new Promise((done) => setTimeout(done, 60));
    }
    window.scrollTo(0, 0);
    await new Promise((done) => setTimeout(done, 300));
}"""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# (name, path) of the pages a person reaches; the visitors' pages are taken logged out.
PAGES = [
    ("log", "/"),
    ("history", "/episodes/"),
    ("trends", "/trends/"),
    ("report", "/report/"),
    ("about", "/report/about/"),
    ("function-check", "/report/checks/new/"),
    ("checkins", "/checkins/"),
    ("settings", "/settings/"),
    ("reminders", "/settings/reminders/"),
    ("two-step", "/settings/two-step/"),
    ("import", "/import/"),
    ("delete-account", "/settings/delete/"),
    ("not-found", "/no-such-page/"),
]
VISITOR_PAGES = [
    ("login", "/accounts/login/"),
    ("signup", "/accounts/signup/"),
    ("password-reset", "/accounts/password_reset/"),
    ("offline", "/offline/"),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--languages", nargs="*", help="codes (default: all offered)")
    parser.add_argument("--widths", nargs="*", type=int, default=[320, 390])
    parser.add_argument("--out", type=Path, help="folder for the PNGs (default: a new temp one)")
    return parser.parse_args()


def manage(*args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL
    )


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def speak(code: str) -> None:
    from diary.demo import DEMO_USERNAME
    from diary.models import Profile

    Profile.objects.filter(user__username=DEMO_USERNAME).update(language=code)


def shoot(browser, base: str, cookies: list[dict], pages, folder: Path, widths, tag: str) -> int:
    taken = 0
    for width in widths:
        for scheme in ("light", "dark"):
            context = browser.new_context(
                viewport={"width": width, "height": 844},
                device_scale_factor=1,
                is_mobile=True,
                has_touch=True,
                color_scheme=scheme,
                service_workers="block",
                timezone_id="Europe/London",
            )
            context.add_cookies([{**cookie, "url": base} for cookie in cookies])
            page = context.new_page()
            for name, path in pages:
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                # Trends draws a chart as it nears the screen: scroll down as a reader would.
                page.evaluate(SCROLL_THROUGH)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=folder / f"{tag}-{name}-{width}-{scheme}.png", full_page=True)
                taken += 1
            context.close()
    return taken


def main() -> None:
    args = parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("Chromium is missing: make system-deps")
    out = args.out or Path(tempfile.mkdtemp(prefix="twitchlog-screenshots-"))
    out.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        tmpdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="screenshots-")))
        database = tmpdir / "screenshots.sqlite3"
        os.environ.update(serve.production_env(database_url=f"sqlite:///{database}"))
        os.environ["PSEUDO_LOCALES"] = "1"
        # The demo's language is set between pages while Playwright's loop runs in this thread.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        manage("migrate", "--noinput")
        manage("collectstatic", "--noinput")
        manage("seed_demo", "--password", secrets.token_urlsafe(16))
        setup_django()
        from django.conf import settings
        from lighthouse import demo_session

        codes = args.languages or [code for code, _ in settings.LANGUAGES]
        session = {"name": settings.SESSION_COOKIE_NAME, "value": demo_session()}
        port = serve.free_port()
        stack.enter_context(serve.gunicorn(port, log=tmpdir / "gunicorn.log", workers=2))
        base = f"http://{LOOPBACK}:{port}"
        taken = 0
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            for code in codes:
                speak(code)
                taken += shoot(browser, base, [session], PAGES, out, args.widths, code)
                language = {"name": settings.LANGUAGE_COOKIE_NAME, "value": code}
                taken += shoot(browser, base, [language], VISITOR_PAGES, out, args.widths, code)
            browser.close()
    print(f"{taken} screenshots in {out}")


if __name__ == "__main__":
    main()
