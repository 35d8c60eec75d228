"""
Reminders in the browser: Settings → Reminders (light, dark, 390 and 320 px, axe, no
JavaScript), allowing notifications on this device, a reminder pushed to the service worker
and shown, and what tapping it does.

The browser's own PushManager would ask Google's push service for a subscription, which this
machine cannot reach: a test double in its place returns a subscription at the push service on
127.0.0.1 (tests/pushservice.py), so the server really encrypts and sends to it. The message
the push service decrypted is then handed to the service worker with the DevTools protocol
(ServiceWorker.deliverPushMessage), which runs the worker's own `push` handler.

Headless Chromium has no notification a test can tap (no DevTools command does it): the
worker's `notificationclick` handler is run by dispatching the event inside the worker with the
notification it showed. Outside a real tap the browser refuses to open a new window, so for
"the app was closed" the test replaces clients.openWindow with a recorder.
"""

from __future__ import annotations

import json
import threading
import time as clock
from datetime import time
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from diary.lib.clock import local_today
from diary.models import PushDevice, PushKey, ReminderSettings
from diary.reminders import devices
from tests.browser.conftest import log_in
from tests.browser.support import (
    NARROW_PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    wait_for_async,
)
from tests.reminder_helpers import CHROME_ON_ANDROID, local, round_at

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
WITH_WORKER = pytest.mark.browser_context_args(service_workers="allow")
SHOTS = Path("/tmp/twitchlog-reminder-shots")

PUSH_MANAGER_DOUBLE = Path(__file__).with_name("push_manager_double.js")


@pytest.fixture
def worker_page(page, live_server, user):
    """
    `page`, logged in as `user`, with the service worker allowed. At the end the browser is
    closed and the live server's request threads have finished before the test database goes:
    the worker keeps its own connections open, which `logged_in_page` cannot wait for.
    """
    log_in(page.context, live_server, user)
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    yield page
    page.context.close()
    deadline = clock.monotonic() + 10
    while any("process_request_thread" in t.name for t in threading.enumerate()):
        assert clock.monotonic() < deadline, "the live server still serves a closed browser"
        clock.sleep(0.01)


def todays_round(user) -> str:
    """
    Run the round at 00:01 of the person's today (pinned), for a reminder at 00:01: the
    check-in page it opens is then one the live server (on the real clock) can show.
    """
    today = local_today(user)
    round_at(local(f"{today} 00:01", "Europe/London"))
    return today.isoformat()


