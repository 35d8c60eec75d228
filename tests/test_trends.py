"""The trends page: who sees what, ranges and their errors, htmx fragments, cost, Chart.js."""

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from diary import insights
from diary.insights import Period, weeks
from diary.insights.charts import CHARTJS_LOCAL
from diary.models import Episode
from tests.factories import EpisodeFactory, TriggerFactory
from tests.helpers import HTMX, bulk_episodes

URL = "/trends/"

pytestmark = pytest.mark.django_db


def today_in(user):
    return timezone.now().astimezone(user.profile.zone).date()


def payload(response) -> dict:
    match = re.search(
        r'<script id="trends-data" type="application/json">(.*?)</script>', response.text, re.S
    )
    assert match, "no #trends-data on the page"
    return json.loads(match.group(1))


@pytest.fixture
def diary(user):
    """A few days of this week's and last week's episodes for `user`."""
    now = datetime.now(UTC)
    EpisodeFactory(user=user, started_at=now - timedelta(minutes=30), sites=["calf-left"])
    EpisodeFactory(
        user=user,
        started_at=now - timedelta(days=8),
        sites=["hand-right", "calf-left"],
        triggers=["caffeine"],
        weakness=True,
        intensity=3,
    )
    EpisodeFactory(
        user=user, started_at=now - timedelta(days=20), sites=["eyelid-left"], cramps=True
    )
    return user


# --- Who sees what -------------------------------------------------------------------------------


def test_trends_anonymous_goes_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_trends_anonymous_htmx_gets_hx_redirect(client):
    response = client.get(URL, headers=HTMX)
    assert response["HX-Redirect"].startswith("/accounts/login/")


@pytest.mark.calendar
def test_trends_owner_sees_their_numbers(owner_client, diary):
    response = owner_client.get(URL)
    assert response.status_code == 200
    page = response.text
    assert "<h1>Trends</h1>" in page
    for heading in [
        "Episodes per week, by body region",
        "Days with twitching and minutes per week",
        "Body areas and regions per week",
        "Twitch details",
        "Time of day and day of the week",
        "Suspected triggers",
        "Other symptoms noted, per week",
        "Intensity per week",
        "Worth mentioning to your doctor",
    ]:
        assert heading in page
    assert page.count("<canvas") == 9
    assert page.count("<details>") == 8  # the twitch details have none noted: no table
    assert "Spread" not in page
    for site in ["Left calf", "Right hand", "Left eyelid"]:
        assert f'<th scope="row">{site}<br>' in page  # the region follows, under the name
    assert "Weakness noted with 1 episode" in page
    assert 'class="disclaimer"' in page
    assert page.count("It does not diagnose") == 1  # the doctor panel's, not the footer's too
    data = payload(response)
    # A diary 20 days old opens on the days since its first entry, not on 12 weeks.
    first = today_in(diary) - timedelta(days=20)
    assert data["weeks"][0]["start"] == (first - timedelta(days=first.weekday())).isoformat()
    assert all(week["logging"] for week in data["weeks"])
    assert "since your first entry" in page
    assert sum(d or 0 for d in data["days"]) == 3
    assert data["trigger_share"]["labels"] == ["Caffeine"]


def test_trends_twitch_details_count_only_answered_episodes(owner_client, user, other_user):
    now = datetime.now(UTC)
    for visible, moved, context in [
        (True, "yes", "rest"),
        (True, "no", "rest"),
        (False, "not_tried", "waking"),
        (None, "", ""),
    ]:
        EpisodeFactory(
            user=user,
            started_at=now - timedelta(hours=2),
            visible=visible,
            stopped_with_movement=moved,
            context=context,
        )
    # A diary over a week old, so Trends draws its sections; its first entry answered nothing.
    EpisodeFactory(user=user, started_at=now - timedelta(days=20), visible=None)
    EpisodeFactory(user=other_user, started_at=now - timedelta(hours=2), visible=False)
    page = owner_client.get(URL).text
    section = page.split('aria-labelledby="details-heading"')[1].split("</section>")[0]
    assert (
        "Seen under the skin in 2 of 3 episodes where this was noted; stopped when moved in 1 of "
        "2 where moving was tried; most often at rest (2 of 3)."
    ) in section
    rows = re.findall(r"<tr>(.*?)</tr>", section, re.S)
    cells = [re.sub(r"<[^>]+>", "|", row).replace("||", "|").strip("|") for row in rows]
    assert cells[1] == "Seen under the skin |(3 noted)"
    assert cells[2:5] == ["Yes|2|67%", "No|1|33%", "Not noted|2"]


