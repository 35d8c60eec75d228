"""
The pages after the summary, one builder per section: the daily exposures (when the period
has check-ins, diary/report/exposures.py), the week-by-week table, the episodes
with notes and, when asked for, the full episode log (the latest LOG_LIMIT episodes, saying
how many were left out and where to find all of them).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from diary import insights
from diary.lib.formats import number
from diary.lib.text import duration_words
from diary.models import Context, Movement, Pattern
from diary.report import blocks
from diary.report.chart import is_logging, not_logging
from diary.report.context import LOG_LIMIT, NOTES_LEFT_OUT, Entry, Report
from diary.report.exposures import daily_exposures
from diary.report.text import fmt_date, fmt_number, fmt_when, one_line, plain, when_words

# Notes in the full log are cut to this many characters; the whole note is in "Episodes with notes".
LOG_NOTE_CHARS = 90
CSV_HINT = gettext_lazy("All episodes are in the app's CSV download (Settings → Your data).")
# The full log's twitch details, in one cell: a few words per answer, each of which says what it
# answers (so no column heading is needed for it); left out where it was not noted. (The
# context is written out each time: makemessages reads only a literal.)
DETAIL_WORDS = {
    "pattern": {
        Pattern.SINGLE: pgettext_lazy("short word in the PDF's episode log", "single"),
        Pattern.FEW: pgettext_lazy("short word in the PDF's episode log", "a few"),
        Pattern.CONTINUOUS: pgettext_lazy("short word in the PDF's episode log", "continuous"),
    },
    "visible": {
        True: pgettext_lazy("short word in the PDF's episode log", "seen"),
        False: pgettext_lazy("short word in the PDF's episode log", "not seen"),
    },
    "stopped_with_movement": {
        Movement.YES: pgettext_lazy("short word in the PDF's episode log", "stopped when moved"),
        Movement.NO: pgettext_lazy("short word in the PDF's episode log", "went on when moved"),
        Movement.NOT_TRIED: pgettext_lazy(
            "short word in the PDF's episode log", "moving not tried"
        ),
    },
    "context": {
        Context.REST: pgettext_lazy("short word in the PDF's episode log", "at rest"),
        Context.LYING: pgettext_lazy("short word in the PDF's episode log", "lying down"),
        Context.ACTIVITY: pgettext_lazy("short word in the PDF's episode log", "active"),
        Context.AFTER_EXERCISE: pgettext_lazy(
            "short word in the PDF's episode log", "after exercise"
        ),
        Context.WAKING: pgettext_lazy("short word in the PDF's episode log", "on waking"),
    },
}
LOG_KEY = gettext_lazy(
    "Twitch details, where noted: the pattern; whether the twitching was seen under the skin; "
    "whether moving the muscle stopped it; what the patient was doing. A blank cell: not noted."
)


def appendix(report: Report) -> list[dict]:
    if report.is_empty:
        return []  # page 1 already says there is nothing; no empty tables after it
    # The exposures table opens page 2: a summary-level table, kept off page 1 so the one-page
    # summary stays one page however full it is.
    body = [
        blocks.page_break(),
        *daily_exposures(report),
        *week_by_week(report),
        *episodes_with_notes(report),
    ]
    if report.log is not None:
        body += full_log(report)
    return body


def week_by_week(report: Report) -> list[dict]:
    zone = report.period.zone.key
    header = [
        _("Week of"),
        _("Episodes"),
        _("Days"),
        _("Minutes"),
        _("Body areas"),
        _("Regions"),
        _("Median strength"),
    ]
    rows = [week_row(week, report.week_mark(week)) for week in report.weekly]
    return [
        blocks.heading(_("Week by week"), level=1),
        blocks.para(
            _("Dates and times are in %(zone)s, the patient's time zone. Weeks start on Monday.")
            % {"zone": zone},
            "muted",
        ),
        blocks.table(header, rows, [30, *[None] * 6], numeric_from=1),
    ]


def week_row(week: insights.Week, mark: str = "") -> list[str]:
    """A week's row; `mark` ("so far", "Mon–Wed") follows the date of a week not over."""
    start = (
        _("%(week)s (%(mark)s)") % {"week": fmt_date(week.start), "mark": mark}
        if mark
        else fmt_date(week.start)
    )
    if not is_logging(week):
        return [start, not_logging(), "", "", "", "", ""]
    return [
        start,
        str(week.episodes),
        str(week.days),
        fmt_number(week.minutes),
        fmt_number(_count(week.areas)),
        fmt_number(_count(week.regions)),
        fmt_number(week.median_intensity),
    ]


