"""
Installable, and never loses a twitch offline: the manifest and worker, logging with
no network, a response lost on the way back, an expired session, and logging out with entries
still on the phone. Each checks what the person sees and what ends up in the database.
"""

from datetime import datetime, timedelta
from urllib.parse import parse_qs

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from playwright.sync_api import expect

from diary.models import Episode
from tests.browser.support import (
    NARROW_PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    site_codes,
    wait_for_async,
)
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # Other browser tests run without the worker (tests/conftest.py).
    pytest.mark.browser_context_args(service_workers="allow"),
]

QUEUE = "#offline-queue"


SHELL_STORED = "async () => Boolean(await caches.match('/offline/log/'))"


def open_log_with_worker(page, live_server) -> None:
    """The Log page, controlled by the worker, with the Log form stored for offline use."""
    page.goto(live_server.url + reverse("log"))
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    assert wait_for_async(page, SHELL_STORED), "the worker did not store the Log form"


def log_site(page, name: str) -> None:
    """Tick one body site in the full list and tap Log twitch."""
    form = page.locator("#log-form")
    all_sites = form.locator("details.all-sites")
    if all_sites.get_attribute("open") is None:
        all_sites.locator("summary").tap()
    all_sites.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Log twitch").tap()


def queued_entries(page) -> list[dict]:
    return page.evaluate("async () => await TwitchlogQueue.all()")


def tap_times(page) -> list[datetime]:
    return sorted(datetime.fromisoformat(e["tappedAt"]) for e in queued_entries(page))


# --- Installable ---


def test_app_is_installable_and_the_worker_controls_the_page(logged_in_page, live_server):
    page = logged_in_page
    open_log_with_worker(page, live_server)
    manifest_url = page.locator('link[rel="manifest"]').get_attribute("href")
    manifest = page.evaluate(f"async () => (await fetch('{manifest_url}')).json()")
    assert manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        size = page.evaluate(
            """async (src) => {
                const image = new Image();
                image.src = src;
                await image.decode();
                return `${image.naturalWidth}x${image.naturalHeight}`;
            }""",
            icon["src"],
        )
        assert size == icon["sizes"], icon["src"]
    cdp = page.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are incognito-like, which Chromium never installs from; every
    # other check (manifest, icons, worker, secure origin) must pass.
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []


# --- Offline ---


def test_offline_log_two_entries_reload_then_send_with_tap_times(logged_in_page, live_server, user):
    page = logged_in_page
    open_log_with_worker(page, live_server)
    page.context.set_offline(True)

    log_site(page, "Left calf")
    expect(page.locator("#log-panel .flash")).to_contain_text("Saved on this phone")
    expect(page.locator('#log-form input[name="sites"]:checked')).to_have_count(0)
    log_site(page, "Tongue")
    queue = page.locator(QUEUE)
    expect(queue.locator(".queued-entry")).to_have_count(2)
    expect(queue).to_contain_text("Saved on this phone, will be sent.")
    expect(queue.locator(".queued-entry").first).to_contain_text("Left calf")
    assert not Episode.objects.exists()

    # Reload with no network: the stored Log form opens, with the entries from the phone.
    page.reload()
    expect(page.get_by_role("heading", name="Log a twitch")).to_be_visible()
    expect(page.locator(QUEUE).locator(".queued-entry")).to_have_count(2)
    expect(page.locator("#episode-list")).to_contain_text("You are offline")
    taps = tap_times(page)
    assert len(taps) == 2
    assert_accessible(page, "the Log page offline, with two entries waiting")
    assert_no_horizontal_scroll(page, "the Log page offline")

    page.wait_for_timeout(1200)  # the server's clock moves on: stored times must be the taps
    page.context.set_offline(False)
    expect(page.locator(QUEUE)).to_contain_text("Sent 2 entries.")
    expect(page.locator(QUEUE).locator(".queued-entry")).to_have_count(0)
    episodes = list(Episode.objects.filter(user=user).order_by("started_at"))
    assert [e.started_at for e in episodes] == taps
    assert [site_codes(e) for e in episodes] == [{"calf-left"}, {"tongue"}]
    assert queued_entries(page) == []


def test_other_pages_offline_say_so_calmly(logged_in_page, live_server):
    page = logged_in_page
    open_log_with_worker(page, live_server)
    page.context.set_offline(True)
    page.goto(live_server.url + reverse("history"))
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Nothing is lost.")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert_accessible(page, f"the offline page ({scheme})")
    page.get_by_role("link", name="Log a twitch").tap()
    expect(page.locator("#log-form")).to_be_visible()


def test_lost_response_is_sent_again_and_logged_once(logged_in_page, live_server, user):
    """The server saved it, but the answer never came back: the retry must not duplicate it."""
    page = logged_in_page
    open_log_with_worker(page, live_server)
    posted = []

    def lose_the_first_answer(route):
        if route.request.method != "POST":
            route.fallback()
            return
        posted.append(parse_qs(route.request.post_data)["client_uuid"])
        if len(posted) == 1:
            route.fetch()  # the server handles it...
            route.abort("connectionreset")  # ...and the phone never hears back
        else:
            route.fallback()

    page.context.route(live_server.url + "/", lose_the_first_answer)
    log_site(page, "Right thigh")
    expect(page.locator("#log-panel .flash")).to_contain_text("Saved on this phone")
    # Background Sync may send it at once; a page load sends whatever is left.
    page.reload()
    expect(page.locator("#episode-list .episode")).to_have_count(1)
    expect(page.locator(QUEUE).locator(".queued-entry")).to_have_count(0)
    assert len(posted) == 2
    assert posted[0] == posted[1], "the retry carries the same UUID"
    episode = Episode.objects.get(user=user)
    assert [str(episode.uuid)] == posted[0]
    assert site_codes(episode) == {"thigh-right"}
    assert queued_entries(page) == []


