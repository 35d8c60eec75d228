"""
/report/ and /report.pdf: the range chooser, the preview that shows page 1's numbers,
the appointment notes, the download and its headers; every bad range is a message on the
report page, never a 500; another person's data never shows.
"""

import io
import re
from datetime import date, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from diary import insights
from diary import report as pdf
from diary.models import APPOINTMENT_NOTE_MAX_LENGTH, FunctionCheck, Profile
from tests.factories import EpisodeFactory
from tests.helpers import HTMX, bulk_episodes, field_errors

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MARCH = {"from": "2026-03-02", "to": "2026-03-29"}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def text_of(response) -> str:
    """The page's visible text, tags dropped, whitespace collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def local_today(user) -> date:
    return timezone.now().astimezone(user.profile.zone).date()


@pytest.fixture
def diary(user, other_user):
    """Three episodes in March 2026 for `user`; one deleted; one of another person."""
    EpisodeFactory(user=user, started_at=at("2026-03-02 08:00"), sites=["calf-left"])
    EpisodeFactory(
        user=user,
        started_at=at("2026-03-03 19:00"),
        sites=["calf-left", "forearm-right"],
        triggers=["caffeine"],
        cramps=True,
    )
    EpisodeFactory(user=user, started_at=at("2026-03-20 21:00"), sites=["thigh-left"])
    EpisodeFactory(user=user, started_at=at("2026-03-21 21:00"), sites=["tongue"]).soft_delete()
    EpisodeFactory(user=other_user, started_at=at("2026-03-22 10:00"), sites=["tongue"])
    return user


# --- Login and other people -----------------------------------------------------------------


@pytest.mark.parametrize("url", ["/report/", "/report.pdf", "/report.pdf?from=2026-03-02"])
def test_report_views_need_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_report_notes_post_needs_login(client, user):
    response = client.post(reverse("report"), {"medicines": "x"})
    assert response.status_code == 302
    user.profile.refresh_from_db()
    assert user.profile.medicines == ""


def test_report_page_shows_only_the_owners_numbers(owner_client, diary):
    response = owner_client.get(reverse("report"), MARCH)
    assert response.status_code == 200
    page = text_of(response)
    assert "3 of 28 days with twitching in the period" in page
    assert "3 episodes logged" in page
    assert "Tongue" not in page  # deleted, or another person's


def test_report_other_user_sees_none_of_it(client, diary, other_user):
    client.force_login(other_user)
    page = text_of(client.get(reverse("report"), MARCH))
    # Their diary began on 22 March: 8 days of the period, not 28.
    assert "1 of 8 days with twitching since you started logging on 22 Mar 2026" in page
    assert "1 episode logged" in page
    assert "Left calf" not in page
    content = client.get(reverse("report-pdf"), MARCH).content
    first = pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Left calf" not in first
    assert "Tongue" in first


# --- The preview ---------------------------------------------------------------------------


def test_report_preview_numbers_equal_the_pdf_page_one(owner_client, user, diary):
    response = owner_client.get(reverse("report"), MARCH)
    report = response.context["report"]
    period = insights.Period(date(2026, 3, 2), date(2026, 3, 29), LONDON)
    overview = insights.overview(user, period)
    assert report.summary == overview.summary
    assert report.sites == overview.sites
    page = text_of(response)
    page1 = (
        pypdf.PdfReader(io.BytesIO(owner_client.get(reverse("report-pdf"), MARCH).content))
        .pages[0]
        .extract_text()
    )
    assert f"{overview.summary.days_with_twitching} of 28" in page1
    assert f"{overview.summary.episodes}\nepisodes logged" in page1
    for row in overview.sites:
        # The preview leaves out the year when the whole period is in one year.
        cells = f"{row.name} {row.region_label} {pdf.fmt_short(row.first_seen)}"
        assert f"{cells} {pdf.fmt_short(row.last_seen)} {row.count}" in page
        assert row.name in page1
    assert "Cramps 1" in page
    assert "Caffeine 1" in page
    assert "Regions involved: Neck & arms, Legs & feet" in page
    assert "(cervical)" not in page  # plain region names only
    assert f"{overview.summary.sites}\nbody sites with twitching" in page1
    for fact in overview.facts:
        assert fact.text in page


def test_report_preview_and_pdf_carry_the_twitch_details_line(owner_client, user):
    """Only answered episodes count, each count says of how many; the same line in both."""
    for visible, moved, pattern in [
        (True, "yes", "single"),
        (True, "no", "single"),
        (False, "not_tried", "few"),
        (None, "", ""),
    ]:
        EpisodeFactory(
            user=user,
            started_at=at("2026-03-10 09:00"),
            visible=visible,
            stopped_with_movement=moved,
            pattern=pattern,
        )
    line = (
        "Seen under the skin in 2 of 3 episodes where this was noted; stopped when moved in 1 of "
        "2 where moving was tried; most often a single twitch (2 of 3)."
    )
    page = text_of(owner_client.get(reverse("report"), MARCH))
    assert f"Twitch details (where noted): {line}" in page
    content = owner_client.get(reverse("report-pdf"), MARCH).content
    page1 = " ".join(pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text().split())
    assert f"Twitch details (where noted): {line}" in page1


def test_report_preview_function_check_counts_answered_tasks(owner_client, user):
    FunctionCheck.objects.create(user=user, date=date(2026, 3, 1), grip=False)
    FunctionCheck.objects.create(
        user=user, date=date(2026, 3, 20), grip=True, speech=False, walking_note="Slower"
    )
    page = text_of(owner_client.get(reverse("report"), MARCH))
    assert (
        "Latest check in the period: 20 Mar 2026, compared with the previous check on 1 Mar "
        "2026. Marked new or worse since the previous check: 1 of 2 tasks answered (7 not "
        "answered)." in page
    )
    assert "Walking, or tripping over your feet (not answered): Slower" in page


def test_report_preview_first_function_check_asked_lately(owner_client, user):
    FunctionCheck.objects.create(user=user, date=date(2026, 3, 20))
    page = text_of(owner_client.get(reverse("report"), MARCH))
    assert "the first check, asking what was new or worse lately" in page
    assert "None of the 9 tasks was answered." in page
    assert "since the previous check" not in page


@pytest.mark.calendar
def test_report_default_is_the_last_12_weeks(owner_client, user):
    response = owner_client.get(reverse("report"))
    period = response.context["period"]
    today = local_today(user)
    assert period == insights.Period.last_weeks(12, today, user.profile.zone)
    assert response.context["range_form"]["range"].value() == "12"
    html = response.content.decode()
    assert f'name="from" value="{period.first.isoformat()}"' in html
    assert f'name="to" value="{today.isoformat()}"' in html


@pytest.mark.parametrize(
    ("query", "choice", "weeks"),
    [
        ({"range": "4"}, "4", 4),
        ({"weeks": "4"}, "4", 4),
        ({"weeks": "26"}, "26", 26),
        ({"range": "12"}, "12", 12),
    ],
)
@pytest.mark.calendar
def test_report_presets(owner_client, user, query, choice, weeks):
    response = owner_client.get(reverse("report"), query)
    today = local_today(user)
    assert response.context["period"] == insights.Period.last_weeks(weeks, today, user.profile.zone)
    assert response.context["range_form"]["range"].value() == choice


@pytest.mark.calendar
def test_report_since_a_date_runs_to_today(owner_client, user):
    response = owner_client.get(reverse("report"), {"range": "since", "from": "2026-01-05"})
    period = response.context["period"]
    assert period.first == date(2026, 1, 5)
    assert period.last == local_today(user)


def test_report_custom_range_and_plain_from_to(owner_client):
    for query in ({"range": "custom", **MARCH}, MARCH):
        response = owner_client.get(reverse("report"), query)
        assert response.context["period"].first == date(2026, 3, 2)
        assert response.context["period"].last == date(2026, 3, 29)
        assert response.context["range_form"]["range"].value() == "custom"


def test_report_empty_period_says_so(owner_client):
    response = owner_client.get(reverse("report"), MARCH)
    assert "No episodes were logged in this period." in text_of(response)
    assert "Download PDF" in text_of(response)


def test_report_htmx_returns_the_preview_fragment(owner_client, diary):
    response = owner_client.get(reverse("report"), {"range": "custom", **MARCH}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="report-preview"')
    assert "3 episodes" in text_of(response)


def test_report_page_query_count_does_not_grow_with_data(
    owner_client, user, django_assert_max_num_queries
):
    bulk_episodes(user, 300, spacing=timedelta(hours=5))
    owner_client.get(reverse("report"))  # the first visit also saves "preview seen" once
    with django_assert_max_num_queries(11):
        owner_client.get(reverse("report"))


# --- Bad ranges ----------------------------------------------------------------------------


BAD_RANGES = [
    ({"range": "custom", "from": "2026-03-29", "to": "2026-03-02"}, "The end date is before"),
    ({"from": "2026-03-29", "to": "2026-03-02"}, "The end date is before the start date."),
    ({"range": "custom", "from": "2026-02-30", "to": "2026-03-02"}, "Enter a real date"),
    ({"from": "yesterday", "to": "2026-03-02"}, "Enter a real date"),
    ({"from": "2001-01-01", "to": "2026-03-02"}, "A range can be at most 5 years."),
    ({"range": "since"}, "Enter the first day of the period."),
    ({"range": "custom", "from": "2026-03-01"}, "Enter the last day of the period."),
    ({"range": "forever"}, "That is not one of the options here. Please pick one from the list."),
    ({"weeks": "7"}, "Choose 4, 8, 12, 26 or 52 weeks, or enter dates."),
    ({"weeks": "99999"}, "That is not one of the options here. Please pick one from the list."),
    # A digit to str.isdigit() but not to int(): was a 500.
    ({"weeks": "²"}, "That is not one of the options here. Please pick one from the list."),
    ({"range": "①"}, "That is not one of the options here. Please pick one from the list."),
    ({"from": "0001-01-01", "to": "2026-03-02"}, "Choose dates between 1900 and 2999."),
]


@pytest.mark.parametrize(("query", "message"), BAD_RANGES)
def test_report_bad_range_is_a_clear_message(owner_client, query, message):
    response = owner_client.get(reverse("report"), query)
    assert response.status_code == 200
    assert response.context["period"] is None
    assert message in text_of(response)
    assert "Fix the period above" in text_of(response)
    assert "Download PDF" not in text_of(response)


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2026-03-29", "to": "2026-03-02"},
        {"from": "2026-02-30"},
        {"from": "2001-01-01", "to": "2026-03-02"},
        {"weeks": "7"},
        {"to": "not-a-date"},
    ],
)
def test_report_pdf_bad_range_goes_back_to_the_report_page(owner_client, query):
    response = owner_client.get(reverse("report-pdf"), query)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("report") + "?")
    page = owner_client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["period"] is None
    assert "Fix the period above" in text_of(page)


# --- The PDF download ------------------------------------------------------------------------


def test_report_pdf_download_headers(owner_client, diary):
    response = owner_client.get(reverse("report-pdf"), MARCH)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="twitchlog-summary-2026-03-02_2026-03-29.pdf"'
    )
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF-")
    pages = pypdf.PdfReader(io.BytesIO(response.content)).pages
    assert "3\nepisodes logged" in pages[0].extract_text()
    assert not any("Full episode log" in p.extract_text() for p in pages)


def test_report_pdf_full_log_on_request(owner_client, diary):
    response = owner_client.get(reverse("report-pdf"), {**MARCH, "full": "1"})
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "Full episode log (3 episodes)" in text


def test_report_download_form_carries_the_period_and_the_checkbox(owner_client, diary):
    html = owner_client.get(reverse("report"), {**MARCH, "full": "1"}).content.decode()
    form = html[html.index('class="report-download"') :]
    form = form[: form.index("</form>")]
    assert 'action="/report.pdf"' in html
    assert 'name="from" value="2026-03-02"' in form
    assert 'name="to" value="2026-03-29"' in form
    assert re.search(r'<input type="checkbox" name="full" value="1" id="id_full" checked', form)
    assert "Include the full episode log" in form


@pytest.mark.calendar
def test_report_pdf_without_parameters_covers_the_last_12_weeks(owner_client, user):
    response = owner_client.get(reverse("report-pdf"))
    period = insights.Period.last_weeks(12, local_today(user), user.profile.zone)
    assert response["Content-Disposition"].endswith(f'"{pdf.filename(period)}"')


# --- Appointment notes -----------------------------------------------------------------------


# Medicines and tests already done are answers "About your twitching" (tests/test_about.py).
NOTES = {"questions": "Do I need an EMG?\nCould it be my new medicine?"}


def test_report_notes_are_saved_on_the_profile_and_the_range_kept(owner_client, user):
    url = reverse("report") + "?range=4"
    response = owner_client.post(url, NOTES)
    assert response.status_code == 302
    assert response["Location"] == reverse("report") + "?range=4"
    profile = Profile.objects.get(user=user)
    assert profile.questions == NOTES["questions"]
    content = owner_client.get(reverse("report-pdf")).content
    first = pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Questions to ask: Do I need an EMG?\nCould it be my new medicine?" in first


def test_report_notes_htmx_returns_the_notes_fragment(owner_client, user):
    response = owner_client.post(reverse("report"), NOTES, headers=HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="report-notes"')
    assert "Saved your appointment notes." in html
    user.profile.refresh_from_db()
    assert user.profile.questions == NOTES["questions"]


@pytest.mark.parametrize("htmx", [False, True])
def test_report_notes_too_long_is_a_message(owner_client, user, htmx):
    data = {**NOTES, "questions": "x" * (APPOINTMENT_NOTE_MAX_LENGTH + 1)}
    response = owner_client.post(reverse("report"), data, headers=HTMX if htmx else {})
    assert response.status_code == 200
    assert field_errors(response, "questions")
    user.profile.refresh_from_db()
    assert user.profile.questions == ""


def test_report_notes_line_breaks_count_once(owner_client, user):
    """Sent as CRLF, counted by the browser as one character each: within the limit."""
    questions = "Is this normal?\n" * 124 + "EMG?"  # 1,988 characters in the textarea
    data = {**NOTES, "questions": questions.replace("\n", "\r\n")}
    response = owner_client.post(reverse("report"), data)
    assert response.status_code == 302
    user.profile.refresh_from_db()
    assert user.profile.questions == questions


# --- Wording ---------------------------------------------------------------------------------


def test_report_page_wording(owner_client, diary):
    page = text_of(owner_client.get(reverse("report"), MARCH))
    for word in ("risk", "likely", "probability", "diagnosis", "score"):
        assert not re.search(rf"\b{word}\b", page, re.IGNORECASE), word
    assert "Worth mentioning to your doctor" in page


def test_report_page_follows_the_order_of_the_task(owner_client, diary):
    """
    Period, function check, about your twitching, appointment notes, then the preview with
    the download.
    """
    html = owner_client.get(reverse("report")).content.decode()
    order = [
        html.index('id="period-heading"'),
        html.index('id="checks-heading"'),
        html.index('id="about-heading"'),
        html.index('id="notes-heading"'),
        html.index('id="preview-heading"'),
        html.index('class="report-download"'),
    ]
    assert order == sorted(order)


def test_report_download_at_the_top_once_the_preview_was_seen(owner_client, diary):
    first = owner_client.get(reverse("report") + "?weeks=4").content.decode()
    assert "Download the PDF again" not in first
    again = owner_client.get(reverse("report") + "?weeks=4").content.decode()
    top = again.index("Download the PDF again")
    assert top < again.index('id="period-heading"')
    assert "/report.pdf?from=" in again[again.index('id="report-download-top"') : top]


def test_report_htmx_preview_also_refreshes_the_top_download(owner_client, diary):
    owner_client.get(reverse("report"))
    response = owner_client.get(reverse("report") + "?weeks=4", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert (
        '<div id="report-download-top" class="report-download-top" data-hx-swap-oob="true">' in html
    )
    assert "Download the PDF again" in html
