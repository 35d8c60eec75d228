"""
The pages after the summary, one builder per section: the daily exposures (when the period
has check-ins, diary/report/exposures.py), the week-by-week table, the episodes
with notes and, when asked for, the full episode log (the latest LOG_LIMIT episodes, saying
how many were left out and where to find all of them).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from diary import insights
from diary.lib.text import duration_words
from diary.models import Context, Movement, Pattern
from diary.report import blocks
from diary.report.chart import is_logging
from diary.report.context import LOG_LIMIT, NOTES_LEFT_OUT, Entry, Report
from diary.report.exposures import daily_exposures
from diary.report.text import fmt_date, fmt_number, fmt_when, one_line, plain, plural

# Notes in the full log are cut to this many characters; the whole note is in "Episodes with notes".
LOG_NOTE_CHARS = 90
CSV_HINT = "All episodes are in the app's CSV download (Settings → Your data)."
# The full log's detail columns: a short word per answer; blank where it was not noted.
DETAIL_WORDS = {
    "pattern": {Pattern.SINGLE: "single", Pattern.FEW: "a few", Pattern.CONTINUOUS: "continuous"},
    "visible": {True: "yes", False: "no"},
    "stopped_with_movement": {
        Movement.YES: "stopped",
        Movement.NO: "went on",
        Movement.NOT_TRIED: "not tried",
    },
    "context": {
        Context.REST: "at rest",
        Context.LYING: "lying down",
        Context.ACTIVITY: "active",
        Context.AFTER_EXERCISE: "after exercise",
        Context.WAKING: "on waking",
    },
}
LOG_KEY = (
    "Seen: seen under the skin. When moved: whether moving the muscle stopped the twitching. "
    "Doing: what the patient was doing. A blank cell: not noted."
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
    header = ["Week of", "Episodes", "Days", "Minutes", "Body areas", "Regions", "Median strength"]
    rows = [week_row(week, report.week_mark(week)) for week in report.weekly]
    return [
        blocks.heading("Week by week", level=1),
        blocks.para(
            f"Dates and times are in {zone}, the patient's time zone. Weeks start on Monday.",
            "muted",
        ),
        blocks.table(header, rows, [30, *[None] * 6], numeric_from=1),
    ]


def week_row(week: insights.Week, mark: str = "") -> list[str]:
    """A week's row; `mark` ("so far", "Mon–Wed") follows the date of a week not over."""
    start = f"{fmt_date(week.start)} ({mark})" if mark else fmt_date(week.start)
    if not is_logging(week):
        return [start, "not logging yet", "", "", "", "", ""]
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
    body = [blocks.heading("Episodes with notes", level=1)]
    if report.notes_left_out:
        return [*body, blocks.para(NOTES_LEFT_OUT)]
    if not report.episodes_with_notes:
        return [*body, blocks.para("No episode in this period has a note.")]
    rows = [
        [fmt_when(e.started_at, zone), ", ".join(e.sites), plain(e.notes).strip()]
        for e in report.episodes_with_notes
    ]
    header = ["When", "Body sites", "Note (as written)"]
    return [*body, blocks.table(header, rows, [30, 45, None])]


def full_log(report: Report) -> list[dict]:
    """On pages turned sideways: a column for each detail, and room for the notes."""
    log = report.log or []
    title = f"Full episode log ({plural(report.log_total, 'episode')})"
    body = [blocks.heading(title, level=1)]
    if report.log_left_out:
        body.append(
            blocks.para(
                f"The latest {len(log):,} episodes are listed here; "
                f"{plural(report.log_left_out, 'earlier episode was', 'earlier episodes were')} "
                f"left out to keep this document readable (at most {LOG_LIMIT:,}). {CSV_HINT}",
                "small",
            )
        )
    header = [
        "When",
        "Duration",
        "Body sites",
        "Strength",
        "Triggers",
        "Symptoms",
        "Pattern",
        "Seen",
        "When moved",
        "Doing",
        "Note",
    ]
    rows = [log_row(entry, report.period.zone) for entry in log]
    body.append(blocks.para(LOG_KEY, "small"))
    body.append(blocks.table(header, rows, [29.5, 19.5, 32, 16.5, 28, 25, 18, 11, 18, 21, None]))
    return [blocks.landscape(body)]


def detail_words(entry: Entry) -> list[str]:
    """Pattern, seen, when moved, doing: a short word each, "" where not noted."""
    answers = (entry.pattern, entry.visible, entry.stopped_with_movement, entry.context)
    return [
        "" if value is None or value == "" else DETAIL_WORDS[name][value]
        for name, value in zip(DETAIL_WORDS, answers, strict=True)
    ]


def log_row(entry: Entry, zone: ZoneInfo) -> list[str]:
    return [
        fmt_when(entry.started_at, zone),
        duration_words(entry.duration),
        ", ".join(entry.sites),
        f"{entry.intensity}/5" if entry.intensity else "",
        ", ".join(one_line(name) for name in entry.triggers),
        ", ".join(entry.symptoms),
        *detail_words(entry),
        one_line(entry.notes, LOG_NOTE_CHARS),
    ]
