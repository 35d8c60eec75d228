"""
Forms the person fills in, as a Questionnaire (added once, the first time it is answered) and
one QuestionnaireResponse per filling, whose item texts are the Questionnaire's own.

A form is a `Form` of `Item`s; a section maps its model to {linkId: answer}. Answers to
"string" and "text" items are free text: they leave only when notes may (a link made without
"Include my notes" sends none), and a response left with no answer is not sent at all. An
unanswered item (None) is left out, never sent as "no".
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from diary.models import FUNCTION_TASKS, FunctionCheck
from diary.sharing.fhir.builder import Builder, urn

FREE_TEXT = ("string", "text")


@dataclass(frozen=True)
class Item:
    link_id: str
    text: str
    type: str  # "boolean", "string" (a line) or "text" (paragraphs)


@dataclass(frozen=True)
class Form:
    name: str  # the Questionnaire's URL ends with it; also the responses' identifier kind
    title: str
    items: tuple[Item, ...]

    @property
    def version(self) -> str:
        """Changes whenever an item does, so a clinic gets the new Questionnaire beside the old."""
        definition = "\n".join(f"{i.link_id}|{i.type}|{i.text}" for i in self.items)
        return hashlib.sha256(definition.encode()).hexdigest()[:12]


def questionnaire(builder: Builder, form: Form) -> tuple[str, dict]:
    url = builder.system(f"Questionnaire/{form.name}")
    return url, {
        "resourceType": "Questionnaire",
        "url": url,
        "version": form.version,
        "name": "".join(part.title() for part in form.name.split("-")),
        "title": form.title,
        "status": "active",
        "subjectType": ["Patient"],
        "item": [{"linkId": i.link_id, "text": i.text, "type": i.type} for i in form.items],
    }


def answer_value(builder: Builder, item: Item, value) -> dict | None:
    if value is None:
        return None
    if item.type in FREE_TEXT:
        text = builder.free_text(value)
        return {"valueString": text} if text else None
    return {"valueBoolean": value}


def add_response(
    builder: Builder, form: Form, value: str, answers: dict, authored: str | None = None
) -> None:
    """One filling of `form`, with its Questionnaire; nothing if no answer may leave."""
    items = [
        {"linkId": item.link_id, "text": item.text, "answer": [given]}
        for item in form.items
        if (given := answer_value(builder, item, answers.get(item.link_id)))
    ]
    if not items:
        return
    url, definition = questionnaire(builder, form)
    builder.post(
        definition,
        urn(url, form.version),
        f"url={url}&version={form.version}",
    )
    response = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{url}|{form.version}",
        "status": "completed",
        "subject": builder.subject(),
        **({"authored": authored} if authored else {}),
        "item": items,
    }
    builder.add(response, form.name, value)


FUNCTION_CHECK = Form(
    name="function-check",
    title="Function check: new or worse since the previous check",
    items=(
        *(
            item
            for name, task in FUNCTION_TASKS.items()
            for item in (
                Item(name, f"{task}: new or worse since the previous check?", "boolean"),
                Item(f"{name}_note", f"{task}: note", "string"),
            )
        ),
        Item("note", "Anything else", "text"),
    ),
)


def add_function_checks(builder: Builder) -> None:
    period = builder.period
    checks = FunctionCheck.objects.for_user(builder.user).filter(
        date__gte=period.first, date__lte=period.last
    )
    for check in checks.order_by("date"):
        answers = {item.link_id: getattr(check, item.link_id) for item in FUNCTION_CHECK.items}
        add_response(builder, FUNCTION_CHECK, str(check.uuid), answers, check.date.isoformat())


APPOINTMENT_NOTES = Form(
    name="appointment-notes",
    title="Notes for the appointment",
    items=(
        Item("medicines", "Medicines and supplements", "text"),
        Item("tests_done", "Tests already done", "text"),
        Item("questions", "Questions to ask", "text"),
    ),
)


def add_appointment_notes(builder: Builder) -> None:
    """
    The notes as they are now. They change over time, so the identifier is their content: the
    same notes sent twice add nothing, changed notes arrive as a new response.
    """
    profile = builder.profile
    answers = {item.link_id: getattr(profile, item.link_id) for item in APPOINTMENT_NOTES.items}
    content = "\n".join(f"{key}={text}" for key, text in answers.items())
    value = f"{builder.person}/{hashlib.sha256(content.encode()).hexdigest()[:16]}"
    add_response(builder, APPOINTMENT_NOTES, value, answers)
