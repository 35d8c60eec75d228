"""
Any script prints in the doctor summary (diary/report/text.py, the layout's fonts): emoji come
from the bundled emoji font and come back out of the PDF as typed; a display name mixing
Chinese, Arabic and an emoji keeps the date after it in order (typed text is isolated); runs
in other scripts are marked with their language for screen readers; two paragraphs in a row
never run together. Read back with poppler's pdftotext (it honours ActualText) and pikepdf.
"""

from __future__ import annotations

import io
import re
import subprocess
from collections import Counter
from datetime import date

import pikepdf
import pytest

from diary import report
from diary.models import FunctionCheck, Trigger
from diary.report.text import (
    FSI,
    LANG_END,
    LANG_START,
    LANG_TEXT,
    PDI,
    language_runs,
    one_line,
    plain,
    printable,
    unmarked,
)
from tests.factories import EpisodeFactory, UserFactory
from tests.test_pdf import ISOLATES, PERIOD, TODAY, at, lines
from tests.test_pdf_standards import structure

pytestmark = pytest.mark.django_db

EMOJI_NOTE = "Twitching after 🏃‍♀️ run ☕☕ and 🍷 — felt 😬 💪 (emoji test 👍🏽)"
MIXED_NAME = "王小明 محمد علي 😀"
HEBREW_NOTE = "עווית בשריר השוק אחרי ריצה"
PERIOD_TEXT = "2 Mar 2026 – 29 Mar 2026"


def pdftotext(path, *args: str) -> str:
    """The PDF's text as poppler reads it, without the invisible isolates."""
    command = ["pdftotext", *args, str(path), "-"]
    out = subprocess.run(command, check=True, capture_output=True, text=True, timeout=60).stdout
    return out.translate(ISOLATES)


@pytest.fixture
def scripts_pdf(tmp_path):
    """A summary whose name, notes and own trigger are in other scripts and emoji."""
    user = UserFactory(timezone="Europe/London")
    user.profile.display_name = MIXED_NAME
    user.profile.medicines = "Magnesium 💊 مساءً"
    user.profile.save()
    coffee = Trigger.objects.create(user=user, name="☕ قهوة", slug="coffee-own")
    EpisodeFactory(
        user=user, started_at=at("2026-03-03 10:00"), notes=EMOJI_NOTE, triggers=[coffee]
    )
    EpisodeFactory(user=user, started_at=at("2026-03-04 10:00"), notes=HEBREW_NOTE)
    FunctionCheck.objects.create(user=user, date=date(2026, 3, 9))
    path = tmp_path / "scripts.pdf"
    path.write_bytes(report.build_pdf(user, PERIOD, today=TODAY, full_log=True))
    return path


def glyphs_by_font(content: bytes) -> Counter[str]:
    """How many glyphs each font draws in the PDF (two-byte glyph ids: Identity-H)."""
    drawn: Counter[str] = Counter()
    with pikepdf.open(io.BytesIO(content)) as pdf:
        for page in pdf.pages:
            font = ""
            for operands, operator in pikepdf.parse_content_stream(page):
                if operator == pikepdf.Operator("Tf"):
                    font = str(page.Resources.Font[operands[0]].BaseFont).split("+")[-1]
                elif operator == pikepdf.Operator("Tj"):
                    drawn[font] += len(bytes(operands[0])) // 2
                elif operator == pikepdf.Operator("TJ"):
                    drawn[font] += sum(
                        len(bytes(part)) // 2
                        for part in operands[0]
                        if isinstance(part, pikepdf.String)
                    )
    return drawn


def test_pdf_prints_every_emoji_and_gives_the_text_back(tmp_path):
    """
    The seven emoji of the line, as a person sees them, are seven glyphs of the emoji font:
    the running woman is one (a joined sequence), the cups are emoji too, not DejaVu's
    symbols. And the text comes back as typed.
    """
    user = UserFactory(timezone="Europe/London")
    EpisodeFactory(user=user, started_at=at("2026-03-03 10:00"), notes=EMOJI_NOTE)
    content = report.build_pdf(user, PERIOD, today=TODAY)
    assert glyphs_by_font(content)["NotoEmoji-Regular"] == 7
    path = tmp_path / "emoji.pdf"
    path.write_bytes(content)
    text = pdftotext(path)
    assert EMOJI_NOTE in text  # the episodes with notes: the whole note, as typed
    assert "\ufffd" not in text  # nothing fell back to the replacement character


