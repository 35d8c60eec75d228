"""
Parts of a person's pages kept between requests in `caches["pages"]` (each process's own
memory), so a page that has not changed since the last visit is not built again.

Nothing is ever invalidated by hand: a key names everything the part shows. `person_key`
gives what every part of a person's page depends on (who, their data version, which every
write moves on, their zone, today and the language); a part adds its own (the query string,
the answers on a card).

A kept part never holds the CSRF token of the request that built it: the token is masked
anew for each request and tied to one browser's cookie. A part is rendered with `csrf_slot()`
as its token and the slot is filled in on the way out (`fill_csrf`). The slot is derived from
SECRET_KEY: the same in every process of a site, and nothing a person types can hit it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache

from django.core.cache import caches
from django.middleware.csrf import get_token
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# A day: keys change with today's date anyway; this only bounds what a cache keeps.
TIMEOUT = 24 * 3600


def person_key(user, today: date) -> str:
    """What every kept part of `user`'s pages depends on: their data as of now, zone, day."""
    profile = user.profile
    joined = int(user.date_joined.timestamp())  # a reused id never meets an old entry
    return (
        f"{user.pk}:{joined}:{profile.data_version}:{profile.timezone}:{today.isoformat()}:"
        f"{get_language()}"
    )


def kept[T](key: str, build: Callable[[], T]) -> T:
    """The value kept under `key`, or `build()`'s, then kept."""
    store = caches["pages"]
    value = store.get(key)
    if value is None:
        value = build()
        store.set(key, value, TIMEOUT)
    return value


@cache
def csrf_slot() -> str:
    """What a kept part holds where the CSRF token goes (letters and digits, like a token)."""
    digest = salted_hmac("diary.lib.fragments.csrf_slot", "slot", algorithm="sha256")
    return "csrf" + digest.hexdigest()[:40]


def fill_csrf(html: str, request) -> SafeString:
    """A kept part (rendered by us, escaped) with this request's CSRF token in its slot."""
    return mark_safe(html.replace(csrf_slot(), get_token(request)))
