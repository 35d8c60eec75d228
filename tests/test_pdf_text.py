"""
The full log's dates and times (diary/report/text.py fmt_when): formatted from the local date
and the wall-clock time, which the formats keep, they read exactly as the local moment itself
formatted does, in every language and on either side of a clock change.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel import dates as babel_dates
from django.utils import translation

from diary.lib import languages, pseudo
from diary.report.text import fmt_when, when_words

ZONES = [ZoneInfo("Europe/London"), ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata")]
# Around London's and New York's clock changes in 2026, and a plain afternoon.
INSTANTS = [
    datetime(2026, 3, 29, 0, 30, 59, 999_999, tzinfo=UTC) + timedelta(minutes=17 * i)
    for i in range(12)
] + [datetime(2026, 11, 1, 5, 15, 7, tzinfo=UTC) + timedelta(minutes=23 * i) for i in range(8)]


def formatted_from_the_moment(instant: datetime, zone: ZoneInfo, code: str) -> str:
    """As fmt_when printed before: the aware local moment formatted by Babel."""
    local = instant.astimezone(zone)
    locale = languages.format_locale(code)
    day = babel_dates.format_skeleton("yMMMd", local, locale=locale)
    time = babel_dates.format_skeleton("Hm", local, locale=locale)
    if code in languages.PSEUDO:
        day, time = pseudo.value(code, day), pseudo.value(code, time)
    return when_words() % {"day": day, "time": time}


@pytest.mark.parametrize("code", ["en", "de", "pt-br", languages.ACCENTED])
def test_fmt_when_reads_as_the_local_moment(code):
    with translation.override(code):
        for zone in ZONES:
            for instant in INSTANTS:
                expected = formatted_from_the_moment(instant, zone, code)
                assert fmt_when(instant, zone) == expected
                assert fmt_when(instant, zone, when_words()) == expected