def test_pdf_emoji_and_other_scripts_in_names_triggers_and_notes(scripts_pdf):
    text = " ".join(pdftotext(scripts_pdf).split())
    assert "☕ قهوة" in text or "قهوة ☕" in text  # the own trigger, in the log and on page 1
    assert "Magnesium 💊" in text
    assert "王小明" in text


def test_pdf_footer_date_stays_in_order_after_a_right_to_left_name(scripts_pdf):
    """
    The footer ends "<name> · <period>": the name's Arabic must not pull the date into its
    right-to-left run. Read in the order the page draws it (left to right: pdftotext -raw).
    """
    pages = pdftotext(scripts_pdf, "-raw").split("\f")[:-1]
    assert len(pages) >= 3
    for page in pages:
        # The footer's last line (on a page turned sideways the whole footer is one line).
        footer = next(line for line in page.splitlines() if "王小明" in line and " · " in line)
        assert f"😀 · {PERIOD_TEXT}" in footer, footer


def test_pdf_marks_runs_in_other_scripts_with_their_language(scripts_pdf):
    """
    Typst puts the language on the structure element when a whole paragraph or cell is in it,
    and on the marked content of the run otherwise: either tells a screen reader the voice.
    """
    langs = set()
    with pikepdf.open(scripts_pdf) as pdf:
        assert pdf.Root.Lang == "en"
        langs |= {str(element.Lang) for element in structure(pdf) if "/Lang" in element}
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if operator == pikepdf.Operator("BDC") and isinstance(
                    operands[1], pikepdf.Dictionary
                ):
                    lang = operands[1].get("/Lang")
                    if lang is not None:
                        langs.add(str(lang))
    assert {"zh", "ar", "he"} <= langs


def test_pdf_paragraphs_in_a_row_stay_apart():
    """
    Sentences of paragraphs printed one after the other never run together ("…9 Mar
    2026.Nothing was marked …" once did): a full stop is always followed by a space.
    """
    user = UserFactory(timezone="Europe/London")
    FunctionCheck.objects.create(user=user, date=date(2026, 3, 9))
    content = report.build_pdf(user, PERIOD, today=TODAY)
    text = " ".join(lines(content_text(content)))
    assert "Latest check in the period: 9 Mar 2026" in text
    assert not re.search(r"[a-z0-9]\.[A-Z]", text), text


def content_text(content: bytes) -> str:
    from tests.test_pdf import pages_text

    return pages_text(content)[0]


# --- the text functions ---


def test_text_isolates_typed_text_and_drops_typed_direction_controls():
    assert plain("  Zofia  ") == f"{FSI}Zofia{PDI}"
    assert plain("") == ""
    # A typed PDI or override would end our isolation early: dropped (they print nothing).
    assert plain("a\u2069b\u202ec\u2066d") == f"{FSI}abcd{PDI}"
    assert one_line("x\ny", 10) == f"{FSI}x y{PDI}"


def test_text_keeps_joiners_and_emoji_modifiers_printable():
    assert printable(EMOJI_NOTE) == EMOJI_NOTE
    assert printable("flag 🏴󠁧󠁢󠁳󠁣󠁴󠁿") == "flag 🏴󠁧󠁢󠁳󠁣󠁴󠁿"  # a tag sequence
    assert printable("\ue000private") == "\ufffdprivate"  # our own marks cannot be typed


def test_text_language_runs_by_script():
    assert language_runs(MIXED_NAME) == [
        ("王小明", "zh"),
        (" ", None),
        ("محمد علي", "ar"),
        (" 😀", None),
    ]
    assert language_runs("ふくらはぎ 小腿") == [("ふくらはぎ 小腿", "ja")]
    assert language_runs("종아리 小腿") == [("종아리 小腿", "ko")]
    assert language_runs("кофе і чай") == [("кофе і чай", "uk")]
    assert language_runs("Zażółć, Ελληνικά!") == [
        ("Zażółć, ", None),
        ("Ελληνικά", "el"),
        ("!", None),
    ]
    assert language_runs("plain") == [("plain", None)]


def test_text_marks_and_unmarks_languages():
    marked = plain("Dr שרה")
    assert marked == f"{FSI}Dr {LANG_START}he{LANG_TEXT}שרה{LANG_END}{PDI}"
    assert unmarked(marked) == f"{FSI}Dr שרה{PDI}"
