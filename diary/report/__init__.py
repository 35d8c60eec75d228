"""
The doctor summary PDF (/report.pdf): page 1 is what a clinician reads in a minute, the pages
after it hold the week-by-week table, the episodes with notes and, when asked for, the full
episode log.

- context.py gathers the data once (Report; the /report/ preview reads it too),
- summary.py and appendix.py turn it into layout blocks, one builder per section,
- pdfs.py lays the blocks out with Typst (templates/diary/pdf/report.typ) as a tagged
  PDF/UA-1 and archival PDF/A-3b file in the bundled fonts (diary/fonts/).

The PDF speaks the language it is made in (`build_pdf(language=…)`: the person's, or the one
chosen on the Report page for a doctor elsewhere, or a share link's): every word, every date
and number, and the few words of the layout itself (document()'s "words").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from diary import insights
from diary.insights.aggregates import without_own_trigger_names
from diary.lib import languages
from diary.lib.memory import collector_paused, release_freed_memory
from diary.report.appendix import appendix
from diary.report.context import LOG_LIMIT, Entry, Report, collect
from diary.report.pdfs import render
from diary.report.renderers import RenderFailed
from diary.report.summary import NO_EPISODES, page_one
from diary.report.text import fmt_date, fmt_period, fmt_short, one_line

__all__ = [
    "DISCLAIMER",
    "LOG_LIMIT",
    "NO_EPISODES",
    "ONE_CLOCK",
    "Entry",
    "RenderFailed",
    "Report",
    "build_pdf",
    "collect",
    "document",
    "filename",
    "fmt_date",
    "fmt_short",
    "for_share",
]

DISCLAIMER = gettext_lazy("Self-reported by the patient. Not a diagnosis.")
# The one clock (docs/architecture.md), in one sentence on every page.
ONE_CLOCK = gettext_lazy(
    "Days and hours are those where each twitch was logged, in that time zone."
)


def filename(period: insights.Period) -> str:
    return f"twitchlog-summary-{period.first:%Y-%m-%d}_{period.last:%Y-%m-%d}.pdf"


def typst_language(code: str) -> dict:
    """The layout's `lang` and `region` (hyphenation, quotes, the PDF's language tag)."""
    if code in languages.PSEUDO:
        code = "en"
    lang, _sep, region = code.partition("-")
    return {"lang": lang, "region": region.upper() or None}


def document(report: Report) -> dict:
    """The whole PDF as layout data (in the active language): metadata, words, the blocks."""
    name, period = one_line(report.name), fmt_period(report.period)
    values = {"name": name, "period": period}
    return {
        "meta": {
            "title": _("Twitching diary summary: %(name)s, %(period)s") % values,
            "author": _("%(name)s (self-reported, via Twitchlog)") % values,
            "subject": _("Self-reported muscle twitching diary"),
            "footer": f"{DISCLAIMER} {ONE_CLOCK} {one_line(report.name, 40)} · {period}",
            **typst_language(languages.current()),
            # The layout's own words: {page} and {pages} are filled in by the layout.
            "words": {
                "page": _("Page {page} of {pages}"),
                "not_logging": pgettext("a week before the first entry", "not logging yet"),
            },
        },
        "blocks": page_one(report) + appendix(report),
    }


def build_pdf(
    user,
    period: insights.Period,
    *,
    today: date,
    full_log: bool = False,
    created: datetime | None = None,
    share: dict | None = None,
    language: str | None = None,
) -> bytes:
    """
    The doctor summary of `user` over `period`, in `language` (default: the active one);
    `created` defaults to now. `share` ({"url", "expires_on", "include_notes"}) prints that
    link as a QR code on page 1 and, without include_notes, leaves the appointment and
    episode notes out.
    """
    # A year's data is a hundred thousand small objects with no cycles (diary/lib/memory.py).
    with translation.override(language or languages.current()), collector_paused():
        report = collect(user, period, today=today, full_log=full_log)
        if share is not None:
            report = for_share(report, share)
        layout = document(report)
    del report
    try:
        return render(layout, created=created)
    finally:
        # A year's data and layout are megabytes the worker has no more use for.
        del layout
        release_freed_memory()


def for_share(report: Report, share: dict) -> Report:
    """
    The report as a share link shows it: the link on it, and what the person typed only when
    they ticked "Include my notes". Without it, every piece of typed text is taken out here,
    before any section is built: appointment notes, episode notes, the function check's notes,
    and the names of own triggers ("Own trigger 1", … with their numbers kept). The display
    name stays: it says whose diary this is.
    """
    changes: dict = {"share": share, "name": share.get("name", report.name)}
    if not share.get("include_notes"):
        triggers, weekly = without_own_trigger_names(report.triggers, report.weekly)
        hidden = {t.name: shown.name for t, shown in zip(report.triggers, triggers, strict=True)}
        changes |= {
            "notes": dict.fromkeys(report.notes, ""),
            "episodes_with_notes": [],
            "check": report.check.without_notes() if report.check else None,
            "triggers": triggers,
            "weekly": weekly,
            "log": None
            if report.log is None
            else [
                replace(e, notes="", triggers=[hidden.get(t, t) for t in e.triggers])
                for e in report.log
            ],
        }
        changes["about"] = report.about_chosen  # the answers chosen, nothing typed
    return replace(report, **changes)
