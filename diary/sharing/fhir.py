"""
The FHIR R4 export of a period: a `collection` Bundle a clinic's system can import.

- one Patient, with the display name only (no login name, no e-mail),
- one Observation per episode (self-reported: category "survey"), coded as fasciculation,
  with its local start time and offset, the body sites as text, duration and intensity as
  components and the note as an annotation,
- the function checks as QuestionnaireResponses answering the Questionnaire of the tasks,
  which is in the Bundle too.

Built with fhir.resources' R4B models (FHIR 4.3.0, the R4 series: the resources used here
are the same as in 4.0.1), which validate every element as it is built: a bad export raises
instead of leaving the server.

- each daily check-in as an Observation of that day (self-reported), one component per
  answered question; an unanswered question is left out (unknown), never sent as "no".
"""

from __future__ import annotations

import uuid

from django.db.models import Prefetch
from fhir.resources.R4B.annotation import Annotation
from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.observation import Observation, ObservationComponent
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.questionnaire import Questionnaire, QuestionnaireItem
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer,
)
from fhir.resources.R4B.reference import Reference

from diary import insights
from diary.models import FUNCTION_TASKS, BodySite, Episode, FunctionCheck, Side
from diary.models.checkins import QUESTIONS, DayLog

SNOMED = "http://snomed.info/sct"
# SNOMED CT 82470000 |Fasciculation (finding)|: muscle twitching as a clinical finding.
FASCICULATION = Coding(system=SNOMED, code="82470000", display="Fasciculation")
SURVEY = CodeableConcept(
    coding=[
        Coding(
            system="http://terminology.hl7.org/CodeSystem/observation-category",
            code="survey",
            display="Survey",
        )
    ],
    text="Self-reported by the patient",
)
UCUM = "http://unitsofmeasure.org"
MEDIA_TYPE = "application/fhir+json"
QUESTIONNAIRE_URL = "urn:uuid:6f1d0c2e-7b1a-4c55-9e61-0d5b7f2f6a10"  # fixed: the same every export


def _urn() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def patient(user) -> Patient:
    name = user.profile.display_name.strip()
    return Patient(name=[HumanName(text=name)] if name else None)


def site_text(episode: Episode) -> str:
    """ "Left calf (left side), Right eyelid (right side)": the names with their laterality."""
    sides = dict(Side.choices)
    return ", ".join(
        f"{site.name} ({sides[site.side].lower()}{' side' if site.side != 'midline' else ''})"
        for site in episode.sites.all()
    )


def observation(episode: Episode, subject: str, *, notes: bool = True) -> Observation:
    components = [
        ObservationComponent(
            code=CodeableConcept(text="Duration"),
            valueQuantity=Quantity(
                value=int(episode.duration.total_seconds()), unit="s", system=UCUM, code="s"
            ),
        )
    ]
    if episode.intensity is not None:
        components.append(
            ObservationComponent(
                code=CodeableConcept(text="Intensity, self-rated 1 (faint) to 5 (strong)"),
                valueInteger=episode.intensity,
            )
        )
    return Observation(
        identifier=[{"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{episode.uuid}"}],
        status="final",
        category=[SURVEY],
        code=CodeableConcept(coding=[FASCICULATION], text="Muscle twitching"),
        subject=Reference(reference=subject),
        effectiveDateTime=episode.local_started_at.isoformat(),
        bodySite=CodeableConcept(text=site_text(episode)) if episode.sites.all() else None,
        component=components,
        note=[Annotation(text=episode.notes)] if notes and episode.notes.strip() else None,
    )


def _answer(day_log: DayLog, name: str) -> dict:
    """The value[x] of one answered question, in the field's own type."""
    value = getattr(day_log, name)
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        label = day_log._meta.get_field(name).choices
        return {"valueString": dict(label)[value]} if label else {"valueInteger": value}
    return {"valueString": str(value)}


