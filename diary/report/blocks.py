"""
The building blocks the section builders hand to the layout (templates/diary/pdf/report.typ
draws each kind): plain JSON-able dicts, so a builder can be tested without rendering.

Text in a block is always data: the layout prints it as it is, never as markup.
"""

from __future__ import annotations


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
) -> dict:
    """
    A data table whose header row repeats on every page it flows over. `widths` are in mm,
    None for "the rest"; columns from `numeric_from` on are right-aligned.
    """
    return {
        "kind": "table",
        "header": header,
        "rows": rows,
        "widths": widths,
        "numeric_from": numeric_from,
    }


def side_by_side(left: list[dict], right: list[dict]) -> dict:
    return {"kind": "columns", "left": left, "right": right}


def page_break() -> dict:
    return {"kind": "pagebreak"}


def landscape(body: list[dict]) -> dict:
    """`body` on pages of their own turned sideways: a table too wide for an upright page."""
    return {"kind": "landscape", "blocks": body}
