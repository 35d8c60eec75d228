"""
The exports: the lossless JSON file (format "twitchlog", version 2, see schema.json) and a CSV
of the episodes for spreadsheets.

Both stream. Episodes are read in id order (the order they were written) with `.iterator()`,
and their sites and triggers come from two more streams over the M2M tables in the same order,
merged as they go: three queries for any number of episodes, and memory that does not grow
with the diary.
"""

from __future__ import annotations

import csv
import json
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache

import orjson
from django.db import connections
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.functional import Promise

from diary.data.about import about_dict
from diary.data.checkins import daylog_to_dict
from diary.models import (
    FUNCTION_TASKS,
    SYMPTOMS,
    BodySite,
    Context,
    DayLog,
    Episode,
    FunctionCheck,
    Movement,
    Pattern,
    Region,
    Trigger,
)

FORMAT = "twitchlog"
# Version 2: "visible" (seen under the skin) and a function check's "new_or_worse" may be null
# (not answered). Version 1 files are read too (diary/data/validation.py).
VERSION = 2
CHUNK_SIZE = 2000
# Episodes per chunk of output: big enough that the response is not thousands of tiny writes.
EPISODES_PER_WRITE = 500

EPISODE_COLUMNS = [
    "id",
    "uuid",
    "started_at",
    "timezone",
    "local_date",
    "duration",
    "intensity",
    "pattern",
    *SYMPTOMS,
    "stopped_with_movement",
    "visible",
    "context",
    "notes",
    "created_at",
    "updated_at",
]


@dataclass(slots=True)
class EpisodeRow:
    """One episode as exported: its columns by name, with site and trigger ids."""

    values: dict
    site_ids: list[int]
    trigger_ids: list[int]


@cache
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def instant(value: datetime, zone: str = "UTC") -> str:
    """ISO 8601 with the offset: in `zone` (the episode's own, else UTC)."""
    return value.astimezone(_zone(zone)).isoformat()


def seconds(duration: timedelta) -> int | float:
    value = duration.total_seconds()
    return int(value) if value.is_integer() else value


def _plain_rows(queryset) -> Iterator[tuple]:
    """
    The rows of a values_list() queryset as the driver gives them: its SQL on a chunked
    cursor (server-side on PostgreSQL, as .iterator() uses), without the ORM's per-row
    converters, which cost more than the rest of a row's export. Columns whose driver value
    differs between databases are read as text or converted by the caller.
    """
    sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    with connections[queryset.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK_SIZE):
            yield from rows


def _links(through, target: str, order: str, user) -> Iterator[tuple[int, list[int]]]:
    """(episode id, [target ids]) per episode with links, in export order (by episode id)."""
    rows = _plain_rows(
        through.objects.filter(episode__user=user, episode__deleted_at__isnull=True)
        # The links in a fixed order too, so that two exports of one diary are the same text.
        .order_by("episode_id", order)
        .values_list("episode_id", target)
    )
    key, ids = None, []
    for episode_id, target_id in rows:
        if episode_id != key:
            if key is not None:
                yield key, ids
            key, ids = episode_id, []
        ids.append(target_id)
    if key is not None:
        yield key, ids


class _Merge:
    """Hands out the link ids of each episode from an ordered stream of (episode id, ids)."""

    def __init__(self, stream: Iterator[tuple[int, list[int]]]) -> None:
        self.stream = stream
        self.pending = next(stream, None)

    def take(self, key: int) -> list[int]:
        # Links of an episode written between the queries start are skipped, not misassigned.
        while self.pending is not None and self.pending[0] < key:
            self.pending = next(self.stream, None)
        if self.pending is not None and self.pending[0] == key:
            ids = self.pending[1]
            self.pending = next(self.stream, None)
            return ids
        return []


# Timestamps, dates and uuids are read as text and parsed here: the database drivers' own
# converters cost more than the rest of an episode's export.
AS_TEXT = {"uuid", "started_at", "local_date", "created_at", "updated_at"}


def _column(name: str):
    return Cast(name, TextField()) if name in AS_TEXT else name


