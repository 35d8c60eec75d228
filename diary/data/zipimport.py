"""
Taking a "Download everything" ZIP back (diary/data/archive.py wrote it): its JSON goes through
the same checks and plan as a JSON file, and its videos and photos become clips of the
episodes they belong to, all of it or nothing.

A ZIP is read by its central directory, never unpacked blindly. Refused before anything is
kept: a name Twitchlog does not write (so "../" or an absolute path never reaches the disk), a
name twice, an encrypted or oddly compressed entry, more entries or bigger ones than the
limits allow, an entry that claims to unpack to a hundred times its packed size (a ZIP bomb),
a clip the list does not name or the list names but the ZIP lacks, a clip of an episode not in
the file, and a video or photo that would be refused as an upload (each is read like one).
Reading an entry never returns more than it declares (zipfile stops there, and checks the CRC).

The clips are prepared again on the task queue after the import, as uploads are: what is kept
is always what Twitchlog itself wrote, whatever the ZIP held.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import uuid as uuidlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from diary.clips import storage
from diary.clips.adding import queue
from diary.clips.limits import RESERVED_BYTES, Refused, max_upload_bytes, per_episode, quota_bytes
from diary.clips.probe import probe
from diary.data import importer
from diary.data.archive import CLIPS_FOLDER, JSON_NAME, MANIFEST_FORMAT, MANIFEST_NAME
from diary.data.uploads import import_max_bytes
from diary.data.validation import BadFile, parse
from diary.models import Clip, Episode, data_changed

ZIP_MAGIC = b"PK\x03\x04"
UUID_TEXT = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
MEMBER = re.compile(rf"{CLIPS_FOLDER}/({UUID_TEXT})\.(mp4|jpg)")
MANIFEST_MAX_BYTES = 4 * 1024 * 1024
# An entry may unpack to at most this many times its packed size (JSON deflates ~10-20x).
BOMB_RATIO = 100
KINDS = {"mp4": Clip.Kind.VIDEO, "jpg": Clip.Kind.PHOTO}
DAMAGED = gettext_lazy(
    "This ZIP file is damaged or incomplete. Download it again from “Download everything”."
)


def max_clips() -> int:
    return max(1, quota_bytes() // RESERVED_BYTES) * 4


def is_zip(head: bytes) -> bool:
    return head.startswith(ZIP_MAGIC)


@dataclass(frozen=True)
class ClipEntry:
    uuid: uuidlib.UUID
    episode: uuidlib.UUID  # as the file names it
    kind: str
    member: str


@dataclass(frozen=True)
class Contents:
    raw_json: bytes
    clips: list[ClipEntry]


def refuse(message: str) -> BadFile:
    return BadFile([str(message)])


def unreadable() -> str:
    return _("%(name)s in this ZIP cannot be read.") % {"name": MANIFEST_NAME}


def read(path: Path, *, check_media: bool = True) -> Contents:
    """The JSON and the list of clips of the ZIP at `path`, every entry checked; BadFile if not."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = _checked_members(archive)
            raw = _read_member(archive, members[JSON_NAME], import_max_bytes())
            clips = _manifest(archive, members)
            if check_media:
                for number, entry in enumerate(clips, start=1):
                    _check_media(archive, members[entry.member], number)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as error:
        raise refuse(DAMAGED) from error
    return Contents(raw, clips)


def _checked_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > max_clips() + 2:
        raise refuse(
            _("This ZIP holds %(count)d files, more than Twitchlog ever writes.")
            % {"count": len(infos)}
        )
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        if name not in (JSON_NAME, MANIFEST_NAME) and not MEMBER.fullmatch(name):
            shown = name if len(name) <= 80 else name[:77] + "…"
            raise refuse(
                _(
                    "This ZIP holds a file Twitchlog does not write (“%(name)s”): use the ZIP "
                    "from “Download everything”, unchanged."
                )
                % {"name": shown}
            )
        if name in members:
            raise refuse(_("This ZIP holds “%(name)s” twice.") % {"name": name})
        if info.flag_bits & 0x1:
            raise refuse(_("This ZIP is encrypted; Twitchlog's own ZIP files never are."))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise refuse(DAMAGED)
        limit = import_max_bytes() if name == JSON_NAME else MANIFEST_MAX_BYTES
        if MEMBER.fullmatch(name):
            limit = max_upload_bytes()
        if info.file_size > limit:
            raise refuse(
                _("“%(name)s” in this ZIP is bigger than Twitchlog takes.") % {"name": name}
            )
        if info.file_size > 1024 * 1024 and info.file_size > info.compress_size * BOMB_RATIO:
            raise refuse(
                _(
                    "“%(name)s” in this ZIP unpacks to far more than it takes packed: Twitchlog "
                    "does not open it."
                )
                % {"name": name}
            )
        members[name] = info
    if JSON_NAME not in members:
        raise refuse(
            _("This ZIP has no %(name)s: it is not one of Twitchlog's.") % {"name": JSON_NAME}
        )
    return members


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    with archive.open(info) as member:
        data = member.read(limit + 1)
    if len(data) > limit:
        raise refuse(
            _("“%(name)s” in this ZIP is bigger than Twitchlog takes.") % {"name": info.filename}
        )
    return data


