"""
Forms the person fills in, as a Questionnaire (added once, the first time it is answered) and
one QuestionnaireResponse per filling, whose item texts are the Questionnaire's own.

A form is a `Form` of `Item`s; a section maps its model to {linkId: answer}. Answers to
"string" and "text" items are free text: they leave only when notes may (a link made without
"Include my notes" sends none), and a response left with no answer is not sent at all. An
unanswered item (None, "" or an empty list) is left out, never sent as "no". A "choice" item
lists its answers (codes in a code system under the instance's URL, with their text); one that
`repeats` takes a list. A "date" item takes a partial date ("2026-09", "2026").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from diary.models import FUNCTION_TASKS, FunctionCheck, OnsetContext, WeightChange, YesNoNotSure
from diary.sharing.fhir.builder import Builder, urn

FREE_TEXT = ("string", "text")


@dataclass(frozen=True)
class Item:
    link_id: str
    text: Promise | str  # in the file's language (str() when written)
    type: str  # "boolean", "string" (a line), "text" (paragraphs), "date" or "choice"
    options: tuple[tuple[str, str], ...] = ()  # a choice's (code, text)
    repeats: bool = False  # a choice with any number of answers


@dataclass(frozen=True)
class Form:
    name: str  # the Questionnaire's URL ends with it; also the responses' identifier kind
    title: Promise | str
    items: tuple[Item, ...]

    @property
    def version(self) -> str:
        """
        Changes whenever an item does (its words in another language too), so a clinic gets
        the new Questionnaire beside the old.
        """
        definition = "\n".join(
            f"{i.link_id}|{i.type}|{i.text}|{tuple((c, str(t)) for c, t in i.options)}|{i.repeats}"
            if i.options
            else f"{i.link_id}|{i.type}|{i.text}"
            for i in self.items
        )
        return hashlib.sha256(definition.encode()).hexdigest()[:12]


def coding(builder: Builder, form: Form, code: str, text: str) -> dict:
    """An answer of a choice item, in the form's own code system."""
    return {
        "system": builder.local_system(f"{form.name}-answers"),
        "code": code,
        "display": str(text),
    }


def definition_item(builder: Builder, form: Form, item: Item) -> dict:
    found = {"linkId": item.link_id, "text": str(item.text), "type": item.type}
    if item.repeats:
        found["repeats"] = True
    if item.options:
        found["answerOption"] = [
            {"valueCoding": coding(builder, form, code, text)} for code, text in item.options
        ]
    return found


def questionnaire(builder: Builder, form: Form) -> tuple[str, dict]:
    url = builder.system(f"Questionnaire/{form.name}")
    return url, {
        "resourceType": "Questionnaire",
        "url": url,
        "version": form.version,
        "name": "".join(part.title() for part in form.name.split("-")),
        "title": str(form.title),
        "status": "active",
        "subjectType": ["Patient"],
        "item": [definition_item(builder, form, i) for i in form.items],
    }


def answer_values(builder: Builder, form: Form, item: Item, value) -> list[dict]:
    """The answers to `item` that may leave: none for an unanswered one (never a "no")."""
    if value is None or value == "" or value == []:
        return []
    if item.type in FREE_TEXT:
        text = builder.free_text(value)
        return [{"valueString": text}] if text else []
    if item.type == "date":
        return [{"valueDate": value}]
    if item.type == "choice":
        texts = dict(item.options)
        chosen = value if item.repeats else [value]
        return [{"valueCoding": coding(builder, form, code, texts[code])} for code in chosen]
    return [{"valueBoolean": value}]


def add_response(
    builder: Builder, form: Form, value: str, answers: dict, authored: str | None = None
) -> None:
    """One filling of `form`, with its Questionnaire; nothing if no answer may leave."""
    items = [
        {"linkId": item.link_id, "text": str(item.text), "answer": given}
        for item in form.items
        if (given := answer_values(builder, form, item, answers.get(item.link_id)))
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
    title=_("Function check: new or worse since the previous check"),
    items=(
        *(
            item
            for name, task in FUNCTION_TASKS.items()
            for item in (
                Item(
                    name,
                    format_lazy(_("{task}: new or worse since the previous check?"), task=task),
                    "boolean",
                ),
                Item(f"{name}_note", format_lazy(_("{task}: note"), task=task), "string"),
            )
        ),
        Item("note", _("Anything else"), "text"),
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
    title=_("Notes for the appointment"),
    items=(Item("questions", _("Questions to ask"), "text"),),
)


def content_value(builder: Builder, answers: dict) -> str:
    """
    The identifier of answers kept as they are now. They change over time, so it is their
    content: the same answers sent twice add nothing, changed ones arrive as a new response.
    """
    content = "\n".join(f"{key}={text}" for key, text in answers.items())
    return f"{builder.person}/{hashlib.sha256(content.encode()).hexdigest()[:16]}"


def add_appointment_notes(builder: Builder) -> None:
    profile = builder.profile
    answers = {item.link_id: getattr(profile, item.link_id) for item in APPOINTMENT_NOTES.items}
    add_response(builder, APPOINTMENT_NOTES, content_value(builder, answers), answers)


ABOUT_TWITCHING = Form(
    name="about-twitching",
    title=_("About the twitching"),
    items=(
        Item("started", _("When the twitching began"), "date"),
        Item("started_not_sure", _("Not sure when the twitching began"), "boolean"),
        Item(
            "onset_context",
            _("What was going on when it began"),
            "choice",
            options=tuple(OnsetContext.choices),
            repeats=True,
        ),
        Item("onset_note", _("Anything else going on when it began"), "text"),
        Item("better_with", _("What makes it better"), "text"),
        Item("weight_change", _("Weight since it began"), "choice", tuple(WeightChange.choices)),
        Item(
            "relatives",
            _("Close relatives with a nerve or muscle condition"),
            "choice",
            tuple(YesNoNotSure.choices),
        ),
        Item("relatives_note", _("Which relatives, and which condition"), "text"),
        Item("medicines", _("Medicines and supplements"), "text"),
        Item("tests_emg", _("EMG: when, and what the patient was told"), "text"),
        Item("tests_blood", _("Blood tests: when, and what the patient was told"), "text"),
        Item("tests_done", _("Other tests: when, and what the patient was told"), "text"),
    ),
)


def add_about_twitching(builder: Builder) -> None:
    """The answers "About your twitching" as they are now (diary/models/about.py)."""
    profile = builder.profile
    started = None
    if profile.started_year is not None:
        started = f"{profile.started_year:04d}"
        if profile.started_month is not None:
            started += f"-{profile.started_month:02d}"
    answers = {item.link_id: getattr(profile, item.link_id, None) for item in ABOUT_TWITCHING.items}
    answers |= {"started": started, "started_not_sure": profile.started_not_sure or None}
    add_response(builder, ABOUT_TWITCHING, content_value(builder, answers), answers)
