"""
The "Daily exposures" section at the top of page 2: for each exposure in the daily check-ins
(diary/insights/exposures.py), the days with and without it, the episodes a day on each side and the
ratio with its range, or "Not enough days yet". The rows are comparison_rows(), the same
figures as the Trends page. Left out when no check-in in the period answered anything: an
empty table would only say the feature exists.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diary.insights.exposures import MIN_DAYS, Comparison
from diary.lib.formats import number
from diary.report import blocks
from diary.report.context import Report

TABLE_TITLE = gettext_lazy("Daily exposures (self-reported check-ins)")
TABLE_HEADER = [
    gettext_lazy("Exposure"),
    gettext_lazy("Days with"),
    gettext_lazy("Avg. with"),
    gettext_lazy("Days without"),
    gettext_lazy("Avg. without"),
    gettext_lazy("Ratio"),
]

CAVEAT = gettext_lazy(
    "Self-reported in the patient's daily check-ins. These are observations, not an experiment."
)
# mm: the exposure names fit on one line, "Not enough days yet" and most ranges too.
WIDTHS: list[float | None] = [58, 19, 20, 24, 24, None]


def daily_exposures(report: Report) -> list[dict]:
    if not report.has_check_ins:
        return []
    header, *rows = comparison_rows(report.exposures)
    return [
        blocks.heading(str(TABLE_TITLE), level=1),
        blocks.para(str(CAVEAT), "muted"),
        blocks.table(header, rows, WIDTHS, numeric_from=1),
        blocks.para(
            _(
                "Avg. = episodes a day; ratio = avg. with ÷ avg. without (95%% range); only "
                "answered days count, %(needed)d a side needed."
            )
            % {"needed": MIN_DAYS},
            "small",
        ),
    ]


def comparison_rows(comparisons: list[Comparison]) -> list[list[str]]:
    """The PDF's "Daily exposures" table as plain strings, TABLE_HEADER first."""
    rows = [[str(heading) for heading in TABLE_HEADER]]
    for c in comparisons:
        rows.append(
            [
                c.label,
                str(c.exposed.days),
                "–" if c.exposed.mean is None else number(c.exposed.mean, 1),
                str(c.unexposed.days),
                "–" if c.unexposed.mean is None else number(c.unexposed.mean, 1),
                c.ratio_text,
            ]
        )
    return rows
