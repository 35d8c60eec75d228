"""
The trends page in a phone-sized Chromium: charts draw as they near the viewport (Chart.js is
only fetched then), every chart draws once scrolled to, weeks before the first entry show as "not
logging yet", the range switch swaps the charts and the URL, Chart.js falls back to the vendored
copy when the CDN fails, axe finds nothing.

The test machine has no internet: by default the CDN URL is answered with the vendored file
(byte for byte what jsDelivr serves, so the SRI check passes); the fallback tests make it fail.
"""

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from diary.insights.charts import CHARTJS_LOCAL
from diary.lib.clock import iso_week_start
from tests.browser.conftest import PLAYWRIGHT_BLOCKED_WORKER, log_in
from tests.browser.support import (
    NARROW_PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    open_every_details,
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
    "minutes",
    "spread",
    "heatmap",
    "trigger-share",
    "trigger-weeks",
    "symptoms",
    "intensity",
]
CHARTS_READY = """() => window.Chart && [...document.querySelectorAll('#trends-results canvas')]
    .every((canvas) => window.Chart.getChart(canvas))"""
# Polled until true: scrolls the first canvas not drawn yet into view, as a reader scrolling down
# would, so every chart is drawn; robust to an htmx swap that has not settled yet.
DRAW_ALL = """() => {
    const todo = [...document.querySelectorAll('#trends-results canvas')]
        .filter((canvas) => !window.Chart?.getChart(canvas));
    if (todo.length) todo[0].scrollIntoView({block: 'center'});
    return document.querySelector('#trends-results canvas') !== null && todo.length === 0;
}"""
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
    page.console_seen = []  # every message, on purpose or not: goto_trends reports them

    def on_console(message) -> None:
        where = f"{message.text} {message.location.get('url', '')}"
        page.console_seen.append(f"console.{message.type}: {where}")
        on_purpose = "cdn.jsdelivr.net" in where or "chart.umd.min.js" in where
        if message.text == PLAYWRIGHT_BLOCKED_WORKER:
            return  # tests/conftest.py blocks the service worker outside test_offline.py
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
    """
    Thirteen weeks with every kind of data each chart shows: older than the 12 weeks Trends
    opens on (a younger diary opens on the days since its first entry).
    """
    now = datetime.now(UTC)
    own = TriggerFactory(user=user, name="Red wine")
    for day in range(0, 91, 3):
        EpisodeFactory(
            user=user,
            started_at=now - timedelta(days=day, hours=day % 13),
            sites=["calf-left"] if day % 2 else ["calf-left", "hand-right"],
            triggers=["caffeine"] if day % 4 else ["stress", own],
            intensity=1 + day % 5,
            duration=timedelta(seconds=30 + day * 10),
            weakness=day % 9 == 0,
            cramps=day % 5 == 0,
            visible=[True, False, None][day % 3],  # the twitch details' section and table
            pattern="single" if day % 2 else "",
        )


def mark_results(page) -> None:
    """Mark the results shown now, so a wait can tell when htmx has swapped in new ones."""
    page.evaluate("() => { document.getElementById('trends-results').dataset.old = ''; }")


def wait_for_new_results(page) -> None:
    """The marked results are gone (swapped or restored) and every new chart is drawn."""
    page.wait_for_function("() => !document.querySelector('#trends-results[data-old]')")
    page.wait_for_function(DRAW_ALL)


# The vendored copy may only be asked for once chart-loader.js has waited CDN_PATIENCE_MS (4 s)
# for the CDN's answer: the fallback tests give the charts that long on top of the usual wait.
FALLBACK_TIMEOUT = 12_000
# What the page was doing when its charts did not all draw: which Chart.js answered (or
# "failed"), which canvases have a chart, and how each script request went.
CHART_STATE = """() => ({
    chartjs: document.documentElement.dataset.chartjs ?? null,
    canvases: [...document.querySelectorAll('#trends-results canvas')]
        .filter((canvas) => !window.Chart?.getChart?.(canvas))
        .map((canvas) => `${canvas.dataset.chart} not drawn`),
    scripts: performance.getEntriesByType('resource')
        .filter((entry) => entry.initiatorType === 'script')
        .map((entry) => `${entry.name} at ${Math.round(entry.startTime)} ms`
            + ` took ${Math.round(entry.duration)} ms`),
    inserted: [...document.scripts].map((script) => script.src).filter(Boolean),
})"""


