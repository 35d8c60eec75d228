"""
A share link shares only what was chosen: made without "Include my notes", nothing the person
typed leaves through its page or its PDF (the FHIR file: tests/test_share_exports.py), one
test per output and kind of typed text; the PDF says the notes were left out instead of
"no episode has a note"; the page speaks to the clinician, not to the patient.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from html import unescape

import pytest
from django.core.cache import cache
from django.test import Client
from pypdf import PdfReader

from diary.models import DayLog, FunctionCheck
from diary.sharing import links
from tests.factories import EpisodeFactory, TriggerFactory

pytestmark = pytest.mark.django_db

# Every kind of text a person types, with the marker the fixture writes there. Own trigger
# names are typed too ("New medicine: sertraline"): a link without notes shows them as
# "Own trigger 1", … with their numbers.
TYPED = {
    "episode note": "EPISODE-NOTE",
    "check-in note": "CHECKIN-NOTE",
    "check-in medicine name": "MEDICINE-NAME",
    "function-check task note": "TASK-NOTE",
    "function-check note against a no": "NO-ANSWER-NOTE",
    "function-check note": "CHECK-NOTE",
    "appointment medicines": "MEDICINES-NOTE",
    "appointment tests": "TESTS-NOTE",
    "appointment questions": "QUESTIONS-NOTE",
    "own trigger name": "SECRET-TRIGGER",
}
# Where each kind shows when the link was made with notes: the page is page 1 and the charts;
# episode notes are in the PDF's "Episodes with notes"; check-in text is in neither.
SHOWN_WITH_NOTES = [
    *((kind, "pdf") for kind in TYPED if not kind.startswith("check-in")),
    *((kind, "page") for kind in TYPED if not kind.startswith(("check-in", "episode"))),
]
OUTPUTS = ("page", "pdf")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def written(user):
    """A March diary holding every kind of typed text."""
    profile = user.profile
    profile.display_name = "Ada Example"
    profile.medicines = "MEDICINES-NOTE"
    profile.tests_done = "TESTS-NOTE"
    profile.questions = "QUESTIONS-NOTE"
    profile.save()
    own = TriggerFactory(user=user, name="SECRET-TRIGGER")
    for day in (3, 4, 5):
        EpisodeFactory(
            user=user,
            started_at=datetime(2026, 3, day, 9, tzinfo=UTC),
            sites=["calf-left", "eyelid-left"],  # two regions a day: a point from the log
            triggers=[own, "caffeine"],
            notes="EPISODE-NOTE",
        )
    DayLog.objects.create(
        user=user,
        date=date(2026, 3, 6),
        new_medicine=True,
        medicine="MEDICINE-NAME",
        note="CHECKIN-NOTE",
    )
    FunctionCheck.objects.create(
        user=user,
        date=date(2026, 3, 7),
        grip=True,
        grip_note="TASK-NOTE",
        speech=False,
        speech_note="NO-ANSWER-NOTE",
        note="CHECK-NOTE",
    )
    return user


def shared(user, output: str, *, include_notes: bool) -> str:
    """The page's text (JSON for the charts included) or every page of the PDF."""
    _, token = links.create(
        user, first=date(2026, 3, 1), last=date(2026, 3, 31), days=7, include_notes=include_notes
    )
    if output == "page":
        response = Client().get(f"/s/{token}/")
        assert response.status_code == 200
        return unescape(response.text)
    response = Client().get(f"/s/{token}/report.pdf")
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("kind", TYPED)
def test_link_without_notes_lets_no_typed_text_out(written, kind, output):
    text = shared(written, output, include_notes=False)
    assert TYPED[kind].lower() not in text.lower()  # the trigger's slug is its name, lowered


@pytest.mark.parametrize(("kind", "output"), SHOWN_WITH_NOTES)
def test_link_with_notes_shows_what_was_typed(written, kind, output):
    assert TYPED[kind] in shared(written, output, include_notes=True)


@pytest.mark.parametrize("output", OUTPUTS)
def test_link_without_notes_keeps_own_triggers_numbers_under_a_plain_name(written, output):
    text = re.sub(r"<[^>]+>", " ", shared(written, output, include_notes=False))
    assert re.search(r"Own trigger 1\s+3\b", text)  # three episodes with it
    assert "Caffeine" in text  # built-in names are ours, not typed


def test_pdf_without_notes_says_so_instead_of_no_notes(written):
    text = shared(written, "pdf", include_notes=False)
    assert text.count("Notes are not included in this shared copy.") == 3  # check, notes, episodes
    assert "No episode in this period has a note" not in text
    # The answers are not typed text: they are still there.
    assert "Grip: opening jars, doing up buttons, turning keys" in text


def test_pdf_with_notes_prints_them_and_no_left_out_line(written):
    text = shared(written, "pdf", include_notes=True)
    assert "Notes are not included" not in text
    assert "Grip: opening jars, doing up buttons, turning keys: TASK-NOTE" in text


def test_share_page_speaks_to_the_clinician(written):
    html = shared(written, "page", include_notes=False)
    report = html.split('id="summary-heading"')[1].split("</section>")[0]
    visible = " ".join(re.sub(r"<[^>]+>", " ", report).split())
    assert "Points from the log On 3 days twitching was logged in both the head or face" in visible
    assert "Worth mentioning to your doctor" not in visible
    assert not re.search(r"\byou(r)?\b", visible, re.IGNORECASE), visible
    assert "Notes are not included in this shared copy." in html


def test_share_page_and_pdf_say_until_when_the_link_works(written):
    link, token = links.create(written, first=date(2026, 3, 1), last=date(2026, 3, 31), days=1)
    local = link.expires_at.astimezone(written.profile.zone)
    until = f"{local.day} {local:%b %Y, %H:%M} ({written.profile.timezone})"
    assert f"This link works until {until}" in Client().get(f"/s/{token}/").text
    pdf = Client().get(f"/s/{token}/report.pdf").content
    page1 = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert f"The link works until {until}" in page1
