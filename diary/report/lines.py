"""
How many lines a table cell surely takes, so that the layout need not measure its row
(blocks.py gives a row whose cells all have a sure count that many lines' height; a row the
layout measures is laid out two or three times, and a long log has hundreds of them).

A cell of words (Latin letters, digits, spaces and punctuation that offers no break, in
DejaVu Sans) wraps only after a space, and Typst fills a line of text that is not justified
greedily: as many words as fit, then the next line. A line's width is not known exactly here
(kerning, ligatures, isolates that may split runs), but it lies between two bounds: every
advance plus each pair the font's kerning moves apart (`text._widest`), and every advance less
the most kerning may move each pair together (in any of the font's pair tables, its letters
drawn alone or in a ligature) and what a ligature saves.
Greedy filling needs no fewer lines for wider words, so when the two bounds give the same
count, that is the count. Otherwise, or for any other cell (a line break, another script, an
emoji), there is no count: the layout measures that row itself. tests/test_pdf_rows.py holds
the pages the same either way.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from fontTools.ttLib import TTFont

from diary.report.text import (
    FONT_DIR,
    FSI,
    PDI,
    font_metrics,
    kern_pair_tables,
    one_line_fits,
)

# What a cell may hold for its lines to be counted: Latin letters and digits, spaces, the
# isolates and punctuation that offers no break.
_WORDS = re.compile("[0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f ,.:;'\u2019\u2068\u2069]+")
# DejaVu Sans draws these as one glyph each, at most as wide as their letters.
LIGATURES = {"ffi": "uniFB03", "ffl": "uniFB04", "ff": "uniFB00", "fi": "fi", "fl": "fl"}
# A break opportunity: after a run of spaces.
_PIECES = re.compile(r"[^ ]+ *| +")


def lines_needed(text: str, width: float, size: float) -> int | None:
    """
    How many lines `text` prints on in a cell `width` points wide at `size` points, when that
    is sure (None when in doubt).
    """
    if one_line_fits(text, width, size):
        return 1
    return _lines(text, round(width * 100), size)


@lru_cache(maxsize=8192)
def _lines(text: str, room: int, size: float) -> int | None:
    """The sure count of lines of `text` in `room` hundredths of a point (None: not sure)."""
    if not _WORDS.fullmatch(text) or text != text.strip(" "):
        return None
    metrics = font_metrics()
    kerning = _kerning()
    scale = 100 * size / metrics.units
    widest, narrowest = [], []  # each character's bounds, with its pair to the one before
    previous = None
    for char in text:
        if char in (FSI, PDI):
            widest.append(0)
            narrowest.append(0)
            continue  # the isolates print nothing
        point = ord(char)
        advance = metrics.advances.get(point)
        if advance is None:
            return None
        widest.append((advance + metrics.widening.get((previous, point), 0)) * scale)
        narrowest.append((advance + kerning.narrowing(previous, point)) * scale)
        previous = point
    for letters, saving in kerning.savings.items():
        for found in re.finditer(letters, text):
            narrowest[found.start()] -= saving * scale
    spans = [piece.span() for piece in _PIECES.finditer(text)]
    # A hair of room either way for rounding: the layout works in finer units than these.
    upper = _fill(_pieces(text, spans, widest), room - 1)
    lower = _fill(_pieces(text, spans, narrowest), room + 1)
    return upper if upper == lower else None


def _pieces(text: str, spans: list[tuple[int, int]], widths: list[float]):
    """Each word's width and that of the spaces after it."""
    pieces = []
    for start, end in spans:
        ink = start + len(text[start:end].rstrip(" "))
        pieces.append((sum(widths[start:ink]), sum(widths[ink:end])))
    return pieces


def _fill(pieces: list[tuple[float, float]], room: float) -> int:
    """
    The lines Typst's greedy filling makes of these words (as in its simple line breaking):
    at each break, the line so far (its trailing spaces left out) either still fits, or the
    last line that fitted is ended there; a word wider than the room has a line of its own.
    """

    def width(first: int, end: int) -> float:
        return sum(ink + spaces for ink, spaces in pieces[first : end - 1]) + pieces[end - 1][0]

    lines, first, fitted = 0, 0, None
    for end in range(1, len(pieces) + 1):
        fits = width(first, end) <= room
        if not fits and fitted is not None:
            lines, first, fitted = lines + 1, fitted, None
            fits = width(first, end) <= room
        if end == len(pieces) or not fits:
            lines, first, fitted = lines + 1, end, None
        else:
            fitted = end
    return lines


class _Kerning:
    """DejaVu Sans's pair kerning, read for how much it may move a pair of characters together."""

    def __init__(self) -> None:
        font = TTFont(FONT_DIR / "DejaVuSans.ttf", lazy=True)
        self.glyphs = font.getBestCmap()
        # Each pair table, as (first glyphs, their pairs) or (first glyphs' classes, second
        # glyphs' classes, the values by class).
        self.pairs: list[dict[str, dict[str, int]]] = []
        self.classes: list[tuple[dict[str, int], dict[str, int], list[list[int]]]] = []
        for table in kern_pair_tables(font):
            if table.Format == 1:
                self.pairs.append(
                    {
                        first: {
                            record.SecondGlyph: _advance(record.Value1)
                            for record in pairs.PairValueRecord
                        }
                        for first, pairs in zip(table.Coverage.glyphs, table.PairSet, strict=True)
                    }
                )
                continue
            firsts = {
                glyph: table.ClassDef1.classDefs.get(glyph, 0) for glyph in table.Coverage.glyphs
            }
            values = [
                [_advance(cell.Value1) for cell in row.Class2Record] for row in table.Class1Record
            ]
            self.classes.append((firsts, table.ClassDef2.classDefs, values))
        metrics = font["hmtx"]
        # What each ligature saves on its letters' advances.
        self.savings = {
            letters: saved
            for letters, glyph in LIGATURES.items()
            if (saved := sum(metrics[self.glyphs[ord(c)]][0] for c in letters) - metrics[glyph][0])
            > 0
        }
        font.close()

    @lru_cache(maxsize=4096)  # noqa: B019 (one instance, kept for the process)
    def narrowing(self, left: int | None, right: int) -> int:
        """
        The most kerning may move the pair together (0 or less), counting the ligatures the
        two characters may be drawn in instead.
        """
        if left is None:
            return 0
        lefts = [self.glyphs.get(left)]
        lefts += [glyph for letters, glyph in LIGATURES.items() if letters[-1] == chr(left)]
        rights = [self.glyphs.get(right)]
        rights += [glyph for letters, glyph in LIGATURES.items() if letters[0] == chr(right)]
        return min(self._pair(first, second) for first in lefts for second in rights)

    def _pair(self, first: str | None, second: str | None) -> int:
        most = 0
        for pairs in self.pairs:
            most = min(most, pairs.get(first, {}).get(second, 0))
        for firsts, seconds, values in self.classes:
            if first in firsts:
                most = min(most, values[firsts[first]][seconds.get(second, 0)])
        return most


def _advance(value) -> int:
    return getattr(value, "XAdvance", 0) or 0


@cache
def _kerning() -> _Kerning:
    return _Kerning()
