"""
Preparing a clip on the task queue (django.tasks: whatever backend settings.TASKS names; a
worker runs it, so the page that took the upload never waits for it).

The task is safe to run twice and against a clip deleted meanwhile: only a pending clip is
prepared, and its result is written only if the clip is still there and still pending.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from diary.clips import storage
from diary.clips.limits import Refused
from diary.clips.probe import probe
from diary.clips.processing import prepare
from diary.lib import languages
from diary.models import Clip, data_changed

logger = logging.getLogger(__name__)

UNEXPECTED = gettext_lazy("Something went wrong while preparing it. Delete it and add it again.")


@task
def process_clip(clip_id: int) -> str:
    """Prepare the pending clip `clip_id`; returns its status afterwards ("gone" if deleted)."""
    return prepare_clip(clip_id)


def prepare_clip(clip_id: int) -> str:
    clip = Clip.objects.select_related("user__profile").filter(pk=clip_id).first()
    if clip is None:
        return "gone"
    # Why a clip could not be prepared is kept as text: in the person's language.
    with translation.override(languages.chosen(clip.user.profile.language)):
        return _prepare(clip)


def _prepare(clip: Clip) -> str:
    if clip.status != Clip.Status.PENDING or not clip.original_name:
        return clip.status
    with tempfile.TemporaryDirectory(prefix="twitchlog-clip-") as work:
        workdir = Path(work)
        try:
            source = storage.local_path(clip.original_name)
            if source is None:
                source = workdir / "upload"
                storage.fetch(clip.original_name, source)
            prepared = prepare(source, probe(source), workdir)
        except Refused as refused:
            return fail(clip, refused.message)
        except Exception:
            logger.exception("Preparing clip %s failed", clip.uuid)
            return fail(clip, UNEXPECTED)
        kept = {
            "file_name": storage.save_path(
                storage.name_for(clip.uuid, prepared.file.name), prepared.file
            ),
            "thumb_name": storage.save_path(
                storage.name_for(clip.uuid, prepared.thumb.name), prepared.thumb
            ),
            "poster_name": (
                storage.save_path(storage.name_for(clip.uuid, "poster.jpg"), prepared.poster)
                if prepared.poster
                else ""
            ),
        }
        file_bytes = prepared.file.stat().st_size
        stored = file_bytes + prepared.thumb.stat().st_size
        stored += prepared.poster.stat().st_size if prepared.poster else 0
    with transaction.atomic():
        done = Clip.objects.filter(pk=clip.pk, status=Clip.Status.PENDING).update(
            status=Clip.Status.READY,
            original_name="",
            file_bytes=file_bytes,
            stored_bytes=stored,
            width=prepared.width,
            height=prepared.height,
            duration=prepared.duration,
            processed_at=timezone.now(),
            **kept,
        )
        if not done:
            if Clip.objects.filter(pk=clip.pk).exists():
                return "done already"  # another run prepared it, into the same names
            # Deleted while this run worked: keep nothing of it.
            mine = [name for name in kept.values() if name]
            transaction.on_commit(lambda: storage.delete(mine))
            return "gone"
        data_changed(clip.user)
        transaction.on_commit(lambda: storage.delete([clip.original_name]))
    return Clip.Status.READY


def fail(clip: Clip, message: str) -> str:
    """The clip cannot be prepared: say why, and keep nothing of the upload."""
    with transaction.atomic():
        done = Clip.objects.filter(pk=clip.pk, status=Clip.Status.PENDING).update(
            status=Clip.Status.FAILED,
            failure=str(message)[:300],
            original_name="",
            processed_at=timezone.now(),
        )
        if done:
            data_changed(clip.user)
            transaction.on_commit(lambda: storage.delete([clip.original_name]))
    return Clip.Status.FAILED if done else "gone"
