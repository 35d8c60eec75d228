"""
The trends page in a phone-sized Chromium: every chart draws, the range switch swaps the charts
and the URL, Chart.js falls back to the vendored copy when the CDN fails, axe finds nothing.

The test machine has no internet: by default the CDN URL is answered with the vendored file
(byte for byte what jsDelivr serves, so the SRI check passes); the fallback tests make it fail.
"""

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from diary.timeutil import iso_week_start
from diary.views.trends import CHARTJS_LOCAL
from tests.browser.conftest import log_in
from tests.browser.support import (
    NARROW_PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
)
from tests.factories import EpisodeFactory, TriggerFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VENDORED = Path(django_settings.BASE_DIR) / "static" / CHARTJS_LOCAL
CDN = "https://cdn.jsdelivr.net/**"
CANVASES = [
    "regions",
    "days",
    "spread",
    "heatmap",
    "trigger-share",
    "trigger-weeks",
    "symptoms",
    "intensity",
]
CHARTS_READY = """() => window.Chart && [...document.querySelectorAll('#trends-results canvas')]
    .every((canvas) => window.Chart.getChart(canvas))"""
REGION_LABELS = (
    "(window.Chart.getChart(document.querySelector('[data-chart=regions]'))?.data.labels ?? [])"
)
# Copied onto a fresh canvas, so the chart's own canvas is never read back (Chrome warns when
# one canvas is read back repeatedly).
INKED_PIXELS = """(name) => {
    const canvas = document.querySelector(`[data-chart="${name}"]`);
    const probe = document.createElement('canvas');
    probe.width = canvas.width;
    probe.height = canvas.height;
    const context = probe.getContext('2d', {willReadFrequently: true});
    context.drawImage(canvas, 0, 0);
    const data = context.getImageData(0, 0, probe.width, probe.height).data;
    let inked = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked++;
    return inked;
}"""


@pytest.fixture
def page(context):
    """
    A page that fails the test on console errors, like tests/browser/conftest.py's, except the
    ones these tests cause on purpose: a Chart.js request that fails or does not match its hash.
    """
    page = context.new_page()
    problems: list[str] = []

    def on_console(message) -> None:
        where = f"{message.text} {message.location.get('url', '')}"
        on_purpose = "cdn.jsdelivr.net" in where or "chart.umd.min.js" in where
        if message.type in ("error", "warning") and not on_purpose:
            problems.append(f"console.{message.type}: {message.text} ({message.location})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught exception: {error}"))
    page.set_default_timeout(8_000)
    yield page
    page.close()
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def trends_page(page, live_server, user):
    """Logged in as `user`, with a varied diary, the CDN answering with the vendored file."""
    log_in(page.context, live_server, user)
    make_diary(user)
    page.route(CDN, serve_vendored)
    return page


def serve_vendored(route) -> None:
    route.fulfill(
        status=200,
        body=VENDORED.read_bytes(),
        headers={"Content-Type": "application/javascript", "Access-Control-Allow-Origin": "*"},
    )


def make_diary(user) -> None:
    """Ten weeks with every kind of data each chart shows."""
    now = datetime.now(UTC)
    own = TriggerFactory(user=user, name="Red wine")
    for day in range(0, 70, 3):
        EpisodeFactory(
            user=user,
            started_at=now - timedelta(days=day, hours=day % 13),
            sites=["calf-left"] if day % 2 else ["calf-left", "hand-right"],
            triggers=["caffeine"] if day % 4 else ["stress", own],
            intensity=1 + day % 5,
            duration=timedelta(seconds=30 + day * 10),
            weakness=day % 9 == 0,
            cramps=day % 5 == 0,
        )


def goto_trends(page, live_server, query: str = "") -> None:
    page.goto(live_server.url + reverse("trends") + query)
    page.wait_for_function(CHARTS_READY)


def chart_source(page) -> str:
    return page.evaluate("() => document.documentElement.dataset.chartjs")


def assert_every_chart_drew(page) -> None:
    names = page.evaluate(
        "() => [...document.querySelectorAll('#trends-results canvas')].map((c) => c.dataset.chart)"
    )
    assert names == CANVASES
    for name in names:
        assert page.evaluate(INKED_PIXELS, name) > 500, f"the {name} chart is blank"


def labels(page) -> list[str]:
    return page.evaluate(f"() => {REGION_LABELS}")


def test_every_chart_draws_from_the_cdn_copy(trends_page, live_server):
    goto_trends(trends_page, live_server)
    assert chart_source(trends_page) == django_settings.CHARTJS_URL
    assert_every_chart_drew(trends_page)
    assert len(labels(trends_page)) == 12


def test_unreachable_cdn_falls_back_to_the_vendored_copy(trends_page, live_server):
    trends_page.unroute(CDN)
    trends_page.route(CDN, lambda route: route.abort())
    goto_trends(trends_page, live_server)
    assert chart_source(trends_page).endswith("/static/" + CHARTJS_LOCAL)
    assert_every_chart_drew(trends_page)


