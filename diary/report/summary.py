"""
Page 1 of the doctor summary, one builder per section: what a clinician reads in a minute.
Each builder turns part of a Report into layout blocks (diary.report.blocks).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from diary.lib.qr import qr_svg
from diary.report import blocks
from diary.report.chart import weekly_chart
from diary.report.context import APPOINTMENT_NOTES, NOTES_LEFT_OUT, Report
from diary.report.text import fmt_date, one_line, plain

TITLE = gettext_lazy("Muscle twitching diary: summary for the doctor")
SUBTITLE = gettext_lazy(
    "Everything in this document is self-reported: what the patient logged in the Twitchlog "
    "app, as they entered it."
)
NO_EPISODES = gettext_lazy("No episodes were logged in this period.")
FACTS_HEADING = gettext_lazy("Points from the log")


def page_one(report: Report) -> list[dict]:
    body = [
        blocks.heading(str(TITLE), level=1),
        blocks.para(str(SUBTITLE), "muted"),
        header_facts(report),
        *share_link(report),
        key_figures(report),
        *about_twitching(report),
    ]
    if report.is_empty:
        body.append(blocks.para(str(NO_EPISODES), "strong"))
    else:
        body += [
            blocks.heading(_("Episodes per week (weeks start on Monday)")),
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
            [_("Name"), one_line(report.name)],
            [_("Generated"), fmt_date(report.generated_on)],
            [_("Period"), report.period_line],
            [_("First logged"), fmt_date(report.summary.first_logged)],
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
        "alt": _("QR code of the link to this diary online"),
        "lead": _("View this diary online (read-only):"),
        "url": url,
        "expires": _("The link works until %(day)s, unless the patient closes it sooner.")
        % {"day": expires},
    }
    if clips := report.share.get("clips"):
        block["clips"] = ngettext(
            "%(count)d clip — open the link to watch",
            "%(count)d clips — open the link to watch",
            clips,
        ) % {"count": clips}
    return [block]


def key_figures(report: Report) -> dict:
    """Days with twitching (honest: from the first logged day), episodes, body sites."""
    summary = report.summary
    of = _("%(count)d of %(days)d") % {
        "count": summary.days_with_twitching,
        "days": summary.days_in_period,
    }
    if summary.logging_since is None:
        days = ["—", _("days with twitching: not logging yet")]
    elif summary.started_in_period:
        days = [
            of,
            _("days with twitching since logging began on %(day)s")
            % {"day": fmt_date(summary.logging_since)},
        ]
    else:
        days = [of, _("days with twitching in the period")]
    return {
        "kind": "figures",
        "items": [
            days,
            [
                str(summary.episodes),
                ngettext("episode logged", "episodes logged", summary.episodes),
            ],
            [
                str(summary.sites),
                ngettext("body site with twitching", "body sites with twitching", summary.sites),
            ],
        ],
    }


ABOUT_HEADING = gettext_lazy("About the twitching (as reported by the patient)")


def about_twitching(report: Report) -> list[dict]:
    """What a neurologist asks first, one line per question answered; nothing when none is."""
    if not report.about:
        return []
    items = [
        (_("%(label)s:") % {"label": label}, f" {_one_paragraph(text)}")
        for label, text in report.about
    ]
    return [blocks.heading(str(ABOUT_HEADING)), blocks.bullets(items, "small")]


def _one_paragraph(text: str) -> str:
    """Typed lines joined with semicolons: page 1 has no room for a list inside a list."""
    return _("; ").join(line.strip() for line in plain(text).splitlines() if line.strip())


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
    header = [_("Body site"), _("Region"), _("First seen"), _("Last seen"), _("Episodes")]
    return [
        blocks.heading(_("Body sites")),
        blocks.table(header, rows, [48, 35, 27, 27, None], numeric_from=4),
        blocks.para(_(", ").join(report.regions) or "—", "small", lead=_("Regions involved:")),
    ]


def symptoms_and_triggers(report: Report) -> dict:
    """Associated symptoms and triggers side by side, each with its episode count."""
    symptoms = [[label, str(count)] for label, count in report.symptoms]
    triggers = [[one_line(t.name), str(t.count)] for t in report.triggers] or [
        [_("None noted"), ""]
    ]
    return blocks.side_by_side(
        [
            blocks.heading(_("Associated symptoms")),
            blocks.table(
                [_("Associated symptom"), _("Episodes")], symptoms, [None, 20], numeric_from=1
            ),
        ],
        [
            blocks.heading(_("Suspected triggers")),
            blocks.table(
                [_("Suspected trigger"), _("Episodes")], triggers, [None, 20], numeric_from=1
            ),
        ],
    )


def twitch_details(report: Report) -> dict:
    """One line: seen under the skin, stopped when moved, pattern, doing; answered ones only."""
    text = report.details_line or _("None noted in this period.")
    return blocks.para(text, "small", lead=_("Twitch details (where noted):"))


def function_check(report: Report) -> list[dict]:
    check = report.check
    heading = blocks.heading(_("Function check"))
    if check is None:
        return [heading, blocks.para(_("No function check recorded in this period."), "muted")]
    if check.previous:
        latest = _(
            "Latest check in the period: %(day)s, compared with the previous check on %(previous)s."
        ) % {"day": fmt_date(check.date), "previous": fmt_date(check.previous)}
    else:
        latest = _(
            "Latest check in the period: %(day)s, the first check, asking what was new or "
            "worse lately."
        ) % {"day": fmt_date(check.date)}
    body = [heading, blocks.para(f"{latest} {check.counts}")]
    items = [(str(task), f": {plain(note)}" if note else "") for task, note in check.changes]
    # A note written against a "no" (or left unanswered) is still something the person wanted
    # the doctor to read.
    items += [
        (
            str(a.task),
            " "
            + (_("(answered no): %(note)s") if a.answer is False else _("(not answered): %(note)s"))
            % {"note": plain(a.note)},
        )
        for a in check.other_notes
    ]
    if check.note:
        items.append((_("Also noted:"), f" {plain(check.note)}"))
    if items:
        body.append(blocks.bullets(items))
    if report.notes_left_out:
        body.append(blocks.para(str(NOTES_LEFT_OUT), "muted"))
    return body


def facts(report: Report) -> list[dict]:
    if not report.facts:
        return []
    return [
        blocks.heading(str(FACTS_HEADING)),
        blocks.bullets([("", plain(fact.document)) for fact in report.facts]),
    ]


def appointment_notes(report: Report) -> list[dict]:
    filled = [
        (_("%(label)s:") % {"label": APPOINTMENT_NOTES[field]}, f" {plain(text.strip())}")
        for field, text in report.notes.items()
        if text.strip()
    ]
    heading = blocks.heading(_("Appointment notes (written by the patient)"))
    if report.notes_left_out:
        return [heading, blocks.para(str(NOTES_LEFT_OUT), "muted")]
    if not filled:
        return []
    return [heading, blocks.bullets(filled)]
