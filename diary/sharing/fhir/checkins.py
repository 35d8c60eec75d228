"""
Daily check-ins as Observations of their day: one component per answered question, in its own
type (hours slept as a range in h, drinks as a count, yes/no as a boolean, stress as a coded
answer); an unanswered question is left out (unknown), never sent as "no". Which medicine and
the day's note are free text: only when notes may leave.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from diary.models.checkins import QUESTIONS, DayLog, Drinks3, Drinks4, Sleep, Stress
from diary.sharing.fhir.builder import Builder
from diary.sharing.fhir.codes import CHECK_IN, UCUM

HOURS = {"unit": "h", "system": UCUM, "code": "h"}
DRINKS = {"unit": "drinks", "system": UCUM, "code": "{drinks}"}
# The top answer of each drinks question means "that many or more".
MOST_DRINKS = {"caffeine": Drinks4.FOUR_PLUS, "alcohol": Drinks3.THREE_PLUS}


def sleep_range(band: int) -> dict:
    """A sleep band as hours: "Under 5 h" is up to 5, "5–6 h" 5 to 6, "8 h or more" from 8."""
    low = None if band == Sleep.UNDER_5 else band
    high = None if band == Sleep.FROM_8 else (5 if band == Sleep.UNDER_5 else band + 1)
    return {
        **({"low": {"value": low, **HOURS}} if low is not None else {}),
        **({"high": {"value": high, **HOURS}} if high is not None else {}),
    }


def answer(builder: Builder, name: str, value) -> dict:
    """The value[x] of one answered question."""
    if name == "sleep":
        return {"valueRange": sleep_range(value)}
    if name in MOST_DRINKS:
        quantity = {"value": value, **DRINKS}
        if value == MOST_DRINKS[name]:
            quantity["comparator"] = ">="
        return {"valueQuantity": quantity}
    if name == "stress":
        return {"valueCodeableConcept": builder.local("stress", value, Stress(value).label)}
    return {"valueBoolean": value}


def observation(builder: Builder, day_log: DayLog) -> dict:
    components = [
        {"code": builder.local("check-in", name, question.text), **answer(builder, name, value)}
        for name, question in QUESTIONS.items()
        if (value := getattr(day_log, name)) is not None
    ]
    if medicine := builder.free_text(day_log.medicine):
        components.append(
            {
                "code": builder.local("check-in", "medicine", _("Which medicine")),
                "valueString": medicine,
            }
        )
    resource = builder.survey(
        builder.local("check-in", "check-in", CHECK_IN), day_log.date.isoformat(), components
    )
    if note := builder.free_text(day_log.note):
        resource["note"] = [{"text": note}]
    return resource


def add_check_ins(builder: Builder) -> None:
    period = builder.period
    check_ins = DayLog.objects.for_user(builder.user).on_dates(period.first, period.last)
    for day_log in check_ins.order_by("date"):
        value = f"{builder.person}/{day_log.date.isoformat()}"
        builder.add(observation(builder, day_log), "check-in", value)
