"""
In-flight forms cannot be sent twice (static/js/app.js), and the login page while logging in is
paused passes axe in light and dark.
"""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from diary.models import Episode, Trigger
from tests.browser.support import assert_accessible, figure_area
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def hold_posts(page, url: str) -> list:
    """Hold every POST to `url` until the test lets it go; the held requests."""
    held: list = []

    def handle(route) -> None:
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    page.route(url, handle)
    return held


def test_a_plain_form_is_disabled_while_it_is_being_sent(logged_in_page, live_server, user):
    page = logged_in_page
    page.goto(live_server.url + reverse("settings"))
    held = hold_posts(page, live_server.url + reverse("settings"))
    form = page.locator("form").filter(has=page.get_by_label("New trigger"))
    # While the request is held, note (for after the navigation) whether the button was
    # disabled, and try sending the form again.
    form.evaluate(
        """(form) => form.addEventListener("submit", () => setTimeout(() => {
            const button = form.querySelector("button[type=submit]");
            sessionStorage.setItem("busy", `${button.disabled} ${form.getAttribute("aria-busy")}`);
            form.requestSubmit();
        }, 100))"""
    )
    page.get_by_label("New trigger").fill("Red wine")
    page.get_by_role("button", name="Add trigger").tap()
    page.wait_for_timeout(600)
    assert len(held) == 1  # the second try went nowhere
    held[0].continue_()
    expect(page.locator("#messages")).to_contain_text("Added “Red wine” to your triggers.")
    assert page.evaluate("() => sessionStorage.getItem('busy')") == "true true"
    assert Trigger.objects.filter(user=user, name="Red wine").count() == 1
    expect(page.get_by_role("button", name="Add trigger")).to_be_enabled()


def test_an_htmx_form_is_disabled_until_its_answer_arrives(logged_in_page, live_server, user):
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    held = hold_posts(page, live_server.url + reverse("log"))
    figure_area(page, "Back", "Left calf").tap()
    button = page.get_by_role("button", name="Log twitch")
    button.tap()
    expect(button).to_be_disabled()
    expect(page.locator("#log-form")).to_have_attribute("aria-busy", "true")
    page.wait_for_timeout(300)
    assert len(held) == 1
    held[0].continue_()
    expect(page.locator("#log-panel .flash")).to_contain_text("Left calf")
    expect(page.get_by_role("button", name="Log twitch")).to_be_enabled()
    assert Episode.objects.filter(user=user).count() == 1


def test_login_paused_page_is_calm_and_accessible(page, live_server, user):
    """
    The paused page is a 429 on purpose, and Chromium reports every 429 document as a console
    error (which fails these tests): so the page is fetched here and served to the browser at
    the login page's address as a 200, with its own headers, styles and scripts.
    """
    AccessAttempt.objects.create(
        username=user.username,
        ip_address="127.0.0.1",
        user_agent="earlier tries",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        attempt_time=timezone.now(),
    )
    paused = Client().post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert paused.status_code == 429
    headers = {name: paused[name] for name in ("Content-Type", "Content-Security-Policy")}
    page.route(
        live_server.url + reverse("login"),
        lambda route: route.fulfill(status=200, headers=headers, body=paused.content),
    )
    page.goto(live_server.url + reverse("login"))
    notice = page.get_by_role("status").filter(has_text="Logging in is paused")
    expect(notice).to_contain_text("wait 15 minutes")
    expect(notice).to_be_focused()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert_accessible(page, f"the login page while paused ({scheme})")
