"""The QR code on a shared PDF (decoded from the rendered page) and the FHIR R4 export."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from fhir.resources.R4B.bundle import Bundle
from pypdf import PdfReader

from diary.daylog import DayLog
from diary.models import FunctionCheck
from diary.sharing import fhir, links
from diary.sharing.models import ShareLink, ShareOpening
from tests.factories import EpisodeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def patient(user):
    user.profile.display_name = "Ada Example"
    user.profile.medicines = "MEDICINE-NOTE"
    user.profile.save()
    EpisodeFactory(
        user=user,
        started_at=datetime(2026, 3, 3, 9, 15, tzinfo=UTC),
        sites=["calf-left", "eyelid-right"],
        intensity=3,
        duration=timedelta(seconds=45),
        notes="EPISODE-NOTE",
    )
    EpisodeFactory(
        user=user, started_at=datetime(2026, 7, 10, 22, 30, tzinfo=UTC), sites=["tongue"]
    )
    EpisodeFactory(user=user, started_at=datetime(2026, 9, 1, 9, tzinfo=UTC))  # outside
    FunctionCheck.objects.create(
        user=user, date=date(2026, 3, 5), grip=True, grip_note="Jar lids", note="Tired"
    )
    FunctionCheck.objects.create(user=user, date=date(2026, 7, 1))
    return user


def qr_links(content: bytes, tmp_path) -> list[str]:
    """What zbarimg reads from page 1 rendered at 200 dpi."""
    assert shutil.which("pdftoppm"), "needs poppler-utils (scripts/install-deps)"
    assert shutil.which("zbarimg"), "needs zbar-tools (scripts/install-deps)"
    pdf = tmp_path / "shared.pdf"
    pdf.write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")
    result = subprocess.run(
        ["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True, check=False
    )
    return result.stdout.split()


def page_text(content: bytes, page: int = 0) -> str:
    return PdfReader(io.BytesIO(content)).pages[page].extract_text()


def test_shared_pdf_carries_a_qr_code_of_its_link(patient, tmp_path):
    _, token = links.create(patient, first=date(2026, 3, 1), last=date(2026, 8, 31), days=7)
    response = Client().get(f"/s/{token}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    url = f"http://testserver/s/{token}/"
    assert qr_links(response.content, tmp_path) == [url]
    text = page_text(response.content)
    assert url in text.replace("\n", "")
    assert "Ada Example" in text
    assert ShareOpening.objects.get().kind == "pdf"
    everything = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "MEDICINE-NOTE" not in everything
    assert "EPISODE-NOTE" not in everything


def test_shared_pdf_with_notes_prints_them(patient):
    _, token = links.create(
        patient, first=date(2026, 3, 1), last=date(2026, 8, 31), days=7, include_notes=True
    )
    content = Client().get(f"/s/{token}/report.pdf").content
    everything = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "MEDICINE-NOTE" in everything
    assert "EPISODE-NOTE" in everything


def test_add_a_link_to_the_pdf_makes_a_30_day_link(owner_client, patient, tmp_path):
    response = owner_client.post(
        "/report/share/", {"from": "2026-03-01", "to": "2026-08-31", "days": "1", "pdf": "1"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    link = ShareLink.objects.get(user=patient)
    assert link.expires_at - link.created_at == timedelta(days=30)
    (url,) = qr_links(response.content, tmp_path)
    token = re.fullmatch(r"http://testserver/s/([A-Za-z0-9_-]+)/", url).group(1)
    assert links.hash_token(token) == link.token_hash
    expiry = link.expires_at.astimezone(patient.profile.zone).date()
    assert f"{expiry.day} {expiry:%b %Y}" in page_text(response.content)


def test_plain_pdf_has_no_qr_code(owner_client, patient, tmp_path):
    response = owner_client.get("/report.pdf?from=2026-03-01&to=2026-08-31")
    assert qr_links(response.content, tmp_path) == []


def test_fhir_export_parses_back_and_matches_every_episode(owner_client, patient):
    response = owner_client.get("/export/fhir.json?from=2026-03-01&to=2026-08-31")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    bundle = Bundle.model_validate_json(response.content)
    assert bundle.type == "collection"
    resources = [entry.resource for entry in bundle.entry]
    kinds = [r.get_resource_type() for r in resources]
    assert kinds == [
        "Patient",
        "Observation",
        "Observation",
        "Questionnaire",
        "QuestionnaireResponse",
        "QuestionnaireResponse",
    ]
    (person,) = [r for r in resources if r.get_resource_type() == "Patient"]
    assert person.name[0].text == "Ada Example"
    assert patient.get_username() not in response.text
    episodes = list(
        patient.episodes.filter(local_date__lte=date(2026, 8, 31)).order_by("started_at")
    )
    observations = [r for r in resources if r.get_resource_type() == "Observation"]
    assert len(observations) == len(episodes) == 2
    subject = bundle.entry[0].fullUrl
    for episode, obs in zip(episodes, observations, strict=True):
        assert obs.status == "final"
        assert obs.category[0].coding[0].code == "survey"
        assert (obs.code.coding[0].system, obs.code.coding[0].code) == (
            "http://snomed.info/sct",
            "82470000",
        )
        assert obs.subject.reference == subject
        assert obs.effectiveDateTime == episode.local_started_at
        assert obs.effectiveDateTime.utcoffset() == episode.local_started_at.utcoffset()
        assert obs.identifier[0].value == f"urn:uuid:{episode.uuid}"
        duration = next(c for c in obs.component if c.code.text == "Duration")
        assert duration.valueQuantity.value == episode.duration.total_seconds()
        assert duration.valueQuantity.code == "s"
        intensity = [c.valueInteger for c in obs.component if c.code.text.startswith("Intensity")]
        assert intensity == ([episode.intensity] if episode.intensity else [])
        for site in episode.sites.all():
            assert site.name in obs.bodySite.text
        assert [n.text for n in obs.note or []] == ([episode.notes] if episode.notes else [])
    # Head to feet, like the report, each with its side.
    assert observations[0].bodySite.text == "Right eyelid (right side), Left calf (left side)"
    # London is on summer time in July: the offset travels with the time.
    assert observations[1].effectiveDateTime.isoformat() == "2026-07-10T23:30:00+01:00"


def test_fhir_function_check_answers_its_questionnaire(owner_client, patient):
    data = json.loads(owner_client.get("/export/fhir.json?from=2026-03-01&to=2026-03-31").content)
    by_type = {e["resource"]["resourceType"]: e for e in data["entry"]}
    assert [e["resource"]["resourceType"] for e in data["entry"]].count("Questionnaire") == 1
    questionnaire = by_type["Questionnaire"]["resource"]
    answers = by_type["QuestionnaireResponse"]["resource"]
    assert answers["questionnaire"] == questionnaire["url"] == by_type["Questionnaire"]["fullUrl"]
    link_ids = {item["linkId"] for item in questionnaire["item"]}
    assert {item["linkId"] for item in answers["item"]} <= link_ids
    given = {item["linkId"]: item["answer"][0] for item in answers["item"]}
    assert given["grip"] == {"valueBoolean": True}
    assert given["walking"] == {"valueBoolean": False}
    assert given["grip_note"] == {"valueString": "Jar lids"}
    assert given["note"] == {"valueString": "Tired"}
    assert answers["authored"] == "2026-03-05"


def test_fhir_check_ins_are_observations_of_their_day_with_only_the_answers(
    owner_client, patient, other_user
):
    """Unknown stays unknown: an unanswered question is no component, never a "no"."""
    DayLog.objects.create(
        user=patient, date=date(2026, 3, 6), sleep=4, caffeine=3, hard_exercise=False, note="Exams"
    )
    DayLog.objects.create(user=other_user, date=date(2026, 3, 6), caffeine=1)
    response = owner_client.get("/export/fhir.json?from=2026-03-01&to=2026-03-31")
    bundle = Bundle.model_validate_json(response.content)  # valid FHIR, parsed back
    check_ins = [
        e.resource
        for e in bundle.entry
        if e.resource.get_resource_type() == "Observation"
        and e.resource.code.text.startswith("Daily")
    ]
    assert len(check_ins) == 1
    (day,) = check_ins
    assert day.effectiveDateTime.isoformat() == "2026-03-06"
    assert day.category[0].coding[0].code == "survey"
    answers = {c.code.text: c for c in day.component}
    assert set(answers) == {"Sleep last night", "Caffeine drinks", "Hard exercise"}
    assert answers["Sleep last night"].valueString == "Under 5 h"
    assert answers["Hard exercise"].valueBoolean is False
    assert [n.text for n in day.note] == ["Exams"]


def test_fhir_export_is_the_owners_only_and_caps_the_period(owner_client, patient):
    stranger = UserFactory()
    EpisodeFactory(user=stranger, started_at=datetime(2026, 3, 4, tzinfo=UTC))
    bundle = fhir.bundle(
        stranger, fhir.insights.Period(date(2026, 1, 1), date(2026, 12, 31), stranger.profile.zone)
    )
    assert len(bundle.entry) == 2  # the stranger and their own episode only
    response = owner_client.get("/export/fhir.json?from=2010-01-01&to=2026-12-31")
    assert response.status_code == 400
    assert "at most 5 years" in response.text
    assert owner_client.get("/export/fhir.json?from=nope").status_code == 400


@pytest.mark.calendar
def test_fhir_export_defaults_to_the_last_52_weeks(owner_client, user):
    EpisodeFactory(user=user)
    EpisodeFactory(user=user, started_at=datetime.now(UTC) - timedelta(weeks=60))
    bundle = Bundle.model_validate_json(owner_client.get("/export/fhir.json").content)
    assert [e.resource.get_resource_type() for e in bundle.entry] == ["Patient", "Observation"]
    assert bundle.entry[0].resource.name is None  # no display name: no name at all


def test_share_fhir_is_the_links_period_without_notes_unless_asked(patient):
    _, token = links.create(patient, first=date(2026, 3, 1), last=date(2026, 3, 31), days=7)
    response = Client().get(f"/s/{token}/fhir.json")
    assert response["Cache-Control"] == "no-store"
    assert response["X-Robots-Tag"].startswith("noindex")
    bundle = Bundle.model_validate_json(response.content)
    observations = [
        e.resource for e in bundle.entry if e.resource.get_resource_type() == "Observation"
    ]
    assert len(observations) == 1
    assert observations[0].note is None
    assert "EPISODE-NOTE" not in response.text
    assert ShareOpening.objects.get().kind == "fhir"
    _, token = links.create(
        patient, first=date(2026, 3, 1), last=date(2026, 3, 31), days=7, include_notes=True
    )
    assert "EPISODE-NOTE" in Client().get(f"/s/{token}/fhir.json").text
