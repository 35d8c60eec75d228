"""
The FHIR file a clinic's system takes in (/export/fhir.json): valid R4 by HL7's JSON Schema and
by fhir.resources' R4 models, a transaction that adds nothing when sent twice, standard codes
with their text, typed numbers, the twitch details, and item texts that match.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError

from diary.models import BodySite, DayLog, FunctionCheck
from diary.sharing.fhir.codes import AREAS
from tests.factories import EpisodeFactory, UserFactory
from tests.fhir_checks import (
    r4_bundle,
    reference_schema_errors,
    resources,
    schema_errors,
)

pytestmark = pytest.mark.django_db

URL = "/export/fhir.json?from=2026-03-01&to=2026-03-31"
BASE = "http://testserver/fhir"
SNOMED = "http://snomed.info/sct"


@pytest.fixture
def patient(user):
    user.email = "ada@example.org"
    user.save()
    user.profile.display_name = "Ada Example"
    user.profile.medicines = "Magnesium 200 mg"
    user.profile.save()
    EpisodeFactory(
        user=user,
        started_at=datetime(2026, 3, 3, 9, 15, tzinfo=UTC),
        sites=["calf-left", "eyelid-right", "tongue"],
        intensity=3,
        duration=timedelta(seconds=45),
        pattern="few",
        visible=True,
        stopped_with_movement="not_tried",
        context="rest",
        weakness=True,
        notes="After the long run",
    )
    EpisodeFactory(user=user, started_at=datetime(2026, 3, 10, 21, tzinfo=UTC), sites=["neck"])
    DayLog.objects.create(
        user=user,
        date=date(2026, 3, 3),
        sleep=4,
        caffeine=4,
        alcohol=0,
        stress="high",
        hard_exercise=True,
        new_medicine=True,
        medicine="Salbutamol",
        note="Exams week",
    )
    FunctionCheck.objects.create(
        user=user,
        date=date(2026, 3, 5),
        grip=True,
        grip_note="Jar lids",
        walking=False,
        note="Tired",
    )
    return user


def export(client, url=URL) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    return json.loads(response.content)


def test_fhir_file_is_valid_r4_by_the_hl7_schema_and_the_r4_models(owner_client, patient):
    response = owner_client.get(URL)
    assert response["Content-Type"] == "application/fhir+json; fhirVersion=4.0"
    data = json.loads(response.content)
    assert schema_errors(data) == []
    assert reference_schema_errors(data) == []
    bundle = r4_bundle(data)
    assert bundle.type == "transaction"
    kinds = [e.resource.resource_type for e in bundle.entry]
    assert kinds.count("Observation") == 3  # two episodes, one check-in
    assert {"Patient", "BodyStructure", "Questionnaire", "QuestionnaireResponse"} <= set(kinds)


def test_fhir_checks_catch_a_file_that_is_not_r4(owner_client, patient):
    """The validators above are not vacuous: one wrong element and both refuse the file."""
    data = export(owner_client)
    observation = resources(data, "Observation")[0]
    observation["status"] = "done"  # not an R4 observation status
    observation["valueFoo"] = 1  # no such element
    assert len(schema_errors(data)) >= 1
    with pytest.raises(ValidationError):
        r4_bundle(data)


def test_fhir_every_entry_is_created_only_if_the_clinic_has_none_yet(owner_client, patient):
    data = export(owner_client)
    full_urls = [e["fullUrl"] for e in data["entry"]]
    assert len(set(full_urls)) == len(full_urls)
    for entry in data["entry"]:
        resource, request = entry["resource"], entry["request"]
        assert entry["fullUrl"].startswith("urn:uuid:")
        assert request["method"] == "POST"
        assert request["url"] == resource["resourceType"]
        if resource["resourceType"] == "Questionnaire":
            assert request["ifNoneExist"] == f"url={resource['url']}&version={resource['version']}"
            continue
        identifier = resource["identifier"]
        (identifier,) = identifier if isinstance(identifier, list) else [identifier]
        assert identifier["system"].startswith(f"{BASE}/")
        assert request["ifNoneExist"] == f"identifier={identifier['system']}|{identifier['value']}"
    # Every reference inside the file points at an entry of the file.
    text = json.dumps(data)
    references = {part.split('"')[0] for part in text.split('"reference": "')[1:]}
    assert len(references) >= 5
    assert references <= set(full_urls)


def test_fhir_sending_twice_or_an_overlapping_period_names_the_same_records(owner_client, patient):
    first = owner_client.get(URL).content
    assert owner_client.get(URL).content == first
    march = {e["fullUrl"]: e["request"] for e in json.loads(first)["entry"]}
    wider = export(owner_client, "/export/fhir.json?from=2026-02-01&to=2026-04-30")
    for entry in wider["entry"]:
        if entry["fullUrl"] in march:
            assert entry["request"] == march[entry["fullUrl"]]
    assert set(march) <= {e["fullUrl"] for e in wider["entry"]}


def test_fhir_patient_is_named_by_a_stable_id_never_the_login(owner_client, patient):
    response = owner_client.get(URL)
    (person,) = resources(json.loads(response.content), "Patient")
    assert person["identifier"] == [
        {"system": f"{BASE}/patient", "value": str(patient.profile.uuid)}
    ]
    assert person["name"] == [{"text": "Ada Example"}]
    assert patient.username not in response.text
    assert "ada@example.org" not in response.text
    assert UserFactory().profile.uuid != patient.profile.uuid


def test_fhir_twitch_is_coded_snomed_with_its_sites_and_sides(owner_client, patient):
    data = export(owner_client)
    observation = resources(data, "Observation")[0]
    assert observation["code"]["coding"] == [
        {"system": SNOMED, "code": "82470000", "display": "Muscle fasciculation"}
    ]
    assert observation["code"]["text"] == "Muscle twitching"
    assert observation["effectiveDateTime"] == "2026-03-03T09:15:00+00:00"
    # Head to feet: the eyelid is the bodySite, the tongue and the calf further components.
    site = observation["bodySite"]
    assert (site["coding"][0]["code"], site["text"]) == ("80243003", "Right eyelid")
    extra = [c for c in observation["component"] if c["code"]["coding"][0]["code"] == "39111-0"]
    assert [c["valueCodeableConcept"]["text"] for c in extra] == ["Tongue", "Left calf"]
    assert [c["valueCodeableConcept"]["coding"][0]["code"] for c in extra] == [
        "21974007",
        "53840002",
    ]
    structures = {e["fullUrl"]: e["resource"] for e in data["entry"]}
    sides = {}
    for concept in [site, *(c["valueCodeableConcept"] for c in extra)]:
        (link,) = concept["extension"]
        assert link["url"] == "http://hl7.org/fhir/StructureDefinition/bodySite"
        structure = structures[link["valueReference"]["reference"]]
        assert structure["location"]["coding"] == concept["coding"]
        sides[structure["description"]] = [
            c["coding"][0]["code"] for c in structure.get("locationQualifier", [])
        ]
    assert sides == {"Right eyelid": ["419465000"], "Tongue": [], "Left calf": ["419161000"]}


def test_fhir_twitch_details_are_components_only_when_answered(owner_client, patient):
    detailed, plain = resources(export(owner_client), "Observation")[:2]

    def by_code(observation):
        return {
            c["code"]["coding"][0]["code"]: c
            for c in observation["component"]
            if c["code"]["coding"][0]["system"] == f"{BASE}/CodeSystem/episode"
        }

    details = by_code(detailed)
    assert details["pattern"]["valueCodeableConcept"]["text"] == "A few twitches"
    assert details["visible"]["valueBoolean"] is True
    assert details["stopped_with_movement"]["valueCodeableConcept"]["text"] == "Didn't try"
    assert details["context"]["valueCodeableConcept"]["text"] == "At rest"
    assert details["symptom"]["valueCodeableConcept"]["text"] == "Weakness"
    for component in details.values():
        assert component["code"]["text"]
    # Nothing answered: only the duration; an unanswered question is left out, not "no".
    assert set(by_code(plain)) == {"duration"}


def test_fhir_seen_under_the_skin_no_is_sent_as_no(owner_client, user):
    EpisodeFactory(user=user, started_at=datetime(2026, 3, 3, 9, tzinfo=UTC), visible=False)
    [observation] = resources(export(owner_client), "Observation")
    [seen] = [c for c in observation["component"] if c["code"]["coding"][0]["code"] == "visible"]
    assert seen["valueBoolean"] is False


def test_fhir_numbers_are_typed_with_ucum_units(owner_client, patient):
    data = export(owner_client)
    twitch, _, check_in = resources(data, "Observation")
    details = {c["code"]["coding"][0]["code"]: c for c in twitch["component"]}
    assert details["duration"]["valueQuantity"] == {
        "value": 45,
        "unit": "s",
        "system": "http://unitsofmeasure.org",
        "code": "s",
    }
    assert details["intensity"]["valueInteger"] == 3
    answers = {c["code"]["coding"][0]["code"]: c for c in check_in["component"]}
    assert answers["caffeine"]["valueQuantity"] == {
        "value": 4,
        "comparator": ">=",
        "unit": "drinks",
        "system": "http://unitsofmeasure.org",
        "code": "{drinks}",
    }
    assert answers["alcohol"]["valueQuantity"]["value"] == 0
    assert "comparator" not in answers["alcohol"]["valueQuantity"]
    assert answers["sleep"]["valueRange"] == {
        "high": {"value": 5, "unit": "h", "system": "http://unitsofmeasure.org", "code": "h"}
    }
    assert answers["hard_exercise"]["valueBoolean"] is True
    assert answers["stress"]["valueCodeableConcept"]["text"] == "High"
    assert "unwell" not in answers  # not answered: left out
    strings = [key for key, c in answers.items() if "valueString" in c]
    assert strings == ["medicine"]  # only the free text is a string


def test_fhir_sleep_bands_are_ranges_of_hours(owner_client, user):
    for day, band in enumerate([5, 8], start=1):
        DayLog.objects.create(user=user, date=date(2026, 3, day), sleep=band)
    ranges = [
        o["component"][0]["valueRange"] for o in resources(export(owner_client), "Observation")
    ]
    assert [(r.get("low", {}).get("value"), r.get("high", {}).get("value")) for r in ranges] == [
        (5, 6),
        (8, None),
    ]


def test_fhir_answers_carry_the_questionnaires_item_texts(owner_client, patient):
    data = export(owner_client)
    questionnaires = {q["url"] + "|" + q["version"]: q for q in resources(data, "Questionnaire")}
    responses = resources(data, "QuestionnaireResponse")
    assert len(responses) == 2  # the function check and the appointment notes
    for response in responses:
        texts = {i["linkId"]: i["text"] for i in questionnaires[response["questionnaire"]]["item"]}
        for item in response["item"]:
            assert item["text"] == texts[item["linkId"]]
    check = next(r for r in responses if r["authored"] == "2026-03-05")
    given = {item["linkId"]: item["answer"][0] for item in check["item"]}
    assert given["grip"] == {"valueBoolean": True}
    assert given["walking"] == {"valueBoolean": False}
    assert given["grip_note"] == {"valueString": "Jar lids"}
    assert "speech" not in given  # not answered: left out, never sent as "no"


def test_fhir_every_body_site_has_a_snomed_code():
    """A site added to the catalogue without a code would break every file that names it."""
    areas = set(BodySite.objects.values_list("area", flat=True))
    assert len(areas) == 23
    assert areas == set(AREAS)


def test_fhir_export_is_the_owners_only(owner_client, patient):
    stranger = UserFactory()
    EpisodeFactory(user=stranger, started_at=datetime(2026, 3, 4, tzinfo=UTC), notes="STRANGER")
    response = owner_client.get(URL)
    assert "STRANGER" not in response.text
    assert len(resources(json.loads(response.content), "Observation")) == 3


def test_fhir_export_refuses_a_bad_period_with_a_reason(owner_client):
    response = owner_client.get("/export/fhir.json?from=2010-01-01&to=2026-12-31")
    assert response.status_code == 400
    assert "at most 5 years" in response.text
    assert owner_client.get("/export/fhir.json?from=nope").status_code == 400


@pytest.mark.calendar
def test_fhir_export_defaults_to_the_last_52_weeks(owner_client, user):
    EpisodeFactory(user=user)
    EpisodeFactory(user=user, started_at=datetime.now(UTC) - timedelta(weeks=60))
    data = export(owner_client, "/export/fhir.json")
    assert len(resources(data, "Observation")) == 1
    assert "name" not in resources(data, "Patient")[0]  # no display name: no name at all


def test_fhir_export_queries_do_not_grow_with_the_diary(
    owner_client, patient, django_assert_max_num_queries
):
    for day in range(11, 31):
        EpisodeFactory(
            user=patient,
            started_at=datetime(2026, 3, day, 8, tzinfo=UTC),
            sites=["calf-left", "calf-right"],
        )
    with django_assert_max_num_queries(12):
        data = export(owner_client)
    assert len(resources(data, "Observation")) == 23