def test_trends_other_user_sees_none_of_it(client, diary, other_user):
    client.force_login(other_user)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Left calf" not in response.text
    # Nothing logged: the plain panel, no empty charts.
    assert "Your charts start once you log" in response.text
    assert "<canvas" not in response.text
    assert "trends-data" not in response.text


def test_trends_escapes_what_people_typed(owner_client, user):
    own = TriggerFactory(user=user, name="<b>Wine</b>")
    EpisodeFactory(user=user, triggers=[own])
    EpisodeFactory(user=user, started_at=timezone.now() - timedelta(days=10))  # charts shown
    page = owner_client.get(URL).text
    assert "<b>Wine</b>" not in page
    assert "\\u003Cb\\u003EWine\\u003C/b\\u003E" in page  # the charts' data (and tables')
    assert '<th scope="col">&lt;b&gt;Wine&lt;/b&gt;</th>' in page
    page = owner_client.get(URL, {"numbers": "1"}).text
    assert "<b>Wine</b>" not in page
    assert '<th scope="row">&lt;b&gt;Wine&lt;/b&gt;</th>' in page
    assert '<th scope="col">&lt;b&gt;Wine&lt;/b&gt;</th>' in page


def test_trends_tables_come_with_the_charts_data_or_rendered_when_asked(owner_client, user):
    """
    The tables under "Show the numbers" are written by numbers.js from the charts' data (its
    browser test compares them with these); ?numbers=1, linked for a browser without
    JavaScript, renders every one on the server.
    """
    EpisodeFactory(user=user, started_at=timezone.now() - timedelta(days=10), triggers=["stress"])
    page = owner_client.get(URL, {"weeks": 12}).text
    assert page.count("<tbody data-numbers=") == 8
    assert '<th scope="row">' not in page.split('class="sites-table"')[0]  # no weekly row
    link = re.search(r'<noscript><p class="hint card"><a href="([^"]+)">', page)
    period = owner_client.get(URL, {"weeks": 12}).context["from_value"]
    assert link
    assert link[1] == f"/trends/?from={period}&amp;to={today_in(user)}&amp;numbers=1"

    response = owner_client.get(URL, {"from": period, "to": today_in(user), "numbers": "1"})
    numbers = response.text
    assert "data-numbers" not in numbers
    assert "<noscript>" not in numbers.split("<main")[1]
    absent = sum(not week["logging"] for week in payload(response)["weeks"])
    assert absent >= 9
    assert numbers.count("not logging yet</td>") == 6 * absent  # in each of 6 weekly tables
    assert '<tr><th scope="row">Stress</th><td>1</td><td>100%</td></tr>' in numbers


