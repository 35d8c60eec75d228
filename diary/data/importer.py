"""
Importing a Twitchlog file into the logged-in user's diary: `plan()` compares a checked file
(diary.data.validation) with what is already there, `apply()` writes it, all or nothing.

Rules:
- An episode or function check whose uuid is already in this diary is left as it is (deleted or
  not), so importing the same file twice adds nothing.
- A uuid that belongs to ANOTHER account is never touched: the entry gets a new uuid derived
  from (this user, old uuid), so a second import of that file finds it again and adds nothing.
- Own triggers are matched by slug or case-insensitive name (built-ins included), else created.
- A function check on a date this diary already has a check for is skipped (yours stays).
- Blank profile fields are filled from the file; the time zone too while the diary is empty;
  so are the questions "About your twitching" this diary has not answered (diary/data/about.py).
"""

from __future__ import annotations

import hashlib
import uuid as uuidlib
import zoneinfo
from dataclasses import asdict, dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diary.data.about import FILLED_IN, about_fill
from diary.data.bulk import insert_rows, uuid_from_int, uuid_rows
from diary.data.episodes import insert_episodes
from diary.data.validation import ParsedFile
from diary.models import (
    DayLog,
    DayTally,
    Episode,
    FunctionCheck,
    Profile,
    Trigger,
    data_changed,
    trigger_slug,
)

# A fixed namespace for the new uuids of entries whose uuid belongs to someone else.
REISSUE_NAMESPACE = uuidlib.UUID("6f1c1b0e-5b8f-4c59-9a55-2f0d7d3c8e21")
PROFILE_TEXTS = ("display_name", "medicines", "tests_done", "questions")
# The profile's fields as the preview and the success message name them.
PROFILE_WORDS = {
    "display_name": gettext_lazy("your display name"),
    "timezone": gettext_lazy("your time zone"),
    "medicines": gettext_lazy("medicines and supplements"),
    "tests_done": gettext_lazy("tests already done"),
    "questions": gettext_lazy("questions to ask your doctor"),
    FILLED_IN: gettext_lazy("your answers about your twitching"),
}


@dataclass
class Preview:
    """What an import would do; also what it did (apply returns it)."""

    episodes_new: int = 0
    episodes_present: int = 0
    episodes_reissued: int = 0
    checks_new: int = 0
    checks_present: int = 0
    checks_reissued: int = 0
    checks_same_day: int = 0
    triggers_new: list[str] = field(default_factory=list)
    triggers_matched: list[str] = field(default_factory=list)
    profile: list[str] = field(default_factory=list)  # the fields that get filled in
    day_logs_new: int = 0
    day_logs_present: int = 0  # a check-in for that date is in the diary already: left as it is
    # Videos and photos (a ZIP from "Download everything"): new, and already in the diary.
    clips_new: int = 0
    clips_present: int = 0
    first: str | None = None
    last: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def changes_anything(self) -> bool:
        return bool(
            self.episodes_new
            or self.checks_new
            or self.triggers_new
            or self.profile
            or self.day_logs_new
            or self.clips_new
        )


def profile_words(fields: list[str]) -> str:
    """["display_name", "questions"] -> "your display name and questions to ask your doctor"."""
    return list_words([str(PROFILE_WORDS[name]) for name in fields])