def _aware(text: str) -> datetime:
    """A timestamp column read as text (naive UTC on SQLite, with an offset on PostgreSQL)."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _utc_iso(text: str) -> str:
    """
    A timestamp column's text as _aware(text).isoformat() writes it, without parsing it when
    it is SQLite's naive UTC text ("2026-05-01 08:00:00" with or without .ffffff) or
    PostgreSQL's in UTC ("2026-05-01 08:00:00.12+00": trailing zeros of the fraction left out).
    """
    if text[10:11] == " ":
        fraction = text[19:]
        if not fraction or (fraction[0] == "." and fraction[1:].isdigit()):
            return f"{text[:10]}T{text[11:]}+00:00"  # no offset written: naive UTC
        if fraction.endswith("+00"):
            fraction = fraction[:-3]
            if not fraction:
                return f"{text[:10]}T{text[11:19]}+00:00"
            if fraction[0] == "." and 1 < len(fraction) <= 7 and fraction[1:].isdigit():
                return f"{text[:10]}T{text[11:19]}{fraction.ljust(7, '0')}+00:00"
    return _aware(text).isoformat()


def _uuid(text: str) -> str:
    if len(text) == 32:  # SQLite keeps the hex digits only
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
    return text


def _duration(value: timedelta | int) -> timedelta:
    """A duration column: a timedelta (PostgreSQL) or microseconds (SQLite)."""
    return value if isinstance(value, timedelta) else timedelta(microseconds=value)


DURATION = EPISODE_COLUMNS.index("duration")


def episode_rows(user) -> Iterator[EpisodeRow]:
    """The user's live episodes in the order they were written, with site and trigger ids."""
    episodes = _plain_rows(
        Episode.objects.for_user(user)
        .order_by("id")
        .values_list(*(_column(name) for name in EPISODE_COLUMNS))
    )
    sites = _Merge(_links(Episode.sites.through, "bodysite_id", "bodysite__sort_order", user))
    triggers = _Merge(_links(Episode.triggers.through, "trigger_id", "trigger__slug", user))
    for values in episodes:
        row = dict(zip(EPISODE_COLUMNS, values, strict=True))
        row["duration"] = _duration(values[DURATION])
        row["started_at"] = _aware(row["started_at"])
        yield EpisodeRow(row, sites.take(row["id"]), triggers.take(row["id"]))


def _catalogue() -> dict[int, BodySite]:
    return {site.pk: site for site in BodySite.objects.all()}


def _trigger_slugs(user) -> dict[int, Trigger]:
    return {t.pk: t for t in Trigger.objects.for_user(user)}


# --- JSON ---


def profile_dict(user) -> dict:
    profile = user.profile
    return {
        "display_name": profile.display_name,
        "timezone": profile.timezone,
        "medicines": profile.medicines,
        "tests_done": profile.tests_done,
        "questions": profile.questions,
        "hidden_triggers": sorted(profile.hidden_triggers.values_list("slug", flat=True)),
        "about": about_dict(profile),
    }


def episode_dict(row: EpisodeRow, sites: dict[int, BodySite], triggers: dict[int, Trigger]) -> dict:
    v = row.values
    return {
        "uuid": _uuid(v["uuid"]),
        "started_at": instant(v["started_at"], v["timezone"]),
        "timezone": v["timezone"],
        "local_date": v["local_date"],
        "duration_seconds": seconds(v["duration"]),
        "sites": [sites[pk].code for pk in row.site_ids],
        "triggers": [triggers[pk].slug for pk in row.trigger_ids if pk in triggers],
        "intensity": v["intensity"],
        "pattern": v["pattern"] or None,
        "symptoms": [name for name in SYMPTOMS if v[name]],
        "stopped_with_movement": v["stopped_with_movement"] or None,
        "visible": v["visible"],
        "context": v["context"] or None,
        "notes": v["notes"],
        "created_at": _utc_iso(v["created_at"]),
        "updated_at": _utc_iso(v["updated_at"]),
    }


def check_dict(check: FunctionCheck) -> dict:
    return {
        "uuid": str(check.uuid),
        "date": check.date.isoformat(),
        "answers": {
            name: {"new_or_worse": getattr(check, name), "note": getattr(check, f"{name}_note")}
            for name in FUNCTION_TASKS
        },
        "note": check.note,
        "created_at": instant(check.created_at),
        "updated_at": instant(check.updated_at),
    }


# An episode's JSON: orjson writes what json.dumps(ensure_ascii=False, separators=(",", ":"))
# writes for these values (texts, whole numbers, true/false/null, and durations of 1 s to 24 h,
# whose floats neither writes with an exponent), already as UTF-8, in a fraction of the time.
_dumps = orjson.dumps


