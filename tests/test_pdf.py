"""
The doctor summary PDF (diary/report/), read back with pypdf: page 1 states exactly the
numbers insights.py and the database give; other people's and deleted episodes never show;
notes in any script (CJK included), and notes that look like markup, print as typed; long logs
flow over many pages with their header repeated and are capped; the wording rules hold on
every page. The file's conformance (tags, fonts, metadata) is in tests/test_pdf_standards.py.
"""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.db.models import Count

from diary import insights, report
from diary.demo import generate_episodes
from diary.models import FUNCTION_TASKS, SYMPTOMS, Episode, FunctionCheck
from tests.factories import EpisodeFactory, UserFactory

LONDON = ZoneInfo("Europe/London")
PERIOD = insights.Period(first=date(2026, 3, 2), last=date(2026, 3, 29), zone=LONDON)
TODAY = date(2026, 4, 2)

POLISH = "Zażółć gęślą jaźń: drżenie łydki"
GREEK = "Ελληνικά: σύσπαση στη γάμπα"
CYRILLIC = "Кириллица: подёргивание икры"
MARKUP = "<b>not bold</b> & <script>alert(1)</script> &amp; <br/> <font color=red>x</font>"

pytestmark = pytest.mark.django_db


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


# The isolates around typed text (report.text.FSI, PDI) are in the text layer too, invisible;
# pypdf also reads one glued to a glyph's first use into every later use of that glyph.
ISOLATES = str.maketrans("", "", "\u2066\u2067\u2068\u2069")


