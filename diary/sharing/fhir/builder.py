"""
The Bundle being built: a FHIR R4 `transaction` in which every resource is created only if the
clinic's system has none with its identifier yet (`request.ifNoneExist`), so sending the same
file twice, or two overlapping periods, adds nothing the second time.

Identifiers live under the instance's own URL (`https://<host>/fhir/<kind>`), with values that
never change for the same record: an episode's uuid, a check-in's person and date. The
resources point at each other by `urn:uuid` full URLs, derived from those identifiers, so the
same record has the same full URL in every file.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from diary import insights
from diary.models import Profile
from diary.sharing.fhir.codes import SURVEY


def urn(system: str, value: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{system}|{value}')}"


@dataclass
class Builder:
    """
    What every section needs: the person, the period, the instance's base URL, whether free
    text may be included, and the entries so far. A section is a function that adds entries.
    """

    profile: Profile
    period: insights.Period
    base: str
    notes: bool
    entries: list[dict] = field(default_factory=list)
    patient: str = ""
    # Full URLs already in the Bundle (a Questionnaire is added once, with its first answers).
    added: set[str] = field(default_factory=set)

    @property
    def user(self):
        return self.profile.user

    @property
    def person(self) -> str:
        """The stable id of the person, part of the identifier of each of their records."""
        return str(self.profile.uuid)

    def system(self, kind: str) -> str:
        return f"{self.base}/{kind}"

    def local_system(self, name: str) -> str:
        return f"{self.base}/CodeSystem/{name}"

    def local(self, name: str, code: str, text) -> dict:
        """
        A CodeableConcept in one of the instance's own code systems, with its text (in the
        file's language; the code never changes with it).
        """
        return {"coding": [{"system": self.local_system(name), "code": code}], "text": str(text)}

    def free_text(self, text: str) -> str | None:
        """`text` if it may leave (the owner's export, a link made with notes), else None."""
        return text if self.notes and text and text.strip() else None

    def subject(self) -> dict:
        return {"reference": self.patient}

    def add(self, resource: dict, kind: str, value: str) -> str:
        """Add `resource` with its identifier, created only if none exists; its full URL."""
        system = self.system(kind)
        identifier = {"system": system, "value": value}
        # QuestionnaireResponse has one identifier; every other resource here has a list.
        single = resource["resourceType"] == "QuestionnaireResponse"
        resource = {
            "resourceType": resource["resourceType"],
            "identifier": identifier if single else [identifier],
            **{k: v for k, v in resource.items() if k != "resourceType"},
        }
        return self.post(resource, urn(system, value), f"identifier={system}|{value}")

    def post(self, resource: dict, full_url: str, if_none_exist: str) -> str:
        if full_url in self.added:
            return full_url
        self.added.add(full_url)
        self.entries.append(
            {
                "fullUrl": full_url,
                "resource": resource,
                "request": {
                    "method": "POST",
                    "url": resource["resourceType"],
                    "ifNoneExist": if_none_exist,
                },
            }
        )
        return full_url

    def survey(self, code: dict, when: str, components: list[dict]) -> dict:
        """A self-reported Observation of the person (category "survey")."""
        return {
            "resourceType": "Observation",
            "status": "final",
            "category": [{"coding": [SURVEY], "text": _("Self-reported by the patient")}],
            "code": code,
            "subject": self.subject(),
            "effectiveDateTime": when,
            **({"component": components} if components else {}),
        }

    def bundle(self) -> dict:
        return {"resourceType": "Bundle", "type": "transaction", "entry": self.entries}
