"""
Rows whose lines are counted (diary/report/blocks.py, text.one_line_fits, lines.py): the
layout gives a table row whose cells' lines are surely known the height of that many lines
instead of measuring it, which makes a long log much faster to lay out. It must never change
what is printed: the pages with and without it are the same images, pixel for pixel.
"""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime

import pytest

from diary import insights, report
from diary.demo import generate_episodes
from diary.report import blocks
from diary.report.lines import lines_needed
from diary.report.text import FSI, PDI, one_line_fits, plain
from tests.factories import EpisodeFactory, UserFactory
from tests.test_pdf import LONDON, at

pytestmark = pytest.mark.django_db

CREATED = datetime(2026, 4, 2, 12, tzinfo=UTC)
# Cells that test the width count: kerning that widens (A A, -J), accents, a note that only
# just fits its column or only just does not, and ones that wrap.
EDGES = [
    "AAAA AVAV -J -G -O «Ä» ÅÅÅÅ",
    "Voilà: café crème, naïve façade",
    "x" * 44,
    "x" * 45,
    "A long note that certainly wraps over more than one line in the note column of the log.",
    "Short.",
    "Coffee, stiff waffles and fluffy office chairs: affine, fiery, flat.",
    *(" ".join(["Word", "wrapping"] * n) + "." for n in range(3, 12)),
    *("Mm " * n + "iii" for n in range(10, 16)),
]


def pages_as_png(content: bytes, directory, name: str) -> list[bytes]:
    source = directory / f"{name}.pdf"
    source.write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", source, directory / name],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return [path.read_bytes() for path in sorted(directory.glob(f"{name}-*.png"))]


def test_pdf_rows_given_their_lines_print_exactly_as_measured_rows(tmp_path, monkeypatch):
    user = UserFactory(timezone="Europe/London")
    user.profile.display_name = "Anna Ångström"
    user.profile.save()
    end = datetime(2026, 3, 29, 21, tzinfo=LONDON)
    generate_episodes(user, weeks=4, per_week=80, seed=5, end=end)
    for day, note in enumerate(EDGES, start=2):
        EpisodeFactory(user=user, started_at=at(f"2026-03-{day:02} 09:15"), notes=note)
    period = insights.Period(first=date(2026, 3, 2), last=date(2026, 3, 29), zone=LONDON)

    def build() -> tuple[dict, bytes]:
        data = report.collect(user, period, today=date(2026, 4, 2), full_log=True)
        document = report.document(data)
        return document, report.render(document, created=CREATED)

    document, fast = build()
    # The full log is the table on the pages turned sideways.
    [sideways] = [block for block in document["blocks"] if block["kind"] == "landscape"]
    log = next(block for block in sideways["blocks"] if block["kind"] == "table")
    assert log["header"][0] == "When"
    assert len(log["rows"]) > 300
    assert log["lines"].count(1) > len(log["rows"]) / 2  # most rows are one line
    assert log["lines"].count(2) > 20  # many are two, or three
    assert log["lines"].count(3) > 0
    assert log["lines"].count(0) > 0  # the rest are measured

    monkeypatch.setattr(blocks, "lines_needed", lambda *args: None)
    _, measured = build()
    fast_pages = pages_as_png(fast, tmp_path, "fast")
    measured_pages = pages_as_png(measured, tmp_path, "measured")
    assert len(fast_pages) == len(measured_pages) > 5
    for number, (one, other) in enumerate(zip(fast_pages, measured_pages, strict=True), 1):
        assert one == other, f"page {number} differs"


def test_pdf_one_line_fits_counts_every_advance_and_widening_pair():
    # DejaVu Sans, 2048 units an em: "x" advances 1212, "A" 1401, and kerning moves the pair
    # "A" "A" 57 apart. At 8 pt ten "x" are 47.34 pt; "AAAA" is 21.89 pt plus 0.67 pt.
    assert one_line_fits("x" * 10, 47.36, 8)
    assert not one_line_fits("x" * 10, 47.3, 8)
    assert not one_line_fits("AAAA", 21.95, 8)  # fits by the advances alone, not with kerning
    assert one_line_fits("AAAA", 22.58, 8)


def test_pdf_one_line_fits_says_no_when_in_doubt():
    assert not one_line_fits("two\nlines", 500, 8)
    assert not one_line_fits("coffee ☕", 500, 8)  # drawn by the emoji font
    assert not one_line_fits(plain("Ελληνικά"), 500, 8)  # a run in its language
    assert not one_line_fits("小腿", 500, 8)  # not DejaVu's
    assert one_line_fits(f"{FSI}Anna{PDI}", 500, 8)  # the isolates print nothing


def test_pdf_tables_without_emoji_print_the_same_without_the_emoji_rule(monkeypatch):
    """
    A table with no character of the emoji ranges is printed without the rule that keeps
    DejaVu Sans from drawing them (the rule costs time on every run of text): the PDF is the
    same, byte for byte, as with the rule.
    """
    user = UserFactory(timezone="Europe/London")
    end = datetime(2026, 3, 29, 21, tzinfo=LONDON)
    generate_episodes(user, weeks=4, per_week=40, seed=5, end=end)
    EpisodeFactory(user=user, started_at=at("2026-03-03 09:15"), notes="Coffee ☕ then this.")
    period = insights.Period(first=date(2026, 3, 2), last=date(2026, 3, 29), zone=LONDON)
    data = report.collect(user, period, today=date(2026, 4, 2), full_log=True)
    document = report.document(data)

    def tables(blocks_: list[dict]) -> list[dict]:
        found = []
        for block in blocks_:
            if block["kind"] == "table":
                found.append(block)
            for key in ("blocks", "left", "right"):
                found += tables(block.get(key, []))
        return found

    found = tables(document["blocks"])
    with_emoji = [table for table in found if table["emoji"]]
    assert len(with_emoji) == 2  # the notes and the log; the other tables have none
    assert len(found) > 5
    without_rule = report.render(document, created=CREATED)
    for table in found:
        table["emoji"] = True
    assert report.render(document, created=CREATED) == without_rule


def test_pdf_lines_needed_counts_only_what_is_sure():
    room = 28 * blocks.PT_PER_MM - 2 * blocks.CELL_INSET_PT  # the log's Triggers column
    assert lines_needed("Stress", room, 8) == 1
    assert lines_needed(f"{FSI}Caffeine{PDI}, {FSI}Lack of sleep{PDI}", room, 8) == 2
    assert lines_needed("Caffeine, Lack of sleep, Stress, Alcohol", room, 8) == 3
    assert lines_needed("Supercalifragilistic expialidocious", 20, 8) == 2  # one word a line
    assert lines_needed("two\nlines", room, 8) is None
    assert lines_needed("coffee ☕ and more words than fit on one line", room, 8) is None
    assert lines_needed("a-b a-b a-b a-b a-b a-b a-b a-b a-b a-b", room, 8) is None  # a hyphen
