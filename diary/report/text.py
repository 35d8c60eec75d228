"""
Text for the doctor summary: what a person typed, made printable, and the date and number
formats the report uses (in the active language: the report's, see report/__init__.py).

Every character that reaches the PDF must have a glyph in a bundled font (PDF/A forbids
printing the "missing glyph" box, and the PDF engine refuses to), so typed text is checked
against the fonts' character maps: control characters and anything neither DejaVu Sans (Latin,
Greek, Cyrillic, Arabic, Hebrew, …), the CJK fallback nor the emoji font can draw print as
U+FFFD, which DejaVu Sans has. Typed text goes into the layout as data, never as markup, so
nothing a person types can change the document.

Typed text is also made safe to put next to other text, whatever its script (`plain`,
`one_line`):
- it is isolated (U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL ISOLATE), so a name in
  Arabic or Hebrew keeps its own direction and never reorders the date or words printed after
  it; the direction controls a person typed are dropped, so none can end the isolation early;
- runs in a script other than Latin carry their language (a guess from the script: Arabic
  "ar", Hebrew "he", Chinese "zh", …), so a screen reader reading the PDF picks the right
  voice. They are marked in the string with private-use characters, which the layout
  (templates/diary/pdf/report.typ, `rich`) turns into `text(lang: …)`: LANG_START, the code,
  LANG_TEXT, the run, LANG_END. `unmarked()` removes the marks where no layout reads them
  (the PDF's metadata).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from fontTools.ttLib import TTFont

from diary import insights
from diary.lib import formats

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
# Regular, bold, the CJK fallback and the emoji font (monochrome outlines: PDF/A takes them).
FONT_FILES = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "WenQuanYiMicroHei.ttf",
    "NotoEmoji-Regular.ttf",
)

REPLACEMENT = "\ufffd"
FSI, PDI = "\u2068", "\u2069"
LANG_START, LANG_TEXT, LANG_END = "\ue000", "\ue001", "\ue002"
# C0 and C1 control characters, DEL and our own language marks (newline and tab are handled
# first): replaced. Typed direction controls (embeddings, overrides, isolates): dropped, the
# isolation around typed text does their job.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ue000-\ue002]")
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Characters with no glyph of their own that print right all the same: they join, select a
# variant or mark a direction (the shaping engine uses them and draws nothing).
_INVISIBLE = frozenset(
    [
        *(0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0xFE0E, 0xFE0F, 0x2068, 0x2069),
        *range(0xE0020, 0xE0080),  # emoji tag sequences (flags of England, Scotland, Wales)
    ]
)
# Emoji and the symbols people use as emoji: the layout draws them with the emoji font, even
# where DejaVu Sans has a glyph (it receives these ranges with the document).
EMOJI_RANGES = "\u231a\u231b\u23e9-\u23fa\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff"
_EMOJI = re.compile(f"[{EMOJI_RANGES}]")
# A run of characters with no break opportunity longer than this is given some (zero-width
# spaces), so a pasted URL or a long compound wraps inside its table cell.
LONG_WORD = 24
_LONG_WORD = re.compile(rf"[^\s\u200b]{{{LONG_WORD + 1},}}")


class CodePoints:
    """A set of code points as a bitmap: 136 KB for all of Unicode (a set of ints took ~8 MB)."""

    def __init__(self, points) -> None:
        self.bits = bytearray(0x110000 // 8)
        for point in points:
            self.bits[point >> 3] |= 1 << (point & 7)

    def __contains__(self, point: int) -> bool:
        return bool(self.bits[point >> 3] & (1 << (point & 7)))


@cache
def printable_codepoints() -> CodePoints:
    """Every code point one of the bundled fonts has a glyph for (read once per process)."""
    points: set[int] = set(_INVISIBLE)
    for name in FONT_FILES:
        font = TTFont(FONT_DIR / name, lazy=True)
        points.update(font.getBestCmap())
        font.close()
    return CodePoints(points)


def printable(text: str) -> str:
    """
    Text a person typed, made printable: newlines kept, tabs as spaces, direction controls
    dropped, and control characters and anything no bundled font can draw as U+FFFD.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    text = _CONTROL.sub(REPLACEMENT, text)
    if not text.isascii():
        text = _DIRECTION_CONTROLS.sub("", text)
        glyphs = printable_codepoints()
        text = "".join(c if c == "\n" or ord(c) in glyphs else REPLACEMENT for c in text)
    return _LONG_WORD.sub(_breakable, text)


def plain(text: str) -> str:
    """
    Text a person typed, ready to print among other text: printable(), without the spaces
    around it, its runs in other scripts marked with their language, and isolated.
    """
    return typed(printable(text).strip())


def typed(text: str) -> str:
    """Printable text as typed text: language runs marked, isolated (nothing when empty)."""
    if not text:
        return ""
    if text.isascii():
        return f"{FSI}{text}{PDI}"
    return f"{FSI}{mark_languages(text)}{PDI}"