def check_in_observation(day_log: DayLog, subject: str) -> Observation:
    """A day's check-in: what the person answered about that day's exposures, nothing else."""
    components = [
        ObservationComponent(code=CodeableConcept(text=question.text), **_answer(day_log, name))
        for name, question in QUESTIONS.items()
        if getattr(day_log, name) is not None
    ]
    notes = [text for text in (day_log.medicine, day_log.note) if text.strip()]
    return Observation(
        status="final",
        category=[SURVEY],
        code=CodeableConcept(text="Daily check-in: sleep, caffeine, stress, exercise and more"),
        subject=Reference(reference=subject),
        effectiveDateTime=day_log.date.isoformat(),
        component=components or None,
        note=[Annotation(text=text) for text in notes] or None,
    )


def questionnaire() -> Questionnaire:
    items = []
    for name, task in FUNCTION_TASKS.items():
        items.append(QuestionnaireItem(linkId=name, text=f"{task}: new or worse?", type="boolean"))
        items.append(QuestionnaireItem(linkId=f"{name}_note", text=f"{task}: note", type="string"))
    items.append(QuestionnaireItem(linkId="note", text="Anything else", type="text"))
    return Questionnaire(
        url=QUESTIONNAIRE_URL,
        name="TwitchlogFunctionCheck",
        title="Function check: new or worse since the previous check",
        status="active",
        subjectType=["Patient"],
        item=items,
    )


def response(check: FunctionCheck, subject: str) -> QuestionnaireResponse:
    items = []
    for name, task in FUNCTION_TASKS.items():
        answer = QuestionnaireResponseItemAnswer(valueBoolean=getattr(check, name))
        items.append(QuestionnaireResponseItem(linkId=name, text=task, answer=[answer]))
        if note := getattr(check, f"{name}_note"):
            answer = QuestionnaireResponseItemAnswer(valueString=note)
            items.append(QuestionnaireResponseItem(linkId=f"{name}_note", answer=[answer]))
    if check.note:
        answer = QuestionnaireResponseItemAnswer(valueString=check.note)
        items.append(QuestionnaireResponseItem(linkId="note", answer=[answer]))
    return QuestionnaireResponse(
        identifier={"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{check.uuid}"},
        questionnaire=QUESTIONNAIRE_URL,
        status="completed",
        subject=Reference(reference=subject),
        authored=check.date.isoformat(),
        item=items,
    )


def bundle(user, period: insights.Period, *, notes: bool = True) -> Bundle:
    """
    The export of `user`'s `period` (local dates), validated as it is built. `notes=False`
    (a share link without "include my notes") leaves the episodes' notes out.
    """
    subject = _urn()
    entries = [BundleEntry(fullUrl=subject, resource=patient(user))]
    episodes = (
        Episode.objects.for_user(user)
        .in_range(period.start, period.end)
        .order_by("started_at", "id")
        .prefetch_related(Prefetch("sites", BodySite.objects.order_by("sort_order")))
    )
    entries += [
        BundleEntry(fullUrl=_urn(), resource=observation(episode, subject, notes=notes))
        for episode in episodes
    ]
    checks = (
        FunctionCheck.objects.for_user(user)
        .filter(date__gte=period.first, date__lte=period.last)
        .order_by("date")
    )
    if checks:
        entries.append(BundleEntry(fullUrl=QUESTIONNAIRE_URL, resource=questionnaire()))
        entries += [BundleEntry(fullUrl=_urn(), resource=response(c, subject)) for c in checks]
    check_ins = DayLog.objects.for_user(user).on_dates(period.first, period.last).order_by("date")
    entries += [
        BundleEntry(fullUrl=_urn(), resource=check_in_observation(day_log, subject))
        for day_log in check_ins
    ]
    return Bundle(type="collection", entry=entries)


def filename(period: insights.Period) -> str:
    return f"twitchlog-{period.first:%Y-%m-%d}_{period.last:%Y-%m-%d}.fhir.json"
