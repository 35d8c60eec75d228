"""
Reading an uploaded Twitchlog file: bytes -> a checked, typed `ParsedFile`, or `BadFile` with
the first problems, each naming its place ("Episode 12, intensity: ...").

The file is read entry by entry (diary.data.jsonstream): each episode, function check, daily
check-in and own trigger is checked as it comes, against schema.json and then for what a
schema cannot say (known body sites, zones and triggers, no time in the future or before 1900,
no id twice), and only its typed form is kept. Reading stops after STOP_AFTER problems. So the
time and memory a file costs grow with its size, never with how many mistakes it holds: a
file of a million empty entries is refused after its first few.
"""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from diary.data import jsonstream
from diary.data.checkins import daylog_from_dict
from diary.data.export import FORMAT, VERSION
from diary.data.schema import entries_pointer, max_entries, problems
from diary.lib.formats import number
from diary.models import (
    FUNCTION_TASKS,
    MAX_DURATION,
    MIN_DURATION,
    SYMPTOMS,
    BodySite,
    Trigger,
    available_timezones,
    trigger_slug,
)

# How many problems a message lists: enough to fix a file by hand, not a wall of text.
MAX_PROBLEMS = 8
# Reading stops once this many are found, or once the entries with problems add up to this
# many bytes (big broken entries cost the most to read); the message then says "at least".
STOP_AFTER = 50
STOP_AFTER_BAD_BYTES = 1024 * 1024
FUTURE_TOLERANCE = timedelta(minutes=5)
EARLIEST = date(1900, 1, 1)
# The top-level lists, read entry by entry, and what one entry is called in a message.
LISTS = {
    "triggers": pgettext_lazy("an entry of an import file, before its number", "Trigger"),
    "episodes": pgettext_lazy("an entry of an import file, before its number", "Episode"),
    "function_checks": pgettext_lazy(
        "an entry of an import file, before its number", "Function check"
    ),
    "day_logs": pgettext_lazy("an entry of an import file, before its number", "Daily check-in"),
}
# ... and the sentence that says a file has too many of them.
TOO_MANY = {
    "triggers": gettext_lazy(
        "The file has more than %(count)s own triggers; Twitchlog imports at most that many."
    ),
    "episodes": gettext_lazy(
        "The file has more than %(count)s episodes; Twitchlog imports at most that many."
    ),
    "function_checks": gettext_lazy(
        "The file has more than %(count)s function checks; Twitchlog imports at most that many."
    ),
    "day_logs": gettext_lazy(
        "The file has more than %(count)s daily check-ins; Twitchlog imports at most that many."
    ),
}
NOT_TWITCHLOG = gettext_lazy(
    "This is not a Twitchlog file: use the JSON file from “Download JSON” on Settings."
)


class BadFile(Exception):
    """The file cannot be imported; `problems` say why, first ones first."""

    def __init__(self, problems: list[str], more: int = 0, *, at_least: bool = False) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        self.more = more
        self.at_least = at_least  # reading stopped early: there may be more than `more`


# The plain fields of an episode a ParsedEpisode carries, in the order of its `values`: a tuple
# per episode instead of a dict halves what a 50,000-episode file holds in memory.
EPISODE_VALUES = (
    "intensity",
    "pattern",
    "stopped_with_movement",
    "visible",
    "context",
    "notes",
    *SYMPTOMS,
)


@dataclass(slots=True)
class ParsedEpisode:
    uuid: uuidlib.UUID
    started_at: datetime
    timezone: str
    duration: timedelta
    sites: list[str]
    triggers: list[str]  # slugs as the file names them
    values: tuple  # the model's plain fields, in the order of EPISODE_VALUES
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class ParsedCheck:
    uuid: uuidlib.UUID
    date: date
    values: dict
    created_at: datetime
    updated_at: datetime


@dataclass
class ParsedFile:
    profile: dict
    triggers: dict[str, str] = field(default_factory=dict)  # file slug -> name
    episodes: list[ParsedEpisode] = field(default_factory=list)
    checks: list[ParsedCheck] = field(default_factory=list)
    day_logs: list = field(default_factory=list)  # unsaved DayLog rows, one per date


