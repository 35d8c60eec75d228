"""
The FHIR R4 (4.0.1) file of a period, for a clinic's system: a `transaction` Bundle whose
every entry is created only if the clinic has none with its identifier yet (see builder.py),
so sending it twice adds nothing.

- the Patient: an identifier under the instance's own URL (the profile's uuid: never the login
  name or e-mail) and the display name if one is given,
- episodes.py: each twitch as an Observation coded SNOMED CT "Muscle fasciculation", with its
  body sites (SNOMED CT body structures, the side as a BodyStructure qualifier) and details,
- checkins.py: each daily check-in as an Observation of its day,
- questionnaires.py: the function checks, "About your twitching" and the appointment notes,
  as QuestionnaireResponses to their Questionnaires,
- codes.py: the code tables.

The texts a person reads (CodeableConcept.text, the questionnaires' items, our own codes'
displays) are in the active language, which the Bundle names (`language`): the owner's, or a
share link's. Codes, identifiers and URLs never change with it; SNOMED CT, LOINC and HL7
displays stay as their code systems give them.

`notes=False` (a share link made without "Include my notes") leaves out every piece of free
text: episode notes, check-in notes and medicine names, function-check notes, appointment notes,
and what was typed "About your twitching" (its chosen answers still go).
A new section is a function `add_…(builder)` appended to SECTIONS.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from diary import insights
from diary.lib import languages
from diary.sharing.fhir.builder import Builder, urn
from diary.sharing.fhir.checkins import add_check_ins
from diary.sharing.fhir.episodes import add_episodes
from diary.sharing.fhir.questionnaires import (
    add_about_twitching,
    add_appointment_notes,
    add_function_checks,
)

# The media type with R4's version parameter (major.minor, as FHIR's HTTP page specifies).
MEDIA_TYPE = "application/fhir+json; fhirVersion=4.0"

SECTIONS: list[Callable[[Builder], None]] = [
    add_episodes,
    add_check_ins,
    add_function_checks,
    add_about_twitching,
    add_appointment_notes,
]


def base_url(site: str) -> str:
    """The instance's FHIR naming base from its root URL ("https://twitchlog.example/")."""
    return site.rstrip("/") + "/fhir"


def add_patient(builder: Builder) -> None:
    system, value = builder.system("patient"), builder.person
    builder.patient = urn(system, value)
    name = builder.profile.display_name.strip()
    patient = {"resourceType": "Patient", **({"name": [{"text": name}]} if name else {})}
    builder.add(patient, "patient", value)


def bundle(user, period: insights.Period, *, site: str, notes: bool = True) -> dict:
    """The file for `user`'s `period` (local dates); `site` is the instance's root URL."""
    builder = Builder(user.profile, period, base_url(site), notes)
    add_patient(builder)
    for section in SECTIONS:
        section(builder)
    return {**builder.bundle(), "language": bcp47(languages.current())}


def bcp47(code: str) -> str:
    """Django's "pt-br" as BCP 47 writes it: "pt-BR"."""
    lang, _sep, region = code.partition("-")
    return f"{lang}-{region.upper()}" if region else lang


def serialize(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def filename(period: insights.Period) -> str:
    return f"twitchlog-{period.first:%Y-%m-%d}_{period.last:%Y-%m-%d}.fhir.json"