def goto_trends(page, live_server, query: str = "", timeout: float = 8_000) -> None:
    """Open Trends and scroll it through, so that every chart is drawn."""
    page.goto(live_server.url + reverse("trends") + query)
    try:
        page.wait_for_function(DRAW_ALL, timeout=timeout)
    except PlaywrightTimeoutError:
        state = page.evaluate(CHART_STATE)
        console = getattr(page, "console_seen", [])
        pytest.fail(f"Not every chart drew within {timeout:.0f} ms: {state}; console: {console}")


def chart_source(page) -> str:
    return page.evaluate("() => document.documentElement.dataset.chartjs")


def assert_every_chart_drew(page) -> None:
    names = page.evaluate(
        "() => [...document.querySelectorAll('#trends-results canvas')].map((c) => c.dataset.chart)"
    )
    assert names == CANVASES
    for name in names:
        assert page.evaluate(INKED_PIXELS, name) > 500, f"the {name} chart is blank"


# Every table under "Show the numbers" as rows of cell texts, the heading cell first.
TABLES = """() => [...document.querySelectorAll('#trends-results details table')].map((table) => ({
    name: table.closest('[aria-label]').getAttribute('aria-label'),
    head: [...table.tHead.rows[0].cells].map((cell) => cell.textContent),
    rows: [...table.tBodies].flatMap((body) => [...body.rows]).map((row) =>
        [...row.cells].map((cell) => `${cell.tagName}:${cell.scope}:${cell.textContent}`)),
}))"""


def labels(page) -> list[str]:
    return page.evaluate(f"() => {REGION_LABELS}")


def test_every_chart_draws_from_the_cdn_copy(trends_page, live_server):
    goto_trends(trends_page, live_server)
    assert chart_source(trends_page) == django_settings.CHARTJS_URL
    assert_every_chart_drew(trends_page)
    assert len(labels(trends_page)) == 12


# IntersectionObserver callbacks are delivered with rendering: two frames and they have run.
SETTLED = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
IS_DRAWN = "(name) => !!window.Chart?.getChart(document.querySelector(`[data-chart='${name}']`))"
# A short phone screen (or a long summary): the first chart starts well below the fold.
SHORT_PHONE = {"width": 390, "height": 420}


def test_chartjs_is_fetched_only_when_a_chart_nears_the_viewport(trends_page, live_server):
    page = trends_page
    page.set_viewport_size(SHORT_PHONE)
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "chart.umd" in r.url else None)
    page.goto(live_server.url + reverse("trends"))
    first = page.evaluate(
        "() => document.querySelector('[data-chart=regions]').getBoundingClientRect().top"
    )
    assert first > SHORT_PHONE["height"] + 300, "the first chart starts beyond the margin"
    page.evaluate(SETTLED)
    page.evaluate(SETTLED)
    assert asked == []
    assert page.evaluate("() => typeof window.Chart") == "undefined"

    page.locator("[data-chart=regions]").scroll_into_view_if_needed()
    page.wait_for_function(IS_DRAWN, arg="regions")
    assert asked == [django_settings.CHARTJS_URL]
    assert page.evaluate(INKED_PIXELS, "regions") > 500


def test_a_chart_far_below_is_drawn_only_when_scrolled_to(trends_page, live_server):
    page = trends_page
    page.goto(live_server.url + reverse("trends"))
    page.locator("[data-chart=regions]").scroll_into_view_if_needed()
    page.wait_for_function(IS_DRAWN, arg="regions")
    page.evaluate(SETTLED)
    assert not page.evaluate(IS_DRAWN, "intensity")
    assert page.evaluate(INKED_PIXELS, "intensity") == 0

    page.locator("[data-chart=intensity]").scroll_into_view_if_needed()
    page.wait_for_function(IS_DRAWN, arg="intensity")
    assert page.evaluate(INKED_PIXELS, "intensity") > 500


