"""
The building blocks the section builders hand to the layout (templates/diary/pdf/report.typ
draws each kind): plain JSON-able dicts, so a builder can be tested without rendering.

Text in a block is always data: the layout prints it as it is, never as markup.
"""

from __future__ import annotations

from diary.report.lines import lines_needed
from diary.report.text import LANG_START, has_emoji

# A cell up to this long, with at most 4 line breaks, fits on a page in any column.
SHORT_CELL = 200
# The layout's measures, which it receives with the document (LAYOUT): the text is 180 mm wide
# (A4 less 15 mm margins), side by side columns are 6 mm apart, table text is 8 pt with 3 pt
# either side.
TEXT_WIDTH_MM = 180
# A page turned sideways (landscape): A4's 297 mm less the same margins.
LANDSCAPE_TEXT_WIDTH_MM = 267
COLUMN_GAP_MM = 6
CELL_TEXT_PT = 8
CELL_INSET_PT = 3
LAYOUT = {
    "text_width_mm": TEXT_WIDTH_MM,
    "column_gap_mm": COLUMN_GAP_MM,
    "cell_text_pt": CELL_TEXT_PT,
    "cell_inset_pt": CELL_INSET_PT,
}
PT_PER_MM = 72 / 25.4


def heading(text: str, level: int = 2) -> dict:
    return {"kind": "heading", "level": level, "text": text}


def para(text: str, style: str = "base", *, lead: str = "") -> dict:
    """A paragraph; `lead` is printed in bold before the text. Styles: base, small, muted."""
    return {"kind": "para", "text": text, "style": style, "lead": lead}


def bullets(items: list[tuple[str, str]], style: str = "base") -> dict:
    """A list; each item is (bold lead, text after it), either may be empty. Styles: base, small."""
    return {
        "kind": "bullets",
        "style": style,
        "items": [{"lead": lead, "text": text} for lead, text in items],
    }


def table(
    header: list[str],
    rows: list[list[str]],
    widths: list[float | None],
    *,
    numeric_from: int | None = None,
    width_mm: float = TEXT_WIDTH_MM,
) -> dict:
    """
    A data table whose header row repeats on every page it flows over. `widths` are in mm,
    None for "the rest" of `width_mm` (the text's width: a table for a page turned sideways
    or for one of two columns says so, or its rows are counted twice); columns from
    `numeric_from` on are right-aligned.

    For the layout's speed, four things are found out here once: `rich`, whether any cell
    has a run marked with its language (the layout then reads every cell for marks); `emoji`,
    whether any cell has a character of the emoji ranges (only then does the layout keep
    DejaVu Sans from drawing them: a table without one is printed the same without the rule);
    `breakable`, whether a row may break across pages: only when a cell is long enough that
    its row might not fit on a page; and `lines`, for each row, how many lines its tallest
    cell surely takes (lines.py), or 0 when that is not sure: the layout gives the rows with a
    count that many lines' height instead of measuring them (nearly all of a long log's rows;
    a row the layout measures is laid out two or three times).
    """
    cells = [cell for row in rows for cell in row]
    block = {
        "kind": "table",
        "header": header,
        "rows": rows,
        "widths": widths,
        "numeric_from": numeric_from,
        "rich": any(LANG_START in cell for cell in cells),
        "emoji": any(has_emoji(cell) for cell in cells),
        "breakable": any(len(cell) > SHORT_CELL or cell.count("\n") > 4 for cell in cells),
    }
    return with_row_lines(block, width_mm)


def with_row_lines(block: dict, width_mm: float) -> dict:
    """The table `block` with `lines` worked out for a table `width_mm` wide."""
    if block.get("width_mm") == width_mm:
        return block
    block["width_mm"] = width_mm
    fixed = sum(w for w in block["widths"] if w is not None)
    shared = block["widths"].count(None)
    rest = (width_mm - fixed) / shared if shared else 0
    room = [(w if w is not None else rest) * PT_PER_MM - 2 * CELL_INSET_PT for w in block["widths"]]
    block["lines"] = [row_lines(row, room) for row in block["rows"]]
    return block


def row_lines(row: list[str], room: list[float]) -> int:
    """The lines of the row's tallest cell, 0 when not sure of every cell's."""
    most = 1
    for cell, space in zip(row, room, strict=True):
        lines = lines_needed(cell, space, CELL_TEXT_PT)
        if lines is None:
            return 0
        most = max(most, lines)
    return most


def side_by_side(left: list[dict], right: list[dict]) -> dict:
    half = (TEXT_WIDTH_MM - COLUMN_GAP_MM) / 2
    for block in left + right:
        if block["kind"] == "table":
            with_row_lines(block, half)
    return {"kind": "columns", "left": left, "right": right}


def page_break() -> dict:
    return {"kind": "pagebreak"}


def landscape(body: list[dict]) -> dict:
    """`body` on pages of their own turned sideways: a table too wide for an upright page."""
    for block in body:
        if block["kind"] == "table":
            with_row_lines(block, LANDSCAPE_TEXT_WIDTH_MM)
    return {"kind": "landscape", "blocks": body}