def test_cdn_file_that_fails_its_integrity_check_is_not_run(trends_page, live_server):
    trends_page.unroute(CDN)
    trends_page.route(
        CDN,
        lambda route: route.fulfill(
            status=200,
            body=b"window.Chart = 'tampered';",
            headers={"Content-Type": "application/javascript", "Access-Control-Allow-Origin": "*"},
        ),
    )
    goto_trends(trends_page, live_server)
    assert chart_source(trends_page).endswith("/static/" + CHARTJS_LOCAL)
    assert_every_chart_drew(trends_page)


def test_no_chartjs_at_all_leaves_the_tables_and_says_so(trends_page, live_server):
    page = trends_page
    page.unroute(CDN)
    page.route("**/chart.umd.min.js", lambda route: route.abort())
    page.goto(live_server.url + reverse("trends"))
    note = page.locator("[data-charts-failed]")
    note.wait_for()
    assert "could not be loaded" in note.inner_text()
    page.locator("summary").first.click()
    assert page.get_by_role("region", name="Table: episodes per week by body region").is_visible()


def test_chartjs_url_local_never_asks_the_cdn(trends_page, live_server, settings):
    settings.CHARTJS_URL = "local"
    asked: list[str] = []
    trends_page.on("request", lambda r: asked.append(r.url) if "jsdelivr" in r.url else None)
    goto_trends(trends_page, live_server)
    assert asked == []
    assert chart_source(trends_page).endswith("/static/" + CHARTJS_LOCAL)
    assert_every_chart_drew(trends_page)


def test_range_switch_swaps_the_charts_and_the_url(trends_page, live_server):
    page = trends_page
    goto_trends(page, live_server)
    page.get_by_role("link", name="4 weeks").click()
    page.wait_for_url(re.compile(r"/trends/\?weeks=4$"))
    page.wait_for_function(CHARTS_READY)
    page.wait_for_function(f"() => {REGION_LABELS}.length === 4")
    assert_every_chart_drew(page)
    assert page.get_by_role("link", name="4 weeks").get_attribute("aria-current") == "page"
    assert page.evaluate("() => document.querySelectorAll('#trends-results').length") == 1

    # A custom range through the form (the last four whole weeks), also swapped in place.
    monday = iso_week_start(date.today()) - timedelta(weeks=4)
    sunday = monday + timedelta(days=27)
    page.get_by_label("From", exact=True).fill(monday.isoformat())
    page.get_by_label("To", exact=True).fill(sunday.isoformat())
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(f"from={monday}&to={sunday}"))
    page.wait_for_function(f"() => {REGION_LABELS}[0] === '{monday.day} {monday:%b}'")
    assert len(labels(page)) == 4
    assert_every_chart_drew(page)

    # Back: htmx restores the 4-week page and the charts are drawn again.
    page.go_back()
    page.wait_for_url(re.compile(r"weeks=4$"))
    page.wait_for_function(CHARTS_READY)
    assert len(labels(page)) == 4
    assert_every_chart_drew(page)


def test_bad_range_shows_the_message_in_place(trends_page, live_server):
    page = trends_page
    goto_trends(page, live_server)
    page.get_by_label("From", exact=True).fill("2025-03-30")
    page.get_by_label("To", exact=True).fill("2025-03-01")
    page.get_by_role("button", name="Show").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert alert.inner_text() == "The end date is before the start date."
    assert page.locator("canvas").count() == 0
    assert_accessible(page, "trends with a bad range")


def test_trends_has_no_axe_violations_in_light_and_dark(trends_page, live_server):
    page = trends_page
    goto_trends(page, live_server)
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    backgrounds = set()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.wait_for_function(CHARTS_READY)
        backgrounds.add(page.evaluate("() => getComputedStyle(document.body).backgroundColor"))
        assert_accessible(page, f"trends ({scheme})")
        assert_every_chart_drew(page)
    assert len(backgrounds) == 2, "the dark colour scheme took effect"


def test_trends_fits_a_narrow_phone(trends_page, live_server):
    page = trends_page
    for size in (None, NARROW_PHONE):
        if size:
            page.set_viewport_size(size)
        goto_trends(page, live_server, "?weeks=52")
        page.evaluate(
            "() => document.querySelectorAll('details').forEach((d) => { d.open = true; })"
        )
        assert_no_horizontal_scroll(page, f"trends at {page.viewport_size['width']} px")


def test_trends_works_without_javascript(browser, live_server, user, browser_context_args):
    make_diary(user)
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    log_in(context, live_server, user)
    page = context.new_page()
    page.goto(live_server.url + reverse("trends"))
    page.get_by_role("link", name="26 weeks").click()
    page.wait_for_url(re.compile(r"weeks=26$"))
    assert page.locator("[data-chart=regions]").is_hidden()
    page.locator("summary").first.click()
    assert page.get_by_role("region", name="Table: episodes per week by body region").is_visible()
    assert page.locator("#range-26").get_attribute("aria-current") == "page"
    # The icon is fetched after the page has loaded; closing the context while that request is
    # still in the live server makes its thread close a database connection it does not own.
    page.wait_for_load_state("networkidle")
    context.close()
