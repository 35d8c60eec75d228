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

from diary.insights.aggregates import add
from diary.insights.queries import Data
from diary.insights.results import Details
from diary.models import Context, Movement, Pattern

# How the line names each answer inside a sentence ("most often a single twitch").
PATTERN_WORDS = {
    Pattern.SINGLE: "a single twitch",
    Pattern.FEW: "a few twitches",
    Pattern.CONTINUOUS: "continuous twitching",
}
CONTEXT_WORDS = {
    Context.REST: "at rest",
    Context.LYING: "lying down or falling asleep",
    Context.ACTIVITY: "during activity",
    Context.AFTER_EXERCISE: "after exercise",
    Context.WAKING: "on waking",
}
NOT_NOTED = "Not noted"


def twitch_details(data: Data) -> Details:
    patterns: dict[str, int] = {}
    visible: dict[str, int] = {}
    movement: dict[str, int] = {}
    contexts: dict[str, int] = {}
    episodes = 0
    for d in data.period_days:
        episodes += d.episodes
        add(patterns, d.patterns)
        add(visible, d.visible)
        add(movement, d.movement)
        add(contexts, d.contexts)
    return Details(
        episodes=episodes, patterns=patterns, visible=visible, movement=movement, contexts=contexts
    )


def _episodes(n: int) -> str:
    return "episode" if n == 1 else "episodes"


def most_often(counts: dict[str, int], words: dict) -> str:
    """'a single twitch (40 of 70)', or 'at rest or on waking (3 each of 6)' for a tie."""
    answered = sum(counts.values())
    top = max(counts.values())
    leaders = [words[value] for value in words if counts.get(value) == top]
    if len(leaders) == 1:
        return f"{leaders[0]} ({top} of {answered})"
    return f"{', '.join(leaders[:-1])} or {leaders[-1]} ({top} each of {answered})"


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
            f"seen under the skin in {yes} of {seen} {_episodes(seen)} where this was noted"
        )
    tried = details.movement.get(Movement.YES, 0) + details.movement.get(Movement.NO, 0)
    if tried:
        stopped = details.movement.get(Movement.YES, 0)
        parts.append(f"stopped when moved in {stopped} of {tried} where moving was tried")
    often = [
        most_often(counts, words)
        for counts, words in ((details.patterns, PATTERN_WORDS), (details.contexts, CONTEXT_WORDS))
        if counts
    ]
    if often:
        parts.append("most often " + " and ".join(often))
    if not parts:
        return ""
    text = "; ".join(parts)
    return f"{text[0].upper()}{text[1:]}."


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
            (words, counts.get(value, 0), f"{round(100 * counts.get(value, 0) / answered)}%")
            for value, words in answers
        ]
    return DetailGroup(question, answered, total - answered, rows)


def table(details: Details) -> list[DetailGroup]:
    """Every answer of every question with its episodes, and how many left it unanswered."""
    total = details.episodes
    return [
        _group("Seen under the skin", details.visible, [("yes", "Yes"), ("no", "No")], total),
        _group("Stopped when moved", details.movement, Movement.choices, total),
        _group("Pattern", details.patterns, Pattern.choices, total),
        _group("Doing at the time", details.contexts, Context.choices, total),
    ]
