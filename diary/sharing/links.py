"""
Making, finding and revoking share links.

A token is `secrets.token_urlsafe(32)`: 256 random bits, far beyond guessing, and guessing is
rate-limited on top. The database keeps only its sha256; a link is found by that hash and the
hash compared again in constant time, so a wrong token and an unknown one cost the same work.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diary.lib import formats, languages
from diary.models import Clip, data_changed
from diary.models.sharing import ShareLink, ShareOpening

VALID_DAYS = (1, 7, 30)
MAX_DAYS = 90


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create(
    user,
    *,
    first: date,
    last: date,
    days: int,
    include_notes: bool = False,
    language: str | None = None,
    include_clips: bool = False,
) -> tuple[ShareLink, str]:
    """
    A new link for `user`'s `first`..`last`, open for `days` days, in `language` (default: the
    active one; its page, PDF and FHIR file keep it); returns it and its token.
    """
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"A link can be open for 1 to {MAX_DAYS} days.")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        link = ShareLink.objects.create(
            user=user,
            first=first,
            last=last,
            token_hash=hash_token(token),
            include_notes=include_notes,
            language=language or languages.current(),
            include_clips=include_clips,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        data_changed(user)
    return link, token


def expiry_words(link: ShareLink, zone) -> str:
    """'14 Dec 2026, 10:29 (Europe/London)': when the link stops opening, in the owner's zone."""
    local = link.expires_at.astimezone(zone)
    return _("%(when)s (%(zone)s)") % {"when": formats.date_time(local), "zone": zone.key}


def revoke(link: ShareLink) -> None:
    """Close `link` now; revoking it again keeps the first time."""
    if link.revoked_at is not None:
        return
    with transaction.atomic():
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        data_changed(link.user)


def find(token: str) -> ShareLink | None:
    """
    The link with this token, revoked and expired ones included (they answer 410), or None.
    A malformed token is hashed and looked up all the same, so it takes as long as any other.
    """
    digest = hash_token(token)
    link = ShareLink.objects.select_related("user", "user__profile").filter(token_hash=digest)
    link = link.first()
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return None
    if not link.user.is_active:
        return None  # a closed account shares nothing
    return link


def shared_clips(link: ShareLink):
    """
    The ready clips a link shows: only when its owner ticked "Include videos and photos", and
    only those of episodes in its period (oldest first).
    """
    if not link.include_clips:
        return Clip.objects.none()
    return (
        Clip.objects.for_user(link.user)
        .ready()
        .on_local_dates(link.first, link.last)
        .select_related("episode")
        .order_by("episode__started_at", "created_at", "id")
    )


def record_opening(link: ShareLink, user_agent: str, kind: str = ShareOpening.Kind.PAGE) -> None:
    ShareOpening.objects.create(link=link, kind=kind, user_agent=coarse_user_agent(user_agent))


# (pattern, family), first match wins: Edge and Opera also say "Chrome", Chrome says "Safari".
BROWSERS = (
    (r"Edg(e|A|iOS)?/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"SamsungBrowser/", "Samsung Internet"),
    (r"Firefox/|FxiOS/", "Firefox"),
    (r"Chrome/|CriOS/|Chromium/", "Chrome"),
    (r"Safari/", "Safari"),
)
SYSTEMS = (
    (r"Android", "Android"),
    (r"iPhone|iPad|iPod", "iOS"),
    (r"Windows", "Windows"),
    (r"CrOS", "ChromeOS"),
    (r"Mac OS X|Macintosh", "macOS"),
    (r"Linux", "Linux"),
)


def coarse_user_agent(header: str) -> str:
    """
    "Firefox on Android": the families only. No version, device or build is kept: the owner
    needs to recognise "that was the clinic", not to fingerprint anyone.
    """
    browser = next((name for pattern, name in BROWSERS if re.search(pattern, header)), "")
    system = next((name for pattern, name in SYSTEMS if re.search(pattern, header)), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown browser"
