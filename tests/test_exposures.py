"""
"What goes with more twitching?" (diary/insights/exposures.py): a synthetic diary with a known
effect (twice as many episodes on days with 3+ caffeine drinks, none from alcohol), unknown days
left out, the threshold, the day after, other users, the page section and the PDF rows.
"""

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.utils import timezone

from diary.insights import Period, exposures
from diary.insights.exposures import MIN_DAYS, exposure_comparisons
from diary.lib.clock import local_midnight
from diary.models import Episode, data_changed
from diary.models.checkins import DayLog
from diary.report.exposures import TABLE_HEADER, comparison_rows
from tests.factories import EpisodeFactory
from tests.test_wording import forbidden_words

pytestmark = pytest.mark.django_db

DAYS = 120


def local_today(user) -> date:
    return timezone.now().astimezone(user.profile.zone).date()


def add_episodes(user, day: date, count: int) -> None:
    """`count` episodes at noon on local `day` (bulk: skips save(), so the local fields and the
    per-day summary are set here, as every bulk writer must)."""
    noon = local_midnight(day, user.profile.zone) + timedelta(hours=12)
    episodes = [
        Episode(
            user=user,
            started_at=noon + timedelta(minutes=i),
            timezone=user.profile.timezone,
            local_date=day,
            duration=timedelta(seconds=5),
        )
        for i in range(count)
    ]
    for episode in episodes:
        episode.set_local_fields()
    Episode.objects.bulk_create(episodes)
    data_changed(user, [day])


def poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method: enough for small means, and no numpy needed in the test's own data."""
    limit, k, p = pow(2.718281828459045, -lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def known_effect_diary(user, days: int = DAYS, seed: int = 5) -> Period:
    """
    `days` complete days ending yesterday, each with a check-in: 3+ caffeine drinks on every
    third day, alcohol at random; episodes ~Poisson(3), twice that with 3+ caffeine drinks.
    """
    rng = random.Random(seed)
    today = local_today(user)
    first = today - timedelta(days=days)
    logs = []
    for i in range(days):
        day = first + timedelta(days=i)
        coffee = 3 + i % 2 if i % 3 == 0 else i % 3
        alcohol = rng.choice([0, 0, 1, 2, 3])
        logs.append(DayLog(user=user, date=day, caffeine=coffee, alcohol=alcohol))
        add_episodes(user, day, poisson(rng, 6 if coffee >= 3 else 3))
    DayLog.objects.bulk_create(logs)
    return Period(first=first, last=today, zone=user.profile.zone)


def by_key(user, period) -> dict[str, exposures.Comparison]:
    return {c.key: c for c in exposure_comparisons(user, period)}


def test_known_effect_is_found_and_no_effect_is_not(user):
    period = known_effect_diary(user)
    found = by_key(user, period)
    coffee, alcohol = found["caffeine"], found["alcohol"]
    assert coffee.exposed.days == DAYS // 3
    assert coffee.unexposed.days == DAYS - DAYS // 3
    assert coffee.low < 2 < coffee.high
    assert coffee.low > 1  # more, and clearly so: the interval stays above 1
    assert 1.6 < coffee.ratio < 2.5
    assert alcohol.low < 1 < alcohol.high
    # Nothing answered about sleep: left out, not counted as "no".
    assert found["short_night"].exposed.days == found["short_night"].unexposed.days == 0
    assert not found["short_night"].enough


def test_intervals_are_reproducible_and_kept_by_their_days(user):
    """The fixed seed gives the same interval for the same days: kept, and the same again."""
    period = known_effect_diary(user)
    exposures._interval.cache_clear()
    first = [(c.ratio, c.low, c.high) for c in exposure_comparisons(user, period)]
    computed = exposures._interval.cache_info().misses
    assert computed >= 2
    second = [(c.ratio, c.low, c.high) for c in exposure_comparisons(user, period)]
    assert exposures._interval.cache_info().hits == computed  # nothing computed again
    exposures._interval.cache_clear()
    third = [(c.ratio, c.low, c.high) for c in exposure_comparisons(user, period)]
    assert first == second == third
    # A day more on one side is another key: computed, not taken from the kept ones.
    add_episodes(user, period.first, 3)
    fourth = [(c.ratio, c.low, c.high) for c in exposure_comparisons(user, period)]
    assert exposures._interval.cache_info().misses > computed
    assert fourth != third


def test_averages_and_shares_are_the_plain_numbers(user):
    today = local_today(user)
    period = Period(first=today - timedelta(days=20), last=today, zone=user.profile.zone)
    for i in range(14):
        day = period.first + timedelta(days=i)
        stressed = i < 7
        DayLog.objects.create(user=user, date=day, stress="high" if stressed else "low")
        add_episodes(user, day, (4 if i % 2 else 2) if stressed else (1 if i % 2 else 0))
    stress = by_key(user, period)["stress"]
    assert (stress.exposed.days, stress.unexposed.days) == (7, 7)
    assert stress.exposed.counts == (2, 4, 2, 4, 2, 4, 2)
    assert stress.exposed.mean == pytest.approx(20 / 7)
    assert stress.unexposed.mean == pytest.approx(4 / 7)
    assert stress.ratio == pytest.approx(5)
    assert (stress.exposed.twitch_days, stress.unexposed.twitch_days) == (7, 4)
    assert stress.share_text == (
        "Any twitching on 7 of 7 days (100%) with, 4 of 7 days (57%) without."
    )


def test_unknown_answers_are_left_out(user):
    period = known_effect_diary(user, days=60)
    before = by_key(user, period)["caffeine"]
    # Take the caffeine answer back on ten days: those days leave that comparison only.
    days = list(DayLog.objects.filter(user=user).order_by("date")[:10].values_list("pk", flat=True))
    DayLog.objects.filter(pk__in=days).update(caffeine=None)
    after = by_key(user, period)
    assert after["caffeine"].exposed.days + after["caffeine"].unexposed.days == 50
    assert before.exposed.days + before.unexposed.days == 60
    assert after["alcohol"].exposed.days + after["alcohol"].unexposed.days == 60


def test_days_without_a_check_in_do_not_count(user):
    """Episodes logged before the first check-in, or on days without one, are not "without"."""
    today = local_today(user)
    period = Period(first=today - timedelta(days=60), last=today, zone=user.profile.zone)
    for i in range(30):  # a month of logging before check-ins began
        add_episodes(user, period.first + timedelta(days=i), 5)
    for i in range(30, 44):
        day = period.first + timedelta(days=i)
        DayLog.objects.create(user=user, date=day, hard_exercise=i % 2 == 0)
        add_episodes(user, day, 2)
    exercise = by_key(user, period)["hard_exercise"]
    assert (exercise.exposed.days, exercise.unexposed.days) == (7, 7)
    assert exercise.exposed.mean == exercise.unexposed.mean == 2
    assert exercise.ratio == 1
    assert (exercise.low, exercise.high) == (1, 1)
    assert "about 1.0 times as many (plausible range 1.0–1.0)" in exercise.text


def test_not_enough_days_gives_no_ratio(user):
    today = local_today(user)
    period = Period(first=today - timedelta(days=40), last=today, zone=user.profile.zone)
    for i in range(35):
        day = period.first + timedelta(days=i)
        DayLog.objects.create(user=user, date=day, sleep=4 if i < 5 else 7)
        add_episodes(user, day, 3 if i < 5 else 1)
    night = by_key(user, period)["short_night"]
    assert (night.exposed.days, night.unexposed.days) == (5, 30)
    assert night.ratio is None
    assert night.low is None
    assert night.text == "Not enough days to compare yet (5 with, 30 without; 7 of each needed)."
    assert comparison_rows([night])[1] == [
        "Short night (under 6 h)",
        "5",
        "3.0",
        "30",
        "1.0",
        "Not enough days yet",
    ]
    assert MIN_DAYS == 7


def test_the_day_after_counts_the_next_days_episodes(user):
    today = local_today(user)
    period = Period(first=today - timedelta(days=30), last=today, zone=user.profile.zone)
    # Short nights on even days; the day after each has 4 episodes, the rest 1.
    for i in range(28):
        day = period.first + timedelta(days=i)
        DayLog.objects.create(user=user, date=day, sleep=5 if i % 2 == 0 else 8)
        add_episodes(user, day, 4 if i % 2 == 1 else 1)
    found = by_key(user, period)
    same_day, next_day = found["short_night"], found["short_night_next_day"]
    assert same_day.exposed.mean == 1
    assert same_day.unexposed.mean == 4
    assert next_day.exposed.mean == 4
    # The last check-in's next day (day 28) has no episodes: it counts as 0 there.
    assert next_day.unexposed.counts.count(0) == 1
    assert next_day.text.startswith(
        "On the second day after a short night (under 6 h) you logged on average 4.0 episodes"
    )


@pytest.mark.calendar
def test_today_is_left_out_until_it_is_over(user):
    today = local_today(user)
    period = Period(first=today - timedelta(days=1), last=today, zone=user.profile.zone)
    DayLog.objects.create(user=user, date=today, caffeine=4)
    DayLog.objects.create(user=user, date=today - timedelta(days=1), caffeine=4)
    coffee = by_key(user, period)["caffeine"]
    assert coffee.exposed.days == 1
    only_today = Period(first=today, last=today, zone=user.profile.zone)
    assert all(c.exposed.days == 0 for c in exposure_comparisons(user, only_today))


def test_no_episodes_on_other_days_gives_no_ratio(user):
    today = local_today(user)
    period = Period(first=today - timedelta(days=20), last=today, zone=user.profile.zone)
    for i in range(14):
        day = period.first + timedelta(days=i)
        DayLog.objects.create(user=user, date=day, unwell=i < 7)
        if i < 7:
            add_episodes(user, day, 2)
    unwell = by_key(user, period)["unwell"]
    assert unwell.ratio is None
    assert unwell.text.endswith("on other days 0.0 (7 days), so there is no ratio to give.")
    assert comparison_rows([unwell])[1][-1] == "No ratio (none on other days)"


def test_sparse_days_can_give_a_range_too_wide_to_state(user):
    """One episode in 7 "without" days: some resamples have none there, so no upper end."""
    today = local_today(user)
    period = Period(first=today - timedelta(days=20), last=today, zone=user.profile.zone)
    for i in range(14):
        day = period.first + timedelta(days=i)
        DayLog.objects.create(user=user, date=day, new_medicine=i < 7)
        add_episodes(user, day, 3 if i < 7 else int(i == 13))
    medicine = by_key(user, period)["new_medicine"]
    assert medicine.ratio == pytest.approx(21)
    assert medicine.high is None
    assert "the range is too wide to give yet" in medicine.text
    assert comparison_rows([medicine])[1][-1] == "21.0 (range too wide)"


def test_other_users_check_ins_and_episodes_never_count(user, other_user):
    period = known_effect_diary(other_user)
    mine = Period(first=period.first, last=period.last, zone=user.profile.zone)
    for c in exposure_comparisons(user, mine):
        assert c.exposed.days == c.unexposed.days == 0
    # And their episodes do not land on my check-in days.
    DayLog.objects.create(user=user, date=period.first, caffeine=4)
    assert by_key(user, mine)["caffeine"].exposed.counts == (0,)


def test_comparisons_cost_two_queries(user, django_assert_num_queries):
    period = known_effect_diary(user, days=30)
    with django_assert_num_queries(2):
        exposure_comparisons(user, period)


def test_comparisons_without_check_ins_cost_one_query(user, django_assert_num_queries):
    period = known_effect_diary(user, days=30)
    DayLog.objects.filter(user=user).delete()
    with django_assert_num_queries(1):
        comparisons = exposure_comparisons(user, period)
    assert all(c.exposed.days == c.unexposed.days == 0 for c in comparisons)


def test_comparisons_count_each_days_episodes_as_the_episodes_table_does(user):
    """The per-day counts come from the day summary: the same as counting the episodes."""
    period = known_effect_diary(user, days=30)
    add_episodes(user, period.first + timedelta(days=2), 4)
    for episode in Episode.objects.for_user(user).filter(
        local_date=period.first + timedelta(days=5)
    ):
        episode.soft_delete()  # a day whose episodes are all deleted counts 0
    last = exposures.last_complete_day(period)
    per_day = Counter(
        Episode.objects.for_user(user)
        .on_local_dates(period.first, last)
        .values_list("local_date", flat=True)
    )
    answered = DayLog.objects.for_user(user).filter(caffeine__isnull=False)
    expected = [per_day[d] for d in answered.values_list("date", flat=True) if d <= last]
    coffee = by_key(user, period)["caffeine"]
    assert sorted(coffee.exposed.counts + coffee.unexposed.counts) == sorted(expected)


def test_comparison_rows_for_the_pdf(user):
    period = known_effect_diary(user)
    rows = comparison_rows(exposure_comparisons(user, period))
    assert rows[0] == TABLE_HEADER
    assert len(rows) == 1 + len(exposures.EXPOSURES)
    assert all(isinstance(cell, str) for row in rows for cell in row)
    coffee = next(row for row in rows if row[0] == "3 or more caffeine drinks")
    assert coffee[1] == str(DAYS // 3)
    assert coffee[-1].count("–") == 1
    assert "(" in coffee[-1]


# --- The section on /trends/ ---


def section(html: str) -> str:
    start = html.index('aria-labelledby="comparisons-heading"')
    return html[start : html.index("</section>", start)]


def test_trends_section_states_the_findings(owner_client, user):
    known_effect_diary(user, days=70)
    html = section(owner_client.get("/trends/?weeks=12").content.decode())
    assert "What goes with more twitching?" in html
    assert "On days with 3 or more caffeine drinks you logged on average" in html
    assert "times as many (plausible range" in html
    assert "Not enough days to compare yet (0 with, 0 without; 7 of each needed)." in html
    assert "not an experiment" in html
    assert "some differences show up by coincidence alone" in html


def test_trends_section_wording(owner_client, user):
    known_effect_diary(user, days=70)
    DayLog.objects.filter(user=user).update(sleep=4, stress="high", unwell=True)
    html = section(owner_client.get("/trends/?weeks=12").content.decode())
    assert not forbidden_words(html)
    for word in ("causes", "caused", "because of", "triggered by", "due to", "leads to"):
        assert word not in html.lower()
    assert "danger" not in html
    assert "alert" not in html
    assert "warn" not in html


def test_trends_section_counts_only_the_owner(owner_client, user, other_user):
    known_effect_diary(other_user, days=70)
    # The owner has logged for longer than a week (a newer diary gets a panel instead).
    EpisodeFactory(user=user, started_at=timezone.now() - timedelta(days=30))
    html = section(owner_client.get("/trends/?weeks=12").content.decode())
    assert "you logged on average" not in html
    assert html.count("Not enough days to compare yet (0 with, 0 without") == len(
        exposures.EXPOSURES
    )


def test_example_sentence_shape():
    """The sentence reads as the issue asks: numbers, days on each side, ratio and range."""
    exposure = exposures.EXPOSURES[0]
    c = exposures.Comparison(
        exposure,
        exposures.Group((6,) * 14),
        exposures.Group((3,) * 40),
        ratio=1.9,
        low=1.3,
        high=2.8,
    )
    assert c.text == (
        "On days after a short night (under 6 h) you logged on average 6.0 episodes (14 days); "
        "on other days 3.0 (40 days): about 1.9 times as many (plausible range 1.3–2.8)."
    )