def test_days_and_minutes_are_two_charts_with_one_axis_each(trends_page, live_server):
    goto_trends(trends_page, live_server)
    for name in ("days", "minutes"):
        scales = trends_page.evaluate(
            "(name) => Object.keys(window.Chart.getChart("
            "document.querySelector(`[data-chart='${name}']`)).scales)",
            name,
        )
        assert sorted(scales) == ["x", "y"], name


# The band over weeks before the first entry, read back from the canvas: how much of it is
# covered, how many pixels have a bar's colour, how many the muted text colour.
NOT_LOGGING_BAND = """() => {
    const canvas = document.querySelector('[data-chart=regions]');
    const chart = window.Chart.getChart(canvas);
    const [band] = chart.$notLogging;
    const ratio = chart.currentDevicePixelRatio;
    const probe = document.createElement('canvas');
    probe.width = canvas.width;
    probe.height = canvas.height;
    const context = probe.getContext('2d', {willReadFrequently: true});
    context.drawImage(canvas, 0, 0);
    const [x, y] = [Math.ceil(band.left * ratio) + 1, Math.ceil(band.top * ratio) + 1];
    const width = Math.floor((band.right - band.left) * ratio) - 2;
    const height = Math.floor((band.bottom - band.top) * ratio) - 2;
    const pixels = context.getImageData(x, y, width, height).data;
    const hex = (c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
    const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    const bars = chart.data.datasets.map((d) => hex(d.borderColor));
    const muted = hex(css('--muted'));
    const near = (p, i, c) => c.every((v, k) => Math.abs(p[i + k] - v) < 40);
    let covered = 0, barColoured = 0, text = 0;
    for (let i = 0; i < pixels.length; i += 4) {
        if (pixels[i + 3] > 0) covered++;
        const opaque = pixels[i + 3] === 255;
        if (opaque && bars.some((c) => c.every((v, k) => pixels[i + k] === v))) barColoured++;
        if (pixels[i + 3] > 200 && near(pixels, i, muted)) text++;
    }
    return {
        bands: chart.$notLogging.length,
        weeks: chart.data.labels.length,
        left: band.left === chart.chartArea.left,
        share: covered / (pixels.length / 4),
        barColoured,
        text,
        nulls: chart.data.datasets.map((d) => d.data.filter((v) => v === null).length),
    };
}"""


@pytest.mark.now("2026-12-07T10:30")  # a Monday (the weekday arithmetic: test_numbers.py)
def test_weeks_before_the_first_entry_show_as_not_logging_yet(page, live_server, user):
    log_in(page.context, live_server, user)
    page.route(CDN, serve_vendored)
    now = datetime.now(UTC)
    for day in range(10):
        EpisodeFactory(user=user, started_at=now - timedelta(days=day), sites=["calf-left"])
    page.goto(live_server.url + reverse("trends") + "?weeks=12")
    page.locator("[data-chart=regions]").scroll_into_view_if_needed()
    page.wait_for_function(IS_DRAWN, arg="regions")
    idle = page.evaluate(
        "() => JSON.parse(document.getElementById('trends-data').textContent)"
        ".weeks.filter((w) => !w.logging).length"
    )
    # 9 days before Monday 7 December is Saturday 28 November: logging since the week of
    # 23 November, so 9 of the 12 weeks come before it.
    assert idle == 9
    band = page.evaluate(NOT_LOGGING_BAND)
    assert (band["bands"], band["weeks"]) == (1, 12)
    assert band["left"], "the band starts at the first week"
    assert band["share"] > 0.99, "the muted band covers those weeks"
    assert band["barColoured"] == 0, "no bar in a week before the first entry"
    assert band["text"] > 50, "the words 'not logging yet' are drawn in the band"
    assert band["nulls"] == [idle] * 4, "no value, not zero, for each region"


