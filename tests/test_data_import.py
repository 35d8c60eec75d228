"""Import: preview first, then all or nothing; bad files explained, never a 500."""

import json
import uuid
from datetime import UTC, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.urls import reverse

from diary.data import bulk, export, importer, maintenance, staging, validation
from diary.demo import generate_episodes
from diary.models import DaySummary, Episode, FunctionCheck, Trigger
from tests.factories import EpisodeFactory, TriggerFactory, UserFactory
from tests.helpers import field_errors, records_change, summary_rows

# The data here lies on fixed dates of 2026: the clock is pinned after them.
pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-01T12:00")]


@pytest.fixture(autouse=True)
def _staging_dir(settings, tmp_path):
    settings.IMPORT_STAGING_DIR = tmp_path / "imports"


def export_of(user) -> dict:
    return json.loads(export.chunks_text(export.iter_json(user)))


def sample_file(**overrides) -> dict:
    """A small valid file: one own trigger, two episodes, one check."""
    source = UserFactory(timezone="Europe/Berlin")
    own = TriggerFactory(user=source, name="Alcohol")
    EpisodeFactory(
        user=source,
        started_at=datetime(2026, 5, 1, 8, tzinfo=UTC),
        sites=["calf-left"],
        triggers=[own],
    )
    EpisodeFactory(
        user=source,
        started_at=datetime(2026, 5, 2, 8, tzinfo=UTC),
        sites=["tongue"],
        triggers=["caffeine"],
    )
    FunctionCheck.objects.create(user=source, date=datetime(2026, 5, 2).date(), grip=True)
    data = export_of(source)
    source.delete()  # the uuids are free again, as after deleting an account
    data.update(overrides)
    return data


def upload(client, content, name="twitchlog.json"):
    raw = content if isinstance(content, bytes) else json.dumps(content).encode()
    file = SimpleUploadedFile(name, raw, content_type="application/json")
    return client.post(reverse("import"), {"action": "upload", "file": file})


def confirm(client):
    return client.post(reverse("import"), {"action": "confirm"})


