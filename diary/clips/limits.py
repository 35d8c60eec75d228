"""
The limits on clips and what a person is told when one is reached.

Per file: the upload's size (CLIP_MAX_UPLOAD_BYTES, stopped while it arrives), a video's
length (CLIP_MAX_SECONDS: a longer one is refused, never cut short without asking), a
picture's size in pixels. Per episode: CLIPS_PER_EPISODE. Per person: CLIP_QUOTA_BYTES of
kept files; a clip still being prepared counts as RESERVED_BYTES until its size is known.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diary.lib.formats import number
from diary.models import Clip

# What a clip being prepared is counted as against the quota: about what a 30 s video keeps.
RESERVED_BYTES = 5 * 1024 * 1024
# A video a little longer than the limit (a phone's "30 s" is often 30.03 s) is still taken.
SECONDS_TOLERANCE = 0.5
# The largest frame a video may have (8K), and the most pixels of a photo: a JPEG is decoded at
# a reduced scale, so up to Pillow's own bomb limit (89 megapixels) costs little memory; other
# formats are decoded whole.
MAX_VIDEO_PIXELS = 7680 * 4320
MAX_JPEG_PIXELS = 89_478_485
MAX_PHOTO_PIXELS = 40_000_000


class Refused(Exception):
    """An upload Twitchlog will not keep; `message` says why, in words for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def max_upload_bytes() -> int:
    return settings.CLIP_MAX_UPLOAD_BYTES


def max_seconds() -> int:
    return settings.CLIP_MAX_SECONDS


def quota_bytes() -> int:
    return settings.CLIP_QUOTA_BYTES


def per_episode() -> int:
    return settings.CLIPS_PER_EPISODE


def size_words(size: int) -> str:
    """200 MB, 1 GB, 1,5 GB, 512 KB: sizes as a person reads them (1 MB = 1024 KB)."""
    units = (
        (1024**3, lambda: _("%(size)s GB")),
        (1024**2, lambda: _("%(size)s MB")),
        (1024, lambda: _("%(size)s KB")),
    )
    for scale, words in units:
        if size >= scale:
            value = size / scale
            whole = value >= 10 or value.is_integer()
            return words() % {"size": number(value, 0 if whole else 1)}
    return ngettext("%(count)d byte", "%(count)d bytes", size) % {"count": size}


def too_big_message() -> str:
    return _(
        "This file is bigger than %(size)s, the most Twitchlog takes at once. Film a shorter "
        "clip, or at a lower resolution (1080p is plenty)."
    ) % {"size": size_words(max_upload_bytes())}


def too_long_message(seconds: float | None = None) -> str:
    limit = max_seconds()
    if seconds:
        return ngettext(
            "This video is %(seconds)d seconds long; Twitchlog keeps videos of up to %(limit)d "
            "second. Trim it on your phone (open it in Photos or Gallery and choose Edit or "
            "Trim), then add it again.",
            "This video is %(seconds)d seconds long; Twitchlog keeps videos of up to %(limit)d "
            "seconds. Trim it on your phone (open it in Photos or Gallery and choose Edit or "
            "Trim), then add it again.",
            limit,
        ) % {"seconds": round(seconds), "limit": limit}
    return ngettext(
        "This video is long; Twitchlog keeps videos of up to %(limit)d second. Trim it on your "
        "phone (open it in Photos or Gallery and choose Edit or Trim), then add it again.",
        "This video is long; Twitchlog keeps videos of up to %(limit)d seconds. Trim it on your "
        "phone (open it in Photos or Gallery and choose Edit or Trim), then add it again.",
        limit,
    ) % {"limit": limit}


def check_room(user, episode) -> None:
    """Refuse a new clip when the episode or the person has no room left for it."""
    on_episode = Clip.objects.filter(episode=episode).count()
    if on_episode >= per_episode():
        raise Refused(
            ngettext(
                "This episode has %(count)d video or photo, the most one episode keeps. "
                "Delete it to add another.",
                "This episode has %(count)d videos and photos, the most one episode keeps. "
                "Delete one to add another.",
                on_episode,
            )
            % {"count": on_episode}
        )
    clips = Clip.objects.owned_by(user)
    used = clips.bytes_stored() + clips.filter(status=Clip.Status.PENDING).count() * RESERVED_BYTES
    if used + RESERVED_BYTES > quota_bytes():
        raise Refused(
            _(
                "Your videos and photos take %(used)s of the %(quota)s Twitchlog keeps for each "
                "person. Delete some you no longer need to add more."
            )
            % {"used": size_words(used), "quota": size_words(quota_bytes())}
        )