# The last bar of the "days" chart (this week, not over) against a finished week's: what share
# of each bar's box is inked in the bar's colour, and how each is labelled and styled.
UNFINISHED_WEEK = """() => {
    const canvas = document.querySelector('[data-chart=days]');
    const chart = window.Chart.getChart(canvas);
    const last = chart.data.labels.length - 1;
    const ratio = chart.currentDevicePixelRatio;
    const probe = document.createElement('canvas');
    probe.width = canvas.width;
    probe.height = canvas.height;
    const context = probe.getContext('2d', {willReadFrequently: true});
    context.drawImage(canvas, 0, 0);
    const colour = chart.data.datasets[0].borderColor;
    const rgb = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
    const inked = (index) => {
        const bar = chart.getDatasetMeta(0).data[index];
        const left = Math.ceil((bar.x - bar.width / 2) * ratio) + 3;
        const top = Math.ceil(bar.y * ratio) + 3;
        const width = Math.floor(bar.width * ratio) - 6;
        const height = Math.floor((bar.base - bar.y) * ratio) - 6;
        const pixels = context.getImageData(left, top, width, height).data;
        let hits = 0;
        for (let i = 0; i < pixels.length; i += 4) {
            const near = rgb.every((v, k) => Math.abs(pixels[i + k] - v) < 30);
            if (pixels[i + 3] > 200 && near) hits++;
        }
        return hits / (pixels.length / 4);
    };
    const full = chart.data.datasets[0].data.findIndex((v, i) => i < last && v > 0);
    const line = window.Chart.getChart(document.querySelector('[data-chart=intensity]'));
    return {
        marks: chart.$marks.map((mark) => mark.text),
        label: chart.data.labels[last],
        before: chart.data.labels[last - 1],
        values: [chart.data.datasets[0].data[last], chart.data.datasets[0].data[full]],
        pattern: chart.data.datasets[0].backgroundColor[last] instanceof CanvasPattern,
        outline: chart.data.datasets[0].borderWidth[last],
        lastInk: inked(last),
        fullInk: inked(full),
        hollowPoint: line.data.datasets[0].pointBackgroundColor[last]
            !== line.data.datasets[0].borderColor,
    };
}"""


def test_the_current_week_is_drawn_unfinished(trends_page, live_server):
    """This week is outlined and hatched and labelled "so far"; a finished week is filled."""
    goto_trends(trends_page, live_server)
    week = trends_page.evaluate(UNFINISHED_WEEK)
    assert week["label"][1] == "so far"
    assert week["marks"] == ["so far"], "written above the bar too: the axis may skip its label"
    assert isinstance(week["before"], str), "a finished week has a plain label"
    assert min(week["values"]) > 0, "both weeks have a bar"
    assert week["pattern"], "hatched"
    assert week["outline"] == 2, "outlined"
    assert week["fullInk"] > 0.95, "a finished week's bar is filled"
    assert 0.1 < week["lastInk"] < 0.7, "this week's bar is hatched, not filled"
    assert week["hollowPoint"], "the line charts draw this week's point hollow"


def test_unreachable_cdn_falls_back_to_the_vendored_copy(trends_page, live_server):
    trends_page.unroute(CDN)
    trends_page.route(CDN, lambda route: route.abort())
    goto_trends(trends_page, live_server, timeout=FALLBACK_TIMEOUT)
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
    goto_trends(trends_page, live_server, timeout=FALLBACK_TIMEOUT)
    assert chart_source(trends_page).endswith("/static/" + CHARTJS_LOCAL)
    assert_every_chart_drew(trends_page)


def test_no_chartjs_at_all_leaves_the_tables_and_says_so(trends_page, live_server):
    page = trends_page
    page.unroute(CDN)
    page.route("**/chart.umd.min.js", lambda route: route.abort())
    page.goto(live_server.url + reverse("trends"))
    page.locator("[data-chart=regions]").scroll_into_view_if_needed()  # Chart.js is asked for
    note = page.locator("[data-charts-failed]")
    note.wait_for()
    assert "could not be loaded" in note.inner_text()
    page.locator("summary").first.click()
    table = page.get_by_role("region", name="Table: episodes per week by body region")
    assert table.is_visible()
    assert table.locator("tbody tr").count() == 12