def _manifest(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> list[ClipEntry]:
    media = {name for name in members if MEMBER.fullmatch(name)}
    if MANIFEST_NAME not in members:
        if media:
            raise refuse(
                _("This ZIP has videos or photos but no %(name)s that lists them.")
                % {"name": MANIFEST_NAME}
            )
        return []
    try:
        data = json.loads(_read_member(archive, members[MANIFEST_NAME], MANIFEST_MAX_BYTES))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise refuse(unreadable()) from error
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise refuse(
            _("%(name)s in this ZIP is not Twitchlog's list of clips.") % {"name": MANIFEST_NAME}
        )
    if data.get("version") != 1:
        raise refuse(
            _("%(name)s is of a version this Twitchlog does not know.") % {"name": MANIFEST_NAME}
        )
    items = data.get("clips")
    if not isinstance(items, list) or len(items) > max_clips():
        raise refuse(unreadable())
    clips: list[ClipEntry] = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        clips.append(_entry(item, number, members, seen))
    unlisted = media - seen
    if unlisted:
        raise refuse(
            _("“%(name)s” in this ZIP is not in its list of clips.") % {"name": sorted(unlisted)[0]}
        )
    return clips


def _entry(item: object, number: int, members: dict, seen: set[str]) -> ClipEntry:
    where = {"number": number, "list": MANIFEST_NAME}
    if not isinstance(item, dict):
        raise refuse(_("Clip %(number)d in %(list)s cannot be read.") % where)
    member = item.get("file")
    match = MEMBER.fullmatch(member) if isinstance(member, str) else None
    if match is None or member not in members:
        raise refuse(_("Clip %(number)d in %(list)s names a file the ZIP does not have.") % where)
    if member in seen:
        raise refuse(
            _("Clip %(number)d in %(list)s names “%(name)s” a second time.")
            % {**where, "name": member}
        )
    seen.add(member)
    try:
        clip_uuid = uuidlib.UUID(str(item.get("uuid")))
        episode = uuidlib.UUID(str(item.get("episode")))
    except ValueError as error:
        raise refuse(_("Clip %(number)d in %(list)s: its ids cannot be read.") % where) from error
    kind = KINDS[match.group(2)]
    if str(clip_uuid) != match.group(1) or item.get("kind") != kind:
        raise refuse(
            _("Clip %(number)d in %(list)s does not match its file “%(name)s”.")
            % {**where, "name": member}
        )
    return ClipEntry(clip_uuid, episode, kind, member)


def _check_media(archive: zipfile.ZipFile, info: zipfile.ZipInfo, number: int) -> None:
    """Each video or photo is read as an upload would be (by its bytes, its header's length)."""
    with tempfile.TemporaryDirectory(prefix="twitchlog-import-") as work:
        target = Path(work) / "clip"
        with archive.open(info) as member, target.open("wb") as out:
            shutil.copyfileobj(member, out, storage.CHUNK)
        try:
            found = probe(target)
        except Refused as refused:
            raise refuse(
                _("Clip %(number)d (%(name)s): %(why)s")
                % {"number": number, "name": info.filename, "why": refused.message}
            ) from refused
    if found.kind != KINDS[info.filename.rsplit(".", 1)[1]]:
        raise refuse(
            _("Clip %(number)d (%(name)s) is not the kind of file its name says.")
            % {"number": number, "name": info.filename}
        )


# --- the plan and the writing ---


@dataclass
class ClipPlan:
    new: list[tuple[ClipEntry, uuidlib.UUID, uuidlib.UUID]]  # entry, clip uuid, episode uuid
    present: int


def plan(user, contents: Contents, plan_: importer.Plan) -> ClipPlan:
    """Which clips are new and on which episode; BadFile when the diary has no room for them."""
    in_file = {episode.uuid for episode in plan_.parsed.episodes}
    new: list[tuple[ClipEntry, uuidlib.UUID, uuidlib.UUID]] = []
    present = 0
    owned = _clip_owners([entry.uuid for entry in contents.clips])
    for number, entry in enumerate(contents.clips, start=1):
        if entry.episode not in in_file:
            raise refuse(
                _("Clip %(number)d in %(list)s belongs to an episode not in the file.")
                % {"number": number, "list": MANIFEST_NAME}
            )
        clip_uuid = entry.uuid
        if owned.get(clip_uuid) not in (None, user.pk):
            clip_uuid = importer.reissued(user, entry.uuid)
        if owned.get(clip_uuid) == user.pk or _clip_owners([clip_uuid]).get(clip_uuid) == user.pk:
            present += 1
            continue
        new.append((entry, clip_uuid, _episode_uuid(user, entry.episode, plan_)))
    _check_room(user, new)
    return ClipPlan(new, present)


def _clip_owners(uuids: list[uuidlib.UUID]) -> dict[uuidlib.UUID, int]:
    return dict(Clip.objects.filter(uuid__in=uuids).values_list("uuid", "user_id"))


def _episode_uuid(user, file_uuid: uuidlib.UUID, plan_: importer.Plan) -> uuidlib.UUID:
    """The uuid the episode has, or gets, in this diary."""
    target = plan_.episode_uuids.get(file_uuid)
    if target is not None:
        return target
    reissued = importer.reissued(user, file_uuid)
    mine = Episode.objects.for_user(user, include_deleted=True).filter(
        uuid__in=[file_uuid, reissued]
    )
    return mine.values_list("uuid", flat=True).first() or file_uuid


def _check_room(user, new: list) -> None:
    if not new:
        return
    clips = Clip.objects.owned_by(user)
    pending = clips.filter(status=Clip.Status.PENDING).count()
    used = clips.bytes_stored() + pending * RESERVED_BYTES
    if used + len(new) * RESERVED_BYTES > quota_bytes():
        raise refuse(
            ngettext(
                "The %(count)d video or photo in this ZIP would take more than the room "
                "Twitchlog keeps for each person. Delete some you no longer need, then import "
                "again.",
                "The %(count)d videos and photos in this ZIP would take more than the room "
                "Twitchlog keeps for each person. Delete some you no longer need, then import "
                "again.",
                len(new),
            )
            % {"count": len(new)}
        )
    per = {}
    for _entry, _uuid, episode in new:
        per[episode] = per.get(episode, 0) + 1
    existing = dict(
        Clip.objects.filter(user=user, episode__uuid__in=list(per))
        .values("episode__uuid")
        .annotate(n=Count("id"))
        .values_list("episode__uuid", "n")
    )
    for episode, count in per.items():
        if count + existing.get(episode, 0) > per_episode():
            raise refuse(
                _(
                    "An episode in this ZIP would have more than %(count)d videos and photos, "
                    "the most one episode keeps."
                )
                % {"count": per_episode()}
            )


def apply(user, path: Path, plan_: importer.Plan, clip_plan: ClipPlan) -> importer.Preview:
    """Write the diary and its clips in one transaction; the clips are queued once it commits."""
    stored: list[str] = []
    try:
        with zipfile.ZipFile(path) as archive:
            originals = {}
            for entry, clip_uuid, _ in clip_plan.new:
                name = storage.name_for(clip_uuid, storage.ORIGINAL)
                with archive.open(entry.member) as member:
                    stored.append(storage.clip_storage().save(name, member))
                originals[clip_uuid] = (stored[-1], archive.getinfo(entry.member).file_size)
        with transaction.atomic():
            done = importer.apply(user, plan_)
            episodes = dict(
                Episode.objects.for_user(user, include_deleted=True)
                .filter(uuid__in=[episode for _, _, episode in clip_plan.new])
                .values_list("uuid", "id")
            )
            rows = [
                Clip(
                    uuid=clip_uuid,
                    user=user,
                    episode_id=episodes[episode],
                    kind=entry.kind,
                    original_name=originals[clip_uuid][0],
                    upload_bytes=originals[clip_uuid][1],
                )
                for entry, clip_uuid, episode in clip_plan.new
            ]
            created = Clip.objects.bulk_create(rows)
            if created:
                data_changed(user)
            ids = [row.pk for row in Clip.objects.filter(uuid__in=[r.uuid for r in rows])]
            transaction.on_commit(lambda: [queue(pk) for pk in ids])
    except BaseException:
        storage.delete(stored)
        raise
    done.clips_new = len(clip_plan.new)
    done.clips_present = clip_plan.present
    return done


# --- the two steps, as the import page takes them ---


def check(user, path: Path) -> dict:
    """What importing the ZIP at `path` would do (the preview); BadFile says why it cannot."""
    contents = read(path)
    plan_ = importer.plan(user, parse(contents.raw_json))
    clip_plan = plan(user, contents, plan_)
    preview = plan_.preview
    preview.clips_new, preview.clips_present = len(clip_plan.new), clip_plan.present
    return preview.as_dict()


def import_zip(user, path: Path) -> importer.Preview:
    """Import the staged ZIP (checked at upload; planned again, the diary may have changed)."""
    contents = read(path, check_media=False)
    plan_ = importer.plan(user, parse(contents.raw_json, schema=False))
    return apply(user, path, plan_, plan(user, contents, plan_))
