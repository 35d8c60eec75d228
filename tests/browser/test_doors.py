"""
In-flight forms cannot be sent twice (static/js/app.js), and the login page while logging in is
paused passes axe in light and dark.
"""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from diary.models import Episode
from tests.browser.support import assert_accessible, figure_area

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


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_login_paused_page_is_calm_and_accessible(context, live_server, user, scheme):
    # Not the `page` fixture: Chromium logs every 429 document as a console error, and the
    # paused page is a 429 (Too Many Requests) on purpose.
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda m: (
            m.type in ("error", "warning")
            and "status of 429" not in m.text
            and problems.append(m.text)
        ),
    )
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + reverse("login"))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Log in").tap()
        page.wait_for_load_state()
    notice = page.get_by_role("status").filter(has_text="Logging in is paused")
    expect(notice).to_contain_text("wait 15 minutes")
    expect(notice).to_be_focused()
    assert_accessible(page, f"the login page while paused ({scheme})")
    assert not problems