def test_trends_sites_table_rows_with_dates_and_the_year_only_across_years(user, owner_client):
    """Each site with its region under it, first and last seen, episodes; most first."""
    for started in ("2025-01-06T09:00", "2025-02-03T09:00", "2025-03-10T09:00"):
        at = datetime.fromisoformat(started).replace(tzinfo=UTC)
        EpisodeFactory(user=user, started_at=at, sites=["calf-left"])
    EpisodeFactory(
        user=user, started_at=datetime(2025, 2, 4, 9, tzinfo=UTC), sites=["eyelid-right"]
    )
    rows = [
        '<tr><th scope="row">Left calf<br><span class="hint">Legs &amp; feet</span></th>'
        '<td class="date">{}</td><td class="date">{}</td><td>3</td></tr>',
        '<tr><th scope="row">Right eyelid<br><span class="hint">Head &amp; face</span></th>'
        '<td class="date">{}</td><td class="date">{}</td><td>1</td></tr>',
    ]
    within = owner_client.get(URL, {"from": "2025-01-01", "to": "2025-03-31"}).text
    table = within.split('class="sites-table"')[1].split("</table>")[0]
    assert re.findall(r"<tr><th scope=\"row\">.*?</tr>", table) == [
        rows[0].format("6 Jan", "10 Mar"),
        rows[1].format("4 Feb", "4 Feb"),
    ]
    across = owner_client.get(URL, {"from": "2024-12-01", "to": "2025-03-31"}).text
    table = across.split('class="sites-table"')[1].split("</table>")[0]
    assert re.findall(r"<tr><th scope=\"row\">.*?</tr>", table) == [
        rows[0].format("6 Jan 2025", "10 Mar 2025"),
        rows[1].format("4 Feb 2025", "4 Feb 2025"),
    ]


def test_trends_summary_for_a_range_in_the_past_names_its_week(owner_client):
    page = owner_client.get(URL, {"from": "2025-03-01", "to": "2025-03-13"}).text
    assert "Week of 10 Mar" in page  # the Monday of the range's last week
    assert "This week" not in page


def test_trends_refuses_post(owner_client):
    assert owner_client.post(URL).status_code == 405


# --- Ranges --------------------------------------------------------------------------------------


@pytest.mark.parametrize("weeks", [4, 8, 12, 26, 52])
@pytest.mark.calendar
def test_trends_presets(owner_client, user, weeks):
    EpisodeFactory(user=user, started_at=timezone.now() - timedelta(days=10))  # charts shown
    response = owner_client.get(URL, {"weeks": weeks})
    assert len(payload(response)["weeks"]) == weeks
    period = Period.last_weeks(weeks, today_in(user), user.profile.zone)
    assert f'value="{period.first.isoformat()}"' in response.text
    current = re.findall(r'id="range-(\d+)"[^>]*aria-current="page"', response.text)
    assert current == [str(weeks)]


def test_trends_custom_range_is_bookmarkable(owner_client, user):
    EpisodeFactory(user=user, started_at=datetime(2025, 3, 5, 12, tzinfo=UTC))
    EpisodeFactory(user=user, started_at=datetime(2025, 4, 5, 12, tzinfo=UTC))
    response = owner_client.get(URL, {"from": "2025-03-01", "to": "2025-03-31"})
    assert response.status_code == 200
    data = payload(response)
    assert data["weeks"][0] == {
        "label": "24 Feb",
        "start": "2025-02-24",
        "logging": False,
        "mark": "",
        "row": "24 Feb",
    }
    assert data["weeks"][1]["logging"] is True  # the first episode: 5 March
    assert len(data["weeks"]) == 6
    assert data["days"] == [None, 1, 0, 0, 0, 0]
    assert 'value="2025-03-01"' in response.text
    assert 'value="2025-03-31"' in response.text
    assert (
        'aria-current="page">'
        not in response.text.split('class="range-presets"')[1].split("</nav>")[0]
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2025-03-31", "to": "2025-03-01"}, "The end date is before the start date."),
        ({"from": "2015-01-01", "to": "2025-01-01"}, "A range can be at most 5 years."),
        ({"from": "31/03/2025"}, "Enter dates as YYYY-MM-DD."),
        ({"to": "2025-13-01"}, "Enter dates as YYYY-MM-DD."),
        ({"weeks": "1000"}, "Choose 4, 8, 12, 26 or 52 weeks, or enter dates."),
        ({"from": "0001-01-01"}, "Choose dates between 1900 and 2999."),
    ],
)
def test_trends_bad_range_gives_a_message_not_a_500(owner_client, params, message):
    response = owner_client.get(URL, params)
    assert response.status_code == 200
    assert f'<p id="range-error" class="field-errors" role="alert">{message}</p>' in response.text
    assert 'aria-invalid="true"' in response.text
    assert "trends-data" not in response.text
    fragment = owner_client.get(URL, params, headers=HTMX)
    assert message in fragment.text
    assert "<html" not in fragment.text


