"""
The URL of a language's JavaScript catalog, with a version that changes whenever its compiled
messages do (a browser keeps the file for a year: see diary/views/languages.py).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import django
from django.conf import settings
from django.urls import reverse
from django.utils import translation


def version(language: str) -> str:
    digest = hashlib.sha256(django.__version__.encode())
    for folder in settings.LOCALE_PATHS:
        mo = Path(folder) / translation.to_locale(language) / "LC_MESSAGES" / "djangojs.mo"
        digest.update(mo.read_bytes() if mo.exists() else b"")
    return digest.hexdigest()[:12]


@cache
def _cached_url(language: str) -> str:
    # In production the catalogs only change with a deploy, which restarts the process.
    return reverse("javascript-catalog", args=[language, version(language)])


def url(language: str) -> str:
    if settings.DEBUG:
        return reverse("javascript-catalog", args=[language, version(language)])
    return _cached_url(language)
