"""
Reading an uploaded Twitchlog file: bytes -> a checked, typed `ParsedFile`, or `BadFile` with
the first problems, each naming its place ("Episode 12, intensity: ...").

Three layers, cheapest first: is it UTF-8 JSON at all (a cut-off file, NUL bytes, absurd nesting
or numbers end here); is it a Twitchlog file of a version this code reads; does it follow
schema.json; and then what a schema cannot say (known body sites, zones and triggers, no time
in the future or before 1900, no uuid twice).
"""

from __future__ import annotations

import itertools
import json
import re
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from diary.data.checkins import daylog_from_dict
from diary.data.export import FORMAT, VERSION
from diary.data.schema import validator
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
FUTURE_TOLERANCE = timedelta(minutes=5)
EARLIEST = date(1900, 1, 1)


class BadFile(Exception):
    """The file cannot be imported; `problems` say why, first ones first."""

    def __init__(self, problems: list[str], more: int = 0) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        self.more = more


@dataclass
class ParsedEpisode:
    uuid: uuidlib.UUID
    started_at: datetime
    timezone: str
    duration: timedelta
    sites: list[str]
    triggers: list[str]  # slugs as the file names them
    values: dict  # the model's plain fields: intensity, pattern, symptoms, ...
    created_at: datetime
    updated_at: datetime


@dataclass
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


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _cut_off(text: str) -> bool:
    """Whether the text stops inside a string or with brackets still open (only on errors)."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
    return in_string or depth > 0


def read_json(raw: bytes) -> object:
    """Bytes -> JSON value, or BadFile saying plainly what is wrong with the text."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadFile(
            [f"This is not a text file in UTF-8 (unexpected byte at position {error.start})."]
        ) from None
    if "\x00" in text:
        raise BadFile(["The file contains a NUL byte, so it is not a Twitchlog JSON file."])
    if not text.strip():
        raise BadFile(["The file is empty."])
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        if error.pos >= len(text.rstrip()) or _cut_off(text):
            raise BadFile(
                ["The file ends too early: it looks cut off. Download the export again."]
            ) from None
        raise BadFile(
            [f"This is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."]
        ) from None
    except RecursionError:
        raise BadFile(["The file is nested far too deeply to be a Twitchlog export."]) from None
    except ValueError as error:  # NaN/Infinity, or an integer with thousands of digits
        raise BadFile([f"The file has a number that is not allowed: {error}."[:200]]) from None


def where(path) -> str:
    """A JSON path as a person reads it: ["episodes", 2, "intensity"] -> "Episode 3, intensity"."""
    parts = list(path)
    names = {"episodes": "Episode", "triggers": "Trigger", "function_checks": "Function check"}
    names["day_logs"] = "Daily check-in"
    words: list[str] = []
    if len(parts) >= 2 and parts[0] in names and isinstance(parts[1], int):
        words.append(f"{names[parts[0]]} {parts[1] + 1}")
        parts = parts[2:]
    elif parts and parts[0] == "profile":
        words.append("Profile")
        parts = parts[1:]
    rest = " → ".join(str(p + 1) if isinstance(p, int) else str(p) for p in parts)
    if rest:
        words.append(rest)
    return ", ".join(words) or "The file"


# The end of the validator's message for these keywords, without the (maybe huge) value.
_TAILS = re.compile(
    r"(is longer than \d+ characters?|has more than \d+ items?|has less than \d+ items?"
    r"|is not of type .{1,60}|is not one of .{1,120}|does not match .{1,200})$"
)


def _schema_message(error) -> str:
    keyword = list(error.schema_path)[-1] if list(error.schema_path) else ""
    if keyword == "uniqueItems":
        return "lists the same entry twice"
    if keyword == "pattern":
        return "is not in the expected form"
    message = error.message
    if tail := _TAILS.search(message[-300:]):
        return tail.group(1).replace(" items", " entries").replace(" item", " entry")
    return message if len(message) <= 160 else message[:150] + " …"


