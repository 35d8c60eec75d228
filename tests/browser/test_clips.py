"""
Videos and photos on a phone (390 px): adding one to an episode with a progress bar, Try again
after an upload that stopped, logging a twitch with a video, watching it inline, a photo's
thumbnail on its History row, and the doctor's share page playing it; axe-core finds nothing,
and nothing scrolls sideways.

`--screenshots` saves docs/screenshot-clip-log.png, docs/screenshot-clip-episode.png and
docs/screenshot-clip-share.png for the README.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from diary.models import Clip, Episode
from diary.sharing import links
from tests.browser.conftest import PLAYWRIGHT_BLOCKED_WORKER, log_in
from tests.browser.support import assert_accessible, assert_no_horizontal_scroll
from tests.clip_helpers import ready_clip
from tests.clip_media import make_video
from tests.factories import EpisodeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs"
# Upload speed for the progress bar to be seen: a slow phone network (bytes a second).
SLOW_UPLOAD = 400 * 1024


@pytest.fixture(scope="module")
def video_file(tmp_path_factory) -> Path:
    """A 4 s 640x360 video with sound, tagged like a phone's (about 2 MB)."""
    return make_video(tmp_path_factory.mktemp("browser-clips") / "VID_0001.mov", seconds=4)


@pytest.fixture
def snap(request):
    def take(page, name: str) -> None:
        png = page.screenshot(animations="disabled", caret="hide")
        if request.config.getoption("--screenshots"):
            (DOCS / name).write_bytes(png)

    return take


def slow_network(page) -> None:
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 20,
            "downloadThroughput": -1,
            "uploadThroughput": SLOW_UPLOAD,
        },
    )


def plays(page, video) -> None:
    """Start the player as a tap would, and wait until it has played a little."""
    video.scroll_into_view_if_needed()
    video.evaluate("v => { v.muted = true; return v.play(); }")
    page.wait_for_function(
        "() => [...document.querySelectorAll('video')].some(v => v.currentTime > 0.3)",
        timeout=15_000,
    )
    size = video.evaluate("v => [v.videoWidth, v.videoHeight, v.readyState]")
    assert size[:2] == [640, 360]
    assert size[2] >= 2


def test_add_a_video_to_an_episode_with_progress_then_watch_it(
    logged_in_page, live_server, user, video_file, snap
):
    episode = EpisodeFactory(user=user, sites=["calf-left"])
    page = logged_in_page
    page.goto(f"{live_server.url}{reverse('episode-edit', args=[episode.uuid])}")
    slow_network(page)
    page.get_by_label("Choose from your phone").set_input_files(video_file)
    # The bar moves while the file goes (read from the page: a 2 MB file at 400 KB/s).
    page.wait_for_function(
        "() => { const bar = document.querySelector('#clip-upload progress');"
        " return bar && !bar.closest('[hidden]') && bar.value > 0 && bar.value < 100; }",
        timeout=10_000,
    )
    expect(page.locator("[data-clip-progress-label]")).to_contain_text("Uploading…")
    card = page.locator("#clip-list li").first
    expect(card).to_contain_text("Preparing your video…", timeout=20_000)
    expect(page.locator("[data-clip-status]")).to_contain_text("Added.")
    # htmx asks for the card again until it is prepared; then it plays inline.
    video = page.locator("#clip-list video")
    expect(video).to_be_visible(timeout=30_000)
    assert video.get_attribute("playsinline") is not None
    assert video.get_attribute("preload") == "metadata"
    clip = Clip.objects.get()
    assert clip.status == Clip.Status.READY
    assert clip.episode == episode
    plays(page, video)
    assert_accessible(page, "the episode page with a video")
    assert_no_horizontal_scroll(page, "the episode page with a video")
    page.locator("#clips").scroll_into_view_if_needed()
    snap(page, "screenshot-clip-episode.png")
    page.set_viewport_size({"width": 320, "height": 700})
    assert_no_horizontal_scroll(page, "the episode page with a video at 320 px")
    page.emulate_media(color_scheme="dark")
    assert_accessible(page, "the episode page with a video, dark")


def test_an_upload_that_stopped_can_be_tried_again(
    browser, browser_context_args, live_server, user, video_file
):
    episode = EpisodeFactory(user=user, sites=["calf-left"])
    context = browser.new_context(**browser_context_args)
    log_in(context, live_server, user)
    page = context.new_page()
    page.set_default_timeout(5_000)
    problems = []

    def on_console(message) -> None:
        # The upload cut off on purpose below is reported; anything else fails the test.
        if message.text == PLAYWRIGHT_BLOCKED_WORKER or "ERR_CONNECTION_RESET" in message.text:
            return
        if message.type in ("error", "warning"):
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}{reverse('episode-edit', args=[episode.uuid])}")
    tries = []

    def first_one_fails(route) -> None:
        tries.append(route.request.url)
        if len(tries) == 1:
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/clips/", first_one_fails)
    page.get_by_label("Choose from your phone").set_input_files(video_file)
    expect(page.locator("[data-clip-status]")).to_contain_text("The upload stopped")
    expect(page.locator("[data-clip-status]")).to_contain_text("Your entry is saved")
    assert not Clip.objects.exists()
    assert Episode.objects.filter(pk=episode.pk).exists()
    page.get_by_role("button", name="Try again").tap()
    expect(page.locator("#clip-list li").first).to_be_visible(timeout=20_000)
    assert len(tries) == 2
    assert Clip.objects.count() == 1
    page.wait_for_load_state("networkidle")
    context.close()
    assert problems == []


