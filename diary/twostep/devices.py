"""
A person's two-step login devices: at most one authenticator app (a django-otp TOTP device)
and one set of recovery codes (a static device; each code is deleted when it is used).
"""

from __future__ import annotations

import time
from base64 import b32encode

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
APP_NAME = "Authenticator app"
CODES_NAME = "Recovery codes"
# Recovery codes are 8 characters of base32 (django-otp's StaticToken.random_token).
RECOVERY_ALPHABET = set("abcdefghijklmnopqrstuvwxyz234567")

WRONG_APP = _(
    "That code does not match. Type the 6 digits your app shows now; if it still does not "
    "match, check that your phone sets its clock automatically."
)
WRONG_RECOVERY = _("That is not one of your unused recovery codes. Each one works only once.")
NO_CODES_LEFT = _("You have no recovery codes left. Please use the code from your app.")
BAD_SHAPE = _(
    "Type the 6 digits your authenticator app shows, or one of your recovery codes "
    "(8 letters and numbers)."
)
WAIT = _("That was soon after a code that did not match. Please wait a few seconds and try again.")
# django-otp makes a device wait 1 s after a wrong code, 2 s after two, 4 s after three, …
# A person who mistyped and at once typed the right code (or had it filled in) is not made to
# wait and type it again: a wait this short is waited out here instead. Longer waits still
# refuse, and axes counts every wrong code like a wrong password.
SHORT_WAIT_SECONDS = 2.0


def normalise(raw: str) -> str:
    """What a person typed, without spaces or dashes, in lower case ("123 456", "ABCD-EFGH")."""
    return "".join(raw.split()).replace("-", "").lower()


def kind_of(code: str) -> str | None:
    """ "app" for 6 digits, "recovery" for a recovery code's shape, else None."""
    if len(code) == 6 and code.isascii() and code.isdigit():
        return "app"
    if len(code) == 8 and set(code) <= RECOVERY_ALPHABET:
        return "recovery"
    return None


def is_on(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def app_being_set_up(user) -> TOTPDevice:
    """The app device waiting for its first code: the one started earlier, so a reload of the
    set-up page shows the same QR code, or a new one."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def app_waiting(user, pk: str) -> TOTPDevice | None:
    """The user's app device `pk` (as posted) still waiting for its first code, locked for
    the caller's transaction; None for anything else, a malformed `pk` included."""
    if not (pk.isascii() and pk.isdigit() and len(pk) < 10):  # no database error on junk
        return None
    waiting = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False)
    return waiting.filter(pk=int(pk)).first()


def secret_for_typing(device: TOTPDevice) -> str:
    """The app's secret key in base32, in groups of four, for typing in by hand."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def check(device: Device, code: str, wrong: str) -> str | None:
    """
    Verify `code` on `device` (locked by the caller's transaction); None when it matched, else
    what to tell the person. django-otp refuses a code already used (TOTP) and slows down
    tries after a wrong one (1, 2, 4, 8 ... seconds).
    """
    allowed, why = device.verify_is_allowed()
    if not allowed and (left := _short_wait(why)) is not None:
        time.sleep(left)
        allowed, why = device.verify_is_allowed()
    if not allowed:
        return str(WAIT)
    return None if device.verify_token(code) else str(wrong)


def _short_wait(why: dict | None) -> float | None:
    """The seconds left of a throttle wait when it is short enough to wait out, else None."""
    until = (why or {}).get("locked_until")
    if until is None:
        return None
    left = (until - timezone.now()).total_seconds()
    return max(left, 0.0) + 0.01 if left <= SHORT_WAIT_SECONDS else None


def check_login_code(user, code: str) -> tuple[Device | None, str]:
    """The device that accepts this code at login (and the code is used up), or None and why."""
    kind = kind_of(code)
    if kind is None:
        return None, str(BAD_SHAPE)
    model = TOTPDevice if kind == "app" else StaticDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            return None, str(WRONG_APP if kind == "app" else NO_CODES_LEFT)
        error = check(device, code, WRONG_APP if kind == "app" else WRONG_RECOVERY)
    return (None, error) if error else (device, "")


def turn_on(device: TOTPDevice) -> list[str]:
    """Confirm the app (its first code matched) and make the recovery codes; returns them."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    return new_recovery_codes(device.user)


def new_recovery_codes(user) -> list[str]:
    """Replace the person's recovery codes with ten new ones; the old ones stop working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=CODES_NAME)
        codes: set[str] = set()
        while len(codes) < RECOVERY_CODES:
            codes.add(StaticToken.random_token())
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return sorted(codes)


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def turn_off(user) -> None:
    """Remove the app and the recovery codes: logging in takes the password alone again."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def shown(code: str) -> str:
    """A recovery code as shown to the person: two groups of four ("abcd-efgh")."""
    return f"{code[:4]}-{code[4:]}"


# The recovery codes just made, kept in the session until the person says they saved them.
NEW_CODES = "twostep_new_codes"


def settings_summary(user, session) -> dict:
    """What the Settings page says of two-step login."""
    on = is_on(user)
    return {
        "on": on,
        "codes_left": recovery_codes_left(user) if on else 0,
        "codes_waiting": bool(session.get(NEW_CODES)),
    }