def _count(value) -> int:
    return value if isinstance(value, int) else len(value)


def episodes_with_notes(report: Report) -> list[dict]:
    zone = report.period.zone
    body = [blocks.heading(_("Episodes with notes"), level=1)]
    if report.notes_left_out:
        return [*body, blocks.para(str(NOTES_LEFT_OUT))]
    if not report.episodes_with_notes:
        return [*body, blocks.para(_("No episode in this period has a note."))]
    rows = [
        [fmt_when(e.started_at, zone), _(", ").join(e.sites), plain(e.notes).strip()]
        for e in report.episodes_with_notes
    ]
    header = [_("When"), _("Body sites"), _("Note (as written)")]
    return [*body, blocks.table(header, rows, [30, 45, None])]


def full_log(report: Report) -> list[dict]:
    """
    On pages turned sideways, one row an episode. The twitch details share one cell, in words
    that each say what they answer: a table's cells are most of the time Typst takes, so the
    log has as few columns as a clinician needs to read it.
    """
    log = report.log or []
    title = ngettext(
        "Full episode log (%(count)s episode)",
        "Full episode log (%(count)s episodes)",
        report.log_total,
    ) % {"count": number(report.log_total, 0)}
    body = [blocks.heading(title, level=1)]
    if report.log_left_out:
        left_out = ngettext(
            "The latest %(listed)s episodes are listed here; %(count)s earlier episode was left "
            "out to keep this document readable (at most %(limit)s).",
            "The latest %(listed)s episodes are listed here; %(count)s earlier episodes were "
            "left out to keep this document readable (at most %(limit)s).",
            report.log_left_out,
        ) % {
            "listed": number(len(log), 0),
            "count": number(report.log_left_out, 0),
            "limit": number(LOG_LIMIT, 0),
        }
        body.append(blocks.para(f"{left_out} {CSV_HINT}", "small"))
    header = [
        _("When"),
        _("Duration"),
        _("Body sites"),
        _("Strength"),
        _("Triggers"),
        _("Symptoms"),
        _("Twitch details"),
        _("Note"),
    ]
    header = [str(heading) for heading in header]
    rows = LogRows(report.period.zone).rows(log)
    body.append(blocks.para(str(LOG_KEY), "small"))
    widths = [32, 19.5, 32, 16.5, 28, 25, 68, None]
    body.append(blocks.table(header, rows, widths, width_mm=blocks.LANDSCAPE_TEXT_WIDTH_MM))
    return [blocks.landscape(body)]


class LogRows:
    """
    The full log's rows in the active language. A log's cells repeat (its durations, sites,
    triggers and short words, its days and hours), so the words are read once for the whole
    log and each distinct duration and trigger is written out once.
    """

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self.comma = _(", ")
        self.when = when_words()
        self.details = [
            {value: str(word) for value, word in words.items()} for words in DETAIL_WORDS.values()
        ]
        self.durations: dict = {}
        self.triggers: dict[str, str] = {}

    def rows(self, log: list[Entry]) -> list[list[str]]:
        return [self.row(entry) for entry in log]

    def row(self, entry: Entry) -> list[str]:
        comma = self.comma
        duration = self.durations.get(entry.duration)
        if duration is None:
            duration = self.durations[entry.duration] = duration_words(entry.duration)
        return [
            fmt_when(entry.started_at, self.zone, self.when),
            duration,
            comma.join(entry.sites),
            f"{entry.intensity}/5" if entry.intensity else "",
            comma.join(self.trigger(name) for name in entry.triggers),
            comma.join(entry.symptoms),
            self.details_cell(entry),
            one_line(entry.notes, LOG_NOTE_CHARS),
        ]

    def details_cell(self, entry: Entry) -> str:
        """Pattern, seen, when moved, doing: the words of those noted, in that order."""
        answers = (entry.pattern, entry.visible, entry.stopped_with_movement, entry.context)
        return self.comma.join(
            words[value]
            for words, value in zip(self.details, answers, strict=True)
            if value is not None and value != ""
        )

    def trigger(self, name: str) -> str:
        shown = self.triggers.get(name)
        if shown is None:
            shown = self.triggers[name] = one_line(name)
        return shown