def test_too_long_video_refused_before_it_is_sent(
    logged_in_page, live_server, user, video_file, settings
):
    settings.CLIP_MAX_SECONDS = 2
    episode = EpisodeFactory(user=user, sites=["calf-left"])
    page = logged_in_page
    page.goto(f"{live_server.url}{reverse('episode-edit', args=[episode.uuid])}")
    sent = []
    page.on(
        "request", lambda request: sent.append(request.url) if "/clips/" in request.url else None
    )
    page.get_by_label("Choose from your phone").set_input_files(video_file)
    expect(page.locator("[data-clip-status]")).to_contain_text(
        "This video is 4 seconds long; Twitchlog keeps videos of up to 2 seconds"
    )
    assert sent == []
    assert not Clip.objects.exists()


def test_log_a_twitch_with_a_video(logged_in_page, live_server, user, video_file, snap):
    page = logged_in_page
    page.goto(f"{live_server.url}{reverse('log')}")
    page.locator("details.all-sites summary").tap()
    page.locator("input#id_sites_calf-left").check()
    page.get_by_label("Choose from your phone").set_input_files(video_file)
    expect(page.locator(".log-clip [data-clip-chosen]")).to_contain_text(
        "It is sent once the twitch is logged"
    )
    slow_network(page)
    page.get_by_role("button", name="Log twitch").tap()
    flash = page.locator("#log-status .flash")
    expect(flash).to_contain_text("Logged")
    # The entry is saved before the video goes; the bar then shows in the confirmation.
    assert Episode.objects.filter(user=user).count() == 1
    expect(flash.locator("progress")).to_be_visible(timeout=5_000)
    page.wait_for_function(
        "() => document.querySelector('#log-status progress')?.value > 20", timeout=10_000
    )
    snap(page, "screenshot-clip-log.png")
    expect(flash).to_contain_text("The video is added and being prepared.", timeout=30_000)
    clip = Clip.objects.get()
    assert clip.episode == Episode.objects.get(user=user)
    assert_accessible(page, "the Log page after logging with a video")
    expect(flash.get_by_role("link", name="See it on the entry")).to_be_visible()


def test_share_page_plays_the_video(page, live_server, user, video_file, snap, settings):
    settings.CHARTJS_URL = "local"  # no network here: the bundled Chart.js, no CDN attempt
    episode = EpisodeFactory(
        user=user, sites=["calf-left"], started_at=datetime.now(UTC) - timedelta(days=1)
    )
    ready_clip(user, episode, video_file.read_bytes(), "VID.mov")
    today = timezone.localdate()
    _, token = links.create(
        user, first=today - timedelta(days=27), last=today, days=7, include_clips=True
    )
    page.goto(f"{live_server.url}{reverse('share-page', args=[token])}")
    section = page.locator(".shared-clips")
    expect(section).to_contain_text("Videos and photos")
    expect(section).to_contain_text("Left calf")
    video = section.locator("video")
    plays(page, video)
    # The player asked for byte ranges, as a phone seeking would.
    assert_accessible(page, "the share page with a video")
    assert_no_horizontal_scroll(page, "the share page with a video")
    section.scroll_into_view_if_needed()
    snap(page, "screenshot-clip-share.png")


def test_history_row_shows_the_photo_thumbnail(logged_in_page, live_server, user):
    """A row with a ready photo shows its thumbnail inside the edit link, beside one bin icon."""
    page = logged_in_page
    episode = EpisodeFactory(user=user, sites=["calf-left"])
    EpisodeFactory(
        user=user, sites=["eyelid-right"], started_at=episode.started_at - timedelta(hours=2)
    )
    ready_clip(user, episode)
    page.goto(f"{live_server.url}{reverse('history')}")
    row = page.locator(f"#episode-{episode.uuid}")
    thumb = row.locator("a.episode-main img.episode-thumb")
    expect(thumb).to_be_visible()
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=thumb.element_handle()
    )
    box = thumb.bounding_box()
    assert box["width"] == box["height"] == 48
    assert row.locator("a.episode-main svg").count() == 0, "no bin icon inside the edit link"
    assert row.locator("button svg").count() == 1
    assert page.locator("img.episode-thumb").count() == 1, "the other row has no clip"
    assert_no_horizontal_scroll(page, "History with a photo on an entry")
    assert_accessible(page, "History with a photo on an entry")
