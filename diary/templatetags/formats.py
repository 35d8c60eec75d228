"""
Dates, times and numbers in the active language's format (diary/lib/formats.py), as filters
every template has (a builtin): {{ day|day_month }} is "5 Dec", "5. Dez.", "5 dic".
"""

from django import template

from diary.lib import formats

register = template.Library()


def _filter(function):
    def format_or_nothing(value) -> str:
        return "" if value in (None, "") else function(value)

    return format_or_nothing


for _name in (
    "day_month",
    "day_month_year",
    "long_date",
    "weekday_date",
    "weekday_long_date",
    "short_weekday_date",
    "short_weekday_date_year",
    "weekday",
    "month_year",
    "clock_time",
    "date_time",
):
    # expects_localtime: an aware datetime arrives in the page's zone, as with |date
    # ({% localtime off %} keeps its own).
    register.filter(_name, _filter(getattr(formats, _name)), expects_localtime=True)


@register.filter
def number(value, decimals=None) -> str:
    """'1,234.5' / '1.234,5'; {{ x|number:1 }} with one decimal place."""
    if value is None or value == "":
        return ""
    return formats.number(value, None if decimals is None else int(decimals))
