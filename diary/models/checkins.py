"""
The daily check-in: one short record per user and local date of the day's exposures — sleep
last night, caffeine, stress, hard exercise, alcohol, feeling unwell, a new or changed medicine
— whether or not the person twitched that day.

Every answer is optional: NULL means "not answered", never "no", and a day with an unanswered
question is left out of that question's comparison (diary/insights/exposures.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from diary.lib.dateranges import within_dates

MEDICINE_MAX_LENGTH = 100
DAYLOG_NOTE_MAX_LENGTH = 500
NO_NUL = ProhibitNullCharactersValidator(message=_("The text contains a NUL character; remove it."))


class Sleep(models.IntegerChoices):
    """Hours slept last night, as a band; the value is the band's lower bound (4 = under 5)."""

    UNDER_5 = 4, pgettext_lazy("hours of sleep", "Under 5 h")
    FROM_5 = 5, pgettext_lazy("hours of sleep", "5–6 h")
    FROM_6 = 6, pgettext_lazy("hours of sleep", "6–7 h")
    FROM_7 = 7, pgettext_lazy("hours of sleep", "7–8 h")
    FROM_8 = 8, pgettext_lazy("hours of sleep", "8 h or more")


class Drinks4(models.IntegerChoices):
    """Caffeine drinks (coffee, tea, cola, energy drinks); 4 means four or more."""

    NONE = 0, pgettext_lazy("drinks", "None")
    ONE = 1, "1"
    TWO = 2, "2"
    THREE = 3, "3"
    FOUR_PLUS = 4, "4+"


class Drinks3(models.IntegerChoices):
    """Alcoholic drinks; 3 means three or more."""

    NONE = 0, pgettext_lazy("drinks", "None")
    ONE = 1, "1"
    TWO = 2, "2"
    THREE_PLUS = 3, "3+"


class Stress(models.TextChoices):
    LOW = "low", pgettext_lazy("stress", "Low")
    MEDIUM = "medium", pgettext_lazy("stress", "Medium")
    HIGH = "high", pgettext_lazy("stress", "High")


YES_NO = ((True, _("Yes")), (False, _("No")))


@dataclass(frozen=True)
class Question:
    """
    One check-in question, everything about it in one place: the DayLog field it fills (also
    its key in the JSON export), the question as the day's page asks it, the shorter words of
    the Log page's card, and its answers (stored value, words), in the order they are offered.
    A question left unanswered stays None: unknown, never "no".

    Adding a question: a nullable field on DayLog with these answers as its choices, a row
    here, a migration, and the field in diary/data/schema.json (a test compares them). The
    form, the card, the export and import, the list of check-ins, FHIR and the comparisons'
    "not answered" rules all follow from this table.
    """

    field: str
    text: Promise
    card_text: Promise
    answers: tuple[tuple[object, Promise], ...]

    def is_answer(self, value: object) -> bool:
        """`value` is one of the answers, of the same JSON type (True is not 1)."""
        return any(type(value) is type(v) and value == v for v, _ in self.answers)

    def words(self, value: object) -> str:
        return str(next(w for v, w in self.answers if type(value) is type(v) and value == v))

    def from_form(self, text: str) -> object:
        """The stored value of an answer as a form sends it (its str())."""
        return {str(v): v for v, _ in self.answers}[text]


QUESTIONS: dict[str, Question] = {
    q.field: q
    for q in (
        Question("sleep", _("Sleep last night"), _("Sleep last night"), tuple(Sleep.choices)),
        Question("caffeine", _("Caffeine drinks"), _("Caffeine drinks"), tuple(Drinks4.choices)),
        Question("stress", pgettext_lazy("check-in", "Stress"), _("Stress"), tuple(Stress.choices)),
        Question("hard_exercise", _("Hard exercise"), _("Hard exercise"), YES_NO),
        Question("alcohol", _("Alcoholic drinks"), _("Alcoholic drinks"), tuple(Drinks3.choices)),
        Question("unwell", _("Felt unwell (cold, flu, stomach bug)"), _("Felt unwell"), YES_NO),
        Question(
            "new_medicine", _("New or changed medicine"), _("New or changed medicine"), YES_NO
        ),
    )
}
# Every field a check-in export carries, in order (diary/data/checkins.py).
EXPORT_FIELDS = ("date", *QUESTIONS, "medicine", "note")


def _yes_no(verbose_name: Promise) -> models.BooleanField:
    return models.BooleanField(verbose_name, null=True, blank=True)


class DayLogQuerySet(models.QuerySet["DayLog"]):
    def for_user(self, user) -> DayLogQuerySet:
        return self.filter(user=user)

    def on_dates(self, first: date | None, last: date | None) -> DayLogQuerySet:
        """Check-ins dated within [first, last], either end open."""
        return within_dates(self, "date", first, last)


class DayLog(models.Model):
    """One day's check-in; `date` is the user's local calendar date (the profile's zone)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="day_logs"
    )
    date = models.DateField()
    sleep = models.PositiveSmallIntegerField(
        _("sleep last night"), choices=Sleep, null=True, blank=True
    )
    caffeine = models.PositiveSmallIntegerField(
        _("caffeine drinks"), choices=Drinks4, null=True, blank=True
    )
    stress = models.CharField(max_length=6, choices=Stress, null=True, blank=True)
    hard_exercise = _yes_no(_("hard exercise"))
    alcohol = models.PositiveSmallIntegerField(
        _("alcoholic drinks"), choices=Drinks3, null=True, blank=True
    )
    unwell = _yes_no(_("felt unwell"))
    new_medicine = _yes_no(_("new or changed medicine"))
    medicine = models.CharField(
        _("which medicine"),
        max_length=MEDICINE_MAX_LENGTH,
        blank=True,
        validators=[MaxLengthValidator(MEDICINE_MAX_LENGTH), NO_NUL],
    )
    note = models.TextField(
        blank=True, validators=[MaxLengthValidator(DAYLOG_NOTE_MAX_LENGTH), NO_NUL]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DayLogQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("daily check-in")
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="daylog_one_per_day"),
            models.CheckConstraint(
                condition=Q(sleep__isnull=True) | Q(sleep__gte=4, sleep__lte=8),
                name="daylog_sleep_band",
            ),
            models.CheckConstraint(
                condition=Q(caffeine__isnull=True) | Q(caffeine__lte=4),
                name="daylog_caffeine_0_to_4",
            ),
            models.CheckConstraint(
                condition=Q(alcohol__isnull=True) | Q(alcohol__lte=3),
                name="daylog_alcohol_0_to_3",
            ),
            models.CheckConstraint(
                condition=Q(stress__isnull=True) | Q(stress__in=Stress.values),
                name="daylog_stress_choice",
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in on {self.date:%Y-%m-%d}"

    @property
    def answers(self) -> list[tuple[str, str]]:
        """(question, answer in words) for each answered question, in the card's order."""
        words = []
        for name, question in QUESTIONS.items():
            value = getattr(self, name)
            if value is None:
                continue
            answer = question.words(value)
            if name == "new_medicine" and value and self.medicine:
                answer = pgettext("a new medicine, and which", "Yes: %(medicine)s") % {
                    "medicine": self.medicine
                }
            words.append((str(question.text), answer))
        return words
