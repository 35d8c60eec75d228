"""
Dates, times and numbers in a language's own format: "5 Dec 2026", "5. Dez. 2026",
"5 de dez. de 2026"; "1,234.5", "1.234,5". The same words on the pages, in the PDF and on a
share page, from CLDR's patterns (Babel): Django's formats have no "day and month" of their
own, and the PDF is not made inside a request.

Each function formats in the active language unless `language` names another (the doctor
summary's). A pseudo-locale formats as English and goes through its transformation.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import dates as babel_dates
from babel import numbers as babel_numbers

from diary.lib import languages, pseudo


def _locale(language: str | None):
    code = language or languages.current()
    return code, languages.format_locale(code)


def _out(code: str, text: str) -> str:
    return pseudo.value(code, text) if code in languages.PSEUDO else text


def _skeleton(skeleton: str, value: date | datetime | time, language: str | None) -> str:
    code = language or languages.current()
    # Dates and naive times are kept (a Trends page names the same weeks over and over).
    # Never an aware datetime: two in different zones are equal, yet read differently.
    if type(value) is date or (type(value) is time and value.tzinfo is None):
        return _kept_skeleton(skeleton, value, code)
    return _format_skeleton(skeleton, value, code)


def _format_skeleton(skeleton: str, value: date | datetime | time, code: str) -> str:
    return _out(code, babel_dates.format_skeleton(skeleton, value, locale=_locale(code)[1]))


# Bounded: a few thousand dates in each of a few languages and skeletons.
_kept_skeleton = lru_cache(maxsize=8192)(_format_skeleton)


def _pattern(pattern: str, value: date | datetime, language: str | None) -> str:
    code, locale = _locale(language)
    return _out(code, babel_dates.format_date(value, pattern, locale=locale))


def day_month(value: date, language: str | None = None) -> str:
    """'5 Dec'"""
    return _skeleton("MMMd", value, language)


def day_month_year(value: date, language: str | None = None) -> str:
    """'5 Dec 2026'"""
    return _skeleton("yMMMd", value, language)


def long_date(value: date, language: str | None = None) -> str:
    """'5 December 2026'"""
    return _skeleton("yMMMMd", value, language)


def weekday_date(value: date, language: str | None = None) -> str:
    """'Saturday 5 December'"""
    return _skeleton("MMMMEEEEd", value, language)


def weekday_long_date(value: date, language: str | None = None) -> str:
    """'Saturday, 5 December 2026'"""
    code, locale = _locale(language)
    return _out(code, babel_dates.format_date(value, "full", locale=locale))


def weekday_day_month(value: date, language: str | None = None) -> str:
    """'Friday 18 June'"""
    return _skeleton("MMMMEEEEd", value, language)


def short_weekday_date(value: date, language: str | None = None) -> str:
    """'Sat 5 Dec'"""
    return _skeleton("MMMEd", value, language)


def short_weekday_date_year(value: date, language: str | None = None) -> str:
    """'Sat, 5 Dec 2026'"""
    return _skeleton("yMMMEd", value, language)


def weekday(value: date, language: str | None = None) -> str:
    """'Saturday'"""
    return _pattern("EEEE", value, language)


def month_year(value: date, language: str | None = None) -> str:
    """'Dec 2026'"""
    return _skeleton("yMMM", value, language)


def long_month_year(value: date, language: str | None = None) -> str:
    """'December 2026'"""
    return _skeleton("yMMMM", value, language)


def month_name(month: int, language: str | None = None) -> str:
    """'December' for 12, as it stands alone (a heading, a choice)."""
    code, locale = _locale(language)
    return _out(code, locale.months["stand-alone"]["wide"][month])


def weekday_abbr(index: int, language: str | None = None) -> str:
    """'Mon' for 0 … 'Sun' for 6 (Monday first, as ISO weeks are)."""
    code, locale = _locale(language)
    return _out(code, locale.days["stand-alone"]["abbreviated"][index])


def hour(value: int, language: str | None = None) -> str:
    """'14:00' for 14: an hour of the day, as a table row or a chart's axis names it."""
    return clock_time(time(value), language)


def clock_time(value: datetime | time, language: str | None = None) -> str:
    """'14:05'"""
    return _skeleton("Hm", value, language)


def date_time(value: datetime, language: str | None = None) -> str:
    """'5 Dec 2026, 14:05' (the wall time of `value` as it is: convert it first)."""
    code, locale = _locale(language)
    day = babel_dates.format_skeleton("yMMMd", value, locale=locale)
    hour = babel_dates.format_skeleton("Hm", value, locale=locale)
    pattern = babel_dates.get_datetime_format("medium", locale=locale)
    return _out(code, pattern.replace("{1}", day).replace("{0}", hour))


def percent(value: float | int, language: str | None = None) -> str:
    """'40%', '40 %' (French): `value` is already a percentage, 0..100, shown whole."""
    code = language or languages.current()
    return _kept_number("percent", round(value), None, code)


def _rounded(value: float | int, decimals: int) -> Decimal:
    """Half away from zero, as people round (2.25 -> 2.3), not the binary float's way."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def short_number(value: float | int, language: str | None = None) -> str:
    """At most one decimal place, none for a whole number: '2.3', '1', '2,3'."""
    return _number("short", value, None, language)


def number(value: float | int, decimals: int | None = None, language: str | None = None) -> str:
    """'1,234.5' / '1.234,5'; `decimals` fixes the places shown (None: as many as it has)."""
    return _number("decimal", value, decimals, language)


def _number(kind: str, value, decimals: int | None, language: str | None) -> str:
    code = language or languages.current()
    if not value:  # 0 and -0.0 are equal keys, yet one may show its sign
        return _format_number(kind, value, decimals, code)
    # The type in the key: 1 and 1.0 are equal keys too.
    return _kept_number(kind, value, decimals, code, type(value))


def _format_number(kind: str, value, decimals: int | None, code: str, _type=None) -> str:
    locale = languages.format_locale(code)
    if kind == "percent":
        return _out(code, babel_numbers.format_percent(value / 100, locale=locale))
    if kind == "short":
        return babel_numbers.format_decimal(_rounded(value, 1), format="#,##0.#", locale=locale)
    if decimals is None:
        return babel_numbers.format_decimal(value, locale=locale)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return babel_numbers.format_decimal(_rounded(value, decimals), format=pattern, locale=locale)


# Numbers recur from page to page (a week's count, a mean over days that did not change) and
# CLDR's formatting of one costs ~20 µs: the last few thousand are kept, per language.
_kept_number = lru_cache(maxsize=8192)(_format_number)
