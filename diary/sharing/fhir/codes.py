"""
The code tables of the FHIR file: standard codes where one exists and could be checked, each
with the text a person reads, and the local codes (a code system under the instance's own URL)
for what no standard code covers, such as the 1-5 strength a person gives a twitch.

Sources of the standard codes: the SNOMED International IPS terminology (fasciculation), DICOM
PS3.16's anatomic regions (the body sites), HL7 FHIR R4's value sets (laterality) and LOINC
(body site as a component).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# R4's own extension pointing a body site at a BodyStructure (context: any element).
BODY_SITE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/bodySite"

# SNOMED CT 82470000, "Muscle fasciculation" (finding): a twitch as the person felt it.
FASCICULATION = {"system": SNOMED, "code": "82470000", "display": "Muscle fasciculation"}
SURVEY = {"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}
# LOINC 39111-0 "Body site": a second, third... site of one twitch, as a component.
BODY_SITE = {"system": LOINC, "code": "39111-0", "display": "Body site"}

# SNOMED CT body structures for the catalogue's areas (BodySite.area): one code per area, the
# side given by the BodyStructure's location qualifier. Where SNOMED has no concept as narrow as
# the area (upper back, shin, throat), the nearest wider one; the text always names the site.
AREAS: dict[str, tuple[str, str]] = {
    "eyelid": ("80243003", "Eyelid"),
    "face": ("89545001", "Face"),
    "lips": ("48477009", "Lip"),
    "tongue": ("21974007", "Tongue"),
    "jaw": ("661005", "Jaw region"),
    "throat": ("54066008", "Pharyngeal structure"),
    "neck": ("45048000", "Neck"),
    "shoulder": ("16982005", "Shoulder"),
    "upper-arm": ("40983000", "Upper arm"),
    "forearm": ("14975008", "Forearm"),
    "hand": ("85562004", "Hand"),
    "thumb": ("76505004", "Thumb"),
    "fingers": ("7569003", "Finger"),
    "chest": ("78904004", "Chest wall"),
    "abdomen": ("113345001", "Abdominal structure"),
    "upper-back": ("77568009", "Back"),
    "lower-back": ("52612000", "Lumbar region"),
    "buttock": ("46862004", "Buttock"),
    "thigh": ("68367000", "Thigh"),
    "shin": ("30021000", "Lower leg"),
    "calf": ("53840002", "Calf of leg"),
    "foot": ("56459004", "Foot"),
    "toes": ("29707007", "Toe"),
}

# R4's BodyStructure.locationQualifier codes for a side (SNOMED CT); a midline site has none.
SIDES: dict[str, dict] = {
    "left": {"system": SNOMED, "code": "419161000", "display": "Unilateral left"},
    "right": {"system": SNOMED, "code": "419465000", "display": "Unilateral right"},
}

# Local codes: field or answer -> the text a clinician reads. Their code system is
# `<instance>/fhir/CodeSystem/<name>` (see Builder.local_system).
EPISODE_DETAILS: dict[str, Promise] = {
    "duration": gettext_lazy("Duration"),
    "intensity": gettext_lazy(
        "Strength, self-rated from 1 (barely noticeable) to 5 (very strong or visible)"
    ),
    "pattern": gettext_lazy("Pattern"),
    "visible": gettext_lazy("Seen under the skin"),
    "stopped_with_movement": gettext_lazy("Stopped when the muscle was moved"),
    "context": gettext_lazy("What the person was doing"),
    "symptom": gettext_lazy("Also felt in the same area"),
}
CHECK_IN = gettext_lazy("Daily check-in: sleep, caffeine, stress, exercise and more")
