"""
The devices that allowed notifications: a browser's push subscription (its push service
endpoint and its encryption keys), checked and stored for the person who subscribed.

Only endpoints at the push services in the PUSH_SERVICES setting are accepted: the workers
POST to whatever endpoint is stored, and must never be pointed at a machine inside the
network by a made-up subscription.
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import re
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from diary.models import MAX_DEVICES, PushDevice


class DeviceError(ValueError):
    """The subscription cannot be used; the message says why, in plain words."""


def b64url_decode(value: str) -> bytes:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_-]+={0,2}", value):
        raise DeviceError(_("This browser sent keys Twitchlog cannot read."))
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as error:
        raise DeviceError(_("This browser sent keys Twitchlog cannot read.")) from error


def allowed_endpoint(endpoint: str) -> bool:
    parts = urlsplit(endpoint)
    if parts.username or parts.password or not parts.hostname:
        return False
    origin = f"{parts.scheme}://{parts.netloc.lower()}"
    return any(fnmatch.fnmatchcase(origin, pattern) for pattern in settings.PUSH_SERVICES)


def check_subscription(data: object) -> tuple[str, str, str]:
    """(endpoint, p256dh, auth) from a browser's PushSubscription.toJSON(), or DeviceError."""
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        raise DeviceError(_("This browser did not send a notification subscription."))
    endpoint, keys = data.get("endpoint"), data["keys"]
    if not isinstance(endpoint, str) or len(endpoint) > 1000 or not allowed_endpoint(endpoint):
        raise DeviceError(_("This browser's notification service is not one Twitchlog knows."))
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    point, secret = b64url_decode(p256dh), b64url_decode(auth)
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError as error:
        raise DeviceError(_("This browser sent keys Twitchlog cannot read.")) from error
    if len(point) != 65 or len(secret) != 16:
        raise DeviceError(_("This browser sent keys Twitchlog cannot read."))
    return endpoint, p256dh.rstrip("="), auth.rstrip("=")


BROWSERS = [
    ("SamsungBrowser", "Samsung Internet"),
    ("Edg", "Edge"),
    ("OPR", "Opera"),
    ("Firefox", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chrome", "Chrome"),
    ("Chromium", "Chromium"),
    ("Safari", "Safari"),
]
SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Macintosh", "Mac"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def device_name(user_agent: str) -> str:
    """A name a person recognises their device by: "Chrome on Android"."""
    browser = next((name for token, name in BROWSERS if token in user_agent), _("A browser"))
    system = next((name for token, name in SYSTEMS if token in user_agent), "")
    if not system:
        return browser
    return pgettext("a device", "%(browser)s on %(system)s") % {
        "browser": browser,
        "system": system,
    }


@transaction.atomic
def subscribe(user, data: object, *, user_agent: str) -> PushDevice:
    """Store this browser's subscription for `user` (moving it from another account)."""
    endpoint, p256dh, auth = check_subscription(data)
    existing = PushDevice.objects.select_for_update().filter(endpoint=endpoint).first()
    if existing is None and PushDevice.objects.for_user(user).count() >= MAX_DEVICES:
        raise DeviceError(
            _("%(count)d devices already get your reminders. Remove one of them first.")
            % {"count": MAX_DEVICES}
        )
    device, _created = PushDevice.objects.update_or_create(
        endpoint=endpoint,
        defaults={
            "user": user,
            "p256dh": p256dh,
            "auth": auth,
            "name": device_name(user_agent)[:80],
        },
    )
    return device
