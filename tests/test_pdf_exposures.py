"""
The "Daily exposures" table on page 2 of the doctor summary (diary/report/exposures.py), read
back with pypdf and pikepdf: its rows are exactly comparison_rows() of the Trends page's
comparisons, only the owner's check-ins count, below 7 days a side it says "Not enough days
yet", it is absent without check-ins, it is a tagged table with header cells, and page 1 stays
one page with it present. The comparisons cost the same two queries whatever the data.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import datetime, time, timedelta

import pikepdf
import pytest

from diary import demo, insights, report
from diary.demo import generate_check_ins
from diary.insights import exposures
from diary.insights.exposures import exposure_comparisons
from diary.models import FunctionCheck
from diary.models.checkins import DayLog
from diary.report.exposures import (
    CAVEAT,
    TABLE_HEADER,
    TABLE_TITLE,
    comparison_rows,
    daily_exposures,
)
from tests.test_exposures import add_episodes, known_effect_diary, local_today
from tests.test_pdf import lines, pages_text
from tests.test_pdf_standards import structure
from tests.test_wording import forbidden_words

pytestmark = pytest.mark.django_db


def build(user, period: insights.Period) -> bytes:
    return report.build_pdf(user, period, today=local_today(user))


def table_lines(page: str) -> list[str]:
    """The exposures table's lines on a page: its header row up to the note under it."""
    found = lines(page)
    start = found.index(" ".join(map(str, TABLE_HEADER)))
    end = next(i for i, line in enumerate(found) if line.startswith("Avg. = episodes a day"))
    return found[start:end]


def expected_lines(user, period: insights.Period) -> list[str]:
    return [" ".join(row) for row in comparison_rows(exposure_comparisons(user, period))]


def short_diary(user, with_days: int, without_days: int) -> insights.Period:
    """Check-ins ending yesterday: `with_days` with 3+ caffeine drinks, then the rest without."""
    today = local_today(user)
    total = with_days + without_days
    first = today - timedelta(days=total)
    for i in range(total):
        day = first + timedelta(days=i)
        exposed = i < with_days
        DayLog.objects.create(user=user, date=day, caffeine=4 if exposed else 0)
        add_episodes(user, day, 3 if exposed else 1)
    return insights.Period(first=first, last=today, zone=user.profile.zone)


def test_pdf_exposure_rows_equal_the_trends_numbers(user):
    period = known_effect_diary(user, days=70)
    pages = pages_text(build(user, period))
    assert str(TABLE_TITLE) not in pages[0]
    assert lines(pages[1])[0] == str(TABLE_TITLE)  # page 2 opens with the table
    assert table_lines(pages[1]) == expected_lines(user, period)
    assert str(CAVEAT) in " ".join(pages[1].split())
    # The known effect (twice the episodes with 3+ caffeine drinks) is there with its range.
    coffee = next(line for line in table_lines(pages[1]) if line.startswith("3 or more"))
    with_coffee = DayLog.objects.filter(user=user, caffeine__gte=3).count()
    assert coffee.startswith(f"3 or more caffeine drinks {with_coffee} ")
    assert coffee.endswith(")")
    assert "–" in coffee
    # The wording rules: no verdict and no cause ("diagnosis" only in the footer's disclaimer).
    words = pages[1].replace(str(report.DISCLAIMER), "")
    assert not forbidden_words(words)
    for word in ("causes", "caused", "because of", "triggered by", "due to", "leads to"):
        assert word not in words.lower()


def test_pdf_exposures_count_only_the_owners_check_ins(user, other_user):
    """The other person's 120 check-ins and episodes never reach my table."""
    known_effect_diary(other_user, days=120)
    period = short_diary(user, 8, 9)
    rows = table_lines(pages_text(build(user, period))[1])
    assert rows == expected_lines(user, period)
    assert rows[3] == "3 or more caffeine drinks 8 3.0 9 1.0 3.0 (3.0–3.0)"
    # No answer about sleep in my check-ins; the other person's answers do not fill it in.
    assert rows[1] == "Short night (under 6 h) 0 – 0 – Not enough days yet"


def test_pdf_exposures_say_not_enough_days_below_seven_a_side(user):
    period = short_diary(user, 6, 20)
    rows = table_lines(pages_text(build(user, period))[1])
    assert rows[3] == "3 or more caffeine drinks 6 3.0 20 1.0 Not enough days yet"
    assert rows == expected_lines(user, period)


def test_pdf_exposures_give_a_ratio_at_seven_a_side(user):
    period = short_diary(user, 7, 7)
    rows = table_lines(pages_text(build(user, period))[1])
    assert rows[3] == "3 or more caffeine drinks 7 3.0 7 1.0 3.0 (3.0–3.0)"


def test_pdf_has_no_exposures_table_without_check_ins(user, other_user):
    known_effect_diary(other_user, days=30)  # someone else's check-ins do not make it appear
    today = local_today(user)
    period = insights.Period(first=today - timedelta(days=14), last=today, zone=user.profile.zone)
    for i in range(10):
        add_episodes(user, period.first + timedelta(days=i), 2)
    # A check-in for today only: today is not over, so nothing can be compared yet.
    DayLog.objects.create(user=user, date=today, caffeine=4)
    pages = pages_text(build(user, period))
    assert all(str(TABLE_TITLE) not in page for page in pages)
    assert all(str(CAVEAT) not in " ".join(page.split()) for page in pages)
    assert lines(pages[1])[0] == "Week by week"  # page 2 opens as it did before check-ins