def _sort_key(error) -> tuple:
    return tuple((0, p) if isinstance(p, int) else (1, str(p)) for p in error.instance_path)


def check_envelope(data: object) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadFile(
            ["This is not a Twitchlog file: use the JSON file from “Download JSON” on Settings."]
        )
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise BadFile(
            [
                f"This file was made by a newer Twitchlog (file version {version}); "
                f"this one reads version {VERSION}. Update Twitchlog first."
            ]
        )


def check_schema(data: dict) -> None:
    errors = sorted(itertools.islice(validator().iter_errors(data), 200), key=_sort_key)
    if errors:
        problems = [f"{where(e.instance_path)}: {_schema_message(e)}." for e in errors]
        raise BadFile(problems[:MAX_PROBLEMS], more=max(0, len(problems) - MAX_PROBLEMS))


def _instant(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:  # the schema asks for an offset; belt and braces
        raise ValueError("no UTC offset")
    return parsed


class _Checker:
    """The checks a schema cannot make; collects problems with their place."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.problems: list[str] = []
        self.sites = set(BodySite.objects.values_list("code", flat=True))
        self.builtins = set(Trigger.objects.filter(user=None).values_list("slug", flat=True))
        self.zones = available_timezones()

    def problem(self, path: list, message: str) -> None:
        self.problems.append(f"{where(path)}: {message}")

    def text(self, path: list, value: str) -> None:
        if "\x00" in value:
            self.problem(path, "contains a NUL character.")

    def instant(self, path: list, value: str) -> datetime | None:
        try:
            moment = _instant(value)
        except ValueError:
            self.problem(path, f"“{value}” is not a real date and time.")
            return None
        if moment.year < EARLIEST.year:
            self.problem(path, "is before 1900. Check the year.")
            return None
        if moment > self.now + FUTURE_TOLERANCE:
            self.problem(path, "is in the future. Check the date and time.")
            return None
        return moment

    def day(self, path: list, value: str) -> date | None:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            self.problem(path, f"“{value}” is not a real date.")
            return None
        if day < EARLIEST:
            self.problem(path, "is before 1900. Check the year.")
            return None
        if day > (self.now + timedelta(days=1)).date():
            self.problem(path, "is in the future. Check the date.")
            return None
        return day


def check_meaning(data: dict, *, now: datetime) -> ParsedFile:
    """What the schema cannot check; returns the typed file or raises BadFile."""
    c = _Checker(now)
    profile = data["profile"]
    for key in ("display_name", "medicines", "tests_done", "questions"):
        c.text(["profile", key], profile[key])
    if profile["timezone"] not in c.zones:
        c.problem(["profile", "timezone"], f"“{profile['timezone']}” is not a time zone we know.")
    parsed = ParsedFile(profile=profile)
    for i, item in enumerate(data["triggers"]):
        c.text(["triggers", i, "name"], item["name"])
        if not trigger_slug(" ".join(item["name"].split())):
            c.problem(["triggers", i, "name"], "needs letters or numbers.")
        parsed.triggers[item["slug"]] = " ".join(item["name"].split())
    known_triggers = c.builtins | set(parsed.triggers)
    seen: set[str] = set()
    for i, item in enumerate(data["episodes"]):
        episode = _episode(c, i, item, known_triggers, seen)
        if episode is not None:
            parsed.episodes.append(episode)
        if len(c.problems) > 50:
            break
    seen_checks: set[str] = set()
    check_dates: set[date] = set()
    for i, item in enumerate(data["function_checks"]):
        check = _check(c, i, item, seen_checks)
        if check is not None:
            if check.date in check_dates:
                c.problem(["function_checks", i, "date"], "a second check on the same day.")
            check_dates.add(check.date)
            parsed.checks.append(check)
    day_log_dates: set[date] = set()
    for i, item in enumerate(data.get("day_logs", [])):
        day_log = _day_log(c, i, item)
        if day_log is not None:
            if day_log.date in day_log_dates:
                c.problem(["day_logs", i, "date"], "a second check-in on the same day.")
            day_log_dates.add(day_log.date)
            parsed.day_logs.append(day_log)
    if c.problems:
        raise BadFile(c.problems[:MAX_PROBLEMS], more=max(0, len(c.problems) - MAX_PROBLEMS))
    return parsed


def _day_log(c: _Checker, i: int, item: dict):
    """A daily check-in, checked by the model's own rules (diary.data.checkins.daylog_from_dict)."""
    if c.day(["day_logs", i, "date"], item["date"]) is None:
        return None
    for key in ("medicine", "note"):
        if isinstance(item.get(key), str):
            c.text(["day_logs", i, key], item[key])
    try:
        return daylog_from_dict(None, item)
    except ValidationError as error:
        for name, messages in getattr(error, "message_dict", {"date": error.messages}).items():
            c.problem(["day_logs", i, name], " ".join(messages))
        return None


def _episode(c: _Checker, i: int, item: dict, known_triggers: set, seen: set):
    path = ["episodes", i]
    before = len(c.problems)
    if item["uuid"] in seen:
        c.problem([*path, "uuid"], "the same id appears earlier in the file.")
    seen.add(item["uuid"])
    if item["timezone"] not in c.zones:
        c.problem([*path, "timezone"], f"“{item['timezone']}” is not a time zone we know.")
    started_at = c.instant([*path, "started_at"], item["started_at"])
    created_at = c.instant([*path, "created_at"], item["created_at"])
    updated_at = c.instant([*path, "updated_at"], item["updated_at"])
    duration = timedelta(seconds=item["duration_seconds"])
    if not MIN_DURATION <= duration <= MAX_DURATION:
        c.problem([*path, "duration_seconds"], "must be from 1 second to 24 hours.")
    for code in item["sites"]:
        if code not in c.sites:
            c.problem([*path, "sites"], f"“{code}” is not a body site we know.")
    for slug in item["triggers"]:
        if slug not in known_triggers:
            c.problem([*path, "triggers"], f"“{slug}” is neither built in nor in the file's list.")
    c.text([*path, "notes"], item["notes"])
    if len(c.problems) > before:
        return None
    values = {
        "intensity": item["intensity"],
        "pattern": item["pattern"] or "",
        "stopped_with_movement": item["stopped_with_movement"] or "",
        "visible": item["visible"],
        "context": item["context"] or "",
        "notes": item["notes"],
        **{name: name in item["symptoms"] for name in SYMPTOMS},
    }
    return ParsedEpisode(
        uuid=uuidlib.UUID(item["uuid"]),
        started_at=started_at,
        timezone=item["timezone"],
        duration=duration,
        sites=item["sites"],
        triggers=item["triggers"],
        values=values,
        created_at=created_at,
        updated_at=updated_at,
    )


def _check(c: _Checker, i: int, item: dict, seen: set):
    path = ["function_checks", i]
    before = len(c.problems)
    if item["uuid"] in seen:
        c.problem([*path, "uuid"], "the same id appears earlier in the file.")
    seen.add(item["uuid"])
    day = c.day([*path, "date"], item["date"])
    created_at = c.instant([*path, "created_at"], item["created_at"])
    updated_at = c.instant([*path, "updated_at"], item["updated_at"])
    values = {"note": item["note"]}
    c.text([*path, "note"], item["note"])
    for name in FUNCTION_TASKS:
        answer = item["answers"][name]
        c.text([*path, "answers", name, "note"], answer["note"])
        values[name], values[f"{name}_note"] = answer["new_or_worse"], answer["note"]
    if len(c.problems) > before:
        return None
    return ParsedCheck(uuidlib.UUID(item["uuid"]), day, values, created_at, updated_at)


def parse(raw: bytes, *, now: datetime | None = None, schema: bool = True) -> ParsedFile:
    """
    Bytes -> ParsedFile, or BadFile. `schema=False` skips the schema pass for a file this
    server already validated and kept (the second step of an import).
    """
    data = read_json(raw)
    check_envelope(data)
    if schema:
        check_schema(data)
    return check_meaning(data, now=now or timezone.now())
