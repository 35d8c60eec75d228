"""
Logging from the phone's offline queue: a client-made UUID saves at most one
episode, the tap time counts instead of the arrival time, and refusals come back with reasons.
"""

import json
import uuid
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.db import IntegrityError
from django.utils import timezone

from diary.episodes import saving
from diary.forms import LogEpisodeForm
from diary.forms.episodes import TAP_WINDOW
from diary.models import Episode, catalogue_by_region
from tests.factories import EpisodeFactory
from tests.helpers import HTMX, bulk_episodes, episode_data, field_errors, records_change

pytestmark = pytest.mark.django_db

JSON = {"Accept": "application/json"}


def queued(**overrides) -> dict:
    """What the queue sender posts: the form's fields plus the phone's UUID and tap time."""
    fields = {"client_uuid": str(uuid.uuid4()), "tapped_at": iso(timezone.now()), **overrides}
    return episode_data(**fields)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# --- Idempotency ---


def test_same_uuid_twice_makes_one_episode(owner_client, user):
    data = queued()
    first = owner_client.post("/", data, headers=JSON)
    second = owner_client.post("/", data, headers=JSON)
    assert first.status_code == 201
    assert first.json()["status"] == "created"
    assert second.status_code == 200
    assert second.json()["status"] == "exists"
    episode = Episode.objects.get(user=user)
    assert str(episode.uuid) == data["client_uuid"]
    assert first.json()["uuid"] == second.json()["uuid"] == data["client_uuid"]
    assert second.json()["episode"]["sites"] == ["Left calf"]


def test_repeat_of_a_deleted_episode_does_not_bring_it_back(owner_client, user):
    data = queued()
    owner_client.post("/", data, headers=JSON)
    Episode.objects.get(user=user).soft_delete()
    response = owner_client.post("/", data, headers=JSON)
    assert response.json()["status"] == "exists"
    assert Episode.objects.for_user(user).count() == 0
    assert Episode.objects.for_user(user, include_deleted=True).count() == 1


