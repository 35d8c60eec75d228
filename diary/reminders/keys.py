"""
The server's VAPID key pair (RFC 8292), which signs every push so the push services know the
messages come from this server and no other.

Made once by `manage.py vapid_keys` and kept in the database (`PushKey`), or given in the
VAPID_PRIVATE_KEY setting (the environment); never in the repository. The public half is the
`applicationServerKey` a browser subscribes with, so changing keys means every device must
subscribe again.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid02

from diary.models import PushKey

# A signed token is good for up to 24 h (RFC 8292); ours say 12 h and are renewed after 11.
TOKEN_LIFETIME = 12 * 3600
TOKEN_RENEW_AFTER = 11 * 3600


@dataclass(frozen=True)
class Keys:
    private: str  # base64url of the 32-byte private value
    public: str  # base64url of the uncompressed public point: the applicationServerKey


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def new_keys() -> Keys:
    private = ec.generate_private_key(ec.SECP256R1())
    return Keys(
        private=b64url(private.private_numbers().private_value.to_bytes(32, "big")),
        public=public_of(private),
    )


def public_of(private: ec.EllipticCurvePrivateKey) -> str:
    point = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(point)


def current_keys() -> Keys | None:
    """The setting's key pair, else the stored one; None if neither exists yet."""
    if settings.VAPID_PRIVATE_KEY:
        return Keys(settings.VAPID_PRIVATE_KEY, public_of(_signer(settings.VAPID_PRIVATE_KEY)[1]))
    stored = PushKey.objects.filter(pk=1).first()
    return Keys(stored.private_key, stored.public_key) if stored else None


def store_new_keys() -> tuple[Keys, bool]:
    """The stored key pair, made now if there was none; True if it was made now."""
    keys = new_keys()
    row, created = PushKey.objects.get_or_create(
        pk=1, defaults={"private_key": keys.private, "public_key": keys.public}
    )
    return Keys(row.private_key, row.public_key), created


@cache
def _signer(private: str) -> tuple[Vapid02, ec.EllipticCurvePrivateKey]:
    vapid = Vapid02.from_string(private_key=private)
    return vapid, vapid.private_key


# (key, audience) -> (signed at, Authorization header): one signature per push service every
# 11 h, not one per message.
_tokens: dict[tuple[str, str], tuple[float, str]] = {}


def authorization(keys: Keys, endpoint: str) -> str:
    """The `Authorization: vapid t=…, k=…` header for a push to `endpoint`."""
    parts = urlsplit(endpoint)
    audience = f"{parts.scheme}://{parts.netloc}"
    now = time.time()
    cached = _tokens.get((keys.private, audience))
    if cached and cached[0] <= now < cached[0] + TOKEN_RENEW_AFTER:
        return cached[1]
    claims = {
        "aud": audience,
        "exp": int(now) + TOKEN_LIFETIME,
        "sub": settings.VAPID_SUBJECT,
    }
    header = _signer(keys.private)[0].sign(claims)["Authorization"]
    _tokens[(keys.private, audience)] = (now, header)
    return header
