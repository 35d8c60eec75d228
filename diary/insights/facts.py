"""
"Worth mentioning to your doctor": the facts the guidance says a doctor should hear, each with
its number and a link to the entries. Only facts: what was logged, when and how often.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from diary.insights.queries import Data
from diary.insights.results import Fact
from diary.models import SYMPTOMS, Region

# NHS guidance: twitching that goes on for more than 2 weeks is worth a doctor's visit.
PERSISTENT_DAYS = 14
# Symptoms the guidance says to mention when they come with twitching.
MENTION_SYMPTOMS = ("weakness", "cramps", "stiffness", "fatigue")


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def short_date(day: date, reference: date) -> str:
    """'2 Oct', with the year when it is not the reference's year."""
    text = f"{day.day} {day:%b}"
    return text if day.year == reference.year else f"{text} {day.year}"


def episodes_url(first: date, last: date, **filters: str) -> str:
    query = urlencode({"from": first.isoformat(), "to": last.isoformat(), **filters})
    return f"{reverse('history')}?{query}"


def list_words(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _persistence(data: Data) -> list[Fact]:
    days = [d.day for d in data.period_days]
    if not days or (days[-1] - days[0]).days + 1 <= PERSISTENT_DAYS:
        return []
    weeks = ((days[-1] - days[0]).days + 1) // 7
    text = (
        f"You logged twitching on {plural(len(days), 'day')} over {plural(weeks, 'week')} "
        f"(since {short_date(days[0], data.period.last)})"
    )
    return [Fact(text=text, count=len(days), url=episodes_url(days[0], days[-1]))]


def _spread(data: Data) -> list[Fact]:
    catalogue = data.catalogue
    facts = []
    multi = [d for d in data.period_days if len(d.regions) > 1]
    if multi:
        involved = set().union(*(d.regions for d in multi))
        sizes = {len(d.regions) for d in multi}
        how_many = str(sizes.pop()) if len(sizes) == 1 else "2 or more"
        names = list_words([r.label for r in Region if r.value in involved])
        facts.append(
            Fact(
                text=(
                    f"Twitching in {how_many} body regions on the same day ({names}) "
                    f"on {plural(len(multi), 'day')}"
                ),
                count=len(multi),
                url=episodes_url(multi[0].day, multi[-1].day),
            )
        )
    site_codes = {code for d in data.period_days for code in d.sites if code in catalogue}
    if len(site_codes) > 1:
        region_count = len({catalogue[code].region for code in site_codes})
        days = [d.day for d in data.period_days if d.sites]
        facts.append(
            Fact(
                text=(
                    f"Twitching logged at {len(site_codes)} different body sites in "
                    f"{plural(region_count, 'body region')}"
                ),
                count=len(site_codes),
                url=episodes_url(days[0], days[-1]),
            )
        )
    return facts


def _symptoms(data: Data) -> list[Fact]:
    facts = []
    for name in MENTION_SYMPTOMS:
        with_symptom = [d for d in data.period_days if d.symptoms.get(name)]
        count = sum(d.symptoms[name] for d in with_symptom)
        if count:
            facts.append(
                Fact(
                    text=f"{SYMPTOMS[name]} noted with {plural(count, 'episode')}",
                    count=count,
                    url=episodes_url(with_symptom[0].day, with_symptom[-1].day, symptom=name),
                )
            )
    return facts


def worth_mentioning(data: Data) -> list[Fact]:
    return [*_persistence(data), *_spread(data), *_symptoms(data)]