def list_words(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c' in the active language ("" for none)."""
    if len(words) <= 1:
        return "".join(words)
    return _("%(items)s and %(last)s") % {"items": _(", ").join(words[:-1]), "last": words[-1]}


@dataclass(frozen=True)
class KeptUuids:
    """
    The costly part of a plan, what becomes of each uuid of the file (looked up among 50,000
    rows), kept with the checked file from its preview to "Import now": made again only if
    the diary's data version has moved since (every write of the person's data moves it).
    """

    version: int  # the diary's data version read before the uuids were looked up
    episodes: dict[uuidlib.UUID, uuidlib.UUID | None]  # file uuid -> uuid to write, or None
    checks: dict[uuidlib.UUID, uuidlib.UUID | None]  # before checks on days taken are left out


@dataclass
class Plan:
    preview: Preview
    parsed: ParsedFile
    episode_uuids: dict[uuidlib.UUID, uuidlib.UUID | None]  # file uuid -> uuid to write, or None
    check_uuids: dict[uuidlib.UUID, uuidlib.UUID | None]
    trigger_ids: dict[str, int | None]  # file slug -> existing trigger id, None: create
    profile: dict
    kept: KeptUuids  # to keep for "Import now"
    reused: bool = False  # the uuids came from a kept plan, not from the database


def reissued(user, old: uuidlib.UUID) -> uuidlib.UUID:
    return _reissued(user.pk, old)


# uuid5(REISSUE_NAMESPACE, name) is sha1(namespace bytes + name), its version and variant set.
_NAMESPACE_BYTES = REISSUE_NAMESPACE.bytes
_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_VERSION_5 = (0x8000 << 48) | (5 << 76)


def _reissued(user_id: int, old: uuidlib.UUID) -> uuidlib.UUID:
    """uuid5(REISSUE_NAMESPACE, f"{user_id}/{old}"), for 50,000 entries at a time."""
    digest = hashlib.sha1(_NAMESPACE_BYTES + f"{user_id}/{old}".encode()).digest()
    return uuid_from_int((int.from_bytes(digest[:16]) & _CLEAR) | _VERSION_5)


def _uuid_plan(user, model, uuids: list[uuidlib.UUID]) -> tuple[dict, int, int]:
    """
    file uuid -> uuid to create (None: already here); with the counts present and reissued
    (entries with another account's uuid that get a new one: not those already imported).
    """
    user_id = user.pk  # once: the view's user is a lazy object, costly to read per entry
    owners = uuid_rows(model, "user_id", uuids)
    others = {u: _reissued(user_id, u) for u, owner in owners.items() if owner != user_id}
    # A reissued uuid already here means an earlier import of this file brought it in: none
    # can be in a diary that has no entries of this kind at all (a new account, say).
    if others and model._base_manager.filter(user_id=user_id).exists():
        owners.update(uuid_rows(model, "user_id", list(others.values())))
    plan: dict[uuidlib.UUID, uuidlib.UUID | None] = {}
    present = new_ids = 0
    for u in uuids:
        target = others.get(u, u)
        if owners.get(target) == user_id:
            plan[u] = None
            present += 1
        else:
            plan[u] = target
            new_ids += target is not u
    return plan, present, new_ids


def data_version(user) -> int:
    """The diary's data version as the database has it now (not a profile read earlier)."""
    return Profile.objects.filter(user_id=user.pk).values_list("data_version", flat=True).get()


def _counts(uuids: dict[uuidlib.UUID, uuidlib.UUID | None]) -> tuple[int, int]:
    """(present, reissued) of a kept uuid plan, as _uuid_plan counts them."""
    present = reissued = 0
    for old, new in uuids.items():
        if new is None:
            present += 1
        elif new != old:
            reissued += 1
    return present, reissued


def plan(user, parsed: ParsedFile, kept: KeptUuids | None = None) -> Plan:
    """
    What importing `parsed` would do. `kept` (the uuids of the preview's plan) stands in for
    looking the file's uuids up again if the diary has not changed since.
    """
    # First: a write after this read moves the version, so a plan kept with it is never
    # older than what the version says.
    version = data_version(user)
    reused = kept is not None and kept.version == version
    preview = Preview()
    taken_check_in_days = set(DayLog.objects.for_user(user).values_list("date", flat=True))
    preview.day_logs_present = sum(d.date in taken_check_in_days for d in parsed.day_logs)
    preview.day_logs_new = len(parsed.day_logs) - preview.day_logs_present
    if reused:
        episode_uuids = kept.episodes
        preview.episodes_present, preview.episodes_reissued = _counts(episode_uuids)
        check_uuids = dict(kept.checks)
        preview.checks_present, preview.checks_reissued = _counts(check_uuids)
    else:
        episode_uuids, preview.episodes_present, preview.episodes_reissued = _uuid_plan(
            user, Episode, [e.uuid for e in parsed.episodes]
        )
        check_uuids, preview.checks_present, preview.checks_reissued = _uuid_plan(
            user, FunctionCheck, [c.uuid for c in parsed.checks]
        )
        kept = KeptUuids(version, episode_uuids, dict(check_uuids))
    preview.episodes_new = sum(v is not None for v in episode_uuids.values())
    taken_days = set(FunctionCheck.objects.for_user(user).values_list("date", flat=True))
    for check in parsed.checks:
        if check_uuids[check.uuid] is not None and check.date in taken_days:
            check_uuids[check.uuid] = None
            preview.checks_same_day += 1
    preview.checks_new = sum(v is not None for v in check_uuids.values())

    trigger_ids: dict[str, int | None] = {}
    mine = list(Trigger.objects.for_user(user))
    for slug, name in parsed.triggers.items():
        wanted = trigger_slug(name)
        match = next(
            (t for t in mine if t.slug == wanted or t.name.casefold() == name.casefold()), None
        )
        trigger_ids[slug] = match.pk if match else None
        (preview.triggers_matched if match else preview.triggers_new).append(name)

    profile = user.profile
    fill = {
        k: parsed.profile[k] for k in PROFILE_TEXTS if parsed.profile[k] and not getattr(profile, k)
    }
    zone = parsed.profile["timezone"]
    if (
        zone != profile.timezone
        and not Episode.objects.for_user(user, include_deleted=True).exists()
    ):
        fill["timezone"] = zone
    about = about_fill(profile, parsed.profile.get("about") or {})
    preview.profile = sorted(fill) + ([FILLED_IN] if about else [])
    fill |= about
    new = [e for e in parsed.episodes if episode_uuids[e.uuid] is not None]
    if new:
        # Each in the zone it was logged in, as the file writes it.
        first = min(new, key=lambda e: e.started_at)
        last = max(new, key=lambda e: e.started_at)
        preview.first, preview.last = (
            e.started_at.astimezone(zoneinfo.ZoneInfo(e.timezone)).isoformat()
            for e in (first, last)
        )
    return Plan(preview, parsed, episode_uuids, check_uuids, trigger_ids, fill, kept, reused)


def _triggers(user, plan_: Plan) -> dict[str, int]:
    """file slug -> trigger id for every trigger an episode may name, creating what is new."""
    ids = {t.slug: t.pk for t in Trigger.objects.filter(user=None)}
    created: dict[str, int] = {}  # "Alcohol" and "alcohol" in one file make one trigger
    for slug, name in plan_.parsed.triggers.items():
        existing = plan_.trigger_ids[slug]
        if existing is None:
            wanted = trigger_slug(name)
            if wanted not in created:
                created[wanted] = Trigger.objects.create(user=user, name=name, slug=wanted).pk
            existing = created[wanted]
        ids[slug] = existing
    return ids


def _profile(user, plan_: Plan) -> None:
    profile: Profile = user.profile
    for key, value in plan_.profile.items():
        setattr(profile, key, value)
    if plan_.profile:
        profile.save(update_fields=list(plan_.profile))
    hidden = plan_.parsed.profile.get("hidden_triggers") or []
    if hidden:
        profile.hidden_triggers.add(*Trigger.objects.filter(user=None, slug__in=hidden))


def _episodes(user, plan_: Plan, trigger_ids: dict[str, int]) -> DayTally:
    uuids = plan_.episode_uuids
    new = [e for e in plan_.parsed.episodes if uuids[e.uuid] is not None]
    # The user's id once: the view's user is a lazy object, costly to read per entry.
    return insert_episodes(user.pk, new, uuids, trigger_ids)


def _checks(user, plan_: Plan) -> None:
    new = [c for c in plan_.parsed.checks if plan_.check_uuids[c.uuid] is not None]
    if not new:
        return
    names = list(new[0].values)
    user_id = user.pk
    insert_rows(
        FunctionCheck,
        ["uuid", "user", "date", *names, "created_at", "updated_at"],
        [
            [plan_.check_uuids[c.uuid], user_id, c.date]
            + [c.values[n] for n in names]
            + [c.created_at, c.updated_at]
            for c in new
        ],
    )


def _day_logs(user, plan_: Plan) -> None:
    """The file's check-ins for dates that have none yet (one a day: a present one stays)."""
    taken = set(DayLog.objects.for_user(user).values_list("date", flat=True))
    new = [d for d in plan_.parsed.day_logs if d.date not in taken]
    for day_log in new:
        day_log.user = user
    DayLog.objects.bulk_create(new)


def apply(user, plan_: Plan) -> Preview:
    """Write the plan in one transaction: all of it, or (on any error) nothing."""
    with transaction.atomic():
        trigger_ids = _triggers(user, plan_)
        _profile(user, plan_)
        tally = _episodes(user, plan_, trigger_ids)
        _checks(user, plan_)
        _day_logs(user, plan_)
        data_changed(user, tally=tally)
    return plan_.preview


def import_kept(user, parsed: ParsedFile, kept: KeptUuids | None) -> Preview:
    """
    "Import now": plan (with the preview's uuids if the diary has not changed) and apply.
    Another account can take one of the file's uuids meanwhile without moving this diary's
    version: the write then fails on it, and is planned afresh and made once more.
    """
    plan_ = plan(user, parsed, kept)
    if not plan_.reused:
        return apply(user, plan_)
    try:
        return apply(user, plan_)
    except IntegrityError:
        user.profile.refresh_from_db()  # as the rolled-back write left it
        return apply(user, plan(user, parsed))


def import_file(user, parsed: ParsedFile) -> Preview:
    """plan + apply, for the command line and the benchmarks."""
    return apply(user, plan(user, parsed))