def test_numbers_js_writes_the_tables_the_server_renders(trends_page, live_server):
    """
    The tables numbers.js writes from the charts' data, cell for cell, are those the server
    renders for ?numbers=1 (the page for a browser without JavaScript): 52 weeks, most of them
    before the first entry, with own and built-in triggers, the unfinished week included.
    """
    page = trends_page
    goto_trends(page, live_server, "?weeks=52")
    open_every_details(page)
    written = page.evaluate(TABLES)
    first = page.get_by_label("From", exact=True).input_value()
    last = page.get_by_label("To", exact=True).input_value()
    period = f"?from={first}&to={last}&numbers=1"
    page.goto(live_server.url + reverse("trends") + period)
    assert page.locator("tbody[data-numbers]").count() == 0
    rendered = page.evaluate(TABLES)
    assert [table["name"] for table in written] == [table["name"] for table in rendered]
    # Eight written by numbers.js; the twitch details' and the comparisons' on the server.
    assert len(written) == 10
    assert written == rendered
    regions = written[0]["rows"]
    assert len(regions) == 52
    assert regions[0][1] == "TD::not logging yet"
    assert regions[-1][0].endswith("(so far)")


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
    mark_results(page)
    page.get_by_role("link", name="4 weeks").click()
    page.wait_for_url(re.compile(r"/trends/\?weeks=4$"))
    wait_for_new_results(page)
    page.wait_for_function(f"() => {REGION_LABELS}.length === 4")
    assert_every_chart_drew(page)
    assert page.get_by_role("link", name="4 weeks").get_attribute("aria-current") == "page"
    assert page.evaluate("() => document.querySelectorAll('#trends-results').length") == 1

    # A custom range through the form (the last four whole weeks), also swapped in place.
    monday = iso_week_start(date.today()) - timedelta(weeks=4)
    sunday = monday + timedelta(days=27)
    page.get_by_label("From", exact=True).fill(monday.isoformat())
    page.get_by_label("To", exact=True).fill(sunday.isoformat())
    mark_results(page)
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(f"from={monday}&to={sunday}"))
    wait_for_new_results(page)
    page.wait_for_function(f"() => {REGION_LABELS}[0] === '{monday.day} {monday:%b}'")
    assert len(labels(page)) == 4
    assert_every_chart_drew(page)

    # Back: htmx restores the 4-week page and the charts are drawn again.
    mark_results(page)
    page.go_back()
    page.wait_for_url(re.compile(r"weeks=4$"))
    wait_for_new_results(page)
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
    open_every_details(page)
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
        open_every_details(page)
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
    assert page.locator("#range-26").get_attribute("aria-current") == "page"
    # The tables are written by JavaScript: a link asks for the page with every one rendered.
    page.get_by_role("link", name="Show every table of numbers").click()
    page.wait_for_url(re.compile(r"numbers=1$"))
    page.locator("summary").first.click()
    table = page.get_by_role("region", name="Table: episodes per week by body region")
    assert table.is_visible()
    assert table.locator("tbody tr").count() == 26
    # The icon is fetched after the page has loaded; closing the context while that request is
    # still in the live server makes its thread close a database connection it does not own.
    page.wait_for_load_state("networkidle")
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshot_trends(trends_page, live_server, request, scheme):
    """
    Trends on a phone for the README: the summary, then the first charts with the weeks before
    the diary began shown as "not logging yet". Saved under docs/ only with --screenshots.
    """
    page = trends_page
    page.emulate_media(color_scheme=scheme)
    goto_trends(page, live_server)
    page.evaluate("() => window.scrollTo(0, 0)")
    page.locator("#chart-regions-heading").evaluate("(h) => window.scrollTo(0, h.offsetTop - 260)")
    page.evaluate(SETTLED)
    assert page.evaluate(INKED_PIXELS, "regions") > 500
    png = page.screenshot(animations="disabled", caret="hide")
    assert png.startswith(b"\x89PNG")
    if request.config.getoption("--screenshots"):
        suffix = "" if scheme == "light" else "-dark"
        (Path(django_settings.BASE_DIR) / "docs" / f"screenshot-trends{suffix}.png").write_bytes(
            png
        )