def test_pdf_without_episodes_leaves_the_comparisons_out(user, django_assert_num_queries):
    """Check-ins but no episode: page 1 says so and no page follows, so no comparison is run."""
    today = local_today(user)
    period = insights.Period(first=today - timedelta(days=20), last=today, zone=user.profile.zone)
    for i in range(14):
        DayLog.objects.create(user=user, date=period.first + timedelta(days=i), caffeine=i % 4)
    data = report.collect(user, period, today=today)
    assert data.exposures == []
    assert not data.has_check_ins
    pages = pages_text(report.render(report.document(data)))
    assert len(pages) == 1
    assert str(TABLE_TITLE) not in pages[0]


def test_pdf_exposures_cost_two_queries_with_check_ins_and_one_without(
    user, other_user, django_assert_num_queries
):
    """
    The comparisons (diary/insights/exposures.py): the check-ins, then the episodes per day if
    there are any check-ins to compare; however many there are.
    """
    today = local_today(user)
    period = insights.Period(first=today - timedelta(days=70), last=today, zone=user.profile.zone)
    for i in range(10):
        add_episodes(other_user, period.first + timedelta(days=i), 1)
    with django_assert_num_queries(8) as without:
        report.collect(other_user, period, today=today)
    known_effect_diary(user, days=70)
    with django_assert_num_queries(9) as with_check_ins:
        data = report.collect(user, period, today=today)
    assert len(data.exposures) == len(exposures.EXPOSURES)
    assert data.has_check_ins
    compared = [q["sql"] for q in with_check_ins.captured_queries if "daylog" in q["sql"]]
    assert len(compared) == 1  # exposure_comparisons ran once
    assert len(without.captured_queries) + 1 == len(with_check_ins.captured_queries)


def test_report_preview_runs_no_comparison(user, django_assert_num_queries):
    period = known_effect_diary(user, days=30)
    with django_assert_num_queries(4) as queries:
        data = report.collect(user, period, today=local_today(user), appendix=False)
    assert data.exposures == []
    assert not any("daylog" in q["sql"] for q in queries.captured_queries)


@pytest.fixture
def full_page_one_user():
    """The demo's 12 weeks (episodes and check-ins) and a full page 1: every section filled."""
    user, _ = demo.create_demo_user("full-page-one")
    zone = user.profile.zone
    yesterday = local_today(user) - timedelta(days=1)
    end = datetime.combine(yesterday, time(22, 30), tzinfo=zone)
    demo.generate_episodes(user, weeks=12, seed=demo.DEFAULT_SEED, end=end)
    generate_check_ins(user, weeks=12, seed=demo.DEFAULT_SEED, end=end)
    demo.fill_about(user)  # every question answered, medicines and tests included
    profile = user.profile
    profile.questions = "Is an EMG useful at this point?\nLAST-LINE-OF-PAGE-ONE"
    profile.save()
    FunctionCheck.objects.create(user=user, date=yesterday - timedelta(days=20))
    FunctionCheck.objects.create(
        user=user,
        date=yesterday - timedelta(days=2),
        grip=True,
        grip_note="Jar lids feel harder after a long day",
        note="Calf feels tired on the stairs after running",
    )
    return user, insights.Period.last_weeks(12, yesterday, zone)


@pytest.mark.now("2026-12-09T12:00")  # the demo's draws follow the weekdays: one diary
def test_pdf_page_one_stays_one_page_with_the_table(full_page_one_user):
    user, period = full_page_one_user
    content = build(user, period)
    pages = pages_text(content)
    # Page 1 ends with its last section; the table opens page 2, nothing of page 1 spills.
    assert "LAST-LINE-OF-PAGE-ONE" in pages[0]
    assert "Appointment notes" not in pages[1]
    assert lines(pages[1])[0] == str(TABLE_TITLE)
    assert table_lines(pages[1]) == expected_lines(user, period)
    # The whole table, note included, is on page 2 and the week-by-week table follows it.
    assert "Week by week" in pages[1]
    with pikepdf.open(io.BytesIO(content)) as pdf:
        elements = structure(pdf)
        kinds = Counter(str(e.S) for e in elements)
        assert kinds["/Table"] == 6  # sites, symptoms, triggers; exposures, weeks, notes
        assert kinds["/H1"] == 4  # the title, exposures, week by week, notes
        headers = [e for e in elements if e.S == "/TH"]
        # Each table's header row is tagged as column headers, the exposures' six included.
        assert len(headers) >= 5 + 2 + 2 + len(TABLE_HEADER) + 7 + 3
        for header in headers:
            attributes = header.A if isinstance(header.A, pikepdf.Array) else [header.A]
            assert any(a.get("/Scope") == "/Column" for a in attributes)


def test_pdf_with_the_table_still_embeds_only_the_bundled_fonts(user):
    period = known_effect_diary(user, days=30)
    with pikepdf.open(io.BytesIO(build(user, period))) as pdf:
        fonts = {
            str(font.BaseFont).split("+", 1)[1]
            for page in pdf.pages
            for font in page.Resources.Font.values()
        }
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                assert "/FontFile2" in descendant.FontDescriptor  # embedded
    assert fonts <= {"DejaVuSans", "DejaVuSans-Bold", "WenQuanYiMicroHei"}


def test_pdf_exposure_section_blocks(user, other_user):
    """The builder on its own: no check-ins, no blocks; with them, title, caveat, table, note."""
    today = local_today(user)
    period = insights.Period(first=today - timedelta(days=14), last=today, zone=user.profile.zone)
    add_episodes(other_user, period.first, 2)
    assert daily_exposures(report.collect(other_user, period, today=today)) == []
    data = report.collect(user, short_diary(user, 7, 7), today=today)
    found = daily_exposures(data)
    assert [b["kind"] for b in found] == ["heading", "para", "table", "para"]
    assert found[0]["text"] == str(TABLE_TITLE)
    assert [found[2]["header"], *found[2]["rows"]] == comparison_rows(data.exposures)