def iter_json(user, *, now: datetime | None = None) -> Iterator[bytes]:
    """The whole export as UTF-8 chunks; the episodes come last, streamed."""
    now = now or timezone.now()
    own = Trigger.objects.filter(user=user).order_by("name")
    checks = FunctionCheck.objects.for_user(user).order_by("date", "created_at")
    head = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": instant(now),
        "profile": profile_dict(user),
        "triggers": [{"name": t.name, "slug": t.slug} for t in own],
        "function_checks": [check_dict(c) for c in checks],
        # Daily check-ins: at most one a day, so they go in the head with the checks.
        "day_logs": [daylog_to_dict(d) for d in DayLog.objects.for_user(user).order_by("date")],
    }
    yield (json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "episodes": [\n').encode()
    sites, triggers = _catalogue(), _trigger_slugs(user)
    batch: list[bytes] = []
    first = True
    for row in episode_rows(user):
        batch.append(_dumps(episode_dict(row, sites, triggers)))
        if len(batch) >= EPISODES_PER_WRITE:
            yield (b"" if first else b",\n") + b",\n".join(batch)
            batch, first = [], False
    if batch:
        yield (b"" if first else b",\n") + b",\n".join(batch)
    yield b"\n ]\n}\n"


# --- CSV ---

# Excel reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_HEADER = [
    "Date",
    "Time",
    "Time zone",
    "Duration (s)",
    "Sites",
    "Site codes",
    "Regions",
    "Triggers",
    *SYMPTOMS.values(),
    "Strength (1-5)",
    "Pattern",
    "Stopped when moved",
    "Visible under the skin",
    "What you were doing",
    "Notes",
    "Id",
]


def neutralise(cell: object) -> object:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


class _Line:
    """csv.writer's file: hands back each line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def _yes(value: bool | None) -> str:
    """A tick box or a yes/no answer; "" for an answer not given (never "no")."""
    return "" if value is None else "yes" if value else "no"


def csv_row(row: EpisodeRow, sites: dict[int, BodySite], triggers: dict[int, Trigger]) -> list:
    v = row.values
    local = v["started_at"].astimezone(_zone(v["timezone"]))
    own_sites = [sites[pk] for pk in row.site_ids]
    regions = list(dict.fromkeys(str(Region(s.region).label) for s in own_sites))
    return [
        v["local_date"],
        local.strftime("%H:%M:%S"),
        v["timezone"],
        seconds(v["duration"]),
        ", ".join(s.name for s in own_sites),
        ", ".join(s.code for s in own_sites),
        ", ".join(regions),
        ", ".join(triggers[pk].name for pk in row.trigger_ids if pk in triggers),
        *(_yes(v[name]) for name in SYMPTOMS),
        v["intensity"] or "",
        Pattern(v["pattern"]).label if v["pattern"] else "",
        Movement(v["stopped_with_movement"]).label if v["stopped_with_movement"] else "",
        _yes(v["visible"]),
        Context(v["context"]).label if v["context"] else "",
        v["notes"],
        _uuid(v["uuid"]),
    ]


def iter_csv(user) -> Iterator[bytes]:
    """
    One row per live episode, oldest first, UTF-8 with a BOM so Excel reads any script. In
    English whatever the person's language, like the JSON's keys: a program reading the file
    never meets other column names or words.
    """
    writer = csv.writer(_Line())
    sites, triggers = _catalogue(), _trigger_slugs(user)
    with translation.override("en"):
        header = writer.writerow([str(name) for name in CSV_HEADER])
    yield ("\ufeff" + header).encode()
    batch: list[str] = []
    for row in episode_rows(user):
        with translation.override("en"):
            cells = [
                neutralise(str(c) if isinstance(c, Promise) else c)
                for c in csv_row(row, sites, triggers)
            ]
        batch.append(writer.writerow(cells))
        if len(batch) >= EPISODES_PER_WRITE:
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()


def filename(kind: str, today: date) -> str:
    return f"twitchlog-{today.isoformat()}.{kind}"


def chunks_text(chunks: Iterable[bytes]) -> str:
    """The joined output of iter_json/iter_csv as text (tests and the command line)."""
    return b"".join(chunks).decode("utf-8")
