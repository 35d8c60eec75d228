"""
"Worth mentioning to your doctor" (the person's pages) or "Points from the log" (what a
clinician reads): the facts the guidance says a doctor should hear, each with its number and a
link to the entries. Only facts: what was logged, when and how often, never a verdict.

Each fact comes in two wordings of the same numbers, made here together: `text` speaks to the
person ("You logged twitching on 18 days …"), `document` is neutral ("Twitching logged on
18 days …"). The caller picks one; the logic is never written twice.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from diary.insights.queries import Data
from diary.insights.results import Fact
from diary.insights.weeks import WeekSums
from diary.lib.formats import day_month, day_month_year
from diary.models import SYMPTOMS, Region

# NHS guidance: twitching that goes on for more than 2 weeks is worth a doctor's visit.
PERSISTENT_DAYS = 14
# Symptoms the guidance says to mention when they come with twitching.
MENTION_SYMPTOMS = ("weakness", "cramps", "stiffness", "fatigue")
# Regions logged together: the most frequent combinations each get a fact, the rest one more.
MAX_TOGETHER = 3
# A region inside a sentence: plain words, never the clinical term.
REGION_WORDS = {
    Region.BULBAR: pgettext_lazy("a body region inside a sentence", "the head or face"),
    Region.CERVICAL: pgettext_lazy("a body region inside a sentence", "the neck or arms"),
    Region.THORACIC: pgettext_lazy("a body region inside a sentence", "the trunk"),
    Region.LUMBOSACRAL: pgettext_lazy("a body region inside a sentence", "the legs or feet"),
}


def short_date(day: date, reference: date) -> str:
    """'2 Oct', with the year when it is not the reference's year."""
    return day_month(day) if day.year == reference.year else day_month_year(day)


def episodes_url(first: date, last: date, **filters: str) -> str:
    query = urlencode({"from": first.isoformat(), "to": last.isoformat(), **filters})
    return f"{reverse('history')}?{query}"


