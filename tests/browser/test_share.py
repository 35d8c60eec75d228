"""
Share with your doctor on a phone: make a link, open it in a fresh browser with no login,
download the PDF, close the link and see the page gone; axe-core finds nothing on either page.
"""

import io
from datetime import UTC, datetime, timedelta

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from diary.models.sharing import ShareLink
from tests.browser.support import PHONE, assert_accessible, assert_no_horizontal_scroll
from tests.factories import EpisodeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_share_link_opens_without_login_until_it_is_closed(
    logged_in_page, live_server, user, browser
):
    user.profile.display_name = "Ada Example"
    user.profile.save()
    now = datetime.now(UTC)
    EpisodeFactory(user=user, sites=["calf-left"], started_at=now - timedelta(days=2))
    EpisodeFactory(user=user, sites=["eyelid-right"], started_at=now - timedelta(days=9))
    today = timezone.now().astimezone(user.profile.zone).date()
    start = today - timedelta(days=27)

    owner = logged_in_page
    owner.goto(f"{live_server.url}{reverse('report')}?from={start}&to={today}")
    share = owner.locator("#share")
    share.get_by_label("30 days").tap()
    share.get_by_role("button", name="Make a link").tap()
    link_box = owner.get_by_label("Your new link")
    expect(link_box).to_be_visible()
    url = link_box.input_value()
    assert url.startswith(f"{live_server.url}/s/")
    # No share sheet in this browser: Share stays hidden, Copy is there.
    expect(share.get_by_role("button", name="Share…")).to_be_hidden()
    expect(share.get_by_role("button", name="Copy link")).to_be_visible()
    assert ShareLink.objects.get(user=user).expires_at > timezone.now() + timedelta(days=29)
    assert_accessible(owner, "the report page with a new link")

    # The doctor: a fresh browser, no cookies, no login.
    context = browser.new_context(
        viewport=PHONE, has_touch=True, is_mobile=True, accept_downloads=True
    )
    doctor = context.new_page()
    doctor.goto(url)
    expect(doctor.get_by_role("heading", name="Muscle twitching diary", level=1)).to_be_visible()
    expect(doctor.locator("main")).to_contain_text("2 episodes logged")
    expect(doctor.locator("main")).to_contain_text("Ada Example")
    expect(doctor.get_by_role("link", name="Log")).to_have_count(0)
    assert doctor.locator("form").count() == 0
    assert_no_horizontal_scroll(doctor, "the share page")
    assert_accessible(doctor, "the share page")
    with doctor.expect_download() as download_info:
        doctor.get_by_role("link", name="Download PDF").tap()
    content = download_info.value.path().read_bytes()
    text = pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Ada Example" in text
    assert url in text.replace("\n", "")

    # The owner closes it; the doctor's reload finds it gone.
    owner.reload()
    expect(owner.locator("#share")).to_contain_text("Opened 2 times")  # the page and the PDF
    owner.locator("#share").get_by_role("button", name="Close this link").tap()
    expect(owner.locator("#share")).to_contain_text("Closed")
    response = doctor.reload()
    assert response.status == 410
    expect(doctor.locator("main")).to_contain_text("The person who shared it has closed it.")
    assert_accessible(doctor, "the closed link page")
    context.close()


def test_new_link_copies_and_shares(logged_in_page, live_server, user):
    """Copy puts the link on the clipboard; Share hands it to the phone's share sheet."""
    EpisodeFactory(user=user, sites=["calf-left"], started_at=datetime.now(UTC) - timedelta(days=1))
    owner = logged_in_page
    owner.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    # The test browser has no share sheet: stand one in that records what it was given.
    owner.context.add_init_script(
        "navigator.share = async (data) => { window.sharedWith = data; };"
    )
    owner.goto(f"{live_server.url}{reverse('report')}")
    share = owner.locator("#share")
    share.get_by_label("7 days").tap()
    share.get_by_role("button", name="Make a link").tap()
    url = owner.get_by_label("Your new link").input_value()
    link = ShareLink.objects.get(user=user)
    local = link.expires_at.astimezone(user.profile.zone)
    expect(share).to_contain_text(f"It works until {local.day} {local:%b %Y, %H:%M}")
    # Making a link loads the page again: its text can be there before its deferred scripts
    # (share-link.js) have run, and Copy does nothing until they have.
    owner.wait_for_load_state()

    share.get_by_role("button", name="Copy link").tap()
    expect(share.get_by_role("status").last).to_contain_text("Copied.")
    assert owner.evaluate("() => navigator.clipboard.readText()") == url

    share.get_by_role("button", name="Share…").tap()
    owner.wait_for_function("() => window.sharedWith !== undefined")
    assert owner.evaluate("() => window.sharedWith.url") == url
    assert_accessible(owner, "the report page with a new link's buttons")
