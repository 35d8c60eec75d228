"""Editing one episode, deleting it (soft) and undoing the delete."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from diary.models import Episode
from tests.factories import EpisodeFactory
from tests.helpers import HTMX, episode_data, field_errors

# The data here lies on fixed dates of 2026: the clock is pinned after them.
pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-01T12:00")]


@pytest.fixture
def episode(user):
    return EpisodeFactory(
        user=user,
        started_at=datetime(2026, 6, 1, 8, 30, tzinfo=UTC),
        sites=["forearm-left"],
        triggers=["stress"],
        intensity=2,
        notes="after typing",
    )


@pytest.fixture
def theirs(other_user):
    return EpisodeFactory(user=other_user, sites=["tongue"], notes="their note")


def edit_url(e) -> str:
    return f"/episodes/{e.uuid}/"


# --- The trio, for edit, delete and restore ---


@pytest.mark.parametrize("action", ["", "delete/", "restore/"])
def test_episode_views_anonymous_redirected_to_login(client, episode, action):
    url = edit_url(episode) + action
    response = client.post(url) if action else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    episode.refresh_from_db()
    assert episode.deleted_at is None


def test_episode_edit_owner_sees_the_form_filled_in(owner_client, episode):
    response = owner_client.get(edit_url(episode))
    assert response.status_code == 200
    html = response.content.decode()
    # 08:30 UTC is 09:30 in London in June; the form and the hint say so.
    assert "Logged Monday, 1 June 2026, 09:30 (Europe/London)." in html
    assert 'value="2026-06-01T09:30"' in html
    assert re.search(r'data-site="forearm-left" checked', html)
    assert re.search(r'name="intensity" value="2"[^>]*checked', html)
    assert ">after typing</textarea>" in html
    assert re.search(r'name="when" value="custom"[^>]*checked', html)


@pytest.mark.parametrize(
    ("method", "action"), [("get", ""), ("post", ""), ("post", "delete/"), ("post", "restore/")]
)
def test_episode_views_another_users_uuid_is_404(owner_client, theirs, method, action):
    if action == "restore/":
        theirs.soft_delete()
    before = Episode.objects.filter(pk=theirs.pk).values().get()
    url = edit_url(theirs) + action
    response = getattr(owner_client, method)(url, episode_data(notes="hijacked"))
    assert response.status_code == 404
    assert "their note" not in response.content.decode()
    assert Episode.objects.filter(pk=theirs.pk).values().get() == before


@pytest.mark.parametrize("action", ["", "delete/", "restore/"])
def test_episode_views_unknown_uuid_is_404(owner_client, action):
    url = "/episodes/00000000-0000-4000-8000-000000000000/" + action
    response = owner_client.post(url) if action else owner_client.get(url)
    assert response.status_code == 404


def test_episode_edit_of_a_deleted_episode_is_404(owner_client, episode):
    episode.soft_delete()
    assert owner_client.get(edit_url(episode)).status_code == 404


def test_episode_delete_and_restore_need_post(owner_client, episode):
    assert owner_client.get(edit_url(episode) + "delete/").status_code == 405
    assert owner_client.get(edit_url(episode) + "restore/").status_code == 405
    episode.refresh_from_db()
    assert episode.deleted_at is None


# --- Editing ---


def test_episode_edit_saves_and_returns_to_next(owner_client, episode):
    response = owner_client.post(
        edit_url(episode),
        episode_data(
            sites=["forearm-left", "hand-left"],
            when="custom",
            started_at_local="2026-06-01T10:00",
            duration_preset="custom",
            duration_amount="3",
            duration_unit="minutes",
            intensity="4",
            next="/episodes/?site=hand-left",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == "/episodes/?site=hand-left"
    episode.refresh_from_db()
    assert episode.started_at == datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    assert episode.duration == timedelta(minutes=3)
    assert episode.intensity == 4
    assert sorted(episode.sites.values_list("code", flat=True)) == ["forearm-left", "hand-left"]
    assert list(episode.triggers.all()) == []  # unticked
    assert "Saved your changes." in owner_client.get("/episodes/").content.decode()


def test_episode_edit_can_take_an_answer_back(owner_client, user):
    """Optional answers given once can be reset to "not said" on the edit page."""
    episode = EpisodeFactory(user=user, intensity=4, pattern="few", context="rest")
    html = owner_client.get(edit_url(episode)).content.decode()
    assert html.count(">Not said</span>") == 4
    data = episode_data(when="custom", started_at_local="2026-06-01T10:00")
    data.update(intensity="", pattern="", context="", stopped_with_movement="")
    assert owner_client.post(edit_url(episode), data).status_code == 302
    episode.refresh_from_db()
    assert (episode.intensity, episode.pattern, episode.context) == (None, "", "")


def test_log_form_has_no_not_said_chips(owner_client):
    """Logging a new episode leaves optional answers out simply by not tapping them."""
    assert ">Not said</span>" not in owner_client.get("/").content.decode()


def test_episode_edit_refuses_an_offsite_next(owner_client, episode):
    response = owner_client.post(
        edit_url(episode),
        episode_data(
            when="custom", started_at_local="2026-06-01T09:30", next="https://evil.example/"
        ),
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize("next_url", ["log", "2026-13-45", "episodes", "\x00"])
@pytest.mark.parametrize("action", ["edit", "delete", "restore"])
def test_episode_views_ignore_a_next_that_is_not_a_path(owner_client, episode, action, next_url):
    """A bare word went to redirect(), which looked it up as a view name: a 500."""
    url = edit_url(episode) if action == "edit" else f"/episodes/{episode.uuid}/{action}/"
    response = owner_client.post(url, episode_data(next=next_url))
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_episode_edit_invalid_rerenders_with_errors_and_changes_nothing(owner_client, episode):
    before = Episode.objects.filter(pk=episode.pk).values().get()
    response = owner_client.post(
        edit_url(episode),
        episode_data(when="custom", started_at_local="2026-06-01T09:30", intensity="6", sites=[]),
    )
    assert response.status_code == 200
    assert field_errors(response, "intensity")
    assert field_errors(response, "sites")
    assert Episode.objects.filter(pk=episode.pk).values().get() == before
    assert list(episode.sites.values_list("code", flat=True)) == ["forearm-left"]


def test_episode_edit_ignores_posted_owner_and_ids(owner_client, episode, other_user):
    uuid, created_at = episode.uuid, episode.created_at
    owner_client.post(
        edit_url(episode),
        episode_data(
            when="custom",
            started_at_local="2026-06-01T09:30",
            user=str(other_user.pk),
            id="999",
            uuid="00000000-0000-4000-8000-000000000001",
            created_at="2001-01-01T00:00",
            timezone="Asia/Tokyo",
        ),
    )
    episode.refresh_from_db()
    assert episode.user_id != other_user.pk
    assert episode.uuid == uuid
    assert episode.created_at == created_at
    assert episode.timezone == "Europe/London"
    assert Episode.objects.count() == 1


def test_episode_edit_shows_markup_in_notes_literally(owner_client, user):
    note = '</textarea><script>alert("x")</script><b>bold</b>'
    episode = EpisodeFactory(user=user, notes=note)
    html = owner_client.get(edit_url(episode)).content.decode()
    assert "<script>alert" not in html
    assert "<b>bold</b>" not in html
    assert "&lt;/textarea&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold" in html


def test_episode_edit_future_time_refused(owner_client, episode):
    next_year = timezone.now().year + 1
    response = owner_client.post(
        edit_url(episode), episode_data(when="custom", started_at_local=f"{next_year}-01-01T10:00")
    )
    assert response.status_code == 200
    assert field_errors(response, "started_at_local") == [
        "That time is in the future. Check the date."
    ]
    episode.refresh_from_db()
    assert episode.started_at == datetime(2026, 6, 1, 8, 30, tzinfo=UTC)


# --- Delete and undo ---


def test_episode_delete_htmx_then_undo(owner_client, user, episode):
    response = owner_client.post(edit_url(episode) + "delete/", headers=HTMX)
    assert response.status_code == 200
    assert "episode-deleted" in response["HX-Trigger"]
    html = response.content.decode()
    assert "<html" not in html
    assert "Deleted the episode at 09:30." in html
    assert f'data-hx-post="/episodes/{episode.uuid}/restore/"' in html
    episode.refresh_from_db()
    assert episode.deleted_at is not None
    assert str(episode.uuid) not in owner_client.get("/episodes/").content.decode()

    response = owner_client.post(
        edit_url(episode) + "restore/",
        headers={**HTMX, "HX-Current-URL": "http://testserver/episodes/?site=forearm-left"},
    )
    assert response.status_code == 200
    assert "episode-restored" in response["HX-Trigger"]
    html = response.content.decode()
    assert f'id="episode-{episode.uuid}"' in html
    assert "is-restored" in html
    episode.refresh_from_db()
    assert episode.deleted_at is None
    assert str(episode.uuid) in owner_client.get("/episodes/").content.decode()


def test_episode_restored_row_links_back_to_the_page_not_the_restore_url(owner_client, episode):
    """The restored row's edit link and delete form must not return to the POST-only URL."""
    episode.soft_delete()
    response = owner_client.post(
        edit_url(episode) + "restore/",
        headers={**HTMX, "HX-Current-URL": "http://testserver/episodes/?page=2"},
    )
    html = response.content.decode()
    assert "/restore/" not in re.sub(r'(hx-post|action)="[^"]*"', "", html)
    assert "?next=/episodes/%3Fpage%3D2" in html
    assert 'name="next" value="/episodes/?page=2"' in html