def test_same_uuid_twice_with_htmx_says_already_logged(owner_client, user):
    data = queued()
    owner_client.post("/", data, headers=HTMX)
    response = owner_client.post("/", data, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Already logged" in html
    assert "Left calf" in html
    assert Episode.objects.filter(user=user).count() == 1


def test_same_uuid_twice_without_javascript_redirects_with_a_note(owner_client, user):
    data = queued()
    owner_client.post("/", data)
    response = owner_client.post("/", data, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "Already logged" in response.content.decode()
    assert Episode.objects.filter(user=user).count() == 1


def test_post_without_uuid_gets_one_from_the_server(owner_client, user):
    owner_client.post("/", episode_data())
    owner_client.post("/", episode_data())
    uuids = set(Episode.objects.filter(user=user).values_list("uuid", flat=True))
    assert len(uuids) == 2


def test_race_on_the_unique_uuid_returns_the_winner(owner_client, user):
    """Two posts of one UUID at once: the loser's insert fails, and it answers with the winner."""
    data = queued()
    winner = EpisodeFactory(user=user, uuid=uuid.UUID(data["client_uuid"]))
    real = saving.own_episode
    calls = iter([None])  # the first look finds nothing: the winner commits just after it

    def look(user, key):
        return next(calls, None) or real(user, key)

    with mock.patch.object(saving, "own_episode", side_effect=look):
        response = owner_client.post("/", data, headers=JSON)
    assert response.status_code == 200
    assert response.json() == {
        "status": "exists",
        "uuid": str(winner.uuid),
        "episode": mock.ANY,
    }
    assert Episode.objects.filter(user=user).count() == 1


def test_integrity_error_without_a_client_uuid_is_not_hidden(user):
    form = LogEpisodeForm(episode_data(), user=user, zone=user.profile.zone)
    assert form.is_valid()
    with (
        mock.patch.object(LogEpisodeForm, "save", side_effect=IntegrityError),
        pytest.raises(IntegrityError),
    ):
        saving.save_logged(form)


def test_uuid_of_another_users_episode_is_refused_without_leaking(owner_client, user, other_user):
    theirs = EpisodeFactory(user=other_user, sites=["tongue"], notes="private")
    data = queued(client_uuid=str(theirs.uuid))
    response = owner_client.post("/", data, headers=JSON)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "conflict"
    assert body["messages"] == [saving.UUID_TAKEN]
    assert "Tongue" not in response.content.decode()
    assert "private" not in response.content.decode()
    assert not Episode.objects.filter(user=user).exists()
    assert Episode.objects.get(uuid=theirs.uuid).user == other_user


def test_uuid_of_another_users_episode_on_the_form_page(owner_client, user, other_user):
    theirs = EpisodeFactory(user=other_user, sites=["tongue"])
    response = owner_client.post("/", queued(client_uuid=str(theirs.uuid)), headers=HTMX)
    assert response.status_code == 200
    assert str(saving.UUID_TAKEN) in response.content.decode()
    assert not Episode.objects.filter(user=user).exists()


def test_unreadable_uuid_is_refused(owner_client, user):
    response = owner_client.post("/", queued(client_uuid="not-a-uuid"), headers=JSON)
    assert response.status_code == 200
    assert response.json()["errors"] == {
        "__all__": ["This entry's id is not one we can read. Log it again."]
    }
    assert response.json()["uuid"] is None
    assert not Episode.objects.exists()


def test_write_records_the_change(owner_client, user):
    with records_change(user):
        owner_client.post("/", queued(), headers=JSON)
    episode = Episode.objects.get(user=user)
    assert user.day_summaries.get().date == episode.local_date


# --- The tap time ---


@pytest.mark.calendar
def test_now_means_the_tap_time(owner_client, user):
    tapped = timezone.now().replace(microsecond=250000) - timedelta(hours=5)
    owner_client.post("/", queued(tapped_at=iso(tapped)), headers=JSON)
    assert Episode.objects.get(user=user).started_at == tapped


@pytest.mark.calendar
def test_fifteen_minutes_ago_counts_back_from_the_tap(owner_client, user):
    tapped = timezone.now().replace(microsecond=0) - timedelta(days=2)
    owner_client.post("/", queued(tapped_at=iso(tapped), when="15"), headers=JSON)
    assert Episode.objects.get(user=user).started_at == tapped - timedelta(minutes=15)


@pytest.mark.now("2026-12-01T12:00")
def test_tap_time_in_another_offset_is_the_same_instant(owner_client, user):
    owner_client.post("/", queued(tapped_at="2026-12-01T09:30:00+01:00"), headers=JSON)
    episode = Episode.objects.get(user=user)
    assert episode.started_at == datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    assert episode.timezone == "Europe/London"
    assert str(episode.local_date) == "2026-12-01"


@pytest.mark.now("2026-12-01T12:00")
def test_custom_time_ignores_the_tap_time(owner_client, user):
    data = queued(
        when="custom",
        started_at_local="2026-11-20T07:45",
        tapped_at=iso(timezone.now() - timedelta(days=3)),
    )
    owner_client.post("/", data, headers=JSON)
    assert Episode.objects.get(user=user).started_at == datetime(2026, 11, 20, 7, 45, tzinfo=UTC)


@pytest.mark.calendar
def test_tap_older_than_the_window_is_refused_with_a_reason(owner_client, user):
    tapped = timezone.now() - TAP_WINDOW - timedelta(hours=1)
    response = owner_client.post("/", queued(tapped_at=iso(tapped)), headers=JSON)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "invalid"
    assert body["uuid"] is not None
    [message] = body["errors"]["when"]
    assert "more than 30 days ago. Pick the time it started." in message
    assert body["messages"] == [f"When: {message}"]
    assert not Episode.objects.exists()


@pytest.mark.calendar
def test_tap_in_the_future_is_refused_next_to_the_when_field(owner_client):
    tapped = timezone.now() + timedelta(hours=2)
    response = owner_client.post("/", queued(tapped_at=iso(tapped)), headers=HTMX)
    assert field_errors(response, "when") == [
        "This phone's clock is ahead of ours. Pick the time it started instead."
    ]
    assert not Episode.objects.exists()


@pytest.mark.parametrize("value", ["yesterday", "2026-12-01T09:30:00", "9" * 60])
def test_unreadable_or_zoneless_tap_time_is_refused(owner_client, value):
    response = owner_client.post("/", queued(tapped_at=value), headers=JSON)
    assert response.status_code == 200
    assert response.json()["errors"]
    assert not Episode.objects.exists()


def test_site_no_longer_known_is_refused_with_the_form_message(owner_client):
    response = owner_client.post("/", queued(sites=["elbow-left"]), headers=JSON)
    assert response.status_code == 200
    assert response.json()["messages"] == [
        "Where: “elbow-left” is not a body site we know. Choose one from the list."
    ]
    assert not Episode.objects.exists()


# --- The expired session, and the list refresh after sending ---


def test_json_post_with_expired_session_goes_to_login_and_logs_nothing(client):
    response = client.post("/", queued(), headers=JSON)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Episode.objects.exists()


def test_episode_list_fragment_for_the_refresh_after_sending(owner_client, user):
    EpisodeFactory(user=user, sites=["neck"])
    response = owner_client.get("/", headers={**HTMX, "HX-Target": "episode-list"})
    html = response.content.decode().strip()
    assert html.startswith('<section id="episode-list"')
    assert "Neck" in html
    assert 'id="log-form"' not in html


def test_log_page_has_the_queue_section_hidden_until_the_script_fills_it(owner_client):
    html = owner_client.get("/").content.decode()
    assert '<section id="offline-queue" class="offline-queue"' in html
    section = html[html.index('<section id="offline-queue"') :]
    assert section.split(">", 1)[0].endswith("hidden")


def test_queue_answer_json_is_compact(owner_client):
    response = owner_client.post("/", queued(), headers=JSON)
    body = json.loads(response.content)
    assert set(body) == {"status", "uuid", "episode"}
    assert set(body["episode"]) == {"uuid", "started_at", "local_time", "sites"}


# --- Query counts (a warm process: the site catalogue has been read once) ---

# session, user, profile; the site check; the insert in a savepoint (the UUID is unique: no
# look-up first) with its sites; the data version and the day's summary read and written back
# (diary/models/changes.py); nothing grows with the episodes.
QUEUE_POST_QUERIES = 13
# the same up to the insert, which the UUID refuses (rolled back to its savepoint); the look-up
# that finds the episode; release; the answer's sites
QUEUE_REPEAT_QUERIES = 12


@pytest.mark.parametrize("count", [10, 1000])
def test_queue_post_query_count_does_not_grow(owner_client, user, count, django_assert_num_queries):
    catalogue_by_region()
    bulk_episodes(user, count)
    data = queued()
    with django_assert_num_queries(QUEUE_POST_QUERIES):
        assert owner_client.post("/", data, headers=JSON).status_code == 201
    with django_assert_num_queries(QUEUE_REPEAT_QUERIES):
        assert owner_client.post("/", data, headers=JSON).status_code == 200
    assert Episode.objects.count() == count + 1
