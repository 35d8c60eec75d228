"""The checked entries kept between an import's preview and "Import now" read back the same."""

import json
import marshal
import uuid
from datetime import UTC

import pytest

from diary.data import digest, importer, validation
from diary.data.checkins import daylog_to_dict
from tests.test_data_import import sample_file

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-01T12:00")]


def parsed_sample(**overrides):
    data = sample_file(**overrides)
    data["day_logs"] = [{"date": "2026-05-01", "caffeine": 2, "note": "slept badly"}]
    data["episodes"][0]["notes"] = "Zuckungen – linke Wade 🦵"
    data["episodes"][1]["duration_seconds"] = 12.5
    return validation.parse(json.dumps(data).encode())


@pytest.mark.parametrize("version", [1, 2])
def test_digest_reads_back_the_parsed_file(version):
    parsed = parsed_sample(version=version)
    back = digest.loads(digest.dumps(parsed))
    assert back.episodes == parsed.episodes
    assert back.checks == parsed.checks
    assert [daylog_to_dict(d) for d in back.day_logs] == [
        daylog_to_dict(d) for d in parsed.day_logs
    ]
    assert (back.profile, back.triggers) == (parsed.profile, parsed.triggers)
    for episode in back.episodes:
        assert episode.started_at.tzinfo is UTC
        assert episode.created_at.tzinfo is UTC
        assert str(episode.uuid) == str(uuid.UUID(bytes=episode.uuid.bytes))


def test_digest_reads_back_the_uuids_its_preview_planned():
    parsed = parsed_sample()
    [present, reissued] = parsed.episodes
    kept = importer.KeptUuids(
        7,
        {present.uuid: None, reissued.uuid: uuid.uuid5(importer.REISSUE_NAMESPACE, "x")},
        {parsed.checks[0].uuid: parsed.checks[0].uuid},
    )
    back, back_kept = digest.read(digest.dumps(parsed, kept))
    assert back.episodes == parsed.episodes
    assert back_kept == kept
    again, none = digest.read(digest.dumps(parsed))
    assert (again.episodes, none) == (parsed.episodes, None)


def test_digest_kept_by_an_earlier_twitchlog_has_no_uuids_planned():
    """Its five parts, without the plan: "Import now" looks the uuids up."""
    parsed = parsed_sample()
    raw = digest.dumps(parsed)
    earlier = digest.HEADER + marshal.dumps(marshal.loads(raw[len(digest.HEADER) :])[:5])
    back, kept = digest.read(earlier)
    assert (back.episodes, kept) == (parsed.episodes, None)


@pytest.mark.parametrize(
    "kept", [b"", b'{"format": "twitchlog"}', digest.HEADER, digest.HEADER + b"\x00\x01"]
)
def test_digest_of_another_form_is_stale(kept):
    with pytest.raises(digest.Stale):
        digest.loads(kept)


def test_reissued_ids_are_uuid5_of_the_user_and_the_old_id():
    for user_id in (1, 42, 10**9):
        old = uuid.uuid4()
        expected = uuid.uuid5(importer.REISSUE_NAMESPACE, f"{user_id}/{old}")
        made = importer._reissued(user_id, old)
        assert (made, str(made), hash(made), made.version) == (
            expected,
            str(expected),
            hash(expected),
            5,
        )
