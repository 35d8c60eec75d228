"""
The test clock: the `now` fixture, the run-wide `--now`, and the calendar sweep.

time-machine patches this process's clock at the C level, so Django's `timezone.now()`,
`date.today()`, `auto_now` fields, session expiry, TOTP codes and the live_server threads all
see the pinned time. A browser context opened while the clock is pinned gets Playwright's clock
at the same instant. Time runs on from a pinned instant unless a test asks for it frozen.

An instant is written `2026-12-07T10:30` (local time in Europe/London, the zone of the test
users and the browser), `2026-12-07T10:30-05:00` (that offset), or
`2026-03-08T01:59[America/New_York]` (local time in that zone; a test marked `calendar` then
gives its users and its browser that zone). A local time that a clock change skips is refused,
and so is one it repeats, unless an offset says which: `2026-10-25T01:30+00:00[Europe/London]`.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest
import time_machine

TEST_ZONE = "Europe/London"
NOW_ENV = "TWITCHLOG_TEST_NOW"


@dataclass(frozen=True)
class Point:
    """An instant, and the zone that a test marked `calendar` gives its users at that instant."""

    instant: datetime  # in UTC, so that adding a timedelta adds elapsed time
    zone: str
    label: str = ""

    @property
    def local(self) -> datetime:
        return self.instant.astimezone(ZoneInfo(self.zone))

    def __str__(self) -> str:
        return f"{self.local.isoformat(timespec='minutes')}[{self.zone}]"


_INSTANT = re.compile(r"(?P<time>[^\[\]]+?)(?:\[(?P<zone>[^\[\]]+)\])?")


def parse_point(text: str, *, zone: str = TEST_ZONE, label: str = "") -> Point:
    """`2026-12-07T10:30`, `2026-12-07T10:30+01:00`, `2026-03-08T01:59[America/New_York]`."""
    match = _INSTANT.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not an instant such as 2026-12-07T10:30")
    zone = match["zone"] or zone
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{zone!r} is not a time zone such as Europe/London") from None
    parsed = datetime.fromisoformat(match["time"])
    instant = parsed if parsed.tzinfo is not None else local_instant(parsed, tz)
    return Point(instant.astimezone(UTC), zone, label)


def local_instant(wall: datetime, tz: ZoneInfo) -> datetime:
    """The one instant at wall-clock time `wall` in `tz`; a skipped or repeated time is refused."""
    first, second = wall.replace(tzinfo=tz, fold=0), wall.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != wall:
        raise ValueError(f"{wall:%Y-%m-%d %H:%M} does not exist in {tz.key} (the clocks skip it)")
    raise ValueError(
        f"{wall:%Y-%m-%d %H:%M} happens twice in {tz.key}: add the offset, "
        f"{first:%z} for the first or {second:%z} for the second"
    )


# The calendar sweep (`make test-calendar`): every test marked `calendar` runs once at each.
# The clocks change at 01:00 UTC in London and at 02:00 local time in New York. At the last
# two the person's date and weekday differ from the server's (UTC).
SWEEP = tuple(
    parse_point(text, label=label)
    for label, text in [
        ("mon-00:01", "2026-12-07T00:01"),
        ("tue", "2026-12-08T09:15"),
        ("wed", "2026-12-09T12:00"),
        ("thu", "2026-12-10T14:45"),
        ("fri", "2026-12-11T17:30"),
        ("sat", "2026-12-12T20:00"),
        ("sun-23:59", "2026-12-13T23:59"),
        ("london-spring-before", "2026-03-29T00:59"),
        ("london-spring-after", "2026-03-29T02:01"),
        ("london-fall-bst", "2026-10-25T01:30+01:00[Europe/London]"),
        ("london-fall-gmt", "2026-10-25T01:30+00:00[Europe/London]"),
        ("new-york-spring-before", "2026-03-08T01:59[America/New_York]"),
        ("new-york-spring-after", "2026-03-08T03:01[America/New_York]"),
        ("new-york-fall-edt", "2026-11-01T01:30-04:00[America/New_York]"),
        ("new-york-fall-est", "2026-11-01T01:30-05:00[America/New_York]"),
        ("dec-31-23:59", "2026-12-31T23:59"),
        ("jan-1-00:01", "2027-01-01T00:01"),
        ("feb-29-2028", "2028-02-29T12:00"),
        ("new-york-sun-23:59", "2026-12-13T23:59[America/New_York]"),
        ("london-summer-mon-00:01", "2027-07-05T00:01"),
    ]
)

_RUN_POINT = pytest.StashKey["Point | None"]()
_RUN_TRAVEL = pytest.StashKey["time_machine.travel | None"]()
_CONTEXTS = pytest.StashKey[list]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--now",
        default=os.environ.get(NOW_ENV) or None,
        metavar="INSTANT",
        help=(
            "Run as if it were INSTANT (2026-12-07T10:30 in Europe/London, or with an offset, "
            f"or 2026-03-08T01:59[America/New_York]); default ${NOW_ENV}. Each test starts at "
            "INSTANT and time runs on."
        ),
    )
    parser.addoption(
        "--sweep",
        action="store_true",
        help="Run each test marked calendar once per point of the calendar sweep.",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Pin the clock for the whole run (live server threads included) when --now says so."""
    text = config.getoption("--now")
    try:
        point = parse_point(text) if text else None
    except ValueError as error:
        raise pytest.UsageError(f"--now / ${NOW_ENV}: {error}") from None
    config.stash[_RUN_POINT] = point
    config.stash[_RUN_TRAVEL] = None
    if point is not None:
        travel = time_machine.travel(point.instant.timestamp(), tick=True)
        travel.start()
        time.time()
        config.stash[_RUN_TRAVEL] = travel