def pages_text(content: bytes) -> list[str]:
    """Each page's text as pypdf extracts it, without the invisible isolates."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return [page.extract_text().translate(ISOLATES) for page in reader.pages]


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


@pytest.fixture
def patient():
    """A known diary over PERIOD, plus rows that must never count."""
    user = UserFactory(timezone="Europe/London")
    profile = user.profile
    profile.display_name = "Zofia Wójcik"
    profile.medicines = "Magnesium 300 mg\nSertraline 50 mg since <January>"
    profile.tests_done = "Blood tests (CK, B12) in February"
    profile.questions = "Do I need an EMG?"
    profile.save()
    # Before the period: sets "first logged" but no number on page 1.
    EpisodeFactory(user=user, started_at=at("2026-02-20 09:00"), sites=["calf-left"])
    EpisodeFactory(
        user=user,
        started_at=at("2026-03-02 08:00"),
        sites=["calf-left"],
        triggers=["caffeine"],
        weakness=True,
        intensity=2,
        notes=POLISH,
    )
    EpisodeFactory(
        user=user,
        started_at=at("2026-03-02 21:15"),
        sites=["calf-left", "forearm-right"],
        triggers=["caffeine", "stress"],
        cramps=True,
        duration=timedelta(minutes=2),
    )
    EpisodeFactory(
        user=user,
        started_at=at("2026-03-10 10:00"),
        sites=["thigh-left"],
        triggers=["lack-of-sleep"],
        fatigue=True,
        cramps=True,
        notes=GREEK,
    )
    EpisodeFactory(
        user=user, started_at=at("2026-03-20 07:30"), sites=["calf-right"], notes=CYRILLIC
    )
    # Sunday 23:30 local: still in the period's last week and on its last day.
    EpisodeFactory(
        user=user,
        started_at=at("2026-03-29 23:30"),
        sites=["eyelid-left"],
        notes=MARKUP + "\x07\x1b[31m",
    )
    deleted = EpisodeFactory(
        user=user, started_at=at("2026-03-15 12:00"), sites=["tongue"], notes="DELETED-NOTE"
    )
    deleted.soft_delete()
    stranger = UserFactory(timezone="Europe/London")
    EpisodeFactory(
        user=stranger,
        started_at=at("2026-03-16 12:00"),
        sites=["tongue"],
        weakness=True,
        notes="OTHER-PERSON-NOTE",
    )
    # After the period: never counted.
    EpisodeFactory(user=user, started_at=at("2026-03-30 00:30"), sites=["jaw-left"])
    FunctionCheck.objects.create(
        user=user, date=date(2026, 3, 5), walking=True, walking_note="OLDER-CHECK"
    )
    FunctionCheck.objects.create(
        user=user, date=date(2026, 3, 26), grip=True, grip_note="Jar lids harder", speech=False
    )
    FunctionCheck.objects.create(
        user=user, date=date(2026, 4, 1), swallowing=True, swallowing_note="AFTER-THE-PERIOD"
    )
    return user


@pytest.fixture
def report_pages(patient) -> list[str]:
    return pages_text(report.build_pdf(patient, PERIOD, today=TODAY))


def test_pdf_page_one_numbers_equal_insights_and_database(patient, report_pages):
    page1 = report_pages[0]
    overview = insights.overview(patient, PERIOD)
    in_period = Episode.objects.for_user(patient).in_range(PERIOD.start, PERIOD.end)
    days = {e.started_at.astimezone(LONDON).date() for e in in_period}

    # The database, counted independently of insights.py.
    assert in_period.count() == overview.summary.episodes == 5
    assert len(days) == overview.summary.days_with_twitching == 4
    assert overview.summary.first_logged == date(2026, 2, 20)

    assert f"{overview.summary.days_with_twitching} of {PERIOD.days}" in page1
    assert "days with twitching in the period" in page1
    assert f"{overview.summary.episodes}\nepisodes logged" in page1
    assert "First logged 20 Feb 2026" in page1
    assert "2 Mar 2026 – 29 Mar 2026 (28 days)" in page1
    assert "Generated 2 Apr 2026" in page1
    assert "Zofia Wójcik" in page1


def test_pdf_page_one_sites_table_matches_each_site(patient, report_pages):
    page1 = lines(report_pages[0])
    overview = insights.overview(patient, PERIOD)
    by_site = dict(
        in_period_sites := Episode.objects.for_user(patient)
        .in_range(PERIOD.start, PERIOD.end)
        .values_list("sites__code")
        .annotate(n=Count("id"))
    )
    assert by_site == {row.code: row.count for row in overview.sites}
    assert len(in_period_sites) == 5  # calf L, calf R, forearm R, thigh L, eyelid L
    for row in overview.sites:
        # A table row comes out as one line, its cells separated by spaces.
        cells = [
            row.name,
            row.region_label,
            report.fmt_date(row.first_seen),
            report.fmt_date(row.last_seen),
            str(row.count),
        ]
        assert " ".join(cells) in page1
    assert "Left calf Legs & feet 2 Mar 2026 2 Mar 2026 2" in page1
    # Plain names everywhere; no count of regions "(of 4)": it reads like a score.
    assert "Regions involved: Head & face, Neck & arms, Legs & feet" in report_pages[0]
    assert "(of 4)" not in report_pages[0]
    assert "5\nbody sites with twitching" in report_pages[0]


def test_pdf_page_one_symptoms_and_triggers_with_counts(patient, report_pages):
    page1 = lines(report_pages[0])
    overview = insights.overview(patient, PERIOD)
    episodes = Episode.objects.for_user(patient).in_range(PERIOD.start, PERIOD.end)
    for field, label in SYMPTOMS.items():
        expected = episodes.filter(**{field: True}).count()
        assert overview.symptoms[field] == expected
        assert f"{label} {expected}" in page1
    assert [(t.name, t.count) for t in overview.triggers] == [
        ("Caffeine", 2),
        ("Lack of sleep", 1),
        ("Stress", 1),
    ]
    for trigger in overview.triggers:
        assert f"{trigger.name} {trigger.count}" in page1


def test_pdf_page_one_function_check_facts_and_notes(patient, report_pages):
    page1 = report_pages[0]
    flat = " ".join(page1.split())
    # The latest check in the period, its "yes" answers only; not the older or later checks.
    # Compared with the check before it (5 Mar), and counted of the answered tasks.
    assert (
        "Latest check in the period: 26 Mar 2026, compared with the previous check on 5 Mar 2026."
        in flat
    )
    assert "Marked new or worse since the previous check: 1 of 2 tasks answered (7 not" in flat
    assert "Grip: opening jars, doing up buttons, turning keys: Jar lids harder" in page1
    assert "Speech" not in page1
    assert "OLDER-CHECK" not in page1
    assert "AFTER-THE-PERIOD" not in page1
    # For the clinician: "Points from the log", in the neutral wording, never "you".
    assert "Points from the log" in page1
    assert "Worth mentioning to your doctor" not in page1
    facts = insights.worth_mentioning(patient, PERIOD)
    assert facts
    for fact in facts:
        assert fact.document in flat
    assert not re.search(r"\byou(r)?\b", flat, re.IGNORECASE)
    # Medicines and tests are answers "About your twitching", typed lines joined on one.
    assert "Medicines and supplements: Magnesium 300 mg; Sertraline 50 mg since <January>" in page1
    assert "Tests already done: Blood tests (CK, B12) in February" in page1
    assert "Questions to ask: Do I need an EMG?" in page1


def test_pdf_function_check_with_nothing_new_says_so():
    """The first check asked what was new or worse lately: no "since the previous check"."""
    user = UserFactory(timezone="Europe/London")
    answers = dict.fromkeys(FUNCTION_TASKS, False) | {"speech": None}
    FunctionCheck.objects.create(
        user=user, date=date(2026, 3, 9), note="Slept badly <all week>", **answers
    )
    page1 = " ".join(pages_text(report.build_pdf(user, PERIOD, today=TODAY))[0].split())
    assert (
        "Latest check in the period: 9 Mar 2026, the first check, asking what was new or worse "
        "lately." in page1
    )
    assert "Nothing marked new or worse lately: 8 of 9 tasks answered." in page1
    assert "previous check" not in page1
    assert "Also noted: Slept badly <all week>" in page1


def test_pdf_prints_a_function_check_note_written_against_a_no():
    """The note was saved and shown on the form, but the PDF printed "yes" answers only."""
    user = UserFactory(timezone="Europe/London")
    FunctionCheck.objects.create(
        user=user,
        date=date(2026, 3, 9),
        handwriting=False,
        handwriting_note="Slower, <not sure> it is new",
        speech_note="Hoarse after the cold",
    )
    page1 = " ".join(pages_text(report.build_pdf(user, PERIOD, today=TODAY))[0].split())
    assert "Nothing marked new or worse lately: 1 of 9 tasks answered." in page1
    assert "Handwriting (answered no): Slower, <not sure> it is new" in page1
    assert "Speech (slurred or changed) (not answered): Hoarse after the cold" in page1


def test_pdf_weekly_chart_and_table_use_every_week(patient, report_pages):
    weeks = insights.weekly(patient, PERIOD)
    assert [w.start for w in weeks] == PERIOD.weeks
    assert [w.episodes for w in weeks] == [2, 1, 1, 1]
    page1 = report_pages[0]
    for week in weeks:
        assert report.fmt_short(week.start) in page1  # the chart's category labels
    page2 = lines(report_pages[1])
    for week in weeks:
        row = f"{report.fmt_date(week.start)} {week.episodes} {week.days} "
        assert any(line.startswith(row) for line in page2), row


def test_pdf_leaves_out_other_people_and_deleted_episodes(patient):
    text = "\n".join(pages_text(report.build_pdf(patient, PERIOD, today=TODAY, full_log=True)))
    assert "OTHER-PERSON-NOTE" not in text
    assert "DELETED-NOTE" not in text
    assert "Tongue" not in text  # only the deleted and the other person's episodes were there
    assert "Left jaw" not in text  # after the period
    assert "Full episode log (5 episodes)" in text


def test_pdf_prints_notes_in_any_script_and_markup_literally(report_pages):
    text = "\n".join(report_pages)
    for note in (POLISH, GREEK, CYRILLIC):
        assert note in text
    flat = " ".join(text.split())
    assert " ".join(MARKUP.split()) in flat
    # Control characters, which no font can draw, come out as the replacement character.
    assert "\ufffd\ufffd[31m" in flat
    assert "\x07" not in text
    assert "\x1b" not in text


def test_pdf_uses_only_the_bundled_fonts(patient):
    content = report.build_pdf(patient, PERIOD, today=TODAY, full_log=True)
    fonts = set()
    for page in pypdf.PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+", 1)[1])
    assert fonts == {"DejaVuSans", "DejaVuSans-Bold"}


def test_pdf_prints_chinese_japanese_and_korean_notes():
    """DejaVu Sans has no CJK glyphs: the bundled WenQuanYi Micro Hei draws them."""
    user = UserFactory(timezone="Europe/London")
    notes = ["小腿抽搐，喝咖啡以后", "ふくらはぎがぴくぴくする", "종아리 경련이 있었다"]
    for day, note in enumerate(notes, start=3):
        EpisodeFactory(user=user, started_at=at(f"2026-03-{day:02} 10:00"), notes=note)
    content = report.build_pdf(user, PERIOD, today=TODAY)
    text = "\n".join(pages_text(content))
    for note in notes:
        assert note in text
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[1]
        for page in pypdf.PdfReader(io.BytesIO(content)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert "WenQuanYiMicroHei" in fonts


def test_pdf_every_page_has_the_disclaimer_and_page_numbers(patient):
    pages = pages_text(report.build_pdf(patient, PERIOD, today=TODAY, full_log=True))
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert str(report.DISCLAIMER) in text
        assert f"Page {number} of {len(pages)}" in text


def test_pdf_wording_rules(patient):
    """No scores or verdicts; "diagnosis" only in the disclaimer; everything self-reported."""
    pages = pages_text(report.build_pdf(patient, PERIOD, today=TODAY, full_log=True))
    text = "\n".join(pages)
    assert text.count(str(report.DISCLAIMER)) == len(pages)
    # The same words docs/wording.md rules out everywhere (tests/test_wording.py), and no disease.
    forbidden = re.compile(
        r"\b(risks?|risky|(un)?likel(y|ihood)|probab\w*|chances?|odds|scores?|scored|scoring"
        r"|diagnos\w*|ALS|MND)\b",
        re.IGNORECASE,
    )
    assert forbidden.findall(text.replace(str(report.DISCLAIMER), "")) == []
    assert "self-reported" in pages[0].lower()


def test_pdf_empty_period_is_a_valid_pdf_that_says_so():
    user = UserFactory(timezone="Europe/London")
    content = report.build_pdf(user, PERIOD, today=TODAY, full_log=True)
    assert content.startswith(b"%PDF-")
    pages = pages_text(content)
    assert len(pages) == 1
    assert str(report.NO_EPISODES) in pages[0]
    assert "days with twitching: not logging yet" in pages[0]  # not "0 of 28 days"
    assert "First logged —" in pages[0]
    assert "Page 1 of 1" in pages[0]


def test_pdf_survives_pathological_notes():
    """A note that is one long word, or a thousand lines, still prints whole (rows may break)."""
    user = UserFactory(timezone="Europe/London")
    EpisodeFactory(
        user=user, started_at=at("2026-03-03 10:00"), notes="W" * 2000, duration=timedelta(hours=2)
    )
    EpisodeFactory(user=user, started_at=at("2026-03-04 10:00"), notes="line\n" * 399)
    EpisodeFactory(user=user, started_at=at("2026-03-05 10:00"), notes="漢字" * 1000)
    EpisodeFactory(user=user, started_at=at("2026-03-06 10:00"), notes="emoji 🫠 \U0010fffd end")
    pages = pages_text(report.build_pdf(user, PERIOD, today=TODAY, full_log=True))
    text = "\n".join(pages)
    # Every character of the long notes is there (wrapped, and split where a page breaks).
    assert text.count("W") >= 2000
    assert text.count("漢字") >= 1000
    assert text.count("line") >= 399
    assert "2 h" in text
    # The emoji font draws the emoji; no bundled font has the private-use character: it is
    # printed as the replacement character, not dropped.
    assert "emoji 🫠 \ufffd end" in text


def test_pdf_plain_text_gives_long_words_break_opportunities():
    printable = report.text.printable
    assert printable("a" * 60) == "\u200b".join(["a" * 24, "a" * 24, "a" * 12])
    assert printable("short words stay as typed") == "short words stay as typed"
    assert printable("tab\there\r\nnext\x00") == "tab    here\nnext\ufffd"


def test_pdf_full_year_of_5000_episodes_prints_the_latest_2000():
    user = UserFactory(timezone="Europe/London")
    end = datetime(2026, 3, 29, 22, tzinfo=LONDON)
    assert generate_episodes(user, weeks=52, per_week=5000 / 52, seed=7, end=end) == 5000
    year = insights.Period(first=date(2025, 3, 31), last=date(2026, 3, 29), zone=LONDON)
    pages = pages_text(report.build_pdf(user, year, today=TODAY, full_log=True))
    text = "\n".join(pages)
    assert report.LOG_LIMIT == 2000
    assert "Full episode log (5,000 episodes)" in text
    flat = " ".join(text.split())
    assert "The latest 2,000 episodes are listed here; 3,000 earlier episodes were left out" in flat
    assert "All episodes are in the app's CSV download (Settings → Your data)." in flat
    header = "When Duration Body sites Strength Triggers Symptoms Twitch details Note"
    log_pages = [page for page in pages if header in " ".join(page.split())]
    assert len(log_pages) > 30, "the log's header row repeats on every page it covers"
    # The log ends with the period's last episode and starts with the 2,000th from the end.
    latest = Episode.objects.for_user(user).in_range(year.start, year.end).order_by("-started_at")
    first_listed, last_listed = latest[1999], latest[0]
    assert report.text.fmt_when(last_listed.started_at, LONDON) in log_pages[-1]
    assert report.text.fmt_when(first_listed.started_at, LONDON) in log_pages[0]
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_pdf_log_cap_counts_what_was_left_out(patient, monkeypatch):
    monkeypatch.setattr(report.context, "LOG_LIMIT", 3)
    data = report.collect(patient, PERIOD, today=TODAY, full_log=True)
    assert len(data.log) == 3
    assert data.log_total == 5
    assert data.log_left_out == 2
    # The latest three, oldest first; the notes list still has every noted episode.
    assert [e.started_at.astimezone(LONDON).day for e in data.log] == [10, 20, 29]
    assert len(data.episodes_with_notes) == 4
    text = " ".join(" ".join(pages_text(report.render(report.document(data)))).split())
    assert "Full episode log (5 episodes)" in text
    assert "The latest 3 episodes are listed here; 2 earlier episodes were left out" in text


def test_pdf_log_without_cap_needs_no_extra_query(patient, django_assert_num_queries):
    """
    Up to the cap, the episodes with notes come from the log already fetched. 8 queries: the
    "Daily exposures" comparisons add their one (the check-ins: this diary has none, so there
    are no episodes per day to count), once a report.
    """
    with django_assert_num_queries(8):
        data = report.collect(patient, PERIOD, today=TODAY, full_log=True)
    assert data.log_left_out == 0
    assert len(data.episodes_with_notes) == 4


def test_pdf_filename():
    assert report.filename(PERIOD) == "twitchlog-summary-2026-03-02_2026-03-29.pdf"


def test_pdf_page_one_renders_with_poppler(patient, tmp_path):
    """The PDF is valid for another reader too: poppler renders page 1 to a PNG."""
    source = tmp_path / "summary.pdf"
    source.write_bytes(report.build_pdf(patient, PERIOD, today=TODAY))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", source, tmp_path / "page"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    png = next(tmp_path.glob("page*.png"))
    assert png.read_bytes().startswith(b"\x89PNG")


def test_pdf_chart_axis_and_words_at_the_edges():
    assert report.chart.nice_step(3) == 1
    assert report.chart.nice_step(40_000) == 10_000
    assert report.chart.alt_text([]) == "Bar chart of episodes per week: no weeks in the period."

    class Week:
        start, episodes, logging = date(2026, 3, 2), 0, False

    assert report.chart.alt_text([Week()]) == (
        "Bar chart of episodes per week over 1 week, the first week not logging yet."
    )


def test_pdf_function_check_with_nothing_at_all_says_so():
    """A check saved with every task left "not sure" counts no task as "no"."""
    user = UserFactory(timezone="Europe/London")
    FunctionCheck.objects.create(user=user, date=date(2026, 3, 9))
    page1 = " ".join(pages_text(report.build_pdf(user, PERIOD, today=TODAY))[0].split())
    assert "Latest check in the period: 9 Mar 2026" in page1
    assert "None of the 9 tasks was answered." in page1
    assert "Nothing marked" not in page1
    assert "Also noted" not in page1


def test_pdf_prints_layout_markup_in_notes_and_names_literally():
    """Typed text reaches the layout as data: the layout language's own markup prints as typed."""
    user = UserFactory(timezone="Europe/London")
    typed = '= Heading *bold* _em_ #panic("x") $x^2$ `raw` @ref <label> \\ "quoted" // no'
    user.profile.display_name = "#set page(width: 1cm)"
    user.profile.save()
    EpisodeFactory(user=user, started_at=at("2026-03-03 10:00"), notes=typed)
    pages = pages_text(report.build_pdf(user, PERIOD, today=TODAY))
    flat = " ".join("\n".join(pages).split())
    assert typed in flat
    assert "#set page(width: 1cm)" in pages[0]


def test_pdf_footer_states_the_one_clock_rule(patient):
    """Every page says how days are counted: where each twitch was logged (the one clock)."""
    pages = pages_text(report.build_pdf(patient, PERIOD, today=TODAY, full_log=True))
    assert len(pages) > 1
    for page in pages:
        assert str(report.ONE_CLOCK) in " ".join(page.split())
