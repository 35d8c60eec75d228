#!/usr/bin/env python
"""
`make example-pdf`: the example doctor summary in docs/, built from the demo data.

Builds docs/example-summary.pdf from 12 weeks of diary.demo's story and its daily check-ins (a
throwaway SQLite database, a fixed seed, end date and creation date, so the file only changes
when the code does) and renders its page 1 to docs/example-summary-page1.png with poppler's
pdftoppm. Look at the PNG after any change to diary/report/ or templates/diary/pdf/: a
clinician should be able to read it in a minute.

Usage: scripts/example_pdf.py [--out DIR] [--full] [--language de]
(with --language, the files are named example-summary-<language>…)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
END = date(2026, 5, 24)  # a Sunday: the period is 12 whole ISO weeks


def configure(tmpdir: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "twitchlog.settings",
            "DATABASE_URL": f"sqlite:///{tmpdir / 'example.sqlite3'}",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(out: Path, *, full: bool, language: str | None = None) -> Path:
    from diary import demo, insights, report
    from diary.demo import generate_check_ins
    from diary.models import FUNCTION_TASKS, FunctionCheck

    zone = ZoneInfo(demo.DEMO_TIMEZONE)
    user, _ = demo.create_demo_user()
    end = datetime.combine(END, time(22, 30), tzinfo=zone)
    demo.generate_episodes(user, weeks=12, seed=demo.DEFAULT_SEED, end=end)
    # The same days' check-ins, for the "Daily exposures" table on page 2.
    generate_check_ins(user, weeks=12, seed=demo.DEFAULT_SEED, end=end)
    demo.fill_about(user)  # medicines and tests done included
    profile = user.profile
    profile.questions = (
        "Is an EMG useful at this point?\nShould I cut down on coffee, and for how long?"
    )
    profile.save()
    no = dict.fromkeys(FUNCTION_TASKS, False)
    FunctionCheck.objects.create(user=user, date=date(2026, 5, 3), **no)
    FunctionCheck.objects.create(
        user=user,
        date=date(2026, 5, 21),
        **no | {"grip": True, "handwriting": None, "breathing": None},  # two left unanswered
        grip_note="Jar lids feel harder after a long day",
        note="Calf feels tired on the stairs after running",
    )
    period = insights.Period.last_weeks(12, END, zone)
    target = out / (f"example-summary-{language}.pdf" if language else "example-summary.pdf")
    # A fixed creation date too, so the file only changes when the code does.
    created = datetime.combine(END + timedelta(days=1), time(9, 0), tzinfo=zone)
    made = created.date()  # the morning after: the last week is over, not "so far"
    target.write_bytes(
        report.build_pdf(
            user, period, today=made, full_log=full, created=created, language=language
        )
    )
    return target


def render_page_one(source: Path) -> Path:
    if shutil.which("pdftoppm") is None:
        sys.exit("pdftoppm is missing: apt-get install poppler-utils")
    stem = source.with_name(source.stem + "-page1")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", source, stem],
        check=True,
    )
    return stem.with_suffix(".png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--full", action="store_true", help="include the full episode log")
    parser.add_argument("--language", help="a language code of settings.LANGUAGES (default: en)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="twitchlog-example-") as tmp:
        configure(Path(tmp))
        source = build(args.out, full=args.full, language=args.language)
    png = render_page_one(source)
    print(f"Wrote {source} and {png}")


if __name__ == "__main__":
    main()