def snap(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_reminders_page_reads_well_light_and_dark(logged_in_page, live_server, user):
    ReminderSettings.objects.create(user=user, checkin=True, remind_at=time(21, 0))
    PushDevice.objects.create(
        user=user,
        endpoint="https://fcm.googleapis.com/fcm/send/example",
        p256dh="k",
        auth="a",
        name="Chrome on Android",
    )
    page = logged_in_page
    page.goto(live_server.url + reverse("reminders"))
    expect(page.get_by_label("Daily check-in")).to_be_checked()
    expect(page.get_by_label("Reminders come at")).to_have_value("21:00")
    expect(page.get_by_role("button", name="Remove Chrome on Android")).to_be_visible()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert_accessible(page, f"Settings → Reminders ({scheme})")
        assert_no_horizontal_scroll(page, f"Settings → Reminders ({scheme})")
        snap(page, f"reminders-{scheme}")
    page.set_viewport_size(NARROW_PHONE)
    assert_no_horizontal_scroll(page, "Settings → Reminders at 360 px")
    page.set_viewport_size({"width": 320, "height": 640})
    assert_no_horizontal_scroll(page, "Settings → Reminders at 320 px")
    # Every tap target is at least 44 px high (a checkbox's is its label).
    small = page.evaluate(
        """() => [...document.querySelectorAll('main button, main input, main select')]
            .filter((e) => e.offsetParent !== null && e.type !== 'hidden')
            .map((e) => (e.type === 'checkbox' ? e.closest('label') : e))
            .filter((e) => e.getBoundingClientRect().height < 44)
            .map((e) => e.outerHTML.slice(0, 80))"""
    )
    assert small == []


def test_the_reminders_page_works_without_javascript(
    browser, browser_context_args, live_server, user
):
    context = browser.new_context(**{**browser_context_args, "java_script_enabled": False})
    log_in(context, live_server, user)
    page = context.new_page()
    page.goto(live_server.url + reverse("reminders"))
    expect(page.get_by_role("button", name="Get notifications on this device")).to_be_hidden()
    page.get_by_role("button", name="Skip today").click()
    expect(page.get_by_role("button", name="Remind me today after all")).to_be_visible()
    page.get_by_label("Daily check-in").check()
    page.get_by_label("Reminders come at").fill("20:30")
    page.get_by_role("button", name="Save reminders").click()
    expect(page.get_by_text("Reminders saved.")).to_be_visible()
    saved = ReminderSettings.objects.get(user=user)
    assert (saved.checkin, saved.remind_at) == (True, time(20, 30))
    context.close()


def worker(context):
    """The app's service worker (Playwright's handle to it), once it is running."""
    workers = context.service_workers
    return workers[-1] if workers else context.wait_for_event("serviceworker")


def deliver(page, live_server, data: str) -> None:
    """Hand `data` to the service worker as a push message (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    assert wait_for_async(
        page, "async () => Boolean(await navigator.serviceWorker.getRegistration())"
    ), "the worker did not register"
    scope = live_server.url + "/"
    deadline = clock.monotonic() + 5
    cdp.send("ServiceWorker.enable")  # reports every registration
    while not any(r["scopeURL"] == scope for r in registrations):
        assert clock.monotonic() < deadline, f"no registration for {scope}: {registrations}"
        page.wait_for_timeout(20)  # lets Playwright deliver the protocol's events
    registration = next(r for r in registrations if r["scopeURL"] == scope)
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server.url, "registrationId": registration["registrationId"], "data": data},
    )


# In the worker: record what showNotification is given (once it has shown it).
RECORD_SHOWN = """() => {
  if (self.__shown) return;
  self.__shown = [];
  const show = self.registration.showNotification.bind(self.registration);
  self.registration.showNotification = async (title, options) => {
    await show(title, options);
    self.__shown.push({ title, ...options });
  };
}"""
# In the worker: what showNotification got for `tag`, once it is among the notifications shown
# (null after `seconds`).
SHOWN = """async ([tag, seconds]) => {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const got = self.__shown.find((options) => options.tag === tag);
    const showing = await self.registration.getNotifications();
    if (got && showing.some((notification) => notification.tag === tag)) return got;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return null;
}"""
# In the worker: record how each fetch and window it opens went (for a failure's message).
RECORD_STOPPING = """() => {
  if (self.__went) return;
  self.__went = [];
  const send = self.fetch.bind(self);
  self.fetch = async (url, options) => {
    const started = Date.now();
    try {
      const response = await send(url, options);
      self.__went.push(`${url}: ${response.status} in ${Date.now() - started} ms`);
      return response;
    } catch (error) {
      self.__went.push(`${url}: ${error} after ${Date.now() - started} ms`);
      throw error;
    }
  };
  const open = self.clients.openWindow.bind(self.clients);
  self.clients.openWindow = (url) => {
    self.__went.push(`opened ${url}`);
    return open(url);
  };
}"""
# In the worker: run its notificationclick handler on the notification it showed (see above).
TAP = """async ([tag, action]) => {
  const shown = (await self.registration.getNotifications()).find((n) => n.tag === tag);
  self.dispatchEvent(new NotificationEvent("notificationclick", { notification: shown, action }));
}"""


def push_to_worker(page, live_server, data: str, tag: str) -> dict:
    """
    Deliver a push to the worker and return what its handler gave showNotification. Delivered
    a second time if nothing showed within 5 s: the DevTools protocol now and then dropped a
    message (the worker's own handler then had nothing to show).
    """
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    sw = worker(page.context)
    sw.evaluate(RECORD_SHOWN)
    for _ in range(2):
        deliver(page, live_server, data)
        shown = sw.evaluate(SHOWN, [tag, 5])
        if shown:
            return shown
    pytest.fail(f"the worker showed no notification tagged {tag}")


@WITH_WORKER
def test_allowing_notifications_then_a_reminder_arrives_and_opens_its_page(
    worker_page, live_server, user, push_service
):
    ReminderSettings.objects.create(user=user, checkin=True, remind_at=time(0, 1))
    subscription = push_service.subscribe()
    page = worker_page
    server_key = PushKey.objects.get().public_key
    double = PUSH_MANAGER_DOUBLE.read_text()
    page.context.add_init_script(f"({double})({json.dumps([subscription, server_key])});")
    page.goto(live_server.url + reverse("reminders"))
    page.get_by_role("button", name="Get notifications on this device").click()
    expect(page.locator(".device")).to_contain_text("Chrome")
    device = PushDevice.objects.get(user=user)
    assert device.endpoint == subscription["endpoint"]
    page.wait_for_load_state("networkidle")

    # The round: the server signs, encrypts and sends; the push service checks and decrypts.
    today = todays_round(user)
    [message] = push_service.messages(subscription)
    assert message.data["title"] == "Today's check-in"

    # The push service hands it to the phone: the worker shows it.
    shown = push_to_worker(page, live_server, message.text, message.data["tag"])
    assert shown["title"] == "Today's check-in"
    assert (
        shown["body"] == "A few taps about today: sleep, caffeine, stress. Whenever it suits you."
    )
    assert shown["data"]["url"] == f"/checkins/{today}/"
    assert [action["title"] for action in shown["actions"]] == ["Stop these reminders"]
    SHOTS.mkdir(exist_ok=True)
    (SHOTS / "notification.json").write_text(json.dumps(shown, indent=2))

    # Tapped while the app is open: that window goes to the day's check-in.
    worker(page.context).evaluate(TAP, [message.data["tag"], ""])
    page.wait_for_url(live_server.url + f"/checkins/{today}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


RECORD_OPENED_WINDOWS = """() => {
  self.__opened = [];
  self.clients.openWindow = async (url) => { self.__opened.push(url); return null; };
}"""
# In the worker: the windows it opened, once it opened one (what it has after `seconds`).
OPENED_WINDOWS = """async (seconds) => {
  const until = Date.now() + seconds * 1000;
  while (!self.__opened.length && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return self.__opened;
}"""
# In the worker: true once no window of the app is left (after `seconds`, false). The page
# that went to about:blank can still be listed for a moment, and a tap would move it instead
# of opening a window.
NO_WINDOWS = """async (seconds) => {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    if (!windows.length) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}"""


@WITH_WORKER
def test_tapping_a_reminder_with_the_app_closed_opens_a_window(worker_page, live_server):
    page = worker_page
    page.goto(live_server.url + reverse("reminders"))
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    payload = {
        "title": "Weekly function check",
        "body": "…",
        "url": "/report/checks/new/",
        "tag": "twitchlog-function-check-2027-06-09",
        "stop": "/reminders/stop/x/",
        "stopLabel": "Stop these reminders",
    }
    push_to_worker(page, live_server, json.dumps(payload), payload["tag"])
    sw = worker(page.context)
    sw.evaluate(RECORD_OPENED_WINDOWS)
    # The app's window goes away: nothing of Twitchlog is open.
    page.goto("about:blank")
    assert sw.evaluate(NO_WINDOWS, 10), "the app's window is still open"
    sw.evaluate(TAP, [payload["tag"], ""])
    opened = sw.evaluate(OPENED_WINDOWS, 10)
    assert opened == [live_server.url + "/report/checks/new/"]


@WITH_WORKER
def test_stop_these_reminders_in_the_notification_stops_that_kind(
    worker_page, live_server, user, push_service
):
    # The weekly check on another weekday than today: today's reminder is the check-in.
    other_day = (local_today(user).weekday() + 1) % 7
    ReminderSettings.objects.create(
        user=user,
        checkin=True,
        function_check=True,
        function_check_weekday=other_day,
        remind_at=time(0, 1),
    )
    subscription = push_service.subscribe()
    devices.subscribe(user, subscription, user_agent=CHROME_ON_ANDROID)
    todays_round(user)
    [message] = push_service.messages(subscription)
    page = worker_page
    page.goto(live_server.url + reverse("reminders"))
    push_to_worker(page, live_server, message.text, message.data["tag"])
    sw = worker(page.context)
    sw.evaluate(RECORD_STOPPING)
    sw.evaluate(TAP, [message.data["tag"], "stop"])
    # The stop link's POST goes through the test server, which answers one request at a time:
    # on a busy machine it can wait behind the worker's own caching of the app's files.
    stopped = sw.evaluate(SHOWN, ["twitchlog-reminders-stopped", 15])
    assert stopped, f"no 'stopped' notification; the worker: {sw.evaluate('() => self.__went')}"
    assert stopped["title"] == "Reminders stopped"
    switches = ReminderSettings.objects.filter(user=user).values_list("checkin", "function_check")
    deadline = clock.monotonic() + 5
    while switches.get() != (False, True):
        assert clock.monotonic() < deadline, f"still {switches.get()}"
        clock.sleep(0.02)
