"""The Log page (`/`): logging, htmx fragments, bad input, "same as last time", query counts."""

import gzip
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from diary.lib.text import duration_words
from diary.models import Episode, Trigger, catalogue_by_region, data_changed
from diary.views.episodes import RECENT_LIMIT
from tests.factories import EpisodeFactory, TriggerFactory, UserFactory
from tests.helpers import HTMX, bulk_episodes, episode_data, field_errors

pytestmark = pytest.mark.django_db


def checked_sites(response) -> set[str]:
    return set(re.findall(r'data-site="([\w-]+)" checked', response.content.decode()))


def episode_list(response) -> str:
    """The "Today" / "Earlier this week" section of the Log page."""
    html = response.content.decode()
    return re.search(r'<section id="episode-list".*?</section>', html, re.S).group(0)


def checked_trigger_ids(response) -> set[str]:
    html = response.content.decode()
    return set(re.findall(r'name="triggers" value="(\d+)"[^>]*\bchecked\b', html))


# --- The trio ---


def test_log_anonymous_redirected_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_log_anonymous_post_logs_nothing(client):
    response = client.post("/", episode_data())
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Episode.objects.exists()


@pytest.mark.calendar
def test_log_owner_sees_form_and_todays_episodes(owner_client, user):
    EpisodeFactory(user=user, sites=["tongue", "calf-right"], triggers=["caffeine"], cramps=True)
    response = owner_client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert 'id="log-form"' in html
    assert "Log twitch" in html
    assert "Tongue, Right calf" in html
    assert '<span class="tag">Caffeine</span>' in html
    assert '<span class="tag tag-symptom">Cramps</span>' in html


def test_log_page_is_sent_compressed(owner_client):
    response = owner_client.get("/", headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).startswith(b"<!doctype html>")


def test_log_empty_state_for_a_first_time_user(owner_client):
    response = owner_client.get("/")
    assert "Nothing logged yet." in response.content.decode()


@pytest.mark.calendar
def test_log_earlier_this_week_grouped_by_day(owner_client, user):
    three_days_ago = timezone.now() - timedelta(days=3)
    EpisodeFactory(user=user, started_at=three_days_ago, sites=["thumb-left"])
    EpisodeFactory(user=user, started_at=timezone.now() - timedelta(days=30), sites=["neck"])
    html = episode_list(owner_client.get("/"))
    assert "No twitches logged today." in html
    today = timezone.localdate(timezone=user.profile.zone)
    if (today - timedelta(days=3)).weekday() < today.weekday():
        assert "Earlier this week" in html
    else:
        assert "Earlier in the last 7 days" in html
    assert "Left thumb" in html
    assert "Neck" not in html  # a month ago: history only


@pytest.mark.now("2026-12-07T10:30")  # a Monday
def test_on_a_monday_the_earlier_days_are_not_called_this_week(owner_client, user):
    EpisodeFactory(user=user, started_at=timezone.now() - timedelta(days=3), sites=["thumb-left"])
    html = episode_list(owner_client.get("/"))
    assert "Earlier in the last 7 days" in html
    assert "this week" not in html


@pytest.mark.now("2026-12-10T10:30")  # a Thursday
def test_days_since_monday_are_earlier_this_week(owner_client, user):
    EpisodeFactory(user=user, started_at=timezone.now() - timedelta(days=2), sites=["thumb-left"])
    html = episode_list(owner_client.get("/"))
    assert "Earlier this week" in html


def test_log_never_shows_another_users_episodes(owner_client, other_user):
    EpisodeFactory(user=other_user, sites=["tongue"], notes="secret")
    TriggerFactory(user=other_user, name="Their own trigger")
    html = owner_client.get("/").content.decode()
    assert "Nothing logged yet." in html
    assert 'class="episode"' not in html
    assert "Their own trigger" not in html
    assert not re.search(r'id="quick-', html)  # their sites are not my chips


def test_log_shows_times_in_the_episodes_zone_not_the_servers(client):
    """The server runs on UTC; a person in Kolkata (UTC+5:30) sees Kolkata times."""
    person = UserFactory(timezone="Asia/Kolkata")
    client.force_login(person)
    at = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=2)
    EpisodeFactory(user=person, started_at=at)
    local = at.astimezone(person.profile.zone)
    html = episode_list(client.get("/"))
    assert f">{local:%H:%M}</time>" in html
    assert f"Edit episode at {local:%H:%M} on" in html
    assert "<abbr" not in html  # same zone as the profile: no zone marker