def test_trends_keeps_the_bad_input_in_the_form(owner_client):
    response = owner_client.get(URL, {"from": "2025-03-31", "to": "2025-03-01"})
    assert 'value="2025-03-31"' in response.text
    assert 'value="2025-03-01"' in response.text


# --- htmx ----------------------------------------------------------------------------------------


def test_trends_htmx_returns_the_fragment(owner_client, diary):
    response = owner_client.get(URL, {"weeks": 4}, headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<div id="trends-results"')
    assert len(payload(response)["weeks"]) == 4
    assert 'data-hx-push-url="true"' in response.text


def test_trends_history_restore_request_gets_the_whole_page(owner_client):
    """The back button after data-hx-history="false" asks htmx to fetch the page again."""
    headers = {**HTMX, "HX-History-Restore-Request": "true"}
    response = owner_client.get(URL, {"weeks": 4}, headers=headers)
    assert "<html" in response.text
    assert 'data-hx-history="false"' in response.text


def test_trends_page_without_js_uses_plain_links_and_a_get_form(owner_client):
    page = owner_client.get(URL).text
    assert 'href="?weeks=26"' in page
    assert '<form class="range-custom" method="get" action="/trends/"' in page


# --- Numbers on the page are insights' numbers ---------------------------------------------------


def test_trends_payload_matches_insights(owner_client, user):
    bulk_episodes(user, 40, start=datetime.now(UTC) - timedelta(hours=1))
    EpisodeFactory(user=user, started_at=timezone.now() - timedelta(days=10))  # charts shown
    response = owner_client.get(URL, {"weeks": 8})
    period = Period.last_weeks(8, today_in(user), user.profile.zone)
    overview = insights.overview(user, period)
    data = payload(response)

    def logged(values):
        return [v if w.logging else None for w, v in zip(overview.weeks, values, strict=True)]

    assert [w["logging"] for w in data["weeks"]] == [w.logging for w in overview.weeks]
    assert data["days"] == logged(w.days for w in overview.weeks)
    assert data["minutes"] == logged(w.minutes for w in overview.weeks)
    assert data["heatmap"]["counts"] == overview.heatmap
    assert [r["data"] for r in data["regions"]] == [
        logged(w.by_region[region] for w in overview.weeks)
        for region in ["bulbar", "cervical", "thoracic", "lumbosacral"]
    ]
    assert f"{overview.summary.episodes} episodes in this range" in response.text


# --- Cost ----------------------------------------------------------------------------------------


def count_queries(client, params) -> int:
    """The queries of a miss with no week kept summed, and the same again: one figure."""
    counts = set()
    for keeping in (False, True):
        if not keeping:
            weeks.forget()
        caches["pages"].clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, params).status_code == 200
        counts.add(len(ctx.captured_queries))
    assert len(counts) == 1, counts
    return counts.pop()