def unmarked(text: str) -> str:
    """The text without its language marks (for the PDF's metadata, where no layout reads)."""
    if LANG_START not in text:
        return text
    return re.sub(f"{LANG_START}[^{LANG_TEXT}]*{LANG_TEXT}|{LANG_END}", "", text)


def _breakable(match: re.Match) -> str:
    word = match.group()
    return "\u200b".join(word[i : i + LONG_WORD] for i in range(0, len(word), LONG_WORD))


def one_line(text: str, limit: int | None = None) -> str:
    """Typed text on one line, cut to `limit` characters with an ellipsis; as plain()."""
    text = " ".join(printable(text).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return typed(text)


# Scripts whose runs are marked with a language, by code point range: the language is the one
# most people writing that script use (a screen reader needs a voice, not a certainty). Han
# is Japanese next to kana, Korean next to Hangul, Chinese otherwise.
_SCRIPTS: list[tuple[int, int, str]] = [
    (0x0370, 0x03FF, "el"),
    (0x1F00, 0x1FFF, "el"),
    (0x0400, 0x052F, "ru"),
    (0x0530, 0x058F, "hy"),
    (0x0590, 0x05FF, "he"),
    (0xFB1D, 0xFB4F, "he"),
    (0x0600, 0x06FF, "ar"),
    (0x0750, 0x077F, "ar"),
    (0x08A0, 0x08FF, "ar"),
    (0xFB50, 0xFDFF, "ar"),
    (0xFE70, 0xFEFF, "ar"),
    (0x10A0, 0x10FF, "ka"),
    (0x1100, 0x11FF, "ko"),
    (0x3130, 0x318F, "ko"),
    (0xAC00, 0xD7AF, "ko"),
    (0x3040, 0x30FF, "ja"),
    (0x31F0, 0x31FF, "ja"),
    (0x3400, 0x4DBF, "han"),
    (0x4E00, 0x9FFF, "han"),
    (0xF900, 0xFAFF, "han"),
    (0x20000, 0x3134F, "han"),
]
_UKRAINIAN = frozenset("ієїґІЄЇҐ")


def _script(char: str) -> str | None:
    """The language of a letter's script (None: Latin, or not a letter)."""
    point = ord(char)
    if point < 0x0370 or not unicodedata.category(char).startswith("L"):
        return None
    for start, end, lang in _SCRIPTS:
        if start <= point <= end:
            return lang
    return None


def language_runs(text: str) -> list[tuple[str, str | None]]:
    """
    The text cut into runs with their language (None: Latin or unmarked). A run starts and
    ends with a letter of its script; the spaces and punctuation between its letters belong
    to it, those around it do not.
    """
    scripts = [_script(c) for c in text]
    found = set(scripts) - {None}
    if not found:
        return [(text, None)]
    if "han" in found:
        han = "ja" if "ja" in found else "ko" if "ko" in found else "zh"
        scripts = [han if lang == "han" else lang for lang in scripts]
    runs: list[tuple[str, str | None]] = []
    plain_from = i = 0
    while i < len(text):
        lang = scripts[i]
        if lang is None:
            i += 1
            continue
        end = j = i
        while j < len(text) and (scripts[j] == lang or not _is_letter(text[j])):
            if scripts[j] == lang:
                end = j
            j += 1
        if plain_from < i:
            runs.append((text[plain_from:i], None))
        code = lang
        if code == "ru" and _UKRAINIAN.intersection(text[i : end + 1]):
            code = "uk"
        runs.append((text[i : end + 1], code))
        plain_from = i = end + 1
    if plain_from < len(text):
        runs.append((text[plain_from:], None))
    return runs


def _is_letter(char: str) -> bool:
    return unicodedata.category(char).startswith("L")


def mark_languages(text: str) -> str:
    """The text with its runs in other scripts marked (see the module's docstring)."""
    return "".join(
        f"{LANG_START}{lang}{LANG_TEXT}{run}{LANG_END}" if lang else run
        for run, lang in language_runs(text)
    )


@dataclass(frozen=True)
class FontMetrics:
    """DejaVu Sans's widths by character: advances, the pairs kerning widens, units per em."""

    advances: dict[int, int]
    widening: dict[tuple[int, int], int]
    units: int


@cache
def font_metrics() -> FontMetrics:
    font = TTFont(FONT_DIR / "DejaVuSans.ttf", lazy=True)
    cmap = font.getBestCmap()
    metrics = font["hmtx"]
    advances = {point: metrics[glyph][0] for point, glyph in cmap.items()}
    points: dict[str, list[int]] = defaultdict(list)
    for point, glyph in cmap.items():
        points[glyph].append(point)
    widening = {
        (left, right): value
        for (first, second), value in _positive_kerning(font).items()
        for left in points[first]
        for right in points[second]
    }
    units = font["head"].unitsPerEm
    font.close()
    return FontMetrics(advances, widening, units)


def kern_pair_tables(font: TTFont) -> Iterator:
    """The font's pair-kerning subtables (GPOS lookups of the "kern" feature, type 2)."""
    gpos = font["GPOS"].table
    indexes = {
        index
        for record in gpos.FeatureList.FeatureRecord
        if record.FeatureTag == "kern"
        for index in record.Feature.LookupListIndex
    }
    for index in indexes:
        lookup = gpos.LookupList.Lookup[index]
        for table in lookup.SubTable:
            table = table.ExtSubTable if lookup.LookupType == 9 else table
            if table.LookupType == 2:
                yield table


def _positive_kerning(font: TTFont) -> dict[tuple[str, str], int]:
    """The glyph pairs the font's kerning moves apart (most pairs it moves together)."""
    found: dict[tuple[str, str], int] = {}

    def widen(pair: tuple[str, str], value) -> None:
        advance = getattr(value, "XAdvance", 0) or 0
        if advance > 0:
            found[pair] = max(advance, found.get(pair, 0))

    for table in kern_pair_tables(font):
        if table.Format == 1:
            for first, pairs in zip(table.Coverage.glyphs, table.PairSet, strict=True):
                for record in pairs.PairValueRecord:
                    widen((first, record.SecondGlyph), record.Value1)
            continue
        lefts = defaultdict(list)
        for glyph in table.Coverage.glyphs:
            lefts[table.ClassDef1.classDefs.get(glyph, 0)].append(glyph)
        rights = defaultdict(list)  # class 0 (all other glyphs) never widens in DejaVu
        for glyph, number in table.ClassDef2.classDefs.items():
            rights[number].append(glyph)
        for i, row in enumerate(table.Class1Record):
            for j, cell in enumerate(row.Class2Record):
                for first in lefts[i]:
                    for second in rights[j]:
                        widen((first, second), cell.Value1)
    return found


def has_emoji(text: str) -> bool:
    """Whether `text` has a character the layout draws with the emoji font (EMOJI_RANGES)."""
    return not text.isascii() and _EMOJI.search(text) is not None


def one_line_fits(text: str, width: float, size: float) -> bool:
    """
    Whether `text` surely prints on one line `width` points wide in DejaVu Sans at `size`
    points: no line break, no run marked with another language, no emoji, every character
    DejaVu's, and its width at most the width. The width counted is an upper bound of what
    Typst's shaping gives: every advance, plus every pair the font's kerning moves apart
    (ligatures and the pairs kerning moves together only make it narrower). False when in
    doubt: the layout then measures the line itself.
    """
    units = _widest(text)
    # A hair of room for rounding: the layout works in finer units than these.
    return units is not None and units * size / font_metrics().units <= width - 0.01


# A log's cells repeat (durations, sites, strengths, triggers), and each table's cells are
# asked about twice when the table is laid out on a page turned sideways: a full log's
# distinct cells fit.
@lru_cache(maxsize=8192)
def _widest(text: str) -> int | None:
    """The upper bound of `text`'s width on one line in font units (None: not surely one line)."""
    if "\n" in text or LANG_START in text or (not text.isascii() and _EMOJI.search(text)):
        return None
    metrics = font_metrics()
    total = 0
    previous = None
    for char in text:
        if char in (FSI, PDI):
            continue  # the isolates print nothing
        point = ord(char)
        advance = metrics.advances.get(point)
        if advance is None:
            return None
        total += advance + metrics.widening.get((previous, point), 0)
        previous = point
    return total


def fmt_date(day: date | None) -> str:
    return formats.day_month_year(day) if day else "—"


def fmt_short(day: date) -> str:
    return formats.day_month(day)


def fmt_period(period: insights.Period) -> str:
    return _("%(first)s – %(last)s") % {
        "first": fmt_date(period.first),
        "last": fmt_date(period.last),
    }


def when_words() -> str:
    """How fmt_when puts a day and a time together, in the active language."""
    return pgettext("a date and a time in the PDF's lists", "%(day)s %(time)s")


def fmt_when(instant: datetime, zone: ZoneInfo, words: str | None = None) -> str:
    """
    '29 Mar 2026 19:10': compact, for the PDF's lists (its columns are narrow). `words` is
    when_words(), for a caller printing many (a full log).

    The day and the time are formatted as a date and a wall-clock time of their own, which
    the formats keep: a log of thousands of episodes has a few hundred days and hours.
    """
    local = instant.astimezone(zone)
    return (words or when_words()) % {
        "day": formats.day_month_year(local.date()),
        "time": formats.clock_time(local.time().replace(second=0, microsecond=0)),
    }


def fmt_number(value: float | None) -> str:
    if value is None:
        return "—"
    return formats.number(value) if isinstance(value, float) else str(value)
