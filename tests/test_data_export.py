"""The JSON and CSV exports: lossless, schema-valid, streamed, private, spreadsheet-safe."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft202012Validator

from diary.data import export
from diary.data.schema import schema
from diary.models import SYMPTOMS, FunctionCheck, Trigger
from diary.models.checkins import EXPORT_FIELDS, QUESTIONS
from tests.factories import EpisodeFactory, TriggerFactory
from tests.helpers import bulk_episodes

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def exported(client) -> dict:
    response = client.get(reverse("export-json"))
    assert response.status_code == 200
    data = json.loads(body(response))
    assert_valid(data)
    return data


def assert_valid(data: dict) -> None:
    """Validated with jsonschema, the reference implementation (imports use jsonschema-rs)."""
    Draft202012Validator.check_schema(schema())
    errors = [e.message for e in Draft202012Validator(schema()).iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("name", ["export-json", "export-csv"])
def test_export_needs_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_export_json_has_every_field(owner_client, user):
    user.profile.display_name = "Ana"
    user.profile.medicines = "Magnesium"
    user.profile.save()
    own = TriggerFactory(user=user, name="Alcohol")
    started = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 01:30 BST, the night the clocks change
    episode = EpisodeFactory(
        user=user,
        started_at=started,
        duration=timedelta(minutes=2),
        sites=["calf-left", "tongue"],
        triggers=["caffeine", own],
        intensity=4,
        pattern="few",
        cramps=True,
        stopped_with_movement="not_tried",
        visible=True,
        context="lying",
        notes="Ελληνικά, кириллица, 🙂 <b>bold</b>",
    )
    FunctionCheck.objects.create(
        user=user, date=started.date(), grip=True, grip_note="jars", speech=False
    )

    data = exported(owner_client)

    assert data["format"] == "twitchlog"
    assert data["version"] == 2
    assert data["profile"]["display_name"] == "Ana"
    assert data["profile"]["medicines"] == "Magnesium"
    assert data["profile"]["timezone"] == "Europe/London"
    assert data["triggers"] == [{"name": "Alcohol", "slug": "alcohol"}]
    [item] = data["episodes"]
    assert item["uuid"] == str(episode.uuid)
    assert item["started_at"] == "2026-03-29T00:30:00+00:00"
    assert item["timezone"] == "Europe/London"
    assert item["local_date"] == "2026-03-29"
    assert item["duration_seconds"] == 120
    assert sorted(item["sites"]) == ["calf-left", "tongue"]
    assert sorted(item["triggers"]) == ["alcohol", "caffeine"]
    assert item["intensity"] == 4
    assert item["pattern"] == "few"
    assert item["symptoms"] == ["cramps"]
    assert item["stopped_with_movement"] == "not_tried"
    assert item["visible"] is True
    assert item["context"] == "lying"
    assert item["notes"] == "Ελληνικά, кириллица, 🙂 <b>bold</b>"
    assert datetime.fromisoformat(item["created_at"]) == episode.created_at
    [check] = data["function_checks"]
    assert check["answers"]["grip"] == {"new_or_worse": True, "note": "jars"}
    assert check["answers"]["speech"] == {"new_or_worse": False, "note": ""}
    assert check["answers"]["walking"] == {"new_or_worse": None, "note": ""}  # not answered


def test_export_json_writes_the_local_offset_and_empty_answers_as_null(owner_client, user):
    user.profile.timezone = "Asia/Tokyo"
    user.profile.save()
    EpisodeFactory(user=user, started_at=datetime(2026, 6, 30, 15, 30, tzinfo=UTC))
    [item] = exported(owner_client)["episodes"]
    assert item["started_at"] == "2026-07-01T00:30:00+09:00"
    assert item["local_date"] == "2026-07-01"
    assert item["intensity"] is None
    assert item["pattern"] is None
    assert item["visible"] is None
    assert item["context"] is None
    assert item["triggers"] == []


def test_export_json_leaves_out_deleted_episodes_and_other_users(owner_client, user, other_user):
    kept = EpisodeFactory(user=user)
    EpisodeFactory(user=user, deleted_at=timezone.now())
    EpisodeFactory(user=other_user)
    TriggerFactory(user=other_user, name="Theirs")
    data = exported(owner_client)
    assert [e["uuid"] for e in data["episodes"]] == [str(kept.uuid)]
    assert data["triggers"] == []


@pytest.mark.calendar
def test_export_headers_download_and_no_store(owner_client, user):
    """The file is named after the person's today, not the server's (UTC)."""
    for name, suffix, kind in [
        ("export-json", "json", "application/json"),
        ("export-csv", "csv", "text/csv"),
    ]:
        response = owner_client.get(reverse(name))
        today = timezone.now().astimezone(user.profile.zone).date()
        assert response.streaming
        assert response["Content-Type"].startswith(kind)
        assert response["Cache-Control"] == "no-store"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert f'filename="twitchlog-{today.isoformat()}.{suffix}"' in disposition


def test_export_json_queries_do_not_grow_with_episodes(user, django_assert_max_num_queries):
    bulk_episodes(user, 10)
    with django_assert_max_num_queries(100) as small:
        small_body = export.chunks_text(export.iter_json(user))
    bulk_episodes(user, 3000, start=datetime(2020, 1, 1, tzinfo=UTC))
    with django_assert_max_num_queries(len(small)) as large:
        large_body = export.chunks_text(export.iter_json(user))
    assert len(json.loads(small_body)["episodes"]) == 10
    assert len(json.loads(large_body)["episodes"]) == 3010
    assert_valid(json.loads(large_body))
    assert len(large) == len(small)


def test_export_json_keeps_links_with_their_episode(user):
    """Episodes without sites or triggers in between do not shift the streams of links."""
    own = Trigger.objects.create(user=user, name="Alcohol")
    base = datetime(2026, 1, 5, 12, tzinfo=UTC)
    first = EpisodeFactory(user=user, started_at=base, sites=["tongue"], triggers=["stress"])
    bare = EpisodeFactory(user=user, started_at=base + timedelta(hours=1), sites=["neck"])
    last = EpisodeFactory(
        user=user, started_at=base + timedelta(hours=2), sites=["foot-left"], triggers=[own]
    )
    data = json.loads(export.chunks_text(export.iter_json(user)))
    items = {e["uuid"]: e for e in data["episodes"]}
    assert (items[str(first.uuid)]["sites"], items[str(first.uuid)]["triggers"]) == (
        ["tongue"],
        ["stress"],
    )
    assert (items[str(bare.uuid)]["sites"], items[str(bare.uuid)]["triggers"]) == (["neck"], [])
    assert items[str(last.uuid)]["triggers"] == ["alcohol"]


def read_csv(client) -> list[dict]:
    raw = body(client.get(reverse("export-csv")))
    assert raw.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_export_csv_one_readable_row_per_episode(owner_client, user):
    EpisodeFactory(
        user=user,
        started_at=datetime(2026, 7, 1, 21, 15, tzinfo=UTC),
        sites=["calf-left", "tongue"],
        triggers=["caffeine"],
        weakness=True,
        intensity=2,
        pattern="single",
        context="rest",
        notes="Кофе ☕",
    )
    EpisodeFactory(user=user, deleted_at=timezone.now())
    [row] = read_csv(owner_client)
    assert row["Date"] == "2026-07-01"
    assert row["Time"] == "22:15:00"
    assert row["Time zone"] == "Europe/London"
    assert row["Duration (s)"] == "5"
    assert row["Sites"] == "Tongue, Left calf"
    assert row["Site codes"] == "tongue, calf-left"
    assert row["Regions"] == "Head & face, Legs & feet"
    assert row["Triggers"] == "Caffeine"
    assert row["Weakness"] == "yes"
    assert row["Cramps"] == "no"
    assert row["Strength (1-5)"] == "2"
    assert row["Pattern"] == "A single twitch"
    assert row["What you were doing"] == "At rest"
    assert row["Visible under the skin"] == ""  # not answered: blank, never "no"
    assert row["Notes"] == "Кофе ☕"


def test_export_csv_seen_under_the_skin_yes_no_or_blank(owner_client, user):
    for visible in (True, False, None):
        EpisodeFactory(user=user, visible=visible)
    rows = read_csv(owner_client)
    assert sorted(row["Visible under the skin"] for row in rows) == ["", "no", "yes"]


@pytest.mark.parametrize("notes", ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx"])
def test_export_csv_neutralises_formulas(owner_client, user, notes):
    EpisodeFactory(user=user, notes=notes)
    [row] = read_csv(owner_client)
    assert row["Notes"] == "'" + notes


def test_export_csv_neutralises_trigger_names(owner_client, user):
    EpisodeFactory(user=user, triggers=[Trigger.objects.create(user=user, name="=HYPERLINK")])
    [row] = read_csv(owner_client)
    assert row["Triggers"] == "'=HYPERLINK"


def test_export_csv_header_only_for_an_empty_diary(owner_client):
    assert read_csv(owner_client) == []


def test_settings_offers_the_downloads(owner_client):
    html = owner_client.get(reverse("settings")).content.decode()
    assert reverse("export-json") in html
    assert reverse("export-csv") in html
    assert "stored on this Twitchlog server" in html
    assert "every episode, every function check and every daily check-in" in html


def reference_episode(episode) -> dict:
    """One episode as the export writes it, from the model as the ORM reads it."""
    seconds = episode.duration.total_seconds()
    zone = ZoneInfo(episode.timezone)
    return {
        "uuid": str(episode.uuid),
        "started_at": episode.started_at.astimezone(zone).isoformat(),
        "timezone": episode.timezone,
        "local_date": episode.local_date.isoformat(),
        "duration_seconds": int(seconds) if seconds.is_integer() else seconds,
        "sites": [s.code for s in episode.sites.order_by("sort_order")],
        "triggers": [t.slug for t in episode.triggers.order_by("slug")],
        "intensity": episode.intensity,
        "pattern": episode.pattern or None,
        "symptoms": [name for name in SYMPTOMS if getattr(episode, name)],
        "stopped_with_movement": episode.stopped_with_movement or None,
        "visible": episode.visible,
        "context": episode.context or None,
        "notes": episode.notes,
        "created_at": episode.created_at.astimezone(UTC).isoformat(),
        "updated_at": episode.updated_at.astimezone(UTC).isoformat(),
    }


def test_export_json_episodes_are_byte_for_byte_what_the_orm_reads(user):
    """The export reads rows through a plain cursor; its text must not differ by a byte."""
    own = TriggerFactory(user=user, name="Ölmühle")
    EpisodeFactory(
        user=user,
        started_at=datetime(2026, 3, 29, 0, 30, 15, 123456, tzinfo=UTC),
        timezone="America/St_Johns",  # a half-hour offset
        duration=timedelta(seconds=90, microseconds=500_000),
        sites=["tongue", "calf-left", "eyelid-right"],
        triggers=[own, "caffeine"],
        intensity=None,
        weakness=True,
        numbness=True,
        visible=True,
        notes='quote " backslash \\ newline \n ctrl \x01 emoji 🙂',
    )
    EpisodeFactory(user=user, duration=timedelta(hours=24), intensity=5, pattern="single")
    EpisodeFactory(user=user, deleted_at=timezone.now())  # left out
    raw = b"".join(export.iter_json(user))
    body = raw[raw.index(b'"episodes": [\n') + len(b'"episodes": [\n') : raw.rindex(b"\n ]")]
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    episodes = user.episodes.filter(deleted_at=None).order_by("id")
    assert body == ",\n".join(encode(reference_episode(e)) for e in episodes).encode()


@pytest.mark.parametrize(
    "text",
    [
        "2026-05-01 08:00:00",
        "2026-05-01 08:00:00.123456",
        "2026-05-01 08:00:00+00",
        "2026-05-01 08:00:00.123+00",
        "2026-05-01 08:00:00.1+00",
        "2026-05-01 08:00:00.000001+00",
        "2026-05-01 08:00:00.999999+00",
        "2026-05-01 08:00:00.1+05:30",
        "2026-05-01 08:00:00+0000",
        "2026-05-01 08:00:00.+00",
        "2026-05-01 08:00:00.123456-03",
        "2026-05-01T08:00:00+00:00",
    ],
)
def test_export_timestamp_text_is_what_isoformat_writes(text):
    """SQLite's naive UTC text and PostgreSQL's in UTC are rewritten without parsing;
    anything else is parsed."""
    assert export._utc_iso(text) == export._aware(text).isoformat()


def test_schema_and_export_agree_on_the_check_in_questions():
    """
    The export schema describes exactly the fields a check-in is exported with, and each
    question's answers: a question added to the table but not to diary/data/schema.json (or
    the other way round) fails here.
    """
    properties = schema()["properties"]["day_logs"]["items"]["properties"]
    assert list(properties) == list(EXPORT_FIELDS)
    for name, question in QUESTIONS.items():
        values = [value for value, _words in question.answers]
        if all(isinstance(value, bool) for value in values):
            assert properties[name]["type"] == ["boolean", "null"], name
        else:
            assert properties[name]["enum"] == [*values, None], name


def test_schema_and_export_agree_on_the_episode_fields(user):
    EpisodeFactory(user=user, notes="x")
    exported = json.loads(export.chunks_text(export.iter_json(user)))["episodes"][0]
    assert set(schema()["$defs"]["episode"]["properties"]) == set(exported)


def test_export_episode_lines_are_what_the_standard_json_encoder_writes(user):
    """Episodes are written by orjson: byte for byte what json.dumps wrote before."""
    notes = [
        "".join(chr(i) for i in range(1, 32)) + ' "quoted" back\\slash / tab\there',
        "Zuckung – linke Wade 🦵, é€ \u2028\u2029\ufeff\x7f\u0085",
        "",
    ]
    for i, (note, seconds) in enumerate(zip(notes, [1, 12.5, 86399.999999], strict=True)):
        EpisodeFactory(
            user=user,
            started_at=datetime(2026, 5, 1 + i, 8, 30, 15, 123456 * i, tzinfo=UTC),
            duration=timedelta(seconds=seconds),
            notes=note,
            intensity=None if i else 4,
            visible=[True, None, False][i],
            sites=["calf-left", "tongue"][: i + 1],
            triggers=["caffeine"] * i,
        )
    text = b"".join(export.iter_json(user))
    lines = text.split(b'"episodes": [\n', 1)[1].rsplit(b"\n ]", 1)[0].split(b",\n")
    standard = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    assert len(lines) == 3
    for line in lines:
        assert line == standard(json.loads(line)).encode()
    assert [json.loads(line)["notes"] for line in lines] == notes