def test_import_needs_login(client):
    response = client.get(reverse("import"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_import_previews_then_writes(owner_client, user):
    response = upload(owner_client, sample_file())
    assert response.status_code == 302
    assert Episode.objects.filter(user=user).count() == 0, "nothing written before confirming"
    page = owner_client.get(reverse("import")).content.decode()
    assert "Ready to import “twitchlog.json”" in page
    assert "2 new (from 2026-05-01 to 2026-05-02)" in page
    assert "adds Alcohol" in page

    response = confirm(owner_client)
    assert response.status_code == 302
    assert response.url == reverse("history")
    episodes = Episode.objects.filter(user=user).order_by("started_at")
    assert [e.local_date.isoformat() for e in episodes] == ["2026-05-01", "2026-05-02"]
    assert episodes[0].timezone == "Europe/Berlin"
    assert [t.name for t in episodes[0].triggers.all()] == ["Alcohol"]
    assert Trigger.objects.get(user=user).name == "Alcohol"
    assert FunctionCheck.objects.get(user=user).grip is True
    history = owner_client.get(reverse("history")).content.decode()
    assert "Imported 2 episodes, 1 function check, 1 trigger; filled in your time zone." in history
    assert staging.pending(owner_client.session, user) is None
    assert list(staging.staging_dir().iterdir()) == []


def test_import_gives_episodes_the_ids_the_database_would_give(owner_client, user):
    """Written with ids reserved beforehand: after every id ever given, in file order."""
    data = sample_file()  # its source's episodes are deleted with it: their ids were given
    given = EpisodeFactory(user=UserFactory())
    Episode.objects.filter(pk=given.pk).delete()
    upload(owner_client, data)
    confirm(owner_client)
    ids = list(
        Episode.objects.filter(user=user).order_by("started_at").values_list("id", flat=True)
    )
    assert ids == [given.id + 1, given.id + 2] or (
        connections["default"].vendor == "postgresql" and ids[0] > given.id and ids[1] == ids[0] + 1
    )
    links = Episode.sites.through.objects.filter(episode__user=user)
    assert sorted(links.values_list("episode_id", "bodysite__code")) == [
        (ids[0], "calf-left"),
        (ids[1], "tongue"),
    ]
    assert EpisodeFactory(user=user).id == ids[-1] + 1


def test_import_keeps_unanswered_details_and_tasks_unknown(owner_client, user):
    data = sample_file()
    first, second = data["episodes"]
    first["visible"], second["visible"] = None, False
    data["function_checks"][0]["answers"]["speech"]["new_or_worse"] = None
    upload(owner_client, data)
    confirm(owner_client)
    seen = dict(Episode.objects.for_user(user).values_list("uuid", "visible"))
    assert sorted(seen.values(), key=str) == [False, None]
    check = FunctionCheck.objects.for_user(user).get()
    assert (check.grip, check.speech, check.walking) == (True, None, None)


def test_import_reads_a_version_1_file_an_empty_tick_box_as_unknown(owner_client, user):
    """Version 1 had a tick box for "seen under the skin": false there was never a "no"."""
    data = sample_file(version=1)
    first, second = data["episodes"]
    first["visible"], second["visible"] = True, False
    check = data["function_checks"][0]["answers"]
    check["walking"]["new_or_worse"] = False  # a saved answer: v1 checks had to answer all
    upload(owner_client, data)
    confirm(owner_client)
    assert sorted(Episode.objects.for_user(user).values_list("visible", flat=True), key=str) == [
        None,
        True,
    ]
    assert FunctionCheck.objects.for_user(user).get().walking is False


def test_import_same_file_twice_adds_nothing(owner_client, user):
    data = sample_file()
    upload(owner_client, data)
    confirm(owner_client)
    upload(owner_client, data)
    page = owner_client.get(reverse("import")).content.decode()
    assert "0 new, 2 already in your diary" in page
    confirm(owner_client)
    assert Episode.objects.filter(user=user).count() == 2
    assert FunctionCheck.objects.filter(user=user).count() == 1
    assert Trigger.objects.filter(user=user).count() == 1
    history = owner_client.get(reverse("history")).content.decode()
    assert "already in your diary; nothing was added" in history


def test_import_says_what_it_added_check_ins_too(owner_client, user):
    data = sample_file()
    data["day_logs"] = [{"date": "2026-05-01", "caffeine": 2}, {"date": "2026-05-02"}]
    upload(owner_client, data)
    page = owner_client.get(reverse("import")).content.decode()
    assert "Daily check-ins:</strong> 2 new." in page
    confirm(owner_client)
    history = owner_client.get(reverse("history")).content.decode()
    assert "Imported 2 episodes, 1 function check, 2 daily check-ins, 1 trigger;" in history


def test_import_matches_own_triggers_by_name(owner_client, user):
    mine = TriggerFactory(user=user, name="ALCOHOL")
    upload(owner_client, sample_file())
    assert "already here: Alcohol" in owner_client.get(reverse("import")).content.decode()
    confirm(owner_client)
    assert list(Trigger.objects.filter(user=user)) == [mine]
    assert Episode.objects.filter(user=user, triggers=mine).count() == 1


def test_import_gives_another_users_uuid_a_new_one(owner_client, user, other_user):
    theirs = EpisodeFactory(user=other_user, notes="theirs")
    data = export_of(other_user)
    data["episodes"][0]["notes"] = "my copy"
    upload(owner_client, data)
    page = owner_client.get(reverse("import")).content.decode()
    assert "belongs to another account. It gets a new id here" in page
    confirm(owner_client)
    mine = Episode.objects.get(user=user)
    assert mine.uuid == importer.reissued(user, theirs.uuid)
    assert mine.notes == "my copy"
    theirs.refresh_from_db()
    assert (theirs.user, theirs.notes) == (other_user, "theirs")
    # The same file again finds the reissued entry: nothing is added, and the preview says
    # so once (not also that it would get a new id).
    upload(owner_client, data)
    page = owner_client.get(reverse("import")).content.decode()
    assert "0 new, 1 already in your diary" in page
    assert "new id" not in page
    confirm(owner_client)
    assert Episode.objects.filter(user=user).count() == 1


def test_import_now_takes_the_preview_plan_of_a_diary_unchanged_since(owner_client, user):
    upload(owner_client, sample_file())
    with mock.patch("diary.data.importer._uuid_plan", wraps=importer._uuid_plan) as looked_up:
        confirm(owner_client)
    assert looked_up.call_count == 0
    assert Episode.objects.filter(user=user).count() == 2
    assert FunctionCheck.objects.filter(user=user).count() == 1
    history = owner_client.get(reverse("history")).content.decode()
    assert "Imported 2 episodes, 1 function check, 1 trigger;" in history


def test_import_now_plans_again_once_the_diary_changed(owner_client, user):
    """An episode of the file was in the diary at the preview, then purged: it is imported."""
    data = sample_file()
    first = uuid.UUID(data["episodes"][0]["uuid"])
    EpisodeFactory(user=user, uuid=first, deleted_at=datetime(2026, 9, 1, tzinfo=UTC))
    upload(owner_client, data)
    assert "1 already in your diary" in owner_client.get(reverse("import")).content.decode()
    maintenance.purge_deleted()
    with mock.patch("diary.data.importer._uuid_plan", wraps=importer._uuid_plan) as looked_up:
        confirm(owner_client)
    assert looked_up.call_count == 2  # episodes and checks
    assert Episode.objects.filter(user=user, uuid=first).exists()
    history = owner_client.get(reverse("history")).content.decode()
    assert "Imported 2 episodes, 1 function check, 1 trigger;" in history


def test_import_now_plans_again_if_another_account_took_an_id_meanwhile(
    owner_client, user, other_user
):
    data = sample_file()
    first = uuid.UUID(data["episodes"][0]["uuid"])
    upload(owner_client, data)
    EpisodeFactory(user=other_user, uuid=first)  # this diary's data version does not move
    confirm(owner_client)
    mine = set(Episode.objects.filter(user=user).values_list("uuid", flat=True))
    assert mine == {importer.reissued(user, first), uuid.UUID(data["episodes"][1]["uuid"])}
    history = owner_client.get(reverse("history")).content.decode()
    assert "Imported 2 episodes, 1 function check, 1 trigger; filled in your time zone." in history
    user.profile.refresh_from_db()
    assert user.profile.timezone == "Europe/Berlin"


def test_import_skips_a_check_on_a_day_already_checked(owner_client, user):
    FunctionCheck.objects.create(user=user, date=datetime(2026, 5, 2).date(), note="mine")
    upload(owner_client, sample_file())
    assert "left out because you already have a check on that day" in (
        owner_client.get(reverse("import")).content.decode()
    )
    confirm(owner_client)
    assert FunctionCheck.objects.get(user=user).note == "mine"


def test_import_fills_blank_profile_and_the_zone_of_an_empty_diary(owner_client, user):
    data = sample_file()
    data["profile"].update(display_name="Ana", questions="Why?")
    user.profile.questions = "Mine"
    user.profile.save()
    upload(owner_client, data)
    page = owner_client.get(reverse("import")).content.decode()
    assert "fills in your display name and your time zone from the file" in page
    confirm(owner_client)
    user.profile.refresh_from_db()
    assert (user.profile.display_name, user.profile.questions) == ("Ana", "Mine")
    assert user.profile.timezone == "Europe/Berlin"
    history = owner_client.get(reverse("history")).content.decode()
    assert "filled in your display name and your time zone." in history


def test_import_keeps_the_zone_of_a_diary_with_episodes(owner_client, user):
    EpisodeFactory(user=user)
    upload(owner_client, sample_file())
    confirm(owner_client)
    user.profile.refresh_from_db()
    assert user.profile.timezone == "Europe/London"


def test_import_records_the_change_for_every_date(owner_client, user):
    upload(owner_client, sample_file())
    with records_change(user):
        confirm(owner_client)
    days = DaySummary.objects.filter(user=user).values_list("date", flat=True)
    assert [d.isoformat() for d in days] == ["2026-05-01", "2026-05-02"]


def test_import_days_equal_a_rebuild_new_ones_and_those_with_episodes(owner_client, user):
    """Days the diary had no episode on are made from the import's rows, the others rebuilt."""
    source = UserFactory(timezone="Europe/Berlin")
    TriggerFactory(user=source, name="Alcohol")
    generate_episodes(source, weeks=3, per_week=30, seed=5, end=datetime(2026, 6, 1, tzinfo=UTC))
    data = export_of(source)
    source.delete()
    days = sorted({e["local_date"] for e in data["episodes"]})
    noon = [datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC) for day in days[:2]]
    EpisodeFactory(user=user, started_at=noon[0], sites=["tongue"], intensity=2)
    EpisodeFactory(user=user, started_at=noon[1], deleted_at=noon[1])  # not counted
    upload(owner_client, data)
    with records_change(user):
        confirm(owner_client)
    assert [row[0].isoformat() for row in summary_rows(user)] == days
    assert summary_rows(user)[0][1] == 1 + sum(e["local_date"] == days[0] for e in data["episodes"])


def test_import_is_all_or_nothing(owner_client, user):
    upload(owner_client, sample_file())
    with (
        mock.patch("diary.data.importer._checks", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        confirm(owner_client)
    assert Episode.objects.filter(user=user).count() == 0
    assert Trigger.objects.filter(user=user).count() == 0


def test_import_confirm_without_a_pending_file(owner_client, user):
    response = confirm(owner_client)
    assert response.url == reverse("import")
    page = owner_client.get(reverse("import")).content.decode()
    assert "no longer waiting" in page


def test_import_refuses_a_staged_file_changed_on_disk(owner_client, user):
    upload(owner_client, sample_file())
    [path] = staging.staging_dir().iterdir()
    kept = path.read_bytes()
    path.write_bytes(kept.replace(b"calf-left", b"calf-lef\x00"))
    assert path.read_bytes() != kept
    confirm(owner_client)
    assert Episode.objects.filter(user=user).count() == 0
    assert "no longer waiting" in owner_client.get(reverse("import")).content.decode()


def test_import_cancel_discards_the_file(owner_client, user):
    upload(owner_client, sample_file())
    owner_client.post(reverse("import"), {"action": "cancel"})
    assert list(staging.staging_dir().iterdir()) == []
    assert "Ready to import" not in owner_client.get(reverse("import")).content.decode()


def test_import_pending_file_is_only_for_its_user(client, user, other_user):
    client.force_login(user)
    upload(client, sample_file())
    session = client.session
    assert staging.pending(session, other_user) is None
    assert staging.load(session, other_user) is None


def _episode(data, **changes):
    data["episodes"][0].update(changes)
    return data


def _cut_in_a_character() -> bytes:
    raw = json.dumps(_episode(sample_file(), notes="é"), ensure_ascii=False).encode()
    return raw[: raw.index("é".encode()) + 1]  # the first of its two bytes


def _future():
    return (datetime.now(UTC) + timedelta(days=2)).isoformat()


BAD_FILES = {
    "not JSON": (lambda: b"hello, doctor", "This is not valid JSON"),
    "not UTF-8": (lambda: b"\xff\xfe{}", "not a text file in UTF-8"),
    "empty": (lambda: b"  ", "The file is empty."),
    "not Twitchlog": (lambda: {"format": "other"}, "This is not a Twitchlog file"),
    "a list": (lambda: [1, 2], "This is not a Twitchlog file"),
    "newer version": (
        lambda: sample_file(version=3),
        "made by a newer Twitchlog (file version 3); this one reads version 2",
    ),
    "truncated": (
        lambda: json.dumps(sample_file()).encode()[:-40],
        "The file ends too early",
    ),
    "NUL byte": (lambda: b'{"format": "twitchlog"\x00}', "contains a NUL byte"),
    "NUL in notes": (
        lambda: _episode(sample_file(), notes="a\u0000b"),
        "Episode 1, notes: contains a NUL character.",
    ),
    "unknown site": (
        lambda: _episode(sample_file(), sites=["elbow-of-doom"]),
        "Episode 1, sites: “elbow-of-doom” is not a body site we know.",
    ),
    "unknown zone": (
        lambda: _episode(sample_file(), timezone="Mars/Olympus"),
        "Episode 1, timezone: “Mars/Olympus” is not a time zone we know.",
    ),
    "unknown trigger": (
        lambda: _episode(sample_file(), triggers=["gin"]),
        "Episode 1, triggers: “gin” is neither built in nor in the file's list.",
    ),
    "duration too long": (
        lambda: _episode(sample_file(), duration_seconds=86401),
        "Episode 1, duration_seconds: 86401 is greater than the maximum of 86400.",
    ),
    "duration zero": (
        lambda: _episode(sample_file(), duration_seconds=0),
        "Episode 1, duration_seconds: 0 is less than the minimum of 1.",
    ),
    "intensity 9": (
        lambda: _episode(sample_file(), intensity=9),
        "Episode 1, intensity: 9 is greater than the maximum of 5.",
    ),
    "in the future": (
        lambda: _episode(sample_file(), started_at=_future()),
        "Episode 1, started_at: is in the future.",
    ),
    "before 1900": (
        lambda: _episode(sample_file(), started_at="1899-12-31T10:00:00+00:00"),
        "Episode 1, started_at: is before 1900.",
    ),
    "not a real date": (
        lambda: _episode(sample_file(), started_at="2026-02-30T10:00:00+00:00"),
        "Episode 1, started_at: “2026-02-30T10:00:00+00:00” is not a real date and time.",
    ),
    "duplicate uuid": (
        lambda: (d := sample_file(), d["episodes"][1].update(uuid=d["episodes"][0]["uuid"]), d)[2],
        "Episode 2, uuid: the same id appears earlier in the file.",
    ),
    "missing field": (
        lambda: (d := sample_file(), d["episodes"][1].pop("sites"), d)[2],
        "Episode 2: “sites” is missing.",
    ),
    "deeply nested": (lambda: b"[" * 100_000 + b"]" * 100_000, "nested far too deeply"),
    "nested in a field": (
        lambda: _episode(sample_file(), notes=[[[[["x"]]]]]),
        "Episode 1, notes:",
    ),
    "long note": (
        lambda: _episode(sample_file(), notes="x" * 3000),
        "Episode 1, notes: is longer than 2000 characters.",
    ),
    "huge note": (
        lambda: _episode(sample_file(), notes="x" * 3_000_000),
        "Episode 1: is bigger than anything Twitchlog writes (over 256 KB).",
    ),
    "huge number": (
        lambda: (
            json.dumps(sample_file())
            .replace('"intensity": null', '"intensity": 1' + "0" * 5000)
            .encode()
        ),
        "a number that is not allowed",
    ),
    "NaN": (
        lambda: json.dumps(sample_file()).replace('"intensity": null', '"intensity": NaN').encode(),
        "a number that is not allowed",
    ),
    "the same name twice": (
        lambda: (
            json.dumps(sample_file())
            .replace(f'"version": {export.VERSION}', f'"version": 2, "version": {export.VERSION}')
            .encode()
        ),
        "The file: “version” is there twice; each name may appear once.",
    ),
    "the same name twice in an episode": (
        lambda: (
            json.dumps(sample_file()).replace('"notes": ', '"notes": "", "notes": ', 1).encode()
        ),
        "Episode 1: “notes” is there twice; each name may appear once.",
    ),
    "version 1.0": (
        lambda: (
            json.dumps(sample_file())
            .replace(f'"version": {export.VERSION}', f'"version": {export.VERSION}.0')
            .encode()
        ),
        f"The file's version is “{export.VERSION}.0”; a Twitchlog file says a whole number, "
        "like 1.",
    ),
    "version true": (
        lambda: sample_file(version=True),
        "The file's version is “True”; a Twitchlog file says a whole number, like 1.",
    ),
    "intensity 3.0": (
        lambda: _episode(sample_file(), intensity=3.0),
        "Episode 1, intensity: 3.0 is not a whole number from 1 to 5.",
    ),
    "half a character": (
        lambda: _episode(sample_file(), notes="broken \ud83d here"),
        "Episode 1, notes: contains half of a character",
    ),
    "half a character in a hidden trigger": (
        lambda: (d := sample_file(), d["profile"].update(hidden_triggers=["\udc00"]), d)[2],
        "Profile, hidden_triggers → 1: contains half of a character",
    ),
    "a field Twitchlog does not know": (
        lambda: _episode(sample_file(), colour="red"),
        "Episode 1: has a field Twitchlog does not know: “colour”.",
    ),
    "too many sites": (
        lambda: _episode(sample_file(), sites=[{}] * 1000),
        "Episode 1, sites: has more than 60 entries.",
    ),
    "an object for a note": (
        lambda: _episode(sample_file(), notes={"a": 1}),
        "Episode 1, notes: should be text, not an object.",
    ),
    "an empty episode": (
        lambda: (d := sample_file(), d["episodes"].append({}), d)[2],
        "Episode 3: misses “uuid”, “started_at”, “timezone”, “local_date” and 12 more.",
    ),
    "cut in a character": (
        lambda: _cut_in_a_character(),
        "The file ends too early: it looks cut off.",
    ),
    "two checks a day": (
        lambda: (
            d := sample_file(),
            d["function_checks"].append(
                {**d["function_checks"][0], "uuid": "00000000-0000-4000-8000-000000000000"}
            ),
            d,
        )[2],
        "Function check 2, date: a second check on the same day.",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_import_bad_file_is_explained_and_changes_nothing(owner_client, user, case):
    make, expected = BAD_FILES[case]
    EpisodeFactory(user=user)
    response = upload(owner_client, make())
    assert response.status_code == 200
    errors = field_errors(response, "file")
    assert any(expected in error for error in errors), errors
    assert all(len(error) < 400 for error in errors)
    assert Episode.objects.filter(user=user).count() == 1
    assert staging.pending(owner_client.session, user) is None
    assert list(staging.staging_dir().iterdir()) == []


def test_import_names_only_the_first_problems(owner_client, user):
    data = sample_file()
    data["episodes"] = [dict(data["episodes"][0], intensity=7) for _ in range(30)]
    errors = field_errors(upload(owner_client, data), "file")
    assert errors[0] == "Episode 1, intensity: 7 is greater than the maximum of 5."
    assert len(errors) == validation.MAX_PROBLEMS + 1
    assert errors[-1] == "… and 22 more."


def test_import_over_the_size_limit(owner_client, user, settings):
    settings.IMPORT_MAX_BYTES = 100 * 1024
    response = upload(owner_client, b" " * 200_000 + json.dumps(sample_file()).encode())
    assert response.status_code == 200
    [error] = field_errors(response, "file")
    assert error == "The file is bigger than 100 KB, the most Twitchlog imports at once."
    assert Episode.objects.filter(user=user).count() == 0


def test_import_over_32_mb_names_the_limit(owner_client, user):
    response = upload(owner_client, b" " * (32 * 1024 * 1024 + 1))
    [error] = field_errors(response, "file")
    assert error == "The file is bigger than 32 MB, the most Twitchlog imports at once."
    assert Episode.objects.filter(user=user).count() == 0


def test_import_without_a_file(owner_client, user):
    response = owner_client.post(reverse("import"), {"action": "upload"})
    assert field_errors(response, "file") == ["Choose the Twitchlog JSON file to import."]


def test_import_writes_timestamps_as_the_database_adapter_would():
    """The importer's own text for SQLite timestamps: the same as Django's adapter, always."""
    db = connections["default"]
    fast = bulk.utc_text(db)
    if db.vendor == "sqlite":
        assert fast is not None, "SQLite writes naive UTC text: the fast path should be on"
    write = fast or db.ops.adapt_datetimefield_value
    for value in [
        datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 30, 15, 123456, tzinfo=ZoneInfo("Europe/London")),
        datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=ZoneInfo("Europe/London")),
        datetime(1900, 1, 1, 0, 0, 0, 1, tzinfo=ZoneInfo("Asia/Kolkata")),
    ]:
        assert write(value) == db.ops.adapt_datetimefield_value(value)