def pytest_unconfigure(config: pytest.Config) -> None:
    travel = config.stash.get(_RUN_TRAVEL, None)
    if travel is not None:
        travel.stop()


def pytest_report_header(config: pytest.Config) -> str | None:
    point = config.stash.get(_RUN_POINT, None)
    if config.getoption("--sweep"):
        return f"calendar sweep: {len(SWEEP)} points per test marked calendar"
    return f"clock pinned: every test starts at {point}" if point else None


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if (
        metafunc.config.getoption("--sweep")
        and metafunc.definition.get_closest_marker("calendar")
        and "pinned_point" in metafunc.fixturenames
    ):
        metafunc.parametrize(
            "pinned_point", SWEEP, ids=[point.label for point in SWEEP], indirect=True
        )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A browser test marked `calendar` opens its pages in its instant's zone."""
    for item in items:
        if not (item.get_closest_marker("calendar") and item.get_closest_marker("browser")):
            continue
        callspec = getattr(item, "callspec", None)
        point = callspec.params.get("pinned_point") if callspec else None
        point = point or config.stash[_RUN_POINT]
        if point is None or point.zone == TEST_ZONE:
            continue
        marker = item.get_closest_marker("browser_context_args")
        kwargs = {**(marker.kwargs if marker else {}), "timezone_id": point.zone}
        item.add_marker(pytest.mark.browser_context_args(**kwargs), append=False)


@pytest.fixture
def pinned_point(request: pytest.FixtureRequest) -> Point | None:
    """
    The instant this test starts at: its point of the sweep, else its own
    `@pytest.mark.now("2026-12-01T12:00")`, else the run's --now; None for the real clock.
    """
    if hasattr(request, "param"):
        return request.param
    marker = request.node.get_closest_marker("now")
    if marker is not None:
        return parse_point(*marker.args, **marker.kwargs)
    return request.config.stash[_RUN_POINT]