def test_expired_session_keeps_the_entry_and_sends_it_after_login(
    logged_in_page, live_server, user
):
    page = logged_in_page
    open_log_with_worker(page, live_server)
    Session.objects.all().delete()

    log_site(page, "Left forearm")
    expect(page.locator("#log-panel .flash")).to_contain_text("Log in again to send it")
    assert page.url == live_server.url + reverse("log"), "no jump to the login page"
    assert not Episode.objects.exists()
    page.locator(QUEUE).get_by_role("link", name="Log in again").tap()

    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()
    expect(page.locator(QUEUE)).to_contain_text("Sent 1 entry.")
    episode = Episode.objects.get(user=user)
    assert site_codes(episode) == {"forearm-left"}
    expect(page.locator("#episode-list")).to_contain_text("Left forearm")


@pytest.mark.browser_context_args(service_workers="block")
def test_expired_session_without_a_worker_keeps_the_entry_too(logged_in_page, live_server, user):
    """A first visit, or a browser without service workers: the page keeps the entry itself."""
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    assert page.evaluate("() => navigator.serviceWorker.controller") is None
    Session.objects.all().delete()

    log_site(page, "Neck")
    expect(page.locator("#log-panel .flash")).to_contain_text("Log in again to send it")
    assert page.url == live_server.url + reverse("log")
    [entry] = queued_entries(page)
    assert entry["state"] == "pending"
    page.locator(QUEUE).get_by_role("link", name="Log in again").tap()
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").tap()
    expect(page.locator(QUEUE)).to_contain_text("Sent 1 entry.")
    episode = Episode.objects.get(user=user)
    assert str(episode.uuid) == entry["uuid"]
    assert episode.started_at == datetime.fromisoformat(entry["tappedAt"])


def test_refused_entry_can_be_fixed_or_discarded(logged_in_page, live_server, user):
    page = logged_in_page
    open_log_with_worker(page, live_server)
    tapped = (datetime.now().astimezone() - timedelta(days=40)).isoformat()
    for code in ("calf-left", "neck"):
        page.evaluate(
            """async ([code, tapped, account]) => {
                const fields = [["sites", code], ["when", "now"], ["duration_preset", "5"]];
                fields.push(["tapped_at", tapped]);
                const entry = TwitchlogQueue.entryFromFields(fields, account);
                await TwitchlogQueue.put(entry);
            }""",
            [code, tapped, user.username],
        )
    page.reload()
    queue = page.locator(QUEUE)
    expect(queue).to_contain_text("more than 30 days ago. Pick the time it started.")
    expect(queue.locator(".queued-entry.is-refused")).to_have_count(2)
    assert not Episode.objects.exists()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert_accessible(page, f"refused entries ({scheme})")
    page.set_viewport_size(NARROW_PHONE)
    assert_no_horizontal_scroll(page, "refused entries at 360 px")

    neck = queue.locator(".queued-entry", has_text="Neck")
    neck.get_by_role("button", name="Discard").tap()
    expect(queue.locator(".queued-entry")).to_have_count(1)

    queue.get_by_role("button", name="Open to fix").tap()
    form = page.locator("#log-form")
    expect(form.locator('input[name="when"][value="custom"]')).to_be_checked()
    expect(form.locator('input[name="sites"][value="calf-left"]:checked').first).to_be_checked()
    form.locator('input[name="started_at_local"]').fill(
        (datetime.now() - timedelta(days=1)).strftime("%Y-%m-%dT09:15")
    )
    page.get_by_role("button", name="Log twitch").tap()
    expect(page.locator("#log-panel .flash")).to_contain_text("Logged 09:15")
    expect(queue.locator(".queued-entry")).to_have_count(0)
    episode = Episode.objects.get(user=user)
    assert site_codes(episode) == {"calf-left"}
    assert queued_entries(page) == []


def test_logout_warns_about_unsent_entries_then_forgets_them(logged_in_page, live_server):
    page = logged_in_page
    open_log_with_worker(page, live_server)
    page.context.set_offline(True)
    log_site(page, "Left calf")
    expect(page.locator(QUEUE).locator(".queued-entry")).to_have_count(1)
    # Back online, but Twitchlog cannot be reached: the entry stays unsent.
    page.context.route(live_server.url + "/", lambda route: route.abort())
    page.context.set_offline(False)

    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.message)
        # Cancel the first time, accept the second.
        dialog.dismiss() if len(dialogs) == 1 else dialog.accept()

    page.on("dialog", answer)
    logout = page.get_by_role("button", name="Log out")
    logout.tap()
    # The question comes once the queue has been read (IndexedDB answers asynchronously).
    for _ in range(50):
        if dialogs:
            break
        page.wait_for_timeout(100)
    expect(page.locator(QUEUE).locator(".queued-entry")).to_have_count(1)
    assert dialogs == [
        "1 entry saved on this phone has not been sent yet. "
        "Log out anyway and delete it from this phone?"
    ]
    logout.tap()
    expect(page).to_have_url(live_server.url + reverse("login"))
    page.wait_for_function("() => window.TwitchlogQueue !== undefined")
    assert queued_entries(page) == []
    assert not page.evaluate("async () => Boolean(await caches.match('/offline/log/'))")
