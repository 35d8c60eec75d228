"""
The building blocks the section builders hand to the layout (templates/diary/pdf/report.typ
draws each kind): plain JSON-able dicts, so a builder can be tested without rendering.

Text in a block is always data: the layout prints it as it is, never as markup.
"""

from __future__ import annotations

from diary.report.text import LANG_START

# A cell up to this long, with at most 4 line breaks, fits on a page in any column.
SHORT_CELL = 200


def heading(text: str, level: int = 2) -> dict:
    return {"kind": "heading", "level": level, "text": text}


def para(text: str, style: str = "base", *, lead: str = "") -> dict:
    """A paragraph; `lead` is printed in bold before the text. Styles: base, small, muted."""
    return {"kind": "para", "text": text, "style": style, "lead": lead}


def bullets(items: list[tuple[str, str]]) -> dict:
    """A list; each item is (bold lead, text after it), either may be empty."""
    return {"kind": "bullets", "items": [{"lead": lead, "text": text} for lead, text in items]}


def table(
    header: list[str],
    rows: list[list[str]],
    widths: list[float | None],
    *,
    numeric_from: int | None = None,
) -> dict:
    """
    A data table whose header row repeats on every page it flows over. `widths` are in mm,
    None for "the rest"; columns from `numeric_from` on are right-aligned.

    For the layout's speed, two things are found out here once: `rich`, whether any cell has
    a run marked with its language (the layout then reads every cell for marks), and
    `breakable`, whether a row may break across pages: only when a cell is long enough that
    its row might not fit on a page (a row that never breaks is measured once).
    """
    cells = [cell for row in rows for cell in row]
    return {
        "kind": "table",
        "header": header,
        "rows": rows,
        "widths": widths,
        "numeric_from": numeric_from,
        "rich": any(LANG_START in cell for cell in cells),
        "breakable": any(len(cell) > SHORT_CELL or cell.count("\n") > 4 for cell in cells),
    }


def side_by_side(left: list[dict], right: list[dict]) -> dict:
    return {"kind": "columns", "left": left, "right": right}


def page_break() -> dict:
    return {"kind": "pagebreak"}
