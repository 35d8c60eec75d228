"""
Round trips: export -> import into a new account -> export gives the same diary, field by
field (minus ids), on the demo data and on an adversarial set.
"""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from diary.data import export, importer, validation
from diary.demo import create_demo_user, generate_check_ins, generate_episodes
from diary.models import NOTES_MAX_LENGTH, SYMPTOMS, FunctionCheck, Trigger
from diary.models.checkins import QUESTIONS, DayLog
from tests.factories import EpisodeFactory, TriggerFactory, UserFactory
from tests.test_data_export import assert_valid

# The data here lies on fixed dates of 2026: the clock is pinned after them.
pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-01T12:00")]


NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _staging_dir(settings, tmp_path):
    settings.IMPORT_STAGING_DIR = tmp_path / "imports"


def exported(user) -> dict:
    fresh = type(user).objects.get(pk=user.pk)  # not the profile cached on `user`
    data = json.loads(export.chunks_text(export.iter_json(fresh)))
    assert_valid(data)
    return data


def comparable(data: dict) -> dict:
    """The export without what may differ between two accounts: ids and the export time."""

    def episode(e):
        return {k: v for k, v in e.items() if k != "uuid"}

    def check(c):
        return {k: v for k, v in c.items() if k != "uuid"}

    return {
        "profile": data["profile"],
        "triggers": data["triggers"],
        "episodes": sorted(
            (episode(e) for e in data["episodes"]),
            key=lambda e: (e["started_at"], e["created_at"], e["notes"]),
        ),
        "function_checks": [check(c) for c in data["function_checks"]],
        "day_logs": data["day_logs"],
    }


