"""
Table bodies for the trends page: one tag per table instead of template nodes per cell; and
the charts' data as a JSON script element.

A year of weekly tables is a few thousand cells; through the template engine (or format_html)
each cell cost more than all of the page's SQL. Every value is escaped here with the standard
library's html.escape before the result is marked safe.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

import orjson
from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from diary.insights.periods import Period
from diary.insights.results import SiteRow
from diary.lib.formats import day_month, day_month_year

register = template.Library()


def cell_text(value: object) -> str:
    """Whole numbers without a decimal point, others to one place; nothing as a dash."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else f"{value:.1f}"
    return str(value)


@register.simple_tag
def table_rows(rows: Iterable[tuple[object, Sequence[object]]]) -> SafeString:
    """<tr><th scope="row">label</th><td>value</td>…</tr> for each (label, values)."""
    html = []
    for label, values in rows:
        cells = "".join(f"<td>{escape(cell_text(v))}</td>" for v in values)
        html.append(f'<tr><th scope="row">{escape(str(label))}</th>{cells}</tr>')
    return mark_safe("\n".join(html))


@register.simple_tag
def site_rows(sites: Iterable[SiteRow], period: Period) -> SafeString:
    """
    The sites table's rows: the site with its region under it, first and last seen (without
    the year when the whole range is in one year: the caption gives it), episodes.
    """
    date_text = day_month if period.first.year == period.last.year else day_month_year
    html = [
        f'<tr><th scope="row">{escape(str(site.name))}<br><span class="hint">'
        f"{escape(str(site.region_label))}</span></th>"
        f'<td class="date">{escape(date_text(site.first_seen))}</td>'
        f'<td class="date">{escape(date_text(site.last_seen))}</td><td>{site.count}</td></tr>'
        for site in sites
    ]
    return mark_safe("\n".join(html))


@register.simple_tag
def header_cells(labels: Iterable[object]) -> SafeString:
    cells = "".join(f'<th scope="col">{escape(str(label))}</th>' for label in labels)
    return mark_safe(cells)


# What json_script escapes, so the JSON can never close its script element or start markup.
_SCRIPT_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


@register.filter
def json_data(value: object, element_id: str) -> SafeString:
    """
    Django's json_script, written by orjson: its str.translate over a year of chart data cost
    more than the rest of the JSON. The same escapes; lazy translations are written as text.
    """
    text = orjson.dumps(value, default=str).decode()
    for character, escaped in _SCRIPT_ESCAPES:
        text = text.replace(character, escaped)
    return format_html(
        '<script id="{}" type="application/json">{}</script>', element_id, mark_safe(text)
    )
