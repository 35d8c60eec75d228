"""Numbers in each language's format (diary/lib/formats.py): the kept ones equal CLDR's."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from babel import numbers as babel_numbers
from django.utils import translation

from diary.lib import formats, languages

VALUES = [0, 0.0, -0.0, 1, 1.0, 2.25, -2.25, 0.05, 3.449, 1234.5, 1234, 98765.4321, Decimal("7.5")]
LANGUAGES = ["en", "de", "es", "fr", "pt-br"]


def cldr(value, pattern, language) -> str:
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    locale = languages.format_locale(language)
    return babel_numbers.format_decimal(rounded, format=pattern, locale=locale)


@pytest.mark.parametrize("language", LANGUAGES)
def test_numbers_as_cldr_formats_them_every_time(language):
    locale = languages.format_locale(language)
    for _ in range(2):  # worked out, then kept
        for value in VALUES:
            assert formats.number(value, 1, language) == cldr(value, "#,##0.0", language)
            assert formats.short_number(value, language) == cldr(value, "#,##0.#", language)
            plain = babel_numbers.format_decimal(value, locale=locale)
            assert formats.number(value, language=language) == plain
            whole = babel_numbers.format_percent(round(value) / 100, locale=locale)
            assert formats.percent(value, language) == whole


def test_the_kept_numbers_keep_sign_type_and_language_apart():
    assert formats.number(-0.0, 1, "en") == "-0.0"
    assert formats.number(0.0, 1, "en") == "0.0"
    assert formats.number(-0.0, 1, "en") == "-0.0"
    assert formats.number(Decimal("1.50"), language="en") == "1.5"
    assert formats.number(1234.5, 1, "en") == "1,234.5"
    assert formats.number(1234.5, 1, "de") == "1.234,5"
    with translation.override("fr"):
        assert formats.percent(40) == "40\xa0%"
    with translation.override("en"):
        assert formats.percent(40) == "40%"
