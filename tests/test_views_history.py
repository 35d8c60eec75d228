"""History (`/episodes/`): scoping, filters, pagination, htmx fragments, query counts."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from diary.models import Episode
from diary.views.episodes import HISTORY_PAGE_SIZE
from tests.factories import EpisodeFactory, TriggerFactory
from tests.helpers import HTMX, bulk_episodes, field_errors

pytestmark = pytest.mark.django_db


def row_uuids(response) -> list[str]:
    return re.findall(
        r'<li class="episode[^"]*" id="episode-([0-9a-f-]{36})"', response.content.decode()
    )


def on_day(user, day: date, hour: int = 12, **kwargs) -> Episode:
    return EpisodeFactory(
        user=user, started_at=datetime(day.year, day.month, day.day, hour, tzinfo=UTC), **kwargs
    )


# --- The trio ---


def test_history_anonymous_redirected_to_login(client):
    response = client.get("/episodes/?from=2026-01-01")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/episodes/%3Ffrom%3D2026-01-01"


def test_history_owner_sees_episodes_grouped_by_day(owner_client, user):
    on_day(user, date(2026, 3, 1), sites=["tongue"], triggers=["stress"])
    on_day(user, date(2026, 3, 2), sites=["hand-right"])
    response = owner_client.get("/episodes/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 episodes" in html
    assert "Sunday, 1 March 2026" in html
    assert "Monday, 2 March 2026" in html
    assert html.index("Monday, 2 March 2026") < html.index("Sunday, 1 March 2026")  # newest first
    assert "Tongue" in html
    assert '<span class="tag">Stress</span>' in html


def test_history_empty_state(owner_client):
    html = owner_client.get("/episodes/").content.decode()
    assert "0 episodes" in html
    assert "No episodes yet." in html


def test_history_never_shows_another_users_episodes(owner_client, user, other_user):
    mine = EpisodeFactory(user=user)
    theirs = EpisodeFactory(user=other_user, sites=["tongue"])
    response = owner_client.get("/episodes/")
    assert row_uuids(response) == [str(mine.uuid)]
    assert str(theirs.uuid) not in response.content.decode()
    assert "1 episode<" in response.content.decode()


def test_history_other_users_trigger_not_a_filter_option(owner_client, other_user):
    TriggerFactory(user=other_user, name="Their trigger")
    html = owner_client.get("/episodes/").content.decode()
    assert "Their trigger" not in html


def test_history_filtering_by_another_users_trigger_is_refused(owner_client, user, other_user):
    theirs = TriggerFactory(user=other_user, name="Secret")
    EpisodeFactory(user=other_user, triggers=[theirs])
    response = owner_client.get(f"/episodes/?trigger={theirs.slug}")
    assert response.status_code == 200
    assert field_errors(response, "trigger")
    assert row_uuids(response) == []


def test_history_hides_deleted_episodes(owner_client, user):
    kept = EpisodeFactory(user=user)
    EpisodeFactory(user=user).soft_delete()
    response = owner_client.get("/episodes/")
    assert row_uuids(response) == [str(kept.uuid)]
    assert "1 episode<" in response.content.decode()


# --- Filters ---


def test_history_filter_by_local_date_range(owner_client, user):
    on_day(user, date(2026, 3, 1))
    inside = [on_day(user, date(2026, 3, 2)), on_day(user, date(2026, 3, 3))]
    on_day(user, date(2026, 3, 4))
    response = owner_client.get("/episodes/?from=2026-03-02&to=2026-03-03")
    assert set(row_uuids(response)) == {str(e.uuid) for e in inside}
    assert 'value="2026-03-02"' in response.content.decode()  # the filter is kept


def test_history_filter_date_uses_the_episodes_local_date(owner_client, user):
    """23:30 Sunday in New York (04:30 Monday UTC) is found by filtering on Sunday."""
    sunday_night = EpisodeFactory(
        user=user, started_at=datetime(2026, 3, 2, 4, 30, tzinfo=UTC), timezone="America/New_York"
    )
    response = owner_client.get("/episodes/?from=2026-03-01&to=2026-03-01")
    assert row_uuids(response) == [str(sunday_night.uuid)]
    assert "Sunday, 1 March 2026" in response.content.decode()


def test_history_filter_by_site(owner_client, user):
    calf = EpisodeFactory(user=user, sites=["calf-left", "calf-right"])
    EpisodeFactory(user=user, sites=["tongue"])
    response = owner_client.get("/episodes/?site=calf-left")
    assert row_uuids(response) == [str(calf.uuid)]


def test_history_filter_by_region(owner_client, user):
    arms = EpisodeFactory(user=user, sites=["hand-left", "forearm-right", "neck"])
    EpisodeFactory(user=user, sites=["calf-left"])
    response = owner_client.get("/episodes/?site=region:cervical")
    assert row_uuids(response) == [str(arms.uuid)]  # three cervical sites, listed once
    assert "1 episode<" in response.content.decode()


def test_history_filter_by_trigger_builtin_and_own(owner_client, user):
    own = TriggerFactory(user=user, name="Red wine")
    coffee = EpisodeFactory(user=user, triggers=["caffeine", "stress"])
    wine = EpisodeFactory(user=user, triggers=[own])
    EpisodeFactory(user=user)
    assert row_uuids(owner_client.get("/episodes/?trigger=caffeine")) == [str(coffee.uuid)]
    assert row_uuids(owner_client.get("/episodes/?trigger=red-wine")) == [str(wine.uuid)]


def test_history_filters_combine(owner_client, user):
    match = on_day(user, date(2026, 3, 2), sites=["tongue"], triggers=["caffeine"])
    on_day(user, date(2026, 3, 2), sites=["tongue"])
    on_day(user, date(2026, 2, 2), sites=["tongue"], triggers=["caffeine"])
    response = owner_client.get("/episodes/?from=2026-03-01&site=region:bulbar&trigger=caffeine")
    assert row_uuids(response) == [str(match.uuid)]


def test_history_no_match_message(owner_client, user):
    EpisodeFactory(user=user, sites=["tongue"])
    html = owner_client.get("/episodes/?site=calf-left").content.decode()
    assert "No episodes match these filters." in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=2026-13-45", "from", "Enter a real date, e.g. 2026-03-01."),
        ("to=yesterday", "to", "Enter a real date, e.g. 2026-03-31."),
        ("from=2026-03-10&to=2026-03-01", "to", "“To” is before “From”. Swap the dates?"),
        ("from=1066-10-14", "from", "That date is before 1900. Check the year."),
        (
            "site=tail",
            "site",
            "That is not one of the options here. Please pick one from the list.",
        ),
        (
            "site=region:wings",
            "site",
            "That is not one of the options here. Please pick one from the list.",
        ),
        (
            "trigger=%00",
            "trigger",
            "That is not one of the options here. Please pick one from the list.",
        ),
    ],
)
def test_history_bad_filter_is_a_message_never_a_500(owner_client, user, query, field, message):
    EpisodeFactory(user=user)
    response = owner_client.get(f"/episodes/?{query}")
    assert response.status_code == 200
    assert any(message in error for error in field_errors(response, field)), field_errors(
        response, field
    )
    assert "Fix the filter above to see episodes." in response.content.decode()
    assert row_uuids(response) == []


def test_history_bad_filter_htmx_shows_the_message(owner_client):
    """An htmx filter change swaps only the results, so they must say what is wrong."""
    response = owner_client.get(
        "/episodes/?from=2026-03-10&to=2026-03-01",
        headers={**HTMX, "HX-Target": "history-results"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fix the filter above to see episodes." in html
    assert "To: “To” is before “From”. Swap the dates?" in html


@pytest.mark.parametrize("page", ["0", "-1", "abc", "9999", "%00"])
def test_history_bad_page_number_shows_a_page(owner_client, user, page):
    EpisodeFactory(user=user)
    response = owner_client.get(f"/episodes/?page={page}")
    assert response.status_code == 200
    assert len(row_uuids(response)) == 1


# --- Pagination and "load more" ---


def test_history_paginates_newest_first(owner_client, user):
    episodes = bulk_episodes(user, HISTORY_PAGE_SIZE + 5)  # newest first already
    first = owner_client.get("/episodes/")
    assert row_uuids(first) == [str(e.uuid) for e in episodes[:HISTORY_PAGE_SIZE]]
    html = first.content.decode()
    assert f"{HISTORY_PAGE_SIZE + 5} episodes" in html
    assert 'href="?page=2"' in html
    assert "Load more" in html
    second = owner_client.get("/episodes/?page=2")
    assert row_uuids(second) == [str(e.uuid) for e in episodes[HISTORY_PAGE_SIZE:]]
    assert "Load more" not in second.content.decode()
    assert "Newer episodes" in second.content.decode()


def test_history_load_more_htmx_returns_rows_only(owner_client, user):
    episodes = bulk_episodes(user, HISTORY_PAGE_SIZE * 2 + 1)
    response = owner_client.get("/episodes/?page=2", headers={**HTMX, "HX-Target": "load-more"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="history-results"' not in html
    assert 'class="filters"' not in html
    assert row_uuids(response) == [
        str(e.uuid) for e in episodes[HISTORY_PAGE_SIZE : HISTORY_PAGE_SIZE * 2]
    ]
    assert 'data-hx-get="?page=3"' in html  # the next "load more" replaces this one


def test_history_load_more_keeps_the_filters(owner_client, user):
    bulk_episodes(user, HISTORY_PAGE_SIZE + 1, site_codes=["tongue"])
    EpisodeFactory(user=user, sites=["calf-left"])
    html = owner_client.get("/episodes/?site=tongue").content.decode()
    assert 'data-hx-get="?site=tongue&amp;page=2"' in html
    response = owner_client.get("/episodes/?site=tongue&page=2", headers=HTMX)
    assert len(row_uuids(response)) == 1


def test_history_htmx_filter_swaps_the_whole_results_section(owner_client, user):
    """The filter form targets #history-results (hx-select): the answer must contain it."""
    tongue = EpisodeFactory(user=user, sites=["tongue"])
    EpisodeFactory(user=user, sites=["calf-left"])
    response = owner_client.get(
        "/episodes/?site=tongue", headers={**HTMX, "HX-Target": "history-results"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert '<section id="history-results"' in html
    assert "1 episode<" in html
    assert row_uuids(response) == [str(tongue.uuid)]


def test_history_filter_form_targets_the_results_section(owner_client):
    html = owner_client.get("/episodes/").content.decode()
    assert 'data-hx-target="#history-results"' in html
    assert 'action="/episodes/"' in html  # works without htmx too


def test_history_markup_shown_literally(owner_client, user):
    trigger = TriggerFactory(user=user, name="</script><b>x</b>")
    EpisodeFactory(user=user, triggers=[trigger], notes="<script>alert(1)</script>")
    html = owner_client.get("/episodes/").content.decode()
    assert "<b>x</b>" not in html
    assert "<script>alert(1)" not in html
    assert "&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;" in html


def test_history_post_not_allowed(owner_client):
    assert owner_client.post("/episodes/").status_code == 405


# --- Query counts: the same at 10 and 1,000 episodes ---

# session, user, filter sites, filter triggers, count, page + 2 prefetches, profile (row zone)
HISTORY_QUERIES = 9


@pytest.mark.parametrize("count", [10, 1000])
@pytest.mark.parametrize("url", ["/episodes/", "/episodes/?page=2&site=region:lumbosacral"])
def test_history_query_count_does_not_grow(
    owner_client, user, count, url, django_assert_num_queries
):
    bulk_episodes(user, count, spacing=timedelta(hours=3))
    with django_assert_num_queries(HISTORY_QUERIES):
        response = owner_client.get(url)
    assert response.status_code == 200
    # With 10 episodes, page 2 does not exist and the last page (the only one) is shown.
    assert len(row_uuids(response)) == min(HISTORY_PAGE_SIZE, count)


@pytest.mark.parametrize("count", [10, 1000])
def test_history_load_more_query_count_does_not_grow(
    owner_client, user, count, django_assert_num_queries
):
    bulk_episodes(user, max(count, HISTORY_PAGE_SIZE + 1))
    with django_assert_num_queries(HISTORY_QUERIES):
        owner_client.get("/episodes/?page=2", headers=HTMX)


def test_history_restore_request_gets_the_whole_page(owner_client, user):
    """htmx re-fetches a page on Back after a history-cache miss; a fragment would replace it."""
    EpisodeFactory(user=user)
    response = owner_client.get(
        "/episodes/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_history_filters_by_symptom(owner_client, user):
    EpisodeFactory(user=user, weakness=True, notes="with weakness")
    EpisodeFactory(user=user, cramps=True, notes="with cramps")
    html = owner_client.get("/episodes/?symptom=weakness").content.decode()
    assert "1 episode" in html
    assert html.count('class="episode"') == 1


def test_history_unknown_symptom_is_a_message_not_an_error(owner_client, user):
    EpisodeFactory(user=user)
    response = owner_client.get("/episodes/?symptom=dizziness")
    assert response.status_code == 200
    assert "Choose a symptom from the list." in field_errors(response, "symptom")