def list_words(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c' in the active language."""
    if len(words) == 1:
        return words[0]
    return _("%(items)s and %(last)s") % {"items": _(", ").join(words[:-1]), "last": words[-1]}


def _persistence(data: Data) -> list[Fact]:
    days = [day for week in data.weeks for day in week.dates]
    if not days or (days[-1] - days[0]).days + 1 <= PERSISTENT_DAYS:
        return []
    weeks = ((days[-1] - days[0]).days + 1) // 7
    values = {
        "days": len(days),
        "weeks": ngettext("%(count)d week", "%(count)d weeks", weeks) % {"count": weeks},
        "since": short_date(days[0], data.period.last),
    }
    return [
        Fact(
            text=ngettext(
                "You logged twitching on %(days)d day over %(weeks)s (since %(since)s)",
                "You logged twitching on %(days)d days over %(weeks)s (since %(since)s)",
                len(days),
            )
            % values,
            document=ngettext(
                "Twitching logged on %(days)d day over %(weeks)s (since %(since)s)",
                "Twitching logged on %(days)d days over %(weeks)s (since %(since)s)",
                len(days),
            )
            % values,
            count=len(days),
            url=episodes_url(days[0], days[-1]),
        )
    ]


def in_places(regions: frozenset[str]) -> str:
    """'in both the head or face and the legs or feet': plain words, head to feet."""
    words = [str(REGION_WORDS[r]) for r in Region.values if r in regions]
    if len(words) == 2:
        return _("in both %(first)s and %(second)s") % {"first": words[0], "second": words[1]}
    return _("in %(places)s") % {"places": list_words(words)}


def _regions_together(data: Data) -> list[Fact]:
    """
    Days with twitching in more than one body region, by what was logged together ("on 3 days
    both the head or face and the legs or feet"), the most frequent first: a count of regions
    would read like a score.
    """
    together: dict[frozenset[str], list[date]] = {}
    for week in data.weeks:
        for regions, day in week.together:
            together.setdefault(regions, []).append(day)
    order = {region: i for i, region in enumerate(Region.values)}
    groups = sorted(together.items(), key=lambda g: (-len(g[1]), sorted(order[r] for r in g[0])))
    facts = []
    for regions, days in groups[:MAX_TOGETHER]:
        values = {"count": len(days), "where": in_places(regions)}
        facts.append(
            Fact(
                text=ngettext(
                    "On %(count)d day you logged twitching %(where)s",
                    "On %(count)d days you logged twitching %(where)s",
                    len(days),
                )
                % values,
                document=ngettext(
                    "On %(count)d day twitching was logged %(where)s",
                    "On %(count)d days twitching was logged %(where)s",
                    len(days),
                )
                % values,
                count=len(days),
                url=episodes_url(days[0], days[-1]),
            )
        )
    if rest := sorted(day for _regions, days in groups[MAX_TOGETHER:] for day in days):
        values = {"count": len(rest)}
        facts.append(
            Fact(
                text=ngettext(
                    "On %(count)d more day you logged twitching in other body regions on the "
                    "same day",
                    "On %(count)d more days you logged twitching in other body regions on the "
                    "same day",
                    len(rest),
                )
                % values,
                document=ngettext(
                    "On %(count)d more day twitching was logged in other body regions on the "
                    "same day",
                    "On %(count)d more days twitching was logged in other body regions on the "
                    "same day",
                    len(rest),
                )
                % values,
                count=len(rest),
                url=episodes_url(rest[0], rest[-1]),
            )
        )
    return facts


def _site_span(week: WeekSums, catalogue: dict) -> tuple[frozenset[str], date, date] | None:
    """The week's catalogued site codes and the first and last day of any site: kept with the
    week (its `derived`), as a dense diary's year is thousands of them."""
    key = ("site span", id(catalogue))  # the catalogue is fixed in a process
    if key not in week.derived:
        spans = week.site_days.values()
        week.derived[key] = (
            (
                frozenset(code for code in week.sites if code in catalogue),
                min(first for first, _last in spans),
                max(last for _first, last in spans),
            )
            if spans
            else None
        )
    return week.derived[key]


def _sites(data: Data) -> list[Fact]:
    catalogue = data.catalogue
    spans = [span for week in data.weeks if (span := _site_span(week, catalogue))]
    site_codes = frozenset().union(*(codes for codes, _first, _last in spans))
    if len(site_codes) <= 1:
        return []
    days = [min(first for _codes, first, _last in spans), max(last for *_rest, last in spans)]
    values = {"count": len(site_codes)}
    return [
        Fact(
            text=ngettext(
                "You logged twitching at %(count)d different body site",
                "You logged twitching at %(count)d different body sites",
                len(site_codes),
            )
            % values,
            document=ngettext(
                "Twitching logged at %(count)d different body site",
                "Twitching logged at %(count)d different body sites",
                len(site_codes),
            )
            % values,
            count=len(site_codes),
            url=episodes_url(days[0], days[-1]),
        )
    ]


def _symptoms(data: Data) -> list[Fact]:
    facts = []
    for name in MENTION_SYMPTOMS:
        with_symptom = [w for w in data.weeks if w.symptoms.get(name)]
        count = sum(w.symptoms[name] for w in with_symptom)
        if count:
            first, last = (
                with_symptom[0].symptom_days[name][0],
                with_symptom[-1].symptom_days[name][1],
            )
            words = ngettext(
                "%(symptom)s noted with %(count)d episode",
                "%(symptom)s noted with %(count)d episodes",
                count,
            ) % {"symptom": SYMPTOMS[name], "count": count}
            facts.append(
                Fact(
                    text=words,
                    document=words,
                    count=count,
                    url=episodes_url(first, last, symptom=name),
                )
            )
    return facts


def worth_mentioning(data: Data) -> list[Fact]:
    return [*_persistence(data), *_regions_together(data), *_sites(data), *_symptoms(data)]