def test_log_marks_an_episode_logged_in_another_zone(client):
    person = UserFactory(timezone="Europe/London")
    client.force_login(person)
    at = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=2)
    EpisodeFactory(user=person, started_at=at, timezone="America/Los_Angeles")
    local = at.astimezone(ZoneInfo("America/Los_Angeles"))
    html = client.get("/").content.decode()
    assert f">{local:%H:%M}</time>" in html
    assert f'<abbr class="hint" title="America/Los_Angeles">{local:%Z}</abbr>' in html


def test_log_htmx_post_confirms_the_local_time(client):
    person = UserFactory(timezone="Pacific/Auckland")
    client.force_login(person)
    response = client.post("/", episode_data(), headers=HTMX)
    local = Episode.objects.get().local_started_at
    assert f"Logged {local:%H:%M} · Left calf." in response.content.decode()


# --- Logging ---


def test_log_post_without_htmx_redirects_and_saves(owner_client, user):
    response = owner_client.post("/", episode_data(sites=["calf-left", "calf-right"]))
    assert response.status_code == 302
    assert response["Location"] == "/"
    episode = Episode.objects.get()
    assert episode.user == user
    assert episode.duration == timedelta(seconds=5)
    assert sorted(episode.sites.values_list("code", flat=True)) == ["calf-left", "calf-right"]
    page = owner_client.get("/").content.decode()
    assert "Logged. Tap an entry below to add details." in page
    assert f'id="episode-{episode.uuid}"' in page


@pytest.mark.calendar
def test_log_htmx_post_returns_confirmation_and_the_new_row_only(owner_client, user):
    """A lean answer: the form stays in the browser (and resets there), nothing else re-renders."""
    EpisodeFactory(user=user, sites=["neck"])
    response = owner_client.post("/", episode_data(sites=["hand-left"]), headers=HTMX)
    assert response.status_code == 200
    episode = Episode.objects.get(sites__code="hand-left")
    html = response.content.decode()
    assert "<html" not in html
    assert "episode-logged" in response["HX-Trigger"]
    assert 'id="log-form"' not in html
    assert 'id="episode-list"' not in html
    # The confirmation names the site and offers Undo (a delete of the new episode).
    assert "Logged " in html
    assert "Left hand." in html
    assert f'action="/episodes/{episode.uuid}/delete/"' in html
    assert f'data-hx-target="#episode-{episode.uuid}"' in html
    # The new row, for the top of today's list.
    assert '<ul data-hx-swap-oob="afterbegin:#today-episodes">' in html
    rows = re.findall(r'<li class="episode" id="episode-([0-9a-f-]{36})"', html)
    assert rows == [str(episode.uuid)]


@pytest.mark.calendar
def test_log_htmx_post_of_an_earlier_day_adds_no_row_to_today(owner_client, user):
    yesterday = (timezone.now() - timedelta(days=1)).astimezone(user.profile.zone)
    data = episode_data(when="custom", started_at_local=f"{yesterday:%Y-%m-%dT%H:%M}")
    response = owner_client.post("/", data, headers=HTMX)
    html = response.content.decode()
    assert "Logged " in html
    assert "data-hx-swap-oob" not in html
    assert 'data-hx-target="#log-status"' in html  # its Undo answers in the confirmation


def test_log_page_lists_today_in_a_list_that_new_rows_can_join(owner_client):
    html = owner_client.get("/").content.decode()
    assert '<ul class="episodes" id="today-episodes"></ul>' in html


def test_log_post_without_htmx_offers_undo_of_the_log(owner_client, user):
    owner_client.post("/", episode_data())
    episode = Episode.objects.get()
    page = owner_client.get("/").content.decode()
    assert f'action="/episodes/{episode.uuid}/delete/"' in page


