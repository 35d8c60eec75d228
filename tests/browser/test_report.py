"""
Appointment prep on a phone: choose the period, check the preview, do a function
check, write the notes and download the PDF; axe-core finds nothing on any of it, light or dark.
"""

import io
import re
from datetime import UTC, datetime, timedelta

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from diary.models import FunctionCheck
from tests.browser.support import assert_accessible, assert_no_horizontal_scroll
from tests.factories import EpisodeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def make_diary(user) -> None:
    """Episodes 1, 10 and 40 days ago: the last 4 weeks hold two, the last 12 all three."""
    now = datetime.now(UTC)
    EpisodeFactory(
        user=user, sites=["calf-left"], triggers=["caffeine"], started_at=now - timedelta(days=1)
    )
    EpisodeFactory(
        user=user,
        sites=["calf-left", "forearm-right"],
        cramps=True,
        notes="Zażółć gęślą jaźń <b>as typed</b>",
        started_at=now - timedelta(days=10),
    )
    EpisodeFactory(user=user, sites=["thigh-left"], started_at=now - timedelta(days=40))


def test_report_flow_from_range_to_downloaded_pdf(logged_in_page, live_server, user):
    make_diary(user)
    page = logged_in_page
    page.goto(live_server.url + reverse("log"))
    page.get_by_role("link", name="Report").tap()
    expect(page.get_by_role("heading", name="Report for your doctor", level=1)).to_be_visible()
    preview = page.locator("#report-preview")
    # The default: since the first entry (40 days ago), the diary being younger than 12 weeks.
    expect(preview).to_contain_text("3 episodes logged")
    expect(page.get_by_label("Since a date")).to_be_checked()

    # A preset swaps the preview in place (htmx) and makes the URL bookmarkable.
    page.get_by_label("Last 4 weeks").tap()
    expect(preview).to_contain_text("2 episodes logged")
    # The first entry's date stays in the (hidden) From field; the preset is what counts.
    expect(page).to_have_url(
        re.compile(re.escape(reverse("report")) + r"\?range=4&from=[-0-9]*&to=$")
    )

    # "From … to …" shows the two date fields; a reversed range is a message, not a download.
    page.get_by_label("From … to …").tap()
    today = timezone.now().astimezone(user.profile.zone).date()
    start = today - timedelta(days=20)
    page.get_by_label("From", exact=True).fill(str(today))
    page.get_by_label("To", exact=True).fill(str(start))
    expect(preview.get_by_role("alert")).to_contain_text("The end date is before the start date.")
    expect(preview.get_by_role("button", name="Download PDF")).to_have_count(0)
    page.get_by_label("From", exact=True).fill(str(start))
    page.get_by_label("To", exact=True).fill(str(today))
    expect(preview).to_contain_text(f"{21} days")
    expect(preview).to_contain_text("2 episodes logged")
    assert_no_horizontal_scroll(page, "the report page")

    page.get_by_label("Include the full episode log").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").tap()
    download = download_info.value
    assert download.suggested_filename == f"twitchlog-summary-{start}_{today}.pdf"
    reader = pypdf.PdfReader(io.BytesIO(download.path().read_bytes()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "2\nepisodes logged" in text
    assert "Full episode log (2 episodes)" in text
    assert "Zażółć gęślą jaźń <b>as typed</b>" in text


def test_function_check_and_notes_on_a_phone(logged_in_page, live_server, user):
    page = logged_in_page
    page.goto(live_server.url + reverse("report"))
    checks = page.locator("#function-check")
    expect(checks).to_contain_text("No check yet.")
    checks.get_by_role("link", name="Do a function check").tap()

    grip = page.get_by_role("group", name="Grip: opening jars, doing up buttons, turning keys")
    note = page.get_by_label(
        "Note on “Grip: opening jars, doing up buttons, turning keys” (optional)"
    )
    expect(grip.get_by_label("Not sure")).to_be_checked()  # unanswered, never "No"
    expect(page.locator("main")).to_contain_text("new or worse lately")  # the first check
    expect(note).to_be_hidden()  # a note field opens with "Yes"
    grip.get_by_label("Yes").tap()
    expect(note).to_be_visible()
    note.fill("Jar lids are harder")
    assert_accessible(page, "the function check form")
    page.get_by_role("button", name="Save check").tap()

    expect(page).to_have_url(live_server.url + reverse("report") + "#function-check")
    expect(checks).to_contain_text("Last check: today.")
    expect(checks).to_contain_text("1 of 1 answered new or worse")
    check = FunctionCheck.objects.get(user=user)
    assert check.grip
    assert check.grip_note == "Jar lids are harder"
    preview = page.locator("#report-preview")
    expect(preview).to_contain_text(
        "Grip: opening jars, doing up buttons, turning keys: Jar lids are harder"
    )

    notes = page.locator("#report-notes")
    notes.get_by_label("Questions to ask your doctor").fill("Do I need an EMG?")
    notes.get_by_role("button", name="Save notes").tap()
    expect(notes.get_by_role("status")).to_have_text("Saved your appointment notes.")
    user.profile.refresh_from_db()
    assert user.profile.questions == "Do I need an EMG?"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_report_pages_have_no_axe_violations(logged_in_page, live_server, user, scheme):
    make_diary(user)
    FunctionCheck.objects.create(user=user, date=timezone.now().date(), stairs=True)
    page = logged_in_page
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + reverse("report"))
    page.locator("details.report-weeks > summary").tap()
    assert_accessible(page, f"the report page ({scheme})")
    page.goto(live_server.url + reverse("report") + "?from=2026-03-29&to=2026-03-02")
    expect(page.locator("#report-preview").get_by_role("alert")).to_be_visible()
    assert_accessible(page, f"the report page with a bad range ({scheme})")
    page.goto(live_server.url + reverse("function-check-new"))
    assert_accessible(page, f"the function check form ({scheme})")
    assert_no_horizontal_scroll(page, "the function check form")