@pytest.fixture(autouse=True)
def _pinned_clock(pinned_point: Point | None):
    """
    Every test starts at its pinned instant, before any other fixture runs (so a long run
    never drifts past midnight, and a log-in happens at the pinned time).
    """
    if pinned_point is None:
        yield
        return
    with time_machine.travel(pinned_point.instant.timestamp(), tick=True):
        time.time()  # time-machine starts the clock at the first reading: start it now
        yield


@pytest.fixture
def sweep_zone(request: pytest.FixtureRequest, pinned_point: Point | None) -> str:
    """
    The zone of the test users and the browser: a test marked `calendar` lives in its pinned
    instant's zone (the sweep visits New York too); every other test in Europe/London.
    """
    if pinned_point is not None and request.node.get_closest_marker("calendar"):
        return pinned_point.zone
    return TEST_ZONE


@pytest.fixture
def now(request: pytest.FixtureRequest):
    """
    Pin the clock for this test: `now("2026-03-29T01:30")` (Europe/London local time),
    `now("2026-11-01T01:30-04:00", zone="America/New_York")`, `now(an_aware_datetime)`;
    `tick=False` freezes it there. Returns the instant in UTC (`.astimezone(zone)` for the local
    time). Call it again to move; browser contexts already open in this test move with it.
    """
    travel: time_machine.travel | None = None
    traveller: time_machine.Traveller | None = None

    def pin(when: str | datetime, *, zone: str = TEST_ZONE, tick: bool = True) -> datetime:
        nonlocal travel, traveller
        if isinstance(when, datetime):
            instant = when if when.tzinfo else local_instant(when, ZoneInfo(zone))
            instant = instant.astimezone(UTC)
        else:
            instant = parse_point(when, zone=zone).instant
        if traveller is None:
            travel = time_machine.travel(instant.timestamp(), tick=tick)
            traveller = travel.start()
        else:
            traveller.move_to(instant.timestamp(), tick=tick)
        time.time()  # time-machine starts the clock at the first reading: start it now
        for context in request.node.stash.get(_CONTEXTS, []):
            set_browser_clock(context, instant.timestamp())
        return instant

    yield pin
    if travel is not None:
        travel.stop()


# Playwright's clock reaches pages, not service workers: the worker's script gets the same
# instant by a few lines put in front of it (the worker compares its clock with the server's).
# A worker already running when `now` moves the clock keeps the instant it started with.
WORKER_CLOCK = """// Test clock: this worker's Date runs at the pinned instant, as its pages' do.
(() => {
  const RealDate = Date;
  const offset = %d;
  globalThis.Date = class extends RealDate {
    constructor(...args) { if (args.length) super(...args); else super(RealDate.now() + offset); }
    static now() { return RealDate.now() + offset; }
  };
})();
"""


def set_browser_clock(context, timestamp: float) -> None:
    """Give a browser context's pages and service worker `timestamp` as now; time runs on."""
    offset_ms = round((timestamp - time_machine.escape_hatch.time.time()) * 1000)
    if getattr(context, "_twitchlog_clock", None) is None:
        context.clock.install(time=timestamp)
        context.route("**/sw.js", lambda route: pinned_worker(route, context))
    else:
        context.clock.set_system_time(timestamp)
    context._twitchlog_clock = offset_ms


def pinned_worker(route, context) -> None:
    response = route.fetch()
    if not response.ok:
        route.fulfill(response=response)
        return
    body = WORKER_CLOCK % context._twitchlog_clock + response.text()
    route.fulfill(response=response, body=body)


@pytest.fixture
def new_context(new_context, request: pytest.FixtureRequest):
    """
    pytest-playwright's context maker, with the browser's clock at the server's instant
    whenever the clock is pinned (by --now, the sweep, a `now` marker or the `now` fixture).
    """
    contexts = request.node.stash.setdefault(_CONTEXTS, [])

    def make(**kwargs):
        context = new_context(**kwargs)
        if time_machine.escape_hatch.is_travelling():
            set_browser_clock(context, time.time())
        contexts.append(context)
        return context

    return make