def test_log_htmx_get_returns_the_form_fragment(owner_client):
    response = owner_client.get("/", headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="log-form"' in html
    assert 'id="episode-list"' not in html


def test_log_boosted_htmx_get_returns_the_whole_page(owner_client):
    response = owner_client.get("/", headers={**HTMX, "HX-Boosted": "true"})
    assert "<html" in response.content.decode()


def test_log_invalid_htmx_post_rerenders_form_with_errors(owner_client):
    response = owner_client.post("/", episode_data(sites=[]), headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="log-form"' in html
    assert "HX-Trigger" not in response
    # It replaces the whole panel, not the confirmation the answer normally goes to.
    assert response["HX-Retarget"] == "#log-panel"
    assert response["HX-Reswap"] == "outerHTML"
    assert field_errors(response, "sites") == [
        "Choose at least one body site: where did you feel it?"
    ]
    assert not Episode.objects.exists()


def test_log_invalid_post_keeps_what_was_entered(owner_client):
    response = owner_client.post(
        "/", episode_data(sites=["tongue"], intensity="9", notes="kept"), headers=HTMX
    )
    assert checked_sites(response) == {"tongue"}
    assert ">kept</textarea>" in response.content.decode()


def test_log_post_new_trigger_inline(owner_client, user):
    owner_client.post("/", episode_data(new_trigger="Dehydration"))
    trigger = Trigger.objects.get(user=user)
    assert trigger.name == "Dehydration"
    assert list(Episode.objects.get().triggers.all()) == [trigger]


def test_log_post_ignores_posted_owner_and_ids(owner_client, user, other_user):
    owner_client.post(
        "/",
        episode_data(
            user=str(other_user.pk),
            id="4242",
            uuid="00000000-0000-0000-0000-000000000042",
            created_at="2000-01-01T00:00",
        ),
    )
    episode = Episode.objects.get()
    assert episode.user == user
    assert episode.pk != 4242
    assert str(episode.uuid) != "00000000-0000-0000-0000-000000000042"
    assert episode.created_at > timezone.now() - timedelta(minutes=1)


def test_log_get_not_allowed_methods(owner_client):
    assert owner_client.put("/").status_code == 405


# --- Bad input: a message next to the field, nothing saved, never a 500 ---

# The DST cases (29 March and 25 October 2026) must lie in the past: these tests run then.
AFTER_THE_2026_CLOCK_CHANGES = "2026-11-20T12:00"
NEXT_YEAR = "2027-06-01T12:00"

BAD_INPUT = [
    pytest.param(
        {"duration_preset": "custom", "duration_amount": "-5"},
        "duration_amount",
        "the lowest allowed is 0",
        id="negative-duration",
    ),
    pytest.param(
        {"duration_preset": "custom", "duration_amount": "0"},
        "duration_amount",
        "at least 1 second",
        id="zero-duration",
    ),
    pytest.param(
        {"duration_preset": "custom", "duration_amount": "25", "duration_unit": "hours"},
        "duration_amount",
        "at most 24 hours",
        id="over-24h",
    ),
    pytest.param({"intensity": "0"}, "intensity", "Choose a strength from 1", id="intensity-0"),
    pytest.param({"intensity": "6"}, "intensity", "Choose a strength from 1", id="intensity-6"),
    pytest.param({"sites": []}, "sites", "Choose at least one body site", id="no-site"),
    pytest.param(
        {"sites": ["calf-left", "wing-left"]},
        "sites",
        "“wing-left” is not a body site we know",
        id="unknown-site",
    ),
    pytest.param(
        {"notes": "x" * 3000}, "notes", "at most 2000 characters (you have 3000)", id="notes-3000"
    ),
    pytest.param(
        {"notes": "a\x00b"},
        "notes",
        "The text contains a NUL character; please remove it.",
        id="notes-nul",
    ),
    pytest.param(
        {"when": "custom", "started_at_local": NEXT_YEAR},
        "started_at_local",
        "in the future",
        id="next-year",
    ),
    pytest.param(
        {"when": "custom", "started_at_local": "9999-12-31T23:59"},
        "started_at_local",
        "in the future",
        id="year-9999",
    ),
    pytest.param(
        {"when": "custom", "started_at_local": "1899-06-01T12:00"},
        "started_at_local",
        "before 1900",
        id="before-1900",
    ),
    pytest.param(
        {"when": "custom", "started_at_local": "soon"},
        "started_at_local",
        "Enter a real date and time, e.g. 2026-03-01 14:30.",
        id="garbage-time",
    ),
    pytest.param(
        {"when": "custom", "started_at_local": "2026-03-29T01:30"},
        "started_at_local",
        "did not exist",
        id="dst-gap",
    ),
    pytest.param(
        {"when": "custom", "started_at_local": "2026-10-25T01:30"},
        "fold",
        "happened twice",
        id="dst-ambiguous",
    ),
    pytest.param(
        {"when": "custom", "started_at_local": "2026-10-25T01:30", "fold": "7"},
        "fold",
        "That is not one of the options here",
        id="bad-fold",
    ),
    pytest.param({"when": None}, "when", "Please choose one of the options.", id="no-when"),
    pytest.param(
        {"when": "yesterday"}, "when", "That is not one of the options here", id="bad-when"
    ),
    pytest.param(
        {"duration_preset": "forever"},
        "duration_preset",
        "That is not one of the options here",
        id="bad-preset",
    ),
    pytest.param(
        {"duration_preset": "custom", "duration_amount": "2", "duration_unit": "weeks"},
        "duration_unit",
        "That is not one of the options here",
        id="bad-unit",
    ),
    pytest.param(
        {"triggers": ["caffeine"]},
        "triggers",
        "That trigger is not one of yours",
        id="trigger-not-a-number",
    ),
    pytest.param(
        {"new_trigger": "!!!"}, "new_trigger", "Use letters or numbers", id="new-trigger-symbols"
    ),
    pytest.param(
        {"pattern": "spiral"}, "pattern", "That is not one of the options here", id="bad-pattern"
    ),
]


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUT)
@pytest.mark.now(AFTER_THE_2026_CLOCK_CHANGES)
def test_log_bad_input_message_next_to_field_and_nothing_saved(
    owner_client, user, htmx, overrides, field, message
):
    EpisodeFactory(user=user)
    before = list(Episode.objects.values_list("uuid", "updated_at"))
    response = owner_client.post("/", episode_data(**overrides), headers=HTMX if htmx else {})
    assert response.status_code == 200
    errors = field_errors(response, field)
    assert any(message in error for error in errors), errors
    assert list(Episode.objects.values_list("uuid", "updated_at")) == before
    assert not Trigger.objects.filter(user=user).exists()


def test_log_another_users_trigger_refused(owner_client, user, other_user):
    theirs = TriggerFactory(user=other_user, name="Theirs")
    response = owner_client.post("/", episode_data(triggers=[str(theirs.pk)]))
    assert response.status_code == 200
    assert field_errors(response, "triggers") == [
        "That trigger is not one of yours. Choose one from the list."
    ]
    assert not Episode.objects.exists()
    assert "Theirs" not in response.content.decode()


@pytest.mark.now(AFTER_THE_2026_CLOCK_CHANGES)
def test_log_ambiguous_time_shows_the_which_one_choice(owner_client):
    response = owner_client.post(
        "/", episode_data(when="custom", started_at_local="2026-10-25T01:30")
    )
    html = response.content.decode()
    assert "Which one?" in html
    assert "The first time (before the clocks went back)" in html
    assert 'name="fold" value="1"' in html
    # Answering it logs the episode.
    owner_client.post(
        "/", episode_data(when="custom", started_at_local="2026-10-25T01:30", fold="1")
    )
    assert Episode.objects.get().started_at == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_log_markup_in_notes_is_shown_literally(owner_client):
    note = '<b>bold</b></script><script>alert("x")</script>'
    response = owner_client.post("/", episode_data(notes=note, intensity="9"))
    html = response.content.decode()
    assert "<b>bold</b>" not in html
    assert '<script>alert("x")</script>' not in html
    assert "&lt;b&gt;bold&lt;/b&gt;&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)" in html


def test_log_markup_in_trigger_names_is_shown_literally(owner_client, user):
    trigger = TriggerFactory(user=user, name="<img src=x onerror=alert(1)>")
    EpisodeFactory(user=user, triggers=[trigger])
    html = owner_client.get("/").content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


# --- Same as last time ---


def test_log_repeat_last_prechecks_the_last_episodes_sites_and_triggers(owner_client, user):
    own = TriggerFactory(user=user, name="Alcohol")
    EpisodeFactory(user=user, sites=["neck"], started_at=timezone.now() - timedelta(hours=5))
    EpisodeFactory(
        user=user,
        sites=["hand-left", "calf-right"],
        triggers=["caffeine", own],
        started_at=timezone.now() - timedelta(hours=1),
    )
    response = owner_client.get("/?repeat=last")
    assert response.status_code == 200
    assert checked_sites(response) == {"hand-left", "calf-right"}
    caffeine = Trigger.objects.get(slug="caffeine", user=None)
    assert checked_trigger_ids(response) == {str(caffeine.pk), str(own.pk)}
    assert re.search(r'name="when" value="now"[^>]*checked', response.content.decode())


def test_log_repeat_last_skips_deleted_episodes(owner_client, user):
    EpisodeFactory(user=user, sites=["neck"], started_at=timezone.now() - timedelta(hours=5))
    EpisodeFactory(user=user, sites=["tongue"]).soft_delete()
    assert checked_sites(owner_client.get("/?repeat=last")) == {"neck"}


def test_log_repeat_last_with_no_episodes_ticks_nothing(owner_client):
    response = owner_client.get("/?repeat=last")
    assert response.status_code == 200
    assert checked_sites(response) == set()


def test_log_repeat_last_ignores_another_users_episode(owner_client, other_user):
    EpisodeFactory(user=other_user, sites=["tongue"])
    assert checked_sites(owner_client.get("/?repeat=last")) == set()


def test_log_repeat_last_htmx_returns_the_form_with_chips(owner_client, user):
    EpisodeFactory(user=user, sites=["thumb-right"])
    response = owner_client.get("/?repeat=last", headers=HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="log-form"' in html
    assert checked_sites(response) == {"thumb-right"}
    # The recent-site chips stay, as on the full page.
    assert 'id="quick-thumb-right"' in html


# --- Query counts: the same at 10 and 1,000 episodes ---

# The first visit after a write: session, user, profile, episodes (with their site and trigger
# names), chip sites, triggers, the check-in card's yesterday and today (the site catalogue is
# read once per process: see catalogue_loaded)
LOG_QUERIES = 7
# Again with no write since: session, user, profile and the card's days; the chips, the list
# and the form's fields are kept (diary/lib/fragments.py).
LOG_QUERIES_AGAIN = 4
# session, user, profile; the site check; the insert (savepoint, the episode, its sites: no
# triggers here); the derived data (diary.models.changes: the data version, the day's summary
# read and written back); release. The answer's row is built from what was saved, not read.
LOG_POST_QUERIES = 11


@pytest.fixture
def catalogue_loaded():
    """Counts are for a warm process: the fixed site catalogue has been read once."""
    catalogue_by_region()


@pytest.mark.parametrize("count", [10, 1000])
@pytest.mark.usefixtures("catalogue_loaded")
def test_log_get_query_count_does_not_grow(owner_client, user, count, django_assert_num_queries):
    bulk_episodes(user, count)
    owner_client.get("/")  # a warm process: the fresh form's fields are cached
    data_changed(user)  # what a write does to what the page keeps
    with django_assert_num_queries(LOG_QUERIES):
        response = owner_client.get("/")
    with django_assert_num_queries(LOG_QUERIES_AGAIN):
        again = owner_client.get("/")
    # 5 minutes apart, 1,000 episodes span 3.5 days: all within the last 7 days, of which the
    # page lists the latest RECENT_LIMIT and points to History for the rest.
    for html in (response.content.decode(), again.content.decode()):
        assert html.count('class="episode"') == min(count, RECENT_LIMIT)
        assert ("See all episodes in History" in html) == (count > RECENT_LIMIT)


@pytest.mark.parametrize("count", [10, 1000])
@pytest.mark.usefixtures("catalogue_loaded")
def test_log_htmx_post_query_count_does_not_grow(
    owner_client, user, count, django_assert_num_queries
):
    bulk_episodes(user, count)
    with django_assert_num_queries(LOG_POST_QUERIES):
        response = owner_client.post("/", episode_data(), headers=HTMX)
    assert response.status_code == 200
    assert Episode.objects.count() == count + 1


def test_log_fresh_form_fields_follow_what_they_show(owner_client, user):
    """The cached fields of a fresh form change with the chips and triggers they show."""
    first = owner_client.get("/").content.decode()
    assert 'id="quick-' not in first
    TriggerFactory(user=user, name="Red wine")
    EpisodeFactory(user=user, sites=["tongue"])
    second = owner_client.get("/").content.decode()
    assert 'id="quick-tongue"' in second
    assert "Red wine" in second
    # A pre-ticked form is never taken from the cache.
    repeat = owner_client.get("/?repeat=last")
    assert checked_sites(repeat) == {"tongue"}
    assert checked_sites(owner_client.get("/")) == set()


# --- How rows say a duration ---


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(5, "5 s"), (60, "1 min"), (95, "1 min 35 s"), (3600, "1 h"), (5400, "1 h 30 min")],
)
def test_duration_words(seconds, words):
    assert duration_words(timedelta(seconds=seconds)) == words


def test_duration_words_empty_for_none():
    assert duration_words(None) == ""


def test_log_row_shows_duration_in_words(owner_client, user):
    EpisodeFactory(user=user, duration=timedelta(minutes=90))
    assert "<span>1 h 30 min</span>" in episode_list(owner_client.get("/"))
