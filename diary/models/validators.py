"""
Validators shared by the diary's models: the time zones a diary may be kept in (IANA names
this server knows) and text without NUL characters (PostgreSQL refuses them in text columns).
Migrations refer to these functions through diary.models, which re-exports them.
"""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@cache
def available_timezones() -> frozenset[str]:
    # Debian's zoneinfo has "localtime", a link to the server's /etc/localtime: not an IANA
    # zone, and a diary in it would move (or stop loading) with the server's configuration.
    return frozenset(zoneinfo.available_timezones() - {"localtime"})


def validate_timezone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(
            _(
                "“%(value)s” is not a time zone we know. Pick one from the list, "
                "e.g. Europe/London."
            ),
            params={"value": value},
            code="invalid_timezone",
        )


def validate_no_nul(value: str) -> None:
    if "\x00" in value:
        raise ValidationError(_("The text contains a NUL character; please remove it."), code="nul")
