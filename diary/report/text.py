"""
Text for the doctor summary: what a person typed, made printable, and the date and number
formats the report uses.

Every character that reaches the PDF must have a glyph in a bundled font (PDF/A forbids
printing the "missing glyph" box, and the PDF engine refuses to), so typed text is checked
against the fonts' character maps: control characters and anything neither DejaVu Sans nor the
CJK fallback can draw print as U+FFFD, which DejaVu Sans has. Typed text goes into the layout
as data, never as markup, so nothing a person types can change the document.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from fontTools.ttLib import TTFont

from diary import insights

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
# Regular, bold and the CJK fallback, in the order the layout asks for them.
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "WenQuanYiMicroHei.ttf")

REPLACEMENT = "\ufffd"
# C0 and C1 control characters and DEL (newline and tab are handled first).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# A run of characters with no break opportunity longer than this is given some (zero-width
# spaces), so a pasted URL or a long compound wraps inside its table cell.
LONG_WORD = 24
_LONG_WORD = re.compile(rf"[^\s\u200b]{{{LONG_WORD + 1},}}")


@cache
def printable_codepoints() -> frozenset[int]:
    """Every code point one of the bundled fonts has a glyph for (read once per process)."""
    points: set[int] = set()
    for name in FONT_FILES:
        font = TTFont(FONT_DIR / name, lazy=True)
        points.update(font.getBestCmap())
        font.close()
    return frozenset(points)


def plain(text: str) -> str:
    """
    Text a person typed, made printable: newlines kept, tabs as spaces, and control characters
    and anything no bundled font can draw as U+FFFD.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    text = _CONTROL.sub(REPLACEMENT, text)
    if not text.isascii():
        glyphs = printable_codepoints()
        text = "".join(c if c == "\n" or ord(c) in glyphs else REPLACEMENT for c in text)
    return _LONG_WORD.sub(_breakable, text)


def _breakable(match: re.Match) -> str:
    word = match.group()
    return "\u200b".join(word[i : i + LONG_WORD] for i in range(0, len(word), LONG_WORD))


def one_line(text: str, limit: int | None = None) -> str:
    """Typed text on one line, cut to `limit` characters with an ellipsis."""
    text = " ".join(plain(text).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def fmt_date(day: date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else "—"


def fmt_short(day: date) -> str:
    return f"{day.day} {day:%b}"


def fmt_period(period: insights.Period) -> str:
    return f"{fmt_date(period.first)} – {fmt_date(period.last)}"


def fmt_when(instant: datetime, zone: ZoneInfo) -> str:
    local = instant.astimezone(zone)
    return f"{local.day} {local:%b %Y} {local:%H:%M}"


def fmt_number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}" if isinstance(value, float) else str(value)


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (words or word + 's')}"
