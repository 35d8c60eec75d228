"""
Page 1 of the doctor summary, one builder per section: what a clinician reads in a minute.
Each builder turns part of a Report into layout blocks (diary.report.blocks).
"""

from __future__ import annotations

from diary.lib.qr import qr_svg
from diary.report import blocks
from diary.report.chart import weekly_chart
from diary.report.context import APPOINTMENT_NOTES, NOTES_LEFT_OUT, Report
from diary.report.text import fmt_date, one_line, plain, plural

TITLE = "Muscle twitching diary: summary for the doctor"
SUBTITLE = (
    "Everything in this document is self-reported: what the patient logged in the Twitchlog "
    "app, as they entered it."
)
NO_EPISODES = "No episodes were logged in this period."
FACTS_HEADING = "Points from the log"


def page_one(report: Report) -> list[dict]:
    body = [
        blocks.heading(TITLE, level=1),
        blocks.para(SUBTITLE, "muted"),
        header_facts(report),
        *share_link(report),
        key_figures(report),
        *about_twitching(report),
    ]
    if report.is_empty:
        body.append(blocks.para(NO_EPISODES, "strong"))
    else:
        body += [
            blocks.heading("Episodes per week (weeks start on Monday)"),
            {"kind": "chart", **weekly_chart(report.weekly, report.generated_on)},
            *body_sites(report),
            symptoms_and_triggers(report),
            twitch_details(report),
        ]
    return body + function_check(report) + facts(report) + appointment_notes(report)


def header_facts(report: Report) -> dict:
    return {
        "kind": "info",
        "pairs": [
            ["Name", one_line(report.name)],
            ["Generated", fmt_date(report.generated_on)],
            ["Period", report.period_line],
            ["First logged", fmt_date(report.summary.first_logged)],
        ],
    }


def share_link(report: Report) -> list[dict]:
    """The share link as a QR code and its address, so the clinician can open it online."""
    if report.share is None:
        return []
    url = report.share["url"]
    expires = report.share.get("expires") or fmt_date(report.share["expires_on"])
    block = {
        "kind": "qr",
        "svg": qr_svg(url),
        "alt": "QR code of the link to this diary online",
        "lead": "View this diary online (read-only):",
        "url": url,
        "expires": f"The link works until {expires}, unless the patient closes it sooner.",
    }
    if clips := report.share.get("clips"):
        block["clips"] = f"{plural(clips, 'clip')} — open the link to watch"
    return [block]


def key_figures(report: Report) -> dict:
    """Days with twitching (honest: from the first logged day), episodes, body sites."""
    summary = report.summary
    if summary.logging_since is None:
        days = ["—", "days with twitching: not logging yet"]
    elif summary.started_in_period:
        days = [
            f"{summary.days_with_twitching} of {summary.days_in_period}",
            f"days with twitching since logging began on {fmt_date(summary.logging_since)}",
        ]
    else:
        days = [
            f"{summary.days_with_twitching} of {summary.days_in_period}",
            "days with twitching in the period",
        ]
    return {
        "kind": "figures",
        "items": [
            days,
            [
                str(summary.episodes),
                "episodes logged" if summary.episodes != 1 else "episode logged",
            ],
            [
                str(summary.sites),
                "body sites with twitching" if summary.sites != 1 else "body site with twitching",
            ],
        ],
    }


ABOUT_HEADING = "About the twitching (as reported by the patient)"


def about_twitching(report: Report) -> list[dict]:
    """What a neurologist asks first, one line per question answered; nothing when none is."""
    if not report.about:
        return []
    items = [(f"{label}:", f" {_one_paragraph(text)}") for label, text in report.about]
    return [blocks.heading(ABOUT_HEADING), blocks.bullets(items, "small")]


def _one_paragraph(text: str) -> str:
    """Typed lines joined with semicolons: page 1 has no room for a list inside a list."""
    return "; ".join(line.strip() for line in plain(text).splitlines() if line.strip())


def body_sites(report: Report) -> list[dict]:
    rows = [
        [
            row.name,
            row.region_label,
            fmt_date(row.first_seen),
            fmt_date(row.last_seen),
            str(row.count),
        ]
        for row in report.sites
    ]
    header = ["Body site", "Region", "First seen", "Last seen", "Episodes"]
    return [
        blocks.heading("Body sites"),
        blocks.table(header, rows, [48, 35, 27, 27, None], numeric_from=4),
        blocks.para(", ".join(report.regions) or "—", "small", lead="Regions involved:"),
    ]


def symptoms_and_triggers(report: Report) -> dict:
    """Associated symptoms and triggers side by side, each with its episode count."""
    symptoms = [[label, str(count)] for label, count in report.symptoms]
    triggers = [[one_line(t.name), str(t.count)] for t in report.triggers] or [["None noted", ""]]
    return blocks.side_by_side(
        [
            blocks.heading("Associated symptoms"),
            blocks.table(["Associated symptom", "Episodes"], symptoms, [None, 20], numeric_from=1),
        ],
        [
            blocks.heading("Suspected triggers"),
            blocks.table(["Suspected trigger", "Episodes"], triggers, [None, 20], numeric_from=1),
        ],
    )


def twitch_details(report: Report) -> dict:
    """One line: seen under the skin, stopped when moved, pattern, doing; answered ones only."""
    text = report.details_line or "None noted in this period."
    return blocks.para(text, "small", lead="Twitch details (where noted):")


def function_check(report: Report) -> list[dict]:
    check = report.check
    heading = blocks.heading("Function check")
    if check is None:
        return [heading, blocks.para("No function check recorded in this period.", "muted")]
    compared = (
        f"compared with the previous check on {fmt_date(check.previous)}"
        if check.previous
        else "the first check, asking what was new or worse lately"
    )
    latest = f"Latest check in the period: {fmt_date(check.date)}, {compared}."
    body = [heading, blocks.para(f"{latest} {check.counts}")]
    items = [(task, f": {plain(note)}" if note else "") for task, note in check.changes]
    # A note written against a "no" (or left unanswered) is still something the person wanted
    # the doctor to read.
    items += [
        (a.task, f" ({'answered no' if a.answer is False else 'not answered'}): {plain(a.note)}")
        for a in check.other_notes
    ]
    if check.note:
        items.append(("Also noted:", f" {plain(check.note)}"))
    if items:
        body.append(blocks.bullets(items))
    if report.notes_left_out:
        body.append(blocks.para(NOTES_LEFT_OUT, "muted"))
    return body


def facts(report: Report) -> list[dict]:
    if not report.facts:
        return []
    return [
        blocks.heading(FACTS_HEADING),
        blocks.bullets([("", plain(fact.document)) for fact in report.facts]),
    ]


def appointment_notes(report: Report) -> list[dict]:
    filled = [
        (f"{APPOINTMENT_NOTES[field]}:", f" {plain(text.strip())}")
        for field, text in report.notes.items()
        if text.strip()
    ]
    heading = blocks.heading("Appointment notes (written by the patient)")
    if report.notes_left_out:
        return [heading, blocks.para(NOTES_LEFT_OUT, "muted")]
    if not filled:
        return []
    return [heading, blocks.bullets(filled)]
