"""
The twitch details over a period: pattern, seen under the skin, stopped when moved and what
the person was doing, summed from the per-day summary (no query of its own), each counting
only the episodes where that question was answered; and their words: the one compact line the
PDF, the share page and Trends print, and the rows of Trends' "Show the numbers" table.

Unknown is never "no": an episode without an answer is left out of that question's count, and
every count says of how many.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from diary.insights.queries import Data
from diary.insights.results import Details
from diary.insights.weeks import add
from diary.lib.formats import percent
from diary.models import Context, Movement, Pattern

# How the line names each answer inside a sentence ("most often a single twitch"). (The context
# is written out each time: makemessages reads only a literal.)
PATTERN_WORDS = {
    Pattern.SINGLE: pgettext_lazy("inside the sentence 'most often …'", "a single twitch"),
    Pattern.FEW: pgettext_lazy("inside the sentence 'most often …'", "a few twitches"),
    Pattern.CONTINUOUS: pgettext_lazy("inside the sentence 'most often …'", "continuous twitching"),
}
CONTEXT_WORDS = {
    Context.REST: pgettext_lazy("inside the sentence 'most often …'", "at rest"),
    Context.LYING: pgettext_lazy(
        "inside the sentence 'most often …'", "lying down or falling asleep"
    ),
    Context.ACTIVITY: pgettext_lazy("inside the sentence 'most often …'", "during activity"),
    Context.AFTER_EXERCISE: pgettext_lazy("inside the sentence 'most often …'", "after exercise"),
    Context.WAKING: pgettext_lazy("inside the sentence 'most often …'", "on waking"),
}
NOT_NOTED = gettext_lazy("Not noted")


def twitch_details(data: Data) -> Details:
    patterns: dict[str, int] = {}
    visible: dict[str, int] = {}
    movement: dict[str, int] = {}
    contexts: dict[str, int] = {}
    episodes = 0
    for week in data.weeks:
        episodes += week.episodes
        add(patterns, week.patterns)
        add(visible, week.visible)
        add(movement, week.movement)
        add(contexts, week.contexts)
    return Details(
        episodes=episodes, patterns=patterns, visible=visible, movement=movement, contexts=contexts
    )


def most_often(counts: dict[str, int], words: dict) -> str:
    """'a single twitch (40 of 70)', or 'at rest or on waking (3 each of 6)' for a tie."""
    answered = sum(counts.values())
    top = max(counts.values())
    leaders = [str(words[value]) for value in words if counts.get(value) == top]
    if len(leaders) == 1:
        return _("%(answer)s (%(count)d of %(answered)d)") % {
            "answer": leaders[0],
            "count": top,
            "answered": answered,
        }
    answers = _("%(answers)s or %(last)s") % {
        "answers": _(", ").join(leaders[:-1]),
        "last": leaders[-1],
    }
    return _("%(answers)s (%(count)d each of %(answered)d)") % {
        "answers": answers,
        "count": top,
        "answered": answered,
    }


def line(details: Details) -> str:
    """
    The details in one sentence, for a clinician and the person alike ("" when none was
    answered): "Seen under the skin in 41 of 60 episodes where this was noted; stopped when
    moved in 12 of 30 where moving was tried; most often a single twitch (40 of 70) and at
    rest (25 of 50)."
    """
    parts = []
    if seen := sum(details.visible.values()):
        yes = details.visible.get("yes", 0)
        parts.append(
            ngettext(
                "seen under the skin in %(yes)d of %(seen)d episode where this was noted",
                "seen under the skin in %(yes)d of %(seen)d episodes where this was noted",
                seen,
            )
            % {"yes": yes, "seen": seen}
        )
    tried = details.movement.get(Movement.YES, 0) + details.movement.get(Movement.NO, 0)
    if tried:
        stopped = details.movement.get(Movement.YES, 0)
        parts.append(
            _("stopped when moved in %(stopped)d of %(tried)d where moving was tried")
            % {"stopped": stopped, "tried": tried}
        )
    often = [
        most_often(counts, words)
        for counts, words in ((details.patterns, PATTERN_WORDS), (details.contexts, CONTEXT_WORDS))
        if counts
    ]
    if len(often) == 2:
        parts.append(
            _("most often %(pattern)s and %(doing)s") % {"pattern": often[0], "doing": often[1]}
        )
    elif often:
        parts.append(_("most often %(answer)s") % {"answer": often[0]})
    if not parts:
        return ""
    text = _("; ").join(parts)
    return _("%(sentence)s.") % {"sentence": f"{text[0].upper()}{text[1:]}"}


@dataclass(frozen=True)
class DetailGroup:
    """One question of the details table: its answers as (words, episodes, share of answered)."""

    question: str
    answered: int
    not_answered: int
    rows: list[tuple[str, int, str]]


def _group(question: str, counts: dict[str, int], answers, total: int) -> DetailGroup:
    answered = sum(counts.values())
    rows = []
    if answered:
        rows = [
            (words, counts.get(value, 0), percent(100 * counts.get(value, 0) / answered))
            for value, words in answers
        ]
    return DetailGroup(question, answered, total - answered, rows)


def table(details: Details) -> list[DetailGroup]:
    """Every answer of every question with its episodes, and how many left it unanswered."""
    total = details.episodes
    return [
        _group(
            _("Seen under the skin"), details.visible, [("yes", _("Yes")), ("no", _("No"))], total
        ),
        _group(_("Stopped when moved"), details.movement, Movement.choices, total),
        _group(_("Pattern"), details.patterns, Pattern.choices, total),
        _group(_("Doing at the time"), details.contexts, Context.choices, total),
    ]
