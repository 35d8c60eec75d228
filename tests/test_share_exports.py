"""The QR code on a shared PDF (decoded from the rendered page) and a share link's FHIR file."""

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
from pypdf import PdfReader

from diary.models import FunctionCheck
from diary.models.checkins import DayLog
from diary.models.sharing import ShareLink, ShareOpening
from diary.sharing import links
from tests.factories import EpisodeFactory
from tests.fhir_checks import r4_bundle, reference_schema_errors, resources, schema_errors

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


@pytest.mark.parametrize("days", [1, 7, 30])
def test_add_a_link_to_the_pdf_uses_the_expiry_chosen_beside_it(
    owner_client, patient, tmp_path, days
):
    response = owner_client.post(
        "/report/share/",
        {"from": "2026-03-01", "to": "2026-08-31", "days": str(days), "pdf": "1"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    link = ShareLink.objects.get(user=patient)
    assert link.expires_at - link.created_at == timedelta(days=days)
    (url,) = qr_links(response.content, tmp_path)
    token = re.fullmatch(r"http://testserver/s/([A-Za-z0-9_-]+)/", url).group(1)
    assert links.hash_token(token) == link.token_hash
    expiry = link.expires_at.astimezone(patient.profile.zone)
    page1 = " ".join(page_text(response.content).split())
    assert f"The link works until {expiry.day} {expiry:%b %Y, %H:%M}" in page1


def test_add_a_link_to_the_pdf_without_a_length_is_refused(owner_client, patient):
    response = owner_client.post(
        "/report/share/", {"from": "2026-03-01", "to": "2026-08-31", "pdf": "1"}, follow=True
    )
    assert not ShareLink.objects.exists()
    assert "The link was not made" in response.text


def test_plain_pdf_has_no_qr_code(owner_client, patient, tmp_path):
    response = owner_client.get("/report.pdf?from=2026-03-01&to=2026-08-31")
    assert qr_links(response.content, tmp_path) == []


# Every kind of free text a person can write that reaches the FHIR file, with the marker the
# fixtures write there. A link made without "Include my notes" sends none of them.
FREE_TEXT = {
    "episode note": "EPISODE-NOTE",
    "check-in note": "CHECKIN-NOTE",
    "check-in medicine name": "MEDICINE-NAME",
    "function-check task note": "TASK-NOTE",
    "function-check note": "CHECK-NOTE",
    "appointment notes": "MEDICINE-NOTE",
}


@pytest.fixture
def written(patient):
    """The patient's diary with every kind of free text in March (the link's period)."""
    DayLog.objects.create(
        user=patient,
        date=date(2026, 3, 6),
        caffeine=2,
        new_medicine=True,
        medicine="MEDICINE-NAME",
        note="CHECKIN-NOTE",
    )
    FunctionCheck.objects.create(
        user=patient, date=date(2026, 3, 7), speech=True, speech_note="TASK-NOTE", note="CHECK-NOTE"
    )
    return patient


def share_fhir(user, *, include_notes: bool):
    _, token = links.create(
        user, first=date(2026, 3, 1), last=date(2026, 3, 31), days=7, include_notes=include_notes
    )
    return Client().get(f"/s/{token}/fhir.json")


@pytest.mark.parametrize("kind", FREE_TEXT)
def test_share_fhir_without_notes_carries_no_free_text(written, kind):
    response = share_fhir(written, include_notes=False)
    assert response.status_code == 200
    assert FREE_TEXT[kind] not in response.text


@pytest.mark.parametrize("kind", FREE_TEXT)
def test_share_fhir_with_notes_carries_the_free_text(written, kind):
    assert FREE_TEXT[kind] in share_fhir(written, include_notes=True).text


@pytest.mark.parametrize("include_notes", [False, True])
def test_share_fhir_is_valid_r4_with_and_without_notes(written, include_notes):
    response = share_fhir(written, include_notes=include_notes)
    assert response["Content-Type"] == "application/fhir+json; fhirVersion=4.0"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Robots-Tag"].startswith("noindex")
    data = json.loads(response.content)
    assert schema_errors(data) == []
    assert reference_schema_errors(data) == []
    bundle = r4_bundle(data)
    assert bundle.type == "transaction"
    # Without notes, the answers that are not free text still arrive.
    (check,) = [
        r for r in resources(data, "QuestionnaireResponse") if r.get("authored") == "2026-03-07"
    ]
    given = {item["linkId"]: item["answer"] for item in check["item"]}
    assert given["speech"] == [{"valueBoolean": True}]
    assert ("speech_note" in given) is include_notes
    (check_in,) = [o for o in resources(data, "Observation") if "T" not in o["effectiveDateTime"]]
    answers = {c["code"]["coding"][0]["code"] for c in check_in["component"]}
    assert answers == (
        {"caffeine", "new_medicine", "medicine"} if include_notes else {"caffeine", "new_medicine"}
    )


def test_share_fhir_is_the_links_period_and_counts_an_opening(patient):
    response = share_fhir(patient, include_notes=False)
    observations = resources(json.loads(response.content), "Observation")
    assert [o["effectiveDateTime"][:10] for o in observations] == ["2026-03-03"]
    assert "note" not in observations[0]
    assert ShareOpening.objects.get().kind == "fhir"