def test_trends_query_count_is_constant(owner_client, user):
    """
    Session, user, profile, insights' three and the comparisons' one (the check-ins: with none,
    there are no episodes per day to count): whatever the range and the amount of data. (A
    diary under a week old shows a panel instead of the comparisons: one fewer.)
    """
    assert count_queries(owner_client, {"weeks": 12}) == 6
    EpisodeFactory(user=user, started_at=datetime.now(UTC) - timedelta(days=90))
    empty = {weeks: count_queries(owner_client, {"weeks": weeks}) for weeks in (12, 52)}
    bulk_episodes(user, 3, start=datetime.now(UTC) - timedelta(days=2))
    small = {weeks: count_queries(owner_client, {"weeks": weeks}) for weeks in (12, 52)}
    bulk_episodes(
        user, 1500, start=datetime.now(UTC) - timedelta(days=3), site_codes=("calf-left", "tongue")
    )
    for i in range(30):
        EpisodeFactory(
            user=user,
            started_at=datetime.now(UTC) - timedelta(days=3 * i),
            sites=["hand-left", "thigh-right"],
            triggers=["stress", "caffeine"],
            weakness=i % 2 == 0,
            intensity=1 + i % 5,
            # The twitch details too: counted from the per-day summary, never per episode.
            visible=[True, False, None][i % 3],
            pattern="single",
            stopped_with_movement="yes",
            context="rest",
        )
    large = {weeks: count_queries(owner_client, {"weeks": weeks}) for weeks in (12, 52)}
    response = owner_client.get(URL)
    shown = Episode.objects.for_user(user).filter(local_date__gte=response.context["from_value"])
    yes, answered = (shown.filter(visible=True).count(), shown.exclude(visible=None).count())
    assert answered > 10
    assert f"Seen under the skin in {yes} of {answered} episodes" in response.text
    counts = {*empty.values(), *small.values(), *large.values()}
    assert counts == {7}


# --- Chart.js: CDN with SRI, vendored fallback, strict CSP ---------------------------------------


def test_trends_loads_chartjs_from_the_cdn_with_a_local_fallback(owner_client):
    page = owner_client.get(URL).text
    # trends.js inserts chart-loader.js with these settings when a chart nears the viewport.
    tag = r'<script [^>]*data-loader="/static/js/chart-loader.js"[^>]*>'
    loader = re.search(tag, page).group(0)
    assert f'data-cdn="{settings.CHARTJS_URL}"' in loader
    assert f'data-integrity="{settings.CHARTJS_INTEGRITY}"' in loader
    assert f'data-local="/static/{CHARTJS_LOCAL}"' in loader
    assert settings.CHARTJS_URL.startswith("https://cdn.jsdelivr.net/npm/chart.js@4.5.1/")
    assert (Path(settings.BASE_DIR) / "static" / CHARTJS_LOCAL).is_file()


def test_trends_csp_allows_exactly_the_pinned_cdn_file(owner_client):
    csp = owner_client.get(URL)["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert settings.CHARTJS_URL in script_src.split()
    assert "'unsafe-inline'" not in script_src


def test_trends_has_no_inline_scripts(owner_client, diary):
    page = owner_client.get(URL).text
    for tag in re.findall(r"<script\b[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert " style=" not in page


def test_chartjs_url_local_serves_only_the_vendored_copy(owner_client, settings):
    settings.CHARTJS_URL = "local"
    page = owner_client.get(URL).text
    assert 'data-cdn=""' in page
    assert "cdn.jsdelivr.net" not in page


def test_vendored_chartjs_matches_the_sri_hash():
    """The vendored copy must be the unmodified file the CDN serves (same SRI hash)."""
    import base64
    import hashlib

    body = (Path(settings.BASE_DIR) / "static" / CHARTJS_LOCAL).read_bytes()
    digest = base64.b64encode(hashlib.sha384(body).digest()).decode()
    assert f"sha384-{digest}" == settings.CHARTJS_INTEGRITY


def test_trends_states_the_one_clock_rule(owner_client, diary):
    assert "Days and hours are counted where each twitch was logged" in owner_client.get(URL).text


def test_the_charts_data_escapes_what_json_script_escapes():
    """The charts' JSON (trends_tags.json_data) can end no script and start no markup."""
    from django.utils.html import json_script
    from django.utils.translation import gettext_lazy

    from diary.templatetags.trends_tags import json_data

    value = {"name": "</script><b>&amp;</b>", "lazy": gettext_lazy("Trends"), "n": [1, 2.5]}
    ours, django = json_data(value, "x"), json_script(value, "x")
    body = ours.split('type="application/json">')[1].removesuffix("</script>")
    assert "<" not in body
    assert ">" not in body
    assert "&" not in body
    assert json.loads(body) == json.loads(
        django.split('type="application/json">')[1].removesuffix("</script>")
    )
    assert ours.startswith('<script id="x" type="application/json">')
