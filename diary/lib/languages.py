"""
The languages Twitchlog speaks: which ones a person can choose, the locale whose formats each
uses, which run right to left, and the two pseudo-locales the tests use (made from the catalog
by `manage.py compile_translations`, see lib/pseudo.py).
"""

from __future__ import annotations

from functools import cache

from babel import Locale
from django.conf import settings
from django.utils import translation

# Accented and ~40 % longer; right to left (codes as Android and Chrome name theirs).
ACCENTED, MIRRORED = "en-xa", "ar-xb"
PSEUDO = (ACCENTED, MIRRORED)
# The locale whose date and number formats each language uses, where it is not the language
# itself. Twitchlog's English is British ("5 Dec 2026", a 24-hour clock); a pseudo-locale formats
# as English does and then goes through its own transformation.
FORMAT_LOCALES = {"en": "en_GB", ACCENTED: "en_GB", MIRRORED: "en_GB"}


def current() -> str:
    """The active language's code ("de", "pt-br"), the default when none is active."""
    return translation.get_language() or settings.LANGUAGE_CODE


def codes() -> list[str]:
    """Every language this site offers, the pseudo-locales too where they are switched on."""
    return [code for code, _ in settings.LANGUAGES]


def supported(code: str | None) -> bool:
    return bool(code) and code in codes()


def chosen(code: str | None) -> str:
    """A stored choice (a profile's, a link's) where this site offers it, else the default."""
    return code if code and supported(code) else settings.LANGUAGE_CODE


def shipped() -> list[str]:
    """The languages a translator keeps a catalog of: all offered but English and the pseudo."""
    return [code for code in codes() if code != "en" and code not in PSEUDO]


def choices() -> list[tuple[str, str]]:
    """(code, name in its own language) for a language picker."""
    return list(settings.LANGUAGES)


def is_rtl(code: str | None = None) -> bool:
    code = code or current()
    return code == MIRRORED or code.split("-")[0] in settings.LANGUAGES_BIDI


def direction(code: str | None = None) -> str:
    return "rtl" if is_rtl(code) else "ltr"


@cache
def format_locale(code: str) -> Locale:
    """The Babel locale that formats dates and numbers for `code`."""
    return Locale.parse(FORMAT_LOCALES.get(code) or translation.to_locale(code))


def catalog_dir(code: str) -> str:
    """The directory name of `code`'s catalog under locale/: "pt-br" -> "pt_BR"."""
    return translation.to_locale(code)