def test_episode_restored_row_ignores_an_offsite_current_url(owner_client, episode):
    episode.soft_delete()
    response = owner_client.post(
        edit_url(episode) + "restore/",
        headers={**HTMX, "HX-Current-URL": "https://evil.example/phish"},
    )
    html = response.content.decode()
    assert "evil.example" not in html
    assert 'name="next" value="/"' in html


def test_episode_delete_plain_redirects_with_undo(owner_client, episode):
    response = owner_client.post(edit_url(episode) + "delete/", {"next": "/episodes/"})
    assert response.status_code == 302
    assert response["Location"] == "/episodes/"
    episode.refresh_from_db()
    assert episode.deleted_at is not None
    page = owner_client.get("/episodes/").content.decode()
    assert "Episode deleted." in page
    assert f'action="/episodes/{episode.uuid}/restore/"' in page
    assert f'id="episode-{episode.uuid}"' not in page

    response = owner_client.post(edit_url(episode) + "restore/", {"next": "/episodes/"})
    assert response["Location"] == "/episodes/"
    episode.refresh_from_db()
    assert episode.deleted_at is None
    page = owner_client.get("/episodes/").content.decode()
    assert "Episode restored." in page
    assert f'id="episode-{episode.uuid}"' in page


def test_episode_deleted_vanishes_from_the_log_page(owner_client, user):
    recent = EpisodeFactory(user=user, sites=["eyelid-left"])
    owner_client.post(edit_url(recent) + "delete/")
    html = owner_client.get("/").content.decode()
    assert f'id="episode-{recent.uuid}"' not in html
    assert "Nothing logged yet." in html
    assert 'id="quick-eyelid-left"' not in html  # nor in the recent-site chips


def test_episode_delete_from_edit_page_defaults_to_log(owner_client, episode):
    response = owner_client.post(edit_url(episode) + "delete/")
    assert response["Location"] == "/"
