"""
Preparing a clip on the task queue (django.tasks: whatever backend settings.TASKS names; a
worker runs it, so the page that took the upload never waits for it).

The task is safe to run twice and against a clip deleted meanwhile: only a pending clip is
prepared, and its result is written only if the clip is still there and still pending.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import timedelta
from pathlib import Path

from crontask import cron
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

# A worker stopped mid-clip (a deploy, the machine out of memory) takes the clip's task with it
# and the clip would stay "Preparing…" for good. Pending clips older than STALLED are queued
# again (the task is safe to run twice); one still pending after GIVE_UP is failed with a
# message, so a file that stops every worker does not go round for ever.
STALLED = timedelta(minutes=30)
GIVE_UP = timedelta(hours=3)


@task
def process_clip(clip_id: int) -> str:
    """Prepare the pending clip `clip_id`; returns its status afterwards ("gone" if deleted)."""
    return prepare_clip(clip_id)


@cron("*/30 * * * *")
@task
def retry_stalled_clips() -> dict[str, int]:
    now = timezone.now()
    pending = Clip.objects.filter(status=Clip.Status.PENDING)
    failed = []
    for clip in pending.filter(created_at__lt=now - GIVE_UP).select_related("user__profile"):
        with translation.override(languages.chosen(clip.user.profile.language)):
            failed.append(fail(clip, UNEXPECTED))
    stalled = list(
        pending.filter(created_at__lt=now - STALLED, created_at__gte=now - GIVE_UP).values_list(
            "pk", flat=True
        )
    )
    for clip_id in stalled:
        process_clip.enqueue(clip_id)
    return {"queued": len(stalled), "failed": failed.count(Clip.Status.FAILED)}


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