def where(path) -> str:
    """A JSON path as a person reads it: ["episodes", 2, "intensity"] -> "Episode 3, intensity"."""
    parts = list(path)
    words: list[str] = []
    if len(parts) >= 2 and parts[0] in LISTS and isinstance(parts[1], int):
        words.append(f"{LISTS[parts[0]]} {parts[1] + 1}")
        parts = parts[2:]
    elif parts and parts[0] == "profile":
        words.append(pgettext("the profile part of an import file", "Profile"))
        parts = parts[1:]
    rest = " → ".join(str(p + 1) if isinstance(p, int) else str(p) for p in parts)
    if rest:
        words.append(rest)
    return ", ".join(words) or _("The file")


def located(path, message: str) -> str:
    """'Episode 3 → notes: too long' (the colon as the language writes it)."""
    return pgettext("where in the file: what is wrong", "%(where)s: %(problem)s") % {
        "where": where(path),
        "problem": message,
    }


def _instant(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:  # the schema asks for an offset; belt and braces
        raise ValueError("no UTC offset")
    return parsed


class _Checker:
    """The checks a schema cannot make; collects problems with their place."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.latest = now + FUTURE_TOLERANCE
        self.latest_day = (now + timedelta(days=1)).date()
        self.problems: list[str] = []
        self.sites = set(BodySite.objects.values_list("code", flat=True))
        self.builtins = set(Trigger.objects.filter(user=None).values_list("slug", flat=True))
        self.zones = available_timezones()

    def problem(self, path: list, message: str) -> None:
        self.problems.append(located(path, message))

    def text(self, path: list, value: str) -> None:
        if "\x00" in value:
            self.problem(path, _("contains a NUL character."))

    def instant(self, path: list, value: str) -> datetime | None:
        try:
            moment = _instant(value)
        except ValueError:
            self.problem(path, _("“%(value)s” is not a real date and time.") % {"value": value})
            return None
        if moment.year < EARLIEST.year:
            self.problem(path, _("is before 1900. Check the year."))
            return None
        if moment > self.latest:
            self.problem(path, _("is in the future. Check the date and time."))
            return None
        # In UTC: the instant is the same, and every one shares one tzinfo instead of its own.
        return moment.astimezone(UTC)

    def day(self, path: list, value: str) -> date | None:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            self.problem(path, _("“%(value)s” is not a real date.") % {"value": value})
            return None
        if day < EARLIEST:
            self.problem(path, _("is before 1900. Check the year."))
            return None
        if day > self.latest_day:
            self.problem(path, _("is in the future. Check the date."))
            return None
        return day


class _Reading:
    """One pass over a file: members and entries in file order, checked as they come."""

    def __init__(self, now: datetime, schema: bool) -> None:
        self.c = _Checker(now)
        self.schema = schema
        self.head: dict = {}  # the top-level members, with [] for each list read entry by entry
        self.parsed = ParsedFile(profile={})
        self.uuids: dict[str, set[str]] = {"episodes": set(), "function_checks": set()}
        self.dates: dict[str, set[date]] = {"function_checks": set(), "day_logs": set()}
        self.unknown_triggers: dict[str, list] = {}  # slug -> where first named; checked last
        self.shared: dict[str, str] = {}  # zone names, site codes and slugs, one of each
        self.stopped = False
        self.bad_bytes = 0  # the size of the entries with problems so far

    def read(self, raw: bytes) -> ParsedFile:
        try:
            entries = jsonstream.members(raw, lists=frozenset(LISTS), checked=not self.schema)
            for name, index, value, size in entries:
                found = len(self.c.problems)
                if index is None:
                    self.member(name, value)
                else:
                    self.entry(name, index, value)
                if len(self.c.problems) > found:
                    self.bad_bytes += size
                if (
                    self.stopped
                    or len(self.c.problems) >= STOP_AFTER
                    or self.bad_bytes > STOP_AFTER_BAD_BYTES
                ):
                    self.stopped = True
                    break
        except jsonstream.NotAnObject:
            raise BadFile([str(NOT_TWITCHLOG)]) from None
        except jsonstream.JSONProblem as problem:
            if problem.path or isinstance(problem, jsonstream.Duplicate):
                raise BadFile([located(problem.path, problem.message)]) from None
            raise BadFile([problem.message]) from None
        return self.finish()

    def member(self, name: str, value: object) -> None:
        if name == "format" and value != FORMAT:
            raise BadFile([str(NOT_TWITCHLOG)])
        self.head[name] = [] if value is jsonstream.LIST else value

    def entry(self, name: str, index: int, value: object) -> None:
        path = [name, index]
        if index >= max_entries(name):
            self.c.problems.append(TOO_MANY[name] % {"count": number(max_entries(name), 0)})
            self.stopped = True
            return
        if self.schema:
            found = problems(value, entries_pointer(name), limit=STOP_AFTER)
            if found:
                for inner, message in found:
                    self.c.problem(path + inner, _("%(sentence)s.") % {"sentence": message})
                return
        getattr(self, f"_{name}")(path, value)

    def finish(self) -> ParsedFile:
        if self.head.get("format") != FORMAT and not self.stopped:
            raise BadFile([str(NOT_TWITCHLOG)])
        if "version" in self.head:  # first: a newer file's entries may well look wrong here
            _check_version(self.head["version"])
        first: list[str] = []
        if self.schema and not self.stopped:
            first = [
                located(path, f"{message}.")
                for path, message in problems(self.head, limit=MAX_PROBLEMS)
            ]
        if not first and not self.stopped:
            first = self._profile(self.head["profile"])
        for slug, path in self.unknown_triggers.items():
            if slug not in self.parsed.triggers:
                self.c.problem(
                    path,
                    _("“%(slug)s” is neither built in nor in the file's list.") % {"slug": slug},
                )
        found = first + self.c.problems
        if found:
            more = max(0, len(found) - MAX_PROBLEMS)
            raise BadFile(found[:MAX_PROBLEMS], more, at_least=self.stopped)
        self.parsed.profile = self.head["profile"]
        if self.head["version"] < 2:
            _empty_tick_boxes_unknown(self.parsed.episodes)
        return self.parsed

    def _profile(self, profile: dict) -> list[str]:
        before = len(self.c.problems)
        for key in ("display_name", "medicines", "tests_done", "questions"):
            self.c.text(["profile", key], profile[key])
        if profile["timezone"] not in self.c.zones:
            self.c.problem(
                ["profile", "timezone"],
                _("“%(zone)s” is not a time zone we know.") % {"zone": profile["timezone"]},
            )
        found = self.c.problems[before:]
        del self.c.problems[before:]
        return found

    # One method per list, named after it: check an entry that follows the schema, keep it.

    def _triggers(self, path: list, item: dict) -> None:
        name = " ".join(item["name"].split())
        self.c.text([*path, "name"], item["name"])
        if not trigger_slug(name):
            self.c.problem([*path, "name"], _("needs letters or numbers."))
        self.parsed.triggers[item["slug"]] = name

    def _episodes(self, path: list, item: dict) -> None:
        c = self.c
        before = len(c.problems)
        self._once("episodes", path, item["uuid"])
        zone = item["timezone"]
        if zone not in c.zones:
            c.problem(
                [*path, "timezone"], _("“%(zone)s” is not a time zone we know.") % {"zone": zone}
            )
        started_at = c.instant([*path, "started_at"], item["started_at"])
        created_at = c.instant([*path, "created_at"], item["created_at"])
        updated_at = c.instant([*path, "updated_at"], item["updated_at"])
        duration = timedelta(seconds=item["duration_seconds"])
        if not MIN_DURATION <= duration <= MAX_DURATION:
            c.problem([*path, "duration_seconds"], _("must be from 1 second to 24 hours."))
        intensity = item["intensity"]
        if intensity is not None and type(intensity) is not int:  # 3.0 passes the schema
            c.problem(
                [*path, "intensity"],
                _("%(value)s is not a whole number from 1 to 5.") % {"value": intensity},
            )
        for code in item["sites"]:
            if code not in c.sites:
                c.problem(
                    [*path, "sites"], _("“%(code)s” is not a body site we know.") % {"code": code}
                )
        for slug in item["triggers"]:
            if slug not in c.builtins and slug not in self.parsed.triggers:
                # Maybe in the file's own list further down: checked at the end.
                self.unknown_triggers.setdefault(slug, [*path, "triggers"])
        c.text([*path, "notes"], item["notes"])
        if len(c.problems) > before:
            return
        symptoms = item["symptoms"]
        values = (
            intensity,
            item["pattern"] or "",
            item["stopped_with_movement"] or "",
            item["visible"],
            item["context"] or "",
            item["notes"],
            *(name in symptoms for name in SYMPTOMS),
        )
        # One str object per zone, site code and slug for the whole file.
        shared = self.shared
        self.parsed.episodes.append(
            ParsedEpisode(
                uuid=uuidlib.UUID(item["uuid"]),
                started_at=started_at,
                timezone=shared.setdefault(zone, zone),
                duration=duration,
                sites=[shared.setdefault(code, code) for code in item["sites"]],
                triggers=[shared.setdefault(slug, slug) for slug in item["triggers"]],
                values=values,
                created_at=created_at,
                updated_at=updated_at,
            )
        )

    def _function_checks(self, path: list, item: dict) -> None:
        c = self.c
        before = len(c.problems)
        self._once("function_checks", path, item["uuid"])
        day = c.day([*path, "date"], item["date"])
        self._one_a_day("function_checks", path, day, _("a second check on the same day."))
        created_at = c.instant([*path, "created_at"], item["created_at"])
        updated_at = c.instant([*path, "updated_at"], item["updated_at"])
        values = {"note": item["note"]}
        c.text([*path, "note"], item["note"])
        for name in FUNCTION_TASKS:
            answer = item["answers"][name]
            c.text([*path, "answers", name, "note"], answer["note"])
            values[name], values[f"{name}_note"] = answer["new_or_worse"], answer["note"]
        if len(c.problems) > before:
            return
        self.parsed.checks.append(
            ParsedCheck(uuidlib.UUID(item["uuid"]), day, values, created_at, updated_at)
        )

    def _day_logs(self, path: list, item: dict) -> None:
        """A daily check-in, checked by the model's own rules (diary/data/checkins.py)."""
        c = self.c
        day = c.day([*path, "date"], item["date"])
        if day is None:
            return
        self._one_a_day("day_logs", path, day, _("a second check-in on the same day."))
        for key in ("medicine", "note"):
            if isinstance(item.get(key), str):
                c.text([*path, key], item[key])
        try:
            self.parsed.day_logs.append(daylog_from_dict(None, item))
        except ValidationError as error:
            for name, messages in getattr(error, "message_dict", {"date": error.messages}).items():
                c.problem([*path, name], " ".join(messages))

    def _once(self, name: str, path: list, uuid: str) -> None:
        if uuid in self.uuids[name]:
            self.c.problem([*path, "uuid"], _("the same id appears earlier in the file."))
        self.uuids[name].add(uuid)

    def _one_a_day(self, name: str, path: list, day: date | None, message: str) -> None:
        if day is not None and day in self.dates[name]:
            self.c.problem([*path, "date"], message)
        self.dates[name].add(day)


VISIBLE = EPISODE_VALUES.index("visible")


def _empty_tick_boxes_unknown(episodes: list[ParsedEpisode]) -> None:
    """
    Before version 2, "seen under the skin" was a tick box: one left empty (false) was never an
    answer "no", so it is read as not answered.
    """
    for episode in episodes:
        if episode.values[VISIBLE] is False:
            values = list(episode.values)
            values[VISIBLE] = None
            episode.values = tuple(values)


def _check_version(version: object) -> None:
    if type(version) is not int:  # not 1.0, not true: the schema's "const": 1 takes both
        shown = str(version)[:20] if isinstance(version, int | float | str) else _("not a number")
        raise BadFile(
            [
                _(
                    "The file's version is “%(version)s”; a Twitchlog file says a whole number, "
                    "like 1."
                )
                % {"version": shown}
            ]
        )
    if version > VERSION:
        raise BadFile(
            [
                _(
                    "This file was made by a newer Twitchlog (file version %(version)d); this one "
                    "reads version %(ours)d. Update Twitchlog first."
                )
                % {"version": version, "ours": VERSION}
            ]
        )


def parse(raw: bytes, *, now: datetime | None = None, schema: bool = True) -> ParsedFile:
    """
    Bytes -> ParsedFile, or BadFile. `schema=False` skips the schema for a file this server
    already checked and kept (the second step of an import).
    """
    return _Reading(now or timezone.now(), schema).read(raw)
