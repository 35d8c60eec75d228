"""
"About your twitching" (/report/about/): what a neurologist asks first, answered once. Every
answer optional and an untouched one left unanswered (never "no"); bad answers are a message
and change nothing; saving records itself. Page 1 of the PDF prints what was answered (and
nothing when nothing was), the share page and its PDF and FHIR file carry it (what was typed
only with "Include my notes"), and the export and import carry it without loss.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from diary import demo, insights
from diary import report as pdf
from diary.data import export
from diary.forms.about import AboutForm
from diary.models import Profile
from diary.sharing import fhir, links
from diary.sharing.fhir.questionnaires import ABOUT_TWITCHING
from tests.factories import EpisodeFactory, UserFactory
from tests.fhir_checks import r4_bundle, reference_schema_errors, resources, schema_errors
from tests.helpers import field_errors, records_change

pytestmark = pytest.mark.django_db

URL = "/report/about/"
LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 12, 7)
PERIOD = insights.Period(date(2026, 11, 2), date(2026, 11, 29), LONDON)
ANSWERS = {
    "started_month": "3",
    "started_year": "2026",
    "onset_context": ["hard_exercise", "stress"],
    "onset_note": "ONSET-NOTE a cold in February",
    "better_with": "BETTER-NOTE stretching",
    "weight_change": "no_change",
    "relatives": "yes",
    "relatives_note": "RELATIVE-NOTE an uncle",
    "medicines": "MEDICINE-NOTE magnesium 300 mg",
    "tests_emg": "",
    "tests_blood": "BLOOD-NOTE April, CK normal",
    "tests_done": "",
}
TYPED = ["ONSET-NOTE", "BETTER-NOTE", "RELATIVE-NOTE", "MEDICINE-NOTE", "BLOOD-NOTE"]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def answered(owner_client, user):
    assert owner_client.post(URL, ANSWERS).status_code == 302
    user.profile.refresh_from_db()
    EpisodeFactory(user=user, started_at=PERIOD.start.replace(hour=12), sites=["calf-left"])
    return user


# --- The page -------------------------------------------------------------------------------


def test_about_anonymous_goes_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_about_page_starts_unanswered(owner_client):
    response = owner_client.get(URL)
    assert response.status_code == 200
    html = response.text
    assert "<h1>About your twitching</h1>" in html
    assert " checked" not in html  # no chip chosen, "not sure" unticked: nothing is a "no"
    for question in (
        "When did the twitching begin?",
        "What was going on then?",
        "What makes it better?",
        "Has your weight changed since it began?",
        "nerve or muscle condition",
        "Medicines and supplements",
        "EMG",
        "Blood tests",
        "Other tests or scans",
    ):
        assert question in html


def test_about_saves_records_the_change_and_goes_back(owner_client, user):
    with records_change(user):
        response = owner_client.post(URL, {**ANSWERS, "next": "/settings/"})
    assert response.status_code == 302
    assert response["Location"] == "/settings/"
    profile = Profile.objects.get(user=user)
    assert (profile.started_year, profile.started_month) == (2026, 3)
    assert profile.onset_context == ["stress", "hard_exercise"]  # the list's own order
    assert profile.weight_change == "no_change"
    assert profile.medicines == ANSWERS["medicines"]
    assert profile.answers()[0] == (
        "Began",
        "March 2026; at the time: stress, hard exercise, ONSET-NOTE a cold in February",
    )
    # Without `next`, back to the report's card.
    assert owner_client.post(URL, ANSWERS)["Location"] == "/report/#about"
    # Another person's answers are untouched.
    assert not Profile.objects.exclude(user=user).filter(medicines__contains="MEDICINE").exists()


def test_about_an_empty_form_leaves_everything_unanswered(owner_client, user):
    assert owner_client.post(URL, {}).status_code == 302
    profile = Profile.objects.get(user=user)
    assert profile.started_year is None
    assert profile.started_not_sure is False
    assert profile.onset_context == []
    assert profile.weight_change == profile.relatives == ""
    assert profile.answers() == []


def test_about_not_sure_is_an_answer_of_its_own(owner_client, user):
    data = {"started_not_sure": "on", "weight_change": "not_sure", "relatives": "not_sure"}
    assert owner_client.post(URL, data).status_code == 302
    assert Profile.objects.get(user=user).answers() == [
        ("Began", "not sure when"),
        ("Weight since it began", "not sure"),
        ("Close relatives with a nerve or muscle condition", "not sure"),
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"started_month": "3", "started_year": ""},
            "started_year",
            "Add the year too, or leave the month empty.",
        ),
        (
            {"started_year": "2026", "started_not_sure": "on"},
            "started_not_sure",
            "You gave a month or year: untick “Not sure”, or clear them.",
        ),
        ({"started_year": "2027"}, "started_year", "That year is still to come. Check the year."),
        ({"started_year": "1850"}, "started_year", "Enter a year from 1900 on."),
        ({"started_year": "soon"}, "started_year", "Enter the year as a number, e.g. 2026."),
        ({"started_month": "13", "started_year": "2020"}, "started_month", "Pick a month"),
        ({"onset_context": ["cosmic-rays"]}, "onset_context", "Pick from the answers shown."),
        ({"weight_change": "a lot"}, "weight_change", "Pick one of the answers shown."),
        ({"medicines": "x" * 2001}, "medicines", "2000"),
        ({"medicines": "a\x00b"}, "medicines", "NUL"),
    ],
)
@pytest.mark.now("2026-12-01T12:00")  # 2027 is still to come
def test_about_bad_answers_are_a_message_and_change_nothing(
    owner_client, user, data, field, message
):
    with records_change(user):
        owner_client.post(URL, ANSWERS)
    before = Profile.objects.get(user=user).answers()
    response = owner_client.post(URL, {**ANSWERS, **data})
    assert response.status_code == 200
    assert any(message in error for error in field_errors(response, field)), field_errors(
        response, field
    )
    assert Profile.objects.get(user=user).answers() == before
    assert "BLOOD-NOTE" in response.text  # what was typed is still in the form


def test_about_a_month_still_to_come_is_refused(user):
    form = AboutForm({"started_year": "2026", "started_month": "12"}, instance=user.profile,
                     today=date(2026, 11, 30))  # fmt: skip
    assert not form.is_valid()
    assert form.errors["started_month"] == ["That month is still to come. Check the month."]


def test_about_is_linked_from_the_report_and_settings(owner_client, answered):
    report = owner_client.get("/report/").text
    assert 'href="/report/about/?next=/report/%23about"' in report
    card = report.split('id="about-heading"')[1].split("</section>")[0]
    assert "MEDICINE-NOTE magnesium 300 mg" in card
    assert "Change your answers" in card
    settings = owner_client.get("/settings/").text
    assert 'href="/report/about/?next=/settings/"' in settings


# --- Page 1 of the PDF ------------------------------------------------------------------------


def page_one(user, **kwargs) -> str:
    content = pdf.build_pdf(user, PERIOD, today=TODAY, **kwargs)
    return " ".join(pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text().split())


def test_pdf_page_one_prints_what_was_answered(answered):
    page = page_one(answered)
    assert "About the twitching (as reported by the patient)" in page
    assert "Began: March 2026; at the time: stress, hard exercise, ONSET-NOTE" in page
    assert "Better with: BETTER-NOTE stretching" in page
    assert "Weight since it began: no change" in page
    assert "Close relatives with a nerve or muscle condition: yes: RELATIVE-NOTE an uncle" in page
    assert "Medicines and supplements: MEDICINE-NOTE magnesium 300 mg" in page
    assert "Blood tests: BLOOD-NOTE April, CK normal" in page
    assert "EMG:" not in page  # not answered: not printed
    # The section comes before the weekly chart, after the figures.
    assert page.index("episode logged") < page.index("About the twitching")
    assert page.index("About the twitching") < page.index("Episodes per week")


def test_pdf_page_one_has_no_section_when_nothing_was_answered(user):
    EpisodeFactory(user=user, started_at=PERIOD.start.replace(hour=12))
    assert "About the twitching" not in page_one(user)


# --- The share page, its PDF and its FHIR file ------------------------------------------------


def shared(user, *, include_notes: bool) -> tuple[Client, str]:
    _, token = links.create(
        user, first=PERIOD.first, last=PERIOD.last, days=7, include_notes=include_notes
    )
    return Client(), token


def test_share_page_with_notes_shows_the_answers(answered):
    client, token = shared(answered, include_notes=True)
    page = text_of(client.get(f"/s/{token}/").text)
    assert "About the twitching (as reported by the patient)" in page
    for marker in TYPED:
        assert marker in page
    assert "Weight since it began no change" in page


@pytest.mark.parametrize("output", ["page", "pdf", "fhir"])
def test_share_link_without_notes_carries_the_chosen_answers_and_nothing_typed(answered, output):
    client, token = shared(answered, include_notes=False)
    if output == "page":
        text = text_of(client.get(f"/s/{token}/").text)
    elif output == "pdf":
        content = client.get(f"/s/{token}/report.pdf").content
        text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
        text = " ".join(text.split())
    else:
        text = client.get(f"/s/{token}/fhir.json").content.decode()
    for marker in TYPED:
        assert marker not in text, (output, marker)
    assert "March 2026" in text or "2026-03" in text  # the chosen answers still go
    assert "no change" in text.lower() or "no_change" in text


def about_response(data: dict) -> dict:
    [found] = [
        r
        for r in resources(data, "QuestionnaireResponse")
        if r["questionnaire"].split("|")[0].endswith("/Questionnaire/about-twitching")
    ]
    return {item["linkId"]: item["answer"] for item in found["item"]}


def test_fhir_carries_the_answers_as_a_valid_questionnaire_response(answered):
    data = fhir.bundle(answered, PERIOD, site="https://twitchlog.example/")
    assert schema_errors(data) == []
    assert reference_schema_errors(data) == []
    r4_bundle(data)
    answers = about_response(data)
    assert answers["started"] == [{"valueDate": "2026-03"}]
    assert [a["valueCoding"]["code"] for a in answers["onset_context"]] == [
        "stress",
        "hard_exercise",
    ]
    assert answers["weight_change"][0]["valueCoding"]["display"] == "No change"
    assert answers["medicines"] == [{"valueString": "MEDICINE-NOTE magnesium 300 mg"}]
    assert "started_not_sure" not in answers  # False is unanswered, never sent as "no"
    assert "tests_emg" not in answers
    [questionnaire] = [
        q for q in resources(data, "Questionnaire") if q["url"].endswith("/about-twitching")
    ]
    texts = {i["linkId"]: i["text"] for i in questionnaire["item"]}
    assert texts == {i.link_id: i.text for i in ABOUT_TWITCHING.items}
    options = {i["linkId"]: i.get("answerOption") for i in questionnaire["item"]}
    assert len(options["relatives"]) == 3


def test_fhir_without_answers_sends_no_about_response(user):
    data = fhir.bundle(user, PERIOD, site="https://twitchlog.example/")
    questionnaires = [r["questionnaire"] for r in resources(data, "QuestionnaireResponse")]
    assert not any("about-twitching" in q for q in questionnaires)


# --- Export and import ------------------------------------------------------------------------


def exported(user) -> dict:
    fresh = type(user).objects.get(pk=user.pk)
    return json.loads(export.chunks_text(export.iter_json(fresh)))


def import_file(user, data: dict, settings, tmp_path) -> Client:
    settings.IMPORT_STAGING_DIR = tmp_path / "imports"
    client = Client()
    client.force_login(user)
    file = SimpleUploadedFile("t.json", json.dumps(data).encode(), "application/json")
    response = client.post(reverse("import"), {"action": "upload", "file": file})
    assert response.status_code == 302, response.content.decode()[:3000]
    preview = client.get(reverse("import")).text
    assert client.post(reverse("import"), {"action": "confirm"}).status_code == 302
    client.preview = preview
    return client


def test_export_and_import_carry_the_answers(answered, settings, tmp_path):
    data = exported(answered)
    about = data["profile"]["about"]
    assert about["started_year"] == 2026
    assert about["onset_context"] == ["stress", "hard_exercise"]
    assert data["profile"]["medicines"] == ANSWERS["medicines"]
    newcomer = UserFactory(timezone="Europe/London")
    client = import_file(newcomer, data, settings, tmp_path)
    assert "your answers about your twitching" in client.preview
    assert exported(newcomer)["profile"]["about"] == about
    assert Profile.objects.get(user=newcomer).answers() == answered.profile.answers()


def test_import_fills_only_the_questions_left_open(answered, settings, tmp_path):
    data = exported(answered)
    someone = UserFactory(timezone="Europe/London")
    profile = someone.profile
    profile.started_not_sure, profile.weight_change = True, "lost"
    profile.save()
    import_file(someone, data, settings, tmp_path)
    profile = Profile.objects.get(user=someone)
    assert (profile.started_not_sure, profile.started_year) == (True, None)  # kept, whole
    assert profile.weight_change == "lost"
    assert profile.relatives == "yes"  # was open: filled in
    assert profile.onset_context == ["stress", "hard_exercise"]


def test_a_file_made_before_carries_no_answers_and_still_imports(user, settings, tmp_path):
    data = exported(UserFactory(timezone="Europe/London"))
    del data["profile"]["about"]
    import_file(user, data, settings, tmp_path)
    assert Profile.objects.get(user=user).answers() == []


@pytest.mark.parametrize(
    ("about", "where"),
    [
        ({"started_month": 3, "started_year": None}, "started_year"),
        ({"started_not_sure": True, "started_year": 2020}, "started_year"),
        ({"weight_change": "maybe"}, "weight_change"),
        ({"onset_context": ["stress", "stress"]}, "onset_context"),
        ({"onset_note": "a\x00b"}, "onset_note"),
    ],
)
def test_import_refuses_answers_the_diary_would_not_take(user, settings, tmp_path, about, where):
    data = exported(UserFactory(timezone="Europe/London"))
    data["profile"]["about"] |= about
    settings.IMPORT_STAGING_DIR = tmp_path / "imports"
    client = Client()
    client.force_login(user)
    file = SimpleUploadedFile("t.json", json.dumps(data).encode(), "application/json")
    response = client.post(reverse("import"), {"action": "upload", "file": file})
    assert response.status_code == 200
    assert "Profile, about" in text_of(response.text)
    assert where in text_of(response.text)
    assert Profile.objects.get(user=user).answers() == []


# --- The demo ----------------------------------------------------------------------------------


def test_the_demo_answers_the_questions(user):
    """
    So page 1 is tried at its fullest: tests/test_pdf_exposures.py checks it stays one page
    with the demo's answers.
    """
    demo.fill_about(user)
    labels = [label for label, _text in Profile.objects.get(user=user).answers()]
    assert labels == [
        "Began",
        "Better with",
        "Weight since it began",
        "Close relatives with a nerve or muscle condition",
        "Medicines and supplements",
        "Blood tests",
    ]
