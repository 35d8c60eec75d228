"""
The message catalogs compiled: every locale/<language>/LC_MESSAGES/*.po to its .mo, and the
pseudo-locales made from all the messages there (lib/pseudo.py).

Babel compiles them, so `make run` needs no system gettext (the tests use gettext's `msgfmt
--check` as a second reader). A .mo is a build artefact, not in git: it is made again whenever
its .po is newer. The pseudo-locales also carry Django's own messages the pages can show (form
labels of the login, password rules, month names), as the real languages get them from
Django's catalogs.
"""

from __future__ import annotations

from pathlib import Path

import django
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings

from diary.lib import languages, pseudo

DOMAINS = ("django", "djangojs")
# Django's catalogs whose messages the pages can show (its forms, validators and dates).
DJANGO_ROOT = Path(django.__file__).parent
DJANGO_CATALOGS = {
    "django": [
        DJANGO_ROOT / "conf/locale/en/LC_MESSAGES/django.po",
        DJANGO_ROOT / "contrib/auth/locale/en/LC_MESSAGES/django.po",
    ],
    "djangojs": [],
}


def locale_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0])


def read(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, ignore_obsolete=True)


def write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_mo(file, catalog, use_fuzzy=False)


def sources(domain: str) -> list[Path]:
    """The translators' catalogs of `domain` (never a pseudo-locale's)."""
    pseudo_dirs = {languages.catalog_dir(code) for code in languages.PSEUDO}
    return sorted(
        path
        for path in locale_dir().glob(f"*/LC_MESSAGES/{domain}.po")
        if path.parent.parent.name not in pseudo_dirs
    )


def is_stale(target: Path, inputs: list[Path]) -> bool:
    if not target.exists():
        return True
    made = target.stat().st_mtime
    return any(path.stat().st_mtime > made for path in inputs)


def pseudo_catalog(code: str, domain: str, inputs: list[Path]) -> Catalog:
    """Every message of `inputs` (English ids), in the pseudo-locale `code`."""
    catalog = Catalog(locale="en", domain=domain, fuzzy=False)
    for path in inputs:
        for message in read(path):
            if not message.id or catalog.get(message.id, context=message.context) is not None:
                continue
            if isinstance(message.id, tuple | list):
                string = tuple(pseudo.message(code, text) for text in message.id)
            else:
                string = pseudo.message(code, message.id)
            catalog.add(message.id, string, context=message.context)
    return catalog


def compile_all(force: bool = False) -> list[Path]:
    """Compile what is out of date; return the .mo files written."""
    written = []
    for domain in DOMAINS:
        own = sources(domain)
        for po in own:
            mo = po.with_suffix(".mo")
            if force or is_stale(mo, [po]):
                write(read(po), mo)
                written.append(mo)
        if not own:
            continue
        inputs = own + DJANGO_CATALOGS[domain]
        for code in languages.PSEUDO:
            mo = locale_dir() / languages.catalog_dir(code) / "LC_MESSAGES" / f"{domain}.mo"
            if force or is_stale(mo, inputs):
                write(pseudo_catalog(code, domain, inputs), mo)
                written.append(mo)
    return written