def import_through_the_page(user, data: dict) -> None:
    client = Client()
    client.force_login(user)
    file = SimpleUploadedFile("t.json", json.dumps(data).encode(), "application/json")
    response = client.post(reverse("import"), {"action": "upload", "file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.post(reverse("import"), {"action": "confirm"}).status_code == 302


def assert_same(before: dict, after: dict) -> None:
    a, b = comparable(before), comparable(after)
    assert a["profile"] == b["profile"]
    assert a["triggers"] == b["triggers"]
    assert a["function_checks"] == b["function_checks"]
    assert a["day_logs"] == b["day_logs"]
    assert len(a["episodes"]) == len(b["episodes"])
    for one, other in zip(a["episodes"], b["episodes"], strict=True):
        assert one == other


def test_round_trip_demo_data_into_a_new_account():
    source, _ = create_demo_user("demo-source")
    source.profile.medicines = "Magnesium 300 mg"
    source.profile.save()
    assert generate_episodes(source, weeks=6, seed=5, end=NOW) > 50
    FunctionCheck.objects.create(user=source, date=NOW.date(), stairs=True, stairs_note="slower")
    assert generate_check_ins(source, weeks=6, seed=5, end=NOW) > 20
    before = exported(source)
    assert before["day_logs"]

    target = UserFactory(timezone="UTC")
    import_through_the_page(target, before)
    after = exported(target)

    assert_same(before, after)
    # The source account still exists, so every entry got a new id of its own.
    assert {e["uuid"] for e in before["episodes"]}.isdisjoint(e["uuid"] for e in after["episodes"])


def test_round_trip_after_deleting_the_account_keeps_the_ids():
    source = UserFactory(timezone="Europe/Paris")
    generate_episodes(source, weeks=2, seed=2, end=NOW)
    before = exported(source)
    source.delete()
    target = UserFactory(timezone="UTC")
    importer.import_file(target, validation.parse(json.dumps(before).encode()))
    after = exported(target)
    assert_same(before, after)
    assert [e["uuid"] for e in before["episodes"]] == [e["uuid"] for e in after["episodes"]]


# (zone, UTC instant): the instants around daylight-saving changes, also odd offsets.
DST_EDGES = [
    ("Europe/London", datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC)),  # 00:59:59 GMT
    ("Europe/London", datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),  # 02:00 BST
    ("Europe/London", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # 01:30 BST, first
    ("Europe/London", datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),  # 01:30 GMT, second
    ("America/New_York", datetime(2026, 3, 8, 6, 59, tzinfo=UTC)),
    ("America/New_York", datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
    ("America/New_York", datetime(2026, 11, 1, 6, 30, tzinfo=UTC)),
    ("Australia/Lord_Howe", datetime(2026, 4, 4, 14, 45, tzinfo=UTC)),  # 30-minute DST
    ("Asia/Kathmandu", datetime(2026, 1, 1, 18, 14, tzinfo=UTC)),  # +05:45, 23:59 local
    ("Pacific/Chatham", datetime(2026, 4, 4, 13, 50, tzinfo=UTC)),
    ("America/St_Johns", datetime(2026, 11, 1, 2, 45, tzinfo=UTC)),
    ("Pacific/Kiritimati", datetime(2026, 6, 30, 10, 30, tzinfo=UTC)),  # +14: next day
]

NOTES = [
    "Ελληνικά: σύσπαση στη γάμπα",
    "Кириллица: подёргивание века",
    "Emoji 🙂👍🏽🧑‍⚕️ and a ZWJ",
    '<script>alert("x")</script> & <b>markup</b> "quotes" \'single\'',
    "=SUM(A1) looks like a formula",
    "line one\nline two\r\nline three\ttabbed",
    "🙂" * NOTES_MAX_LENGTH,  # the longest allowed note, in characters
    "x" * NOTES_MAX_LENGTH,
    "",
]


def adversarial_diary(user) -> None:
    user.profile.display_name = "Zoë Ødegård-Łukasz 🙂"
    user.profile.medicines = "<i>Magnesium</i>\n" + "m" * 1900
    user.profile.tests_done = "EMG — normal"
    user.profile.questions = "Ελληνικά; Кириллица?"
    user.profile.save()
    user.profile.hidden_triggers.add(Trigger.objects.get(user=None, slug="stress"))
    own = [TriggerFactory(user=user, name=name) for name in ("Кофе", "Café au lait", "<b>Gin</b>")]
    for i, (zone, started_at) in enumerate(DST_EDGES):
        EpisodeFactory(
            user=user, timezone=zone, started_at=started_at, sites=["calf-left"], notes=NOTES[i % 9]
        )
    # Everything empty and everything set.
    EpisodeFactory(
        user=user,
        started_at=datetime(2026, 7, 1, tzinfo=UTC),
        duration=timedelta(seconds=1),
        sites=["tongue"],
    )
    every_site = [
        "eyelid-left",
        "tongue",
        "throat",
        "hand-right",
        "chest-left",
        "toes-right",
        "calf-left",
    ]
    EpisodeFactory(
        user=user,
        started_at=datetime(2026, 7, 2, 23, 59, 59, tzinfo=UTC),
        duration=timedelta(hours=24),
        sites=every_site,
        triggers=[*own, "caffeine", "stress", "lack-of-sleep", "intense-exercise"],
        intensity=5,
        pattern="continuous",
        **dict.fromkeys(SYMPTOMS, True),
        stopped_with_movement="no",
        visible=True,
        context="after_exercise",
        notes="🙂" * NOTES_MAX_LENGTH,
    )
    FunctionCheck.objects.create(user=user, date=datetime(2026, 7, 3).date())
    FunctionCheck.objects.create(
        user=user,
        date=datetime(2026, 7, 4).date(),
        note="Все задачи 🙂 <b>ok</b>",
        **{f"{name}": True for name in ("walking", "grip", "swallowing")},
        walking_note="x" * 200,
    )


def test_round_trip_adversarial_set():
    source = UserFactory(timezone="Pacific/Chatham")
    adversarial_diary(source)
    before = exported(source)
    assert {e["local_date"] for e in before["episodes"]} >= {"2026-03-29", "2026-07-01"}

    target = UserFactory(timezone="Europe/London")
    import_through_the_page(target, before)
    after = exported(target)

    assert_same(before, after)
    assert after["profile"]["timezone"] == "Pacific/Chatham"
    assert after["profile"]["hidden_triggers"] == ["stress"]
    by_time = {e["started_at"]: e for e in after["episodes"]}
    assert by_time["2026-10-25T01:30:00+01:00"]["local_date"] == "2026-10-25"
    assert by_time["2026-10-25T01:30:00+00:00"]["local_date"] == "2026-10-25"
    assert by_time["2026-07-01T00:30:00+14:00"]["local_date"] == "2026-07-01"
    assert by_time["2026-01-01T23:59:00+05:45"]["local_date"] == "2026-01-01"


def test_round_trip_twice_adds_nothing():
    source = UserFactory(timezone="Europe/London")
    adversarial_diary(source)
    data = exported(source)
    target = UserFactory(timezone="Europe/London")
    importer.import_file(target, validation.parse(json.dumps(data).encode()))
    again = importer.import_file(target, validation.parse(json.dumps(data).encode()))
    assert not again.changes_anything
    assert again.episodes_present == len(data["episodes"])
    assert_same(data, exported(target))


def test_check_ins_round_trip_unknown_stays_unknown_and_a_present_day_stays():
    """Unanswered questions come back unanswered (null), never as "no"; one check-in a day."""
    source = UserFactory(timezone="Europe/London")
    DayLog.objects.create(user=source, date=date(2026, 3, 1), caffeine=4, note="Кофе ☕")
    DayLog.objects.create(user=source, date=date(2026, 3, 2), hard_exercise=False)
    data = exported(source)
    assert data["day_logs"][0] == {
        "date": "2026-03-01",
        **dict.fromkeys(QUESTIONS),
        "caffeine": 4,
        "medicine": "",
        "note": "Кофе ☕",
    }
    target = UserFactory(timezone="UTC")
    DayLog.objects.create(user=target, date=date(2026, 3, 2), unwell=True)
    preview = importer.import_file(target, validation.parse(json.dumps(data).encode()))
    assert (preview.day_logs_new, preview.day_logs_present) == (1, 1)
    assert DayLog.objects.get(user=target, date=date(2026, 3, 2)).unwell is True  # left as it was
    assert DayLog.objects.get(user=target, date=date(2026, 3, 1)).hard_exercise is None


@pytest.mark.parametrize(
    ("day_log", "field"),
    [
        ({"date": "2026-03-01", "caffeine": 9}, "caffeine"),
        ({"date": "2026-03-01", "stress": "extreme"}, "stress"),
        ({"date": "2999-03-01"}, "date"),
        ({"date": "2026-03-01", "unwell": "yes"}, "unwell"),
    ],
)
def test_bad_check_ins_refuse_the_file_and_say_where(day_log, field):
    user = UserFactory(timezone="UTC")
    data = exported(user)
    data["day_logs"] = [day_log]
    with pytest.raises(validation.BadFile) as refused:
        validation.parse(json.dumps(data).encode())
    assert any("check-in 1" in p and field in p for p in refused.value.problems), (
        refused.value.problems
    )
    assert not DayLog.objects.filter(user=user).exists()
