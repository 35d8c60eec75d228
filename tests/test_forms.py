"""Forms: the episode form's quick options and bounds, history filters, settings and sign-up."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django import forms as django_forms

from diary.forms import (
    EpisodeForm,
    HistoryFilterForm,
    ProfileForm,
    SignUpForm,
    TriggerForm,
    find_or_create_trigger,
)
from diary.models import Episode, Trigger
from tests.factories import EpisodeFactory, TriggerFactory
from tests.helpers import episode_data

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen_now(now):
    return now(NOW, tick=False)


def episode_form(user, /, **overrides) -> EpisodeForm:
    return EpisodeForm(episode_data(**overrides), user=user, zone=LONDON)


# --- Quick time options ---


@pytest.mark.parametrize(("when", "minutes_ago"), [("now", 0), ("15", 15), ("60", 60)])
def test_episode_form_quick_time_options(user, frozen_now, when, minutes_ago):
    form = episode_form(user, when=when)
    assert form.is_valid(), form.errors
    episode = form.save()
    assert episode.started_at == NOW - timedelta(minutes=minutes_ago)
    assert episode.timezone == "Europe/London"
    assert episode.local_date == date(2026, 11, 20)


def test_episode_form_custom_time_in_the_zone(user, frozen_now):
    form = episode_form(user, when="custom", started_at_local="2026-07-04T18:45")
    assert form.is_valid(), form.errors
    episode = form.save()
    assert episode.started_at == datetime(2026, 7, 4, 17, 45, tzinfo=UTC)  # BST is UTC+1


def test_episode_form_custom_time_required(user, frozen_now):
    form = episode_form(user, when="custom")
    assert not form.is_valid()
    assert form.errors["started_at_local"] == ["Enter the date and time it started."]


def test_episode_form_custom_time_garbage_is_a_field_error(user, frozen_now):
    form = episode_form(user, when="custom", started_at_local="yesterday-ish")
    assert not form.is_valid()
    assert form.errors["started_at_local"] == ["Enter a real date and time, e.g. 2026-03-01 14:30."]


def test_episode_form_unknown_when_is_refused(user, frozen_now):
    form = episode_form(user, when="tomorrow")
    assert not form.is_valid()
    assert "when" in form.errors


def test_episode_form_defaults_are_the_three_tap_case(user):
    form = EpisodeForm(user=user, zone=LONDON)
    assert form["when"].value() == "now"
    assert form["duration_preset"].value() == "5"
    assert not form.details_open
    assert not form.needs_fold


def test_episode_form_within_five_minutes_of_the_future_is_allowed(user, frozen_now):
    """Phone clocks drift: a time a few minutes ahead of the server is still accepted."""
    form = episode_form(user, when="custom", started_at_local="2026-11-20T12:04")
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("value", ["2026-11-20T12:06", "2027-03-01T09:00", "9999-12-31T23:30"])
def test_episode_form_future_beyond_five_minutes_refused(user, frozen_now, value):
    form = episode_form(user, when="custom", started_at_local=value)
    assert not form.is_valid()
    assert form.errors["started_at_local"] == ["That time is in the future. Check the date."]


def test_episode_form_far_future_in_a_zone_west_of_utc_is_refused_not_an_overflow(user, frozen_now):
    """9999-12-31 23:30 in New York is in the year 10000 in UTC: refuse it before converting."""
    form = EpisodeForm(
        episode_data(when="custom", started_at_local="9999-12-31T23:30"),
        user=user,
        zone=ZoneInfo("America/New_York"),
    )
    assert not form.is_valid()
    assert "in the future" in form.errors["started_at_local"][0]


@pytest.mark.parametrize("value", ["1899-12-31T23:59", "0001-01-01T00:00"])
def test_episode_form_dates_before_1900_refused(user, frozen_now, value):
    form = episode_form(user, when="custom", started_at_local=value)
    assert not form.is_valid()
    assert form.errors["started_at_local"] == ["That date is before 1900. Check the year."]


def test_episode_form_1900_itself_is_accepted(user, frozen_now):
    form = episode_form(user, when="custom", started_at_local="1900-01-01T12:00")
    assert form.is_valid(), form.errors


# --- Duration ---


@pytest.mark.parametrize(
    ("preset", "seconds"), [("5", 5), ("30", 30), ("60", 60), ("300", 300), ("3600", 3600)]
)
def test_episode_form_duration_presets(user, preset, seconds):
    form = episode_form(user, duration_preset=preset)
    assert form.is_valid(), form.errors
    assert form.save().duration == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [
        ("45", "seconds", timedelta(seconds=45)),
        ("2.5", "minutes", timedelta(seconds=150)),
        ("1.5", "hours", timedelta(minutes=90)),
        ("24", "hours", timedelta(hours=24)),
        ("1", "seconds", timedelta(seconds=1)),
        ("7", "", timedelta(seconds=7)),  # no unit posted: seconds
    ],
)
def test_episode_form_exact_duration_with_units(user, amount, unit, expected):
    form = episode_form(user, duration_preset="custom", duration_amount=amount, duration_unit=unit)
    assert form.is_valid(), form.errors
    assert form.save().duration == expected


@pytest.mark.parametrize(
    ("amount", "unit", "message"),
    [
        ("0", "seconds", "The duration must be at least 1 second."),
        ("0.4", "seconds", "The duration must be at least 1 second."),
        ("-5", "seconds", "That is too small: the lowest allowed is 0."),
        ("24.1", "hours", "The duration can be at most 24 hours"),
        ("1441", "minutes", "The duration can be at most 24 hours"),
        ("86401", "seconds", "The duration can be at most 24 hours"),
        ("", "seconds", "Enter how long it lasted."),
        ("lots", "seconds", "Type a whole number, e.g. 5."),
        ("NaN", "seconds", "Type a whole number, e.g. 5."),
    ],
)
def test_episode_form_bad_duration_is_a_field_error(user, amount, unit, message):
    form = episode_form(user, duration_preset="custom", duration_amount=amount, duration_unit=unit)
    assert not form.is_valid()
    assert message in form.errors["duration_amount"][0]


def test_episode_form_unknown_duration_unit_refused(user):
    form = episode_form(user, duration_preset="custom", duration_amount="3", duration_unit="days")
    assert not form.is_valid()
    assert "duration_unit" in form.errors


def test_episode_form_edit_initial_duration_uses_preset_or_exact_unit(user):
    preset = EpisodeFactory(user=user, duration=timedelta(seconds=300))
    hours = EpisodeFactory(user=user, duration=timedelta(hours=2))
    minutes = EpisodeFactory(user=user, duration=timedelta(minutes=7))
    seconds = EpisodeFactory(user=user, duration=timedelta(seconds=95))
    initial = {
        e.duration: EpisodeForm(instance=e, user=user, zone=LONDON).initial
        for e in (preset, hours, minutes, seconds)
    }
    assert initial[timedelta(seconds=300)]["duration_preset"] == "300"
    assert initial[timedelta(hours=2)]["duration_amount"] == 2
    assert initial[timedelta(hours=2)]["duration_unit"] == "hours"
    assert initial[timedelta(minutes=7)]["duration_unit"] == "minutes"
    assert initial[timedelta(seconds=95)]["duration_amount"] == 95
    assert initial[timedelta(seconds=95)]["duration_unit"] == "seconds"


# --- Sites, intensity, triggers, notes ---


def test_episode_form_several_sites(user):
    form = episode_form(user, sites=["hand-left", "calf-right"])
    assert form.is_valid(), form.errors
    episode = form.save()
    assert sorted(episode.sites.values_list("code", flat=True)) == ["calf-right", "hand-left"]


def test_episode_form_needs_a_site(user):
    form = episode_form(user, sites=[])
    assert not form.is_valid()
    assert form.errors["sites"] == ["Choose at least one body site: where did you feel it?"]


def test_episode_form_unknown_site_code(user):
    form = episode_form(user, sites=["calf-left", "tail"])
    assert not form.is_valid()
    assert form.errors["sites"] == ["“tail” is not a body site we know. Choose one from the list."]


@pytest.mark.parametrize("value", ["0", "6", "-1", "strong"])
def test_episode_form_intensity_out_of_range(user, value):
    form = episode_form(user, intensity=value)
    assert not form.is_valid()
    assert form.errors["intensity"] == [
        "Choose a strength from 1 (barely noticeable) to 5 (very strong)."
    ]


def test_episode_form_intensity_choices_have_no_blank(user):
    form = EpisodeForm(user=user, zone=LONDON)
    assert [value for value, _ in form.fields["intensity"].choices] == [1, 2, 3, 4, 5]


def test_episode_form_builtin_and_own_triggers(user):
    own = TriggerFactory(user=user, name="Alcohol")
    caffeine = Trigger.objects.get(slug="caffeine", user=None)
    form = episode_form(user, triggers=[str(caffeine.pk), str(own.pk)])
    assert form.is_valid(), form.errors
    assert set(form.save().triggers.all()) == {caffeine, own}


def test_episode_form_another_users_trigger_refused(user, other_user):
    theirs = TriggerFactory(user=other_user, name="Their secret")
    form = episode_form(user, triggers=[str(theirs.pk)])
    assert not form.is_valid()
    assert form.errors["triggers"] == [
        "That trigger is not one of yours. Choose one from the list."
    ]


@pytest.mark.parametrize("value", ["99999999999999999999", "-1", "1.0", "abc"])
def test_episode_form_trigger_id_that_is_no_id_is_a_message(user, value):
    """An id past 64 bits was an OverflowError on SQLite (a 500), not a form error."""
    form = episode_form(user, triggers=[value])
    assert not form.is_valid()
    assert form.errors["triggers"] == [
        "That trigger is not one of yours. Choose one from the list."
    ]


def test_episode_form_new_trigger_created_for_the_user(user):
    form = episode_form(user, new_trigger="  Red   wine ")
    assert form.is_valid(), form.errors
    episode = form.save()
    trigger = Trigger.objects.get(user=user)
    assert (trigger.name, trigger.slug) == ("Red wine", "red-wine")
    assert list(episode.triggers.all()) == [trigger]


def test_episode_form_new_trigger_reuses_builtin_with_the_same_name(user):
    form = episode_form(user, new_trigger="caffeine")
    assert form.is_valid(), form.errors
    episode = form.save()
    assert not Trigger.objects.filter(user=user).exists()
    assert [t.slug for t in episode.triggers.all()] == ["caffeine"]


def test_episode_form_new_trigger_is_not_taken_for_another_in_a_non_latin_script(user):
    """With ASCII slugs, "Чай 2" and "Кофе 2" were both "2": the episode got the wrong one."""
    coffee = TriggerFactory(user=user, name="Кофе 2")
    form = episode_form(user, new_trigger="Чай 2")
    assert form.is_valid(), form.errors
    episode = form.save()
    [tea] = episode.triggers.all()
    assert tea != coffee
    assert (tea.name, tea.slug) == ("Чай 2", "чай-2")


def test_episode_form_new_trigger_without_letters_refused(user):
    form = episode_form(user, new_trigger="!!!")
    assert not form.is_valid()
    assert form.errors["new_trigger"] == ["Use letters or numbers in the trigger's name."]


def test_find_or_create_trigger_matches_own_name_case_insensitively(user):
    own = TriggerFactory(user=user, name="Alcohol")
    assert find_or_create_trigger(user, "ALCOHOL") == own
    assert Trigger.objects.filter(user=user).count() == 1


def test_episode_form_notes_too_long(user):
    form = episode_form(user, notes="x" * 3000)
    assert not form.is_valid()
    assert form.errors["notes"] == ["Notes can be at most 2000 characters (you have 3000)."]
    assert form.details_open


def test_episode_form_notes_nul_byte_refused(user):
    form = episode_form(user, notes="before\x00after", new_trigger="wine\x00")
    assert not form.is_valid()
    assert form.errors["notes"] == [
        "The text contains a NUL character; please remove it."
    ]  # one message, not two
    assert form.errors["new_trigger"] == ["The text contains a NUL character; please remove it."]


def test_episode_form_notes_at_the_limit_accepted(user):
    form = episode_form(user, notes="é" * 2000)
    assert form.is_valid(), form.errors
    assert len(form.save().notes) == 2000


def test_episode_form_notes_line_breaks_count_once(user):
    """
    A browser counts a line break as one character against maxlength but sends it as CRLF:
    a note it let through was refused as too long. Kept as "\n".
    """
    typed = "a\n" * 999 + "a"  # 1,999 characters in the textarea
    form = episode_form(user, notes=typed.replace("\n", "\r\n"))
    assert form.is_valid(), form.errors
    assert form.save().notes == typed


def test_episode_form_details_saved(user):
    form = episode_form(
        user,
        intensity="4",
        pattern="continuous",
        weakness="on",
        cramps="on",
        stopped_with_movement="not_tried",
        visible="on",
        context="lying",
        notes="While reading in bed",
    )
    assert form.is_valid(), form.errors
    episode = Episode.objects.get(pk=form.save().pk)
    assert episode.intensity == 4
    assert episode.pattern == "continuous"
    assert (episode.weakness, episode.cramps, episode.fatigue) == (True, True, False)
    assert episode.stopped_with_movement == "not_tried"
    assert episode.visible
    assert episode.context == "lying"
    assert episode.symptoms == ["Weakness", "Cramps"]


def test_episode_form_ignores_posted_user_and_ids(user, other_user):
    """Only the form's own fields are read: who owns it and its ids come from the server."""
    form = episode_form(
        user,
        user=str(other_user.pk),
        id="999",
        uuid="00000000-0000-0000-0000-000000000001",
        created_at="2001-01-01T00:00",
        local_date="2001-01-01",
        timezone="Asia/Tokyo",
        deleted_at="2026-01-01T00:00",
    )
    assert form.is_valid(), form.errors
    episode = Episode.objects.get(pk=form.save().pk)
    assert episode.user == user
    assert episode.pk != 999
    assert str(episode.uuid) != "00000000-0000-0000-0000-000000000001"
    assert episode.created_at.year >= 2026
    assert episode.timezone == "Europe/London"
    assert episode.deleted_at is None


def test_episode_form_edit_details_open_when_details_recorded(user):
    episode = EpisodeFactory(user=user, notes="after a run")
    assert EpisodeForm(instance=episode, user=user, zone=LONDON).details_open
    plain = EpisodeFactory(user=user)
    assert not EpisodeForm(instance=plain, user=user, zone=LONDON).details_open


def test_episode_form_selected_codes_from_initial(user):
    caffeine = Trigger.objects.get(slug="caffeine", user=None)
    form = EpisodeForm(
        user=user, zone=LONDON, initial={"sites": ["tongue"], "triggers": [caffeine]}
    )
    assert form.selected_site_codes == {"tongue"}
    assert {str(v) for v in form["triggers"].value()} == {str(caffeine.pk)}


# --- History filters ---


def history_form(user, **data) -> HistoryFilterForm:
    return HistoryFilterForm(data, user=user)


def test_history_filter_malformed_date(user):
    form = history_form(user, **{"from": "2026-13-45"})
    assert not form.is_valid()
    assert form.errors["start"] == ["Enter a real date, e.g. 2026-03-01."]
    assert form["start"].html_name == "from"


def test_history_filter_end_before_start(user):
    form = history_form(user, **{"from": "2026-03-10", "to": "2026-03-01"})
    assert not form.is_valid()
    assert form.errors["end"] == ["“To” is before “From”. Swap the dates?"]


def test_history_filter_before_1900(user):
    form = history_form(user, **{"from": "1850-01-01"})
    assert not form.is_valid()
    assert "before 1900" in form.errors["start"][0]


def test_history_filter_unknown_site_and_trigger(user):
    form = history_form(user, site="tail", trigger="moonlight")
    assert not form.is_valid()
    assert set(form.errors) == {"site", "trigger"}


def test_history_filter_offers_regions_and_own_triggers_only(user, other_user):
    TriggerFactory(user=user, name="Alcohol")
    TriggerFactory(user=other_user, name="Their secret")
    form = HistoryFilterForm(user=user)
    trigger_names = [label for _, label in form.fields["trigger"].choices]
    assert "Alcohol" in trigger_names
    assert "Their secret" not in trigger_names
    group, regions = form.fields["site"].choices[1]
    assert group == "Regions"
    assert [value for value, _ in regions] == [
        "region:bulbar",
        "region:cervical",
        "region:thoracic",
        "region:lumbosacral",
    ]


def test_history_filter_by_region_counts_each_episode_once(user):
    two_arm_sites = EpisodeFactory(user=user, sites=["hand-left", "forearm-left"])
    EpisodeFactory(user=user, sites=["calf-left"])
    form = history_form(user, site="region:cervical")
    assert form.is_valid(), form.errors
    assert list(form.filter(Episode.objects.for_user(user))) == [two_arm_sites]


# --- Profile, triggers, sign-up ---


def test_profile_form_unknown_timezone(user):
    form = ProfileForm({"display_name": "Sam", "timezone": "Mars/Base"}, instance=user.profile)
    assert not form.is_valid()
    assert "timezone" in form.errors


def test_profile_form_saves_name_and_zone(user):
    form = ProfileForm(
        {"display_name": "Sam", "timezone": "America/New_York"}, instance=user.profile
    )
    assert form.is_valid(), form.errors
    form.save()
    user.profile.refresh_from_db()
    assert (user.profile.display_name, user.profile.timezone) == ("Sam", "America/New_York")


@pytest.mark.parametrize("name", ["Caffeine", "alcohol", "  ALCOHOL  "])
def test_trigger_form_duplicate_name_refused(user, name):
    TriggerFactory(user=user, name="Alcohol")
    form = TriggerForm({"name": name}, user=user)
    assert not form.is_valid()
    assert form.errors["name"] == ["You already have a trigger with that name."]


def test_trigger_form_same_name_as_another_users_is_fine(user, other_user):
    TriggerFactory(user=other_user, name="Alcohol")
    form = TriggerForm({"name": "Alcohol"}, user=user)
    assert form.is_valid(), form.errors
    assert form.save().user == user


def test_trigger_form_needs_letters(user):
    form = TriggerForm({"name": "???"}, user=user)
    assert not form.is_valid()
    assert form.errors["name"] == ["Use letters or numbers in the trigger's name."]


def test_signup_form_sets_the_profile_timezone():
    form = SignUpForm(
        {
            "username": "newcomer",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
            "timezone": "Australia/Sydney",
        }
    )
    assert form.is_valid(), form.errors
    user = form.save()
    assert user.profile.timezone == "Australia/Sydney"


def test_find_or_create_trigger_survives_a_double_tap(user, monkeypatch):
    """Two requests adding the same new trigger at once: the loser reuses the winner's row."""
    from django.db.models import QuerySet

    from diary import forms as diary_forms

    won = {}

    def lookup_before_the_other_request_commits(queryset):
        # Our lookup finds nothing; the other request's insert lands right after it.
        monkeypatch.undo()
        won["trigger"] = Trigger.objects.create(user=user, name="Alcohol", slug="alcohol")

    monkeypatch.setattr(QuerySet, "first", lookup_before_the_other_request_commits)
    assert diary_forms.find_or_create_trigger(user, "Alcohol") == won["trigger"]
    assert Trigger.objects.filter(user=user, name="Alcohol").count() == 1


def test_every_form_a_person_sees_speaks_plainly():
    """Each of our forms swaps Django's stock messages for ours (diary/lib/form_wording.py)."""
    import importlib
    import pkgutil

    import diary
    from diary.lib.form_wording import PlainMessagesMixin

    forms_found = []
    for module_info in pkgutil.walk_packages(diary.__path__, "diary."):
        if ".migrations" in module_info.name or ".management" in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, django_forms.BaseForm)
                and obj.__module__ == module.__name__
            ):
                forms_found.append(obj)
    assert len(forms_found) >= 8
    assert [f for f in forms_found if not issubclass(f, PlainMessagesMixin)] == []


@pytest.mark.parametrize(
    ("sent", "saved"),
    [("True", True), ("False", False), ("", None), (None, None), ("on", True)],
)
def test_episode_form_seen_under_the_skin_is_yes_no_or_not_sure(user, sent, saved):
    """Not answered is unknown, never "no"; "on" is the old tick box of a form kept offline."""
    form = episode_form(user, visible=sent)
    assert form.is_valid(), form.errors
    form.instance.user = user
    assert form.save().visible is saved


def test_episode_form_seen_under_the_skin_refuses_other_answers(user):
    form = episode_form(user, visible="maybe")
    assert form.errors["visible"] == ["Answer yes, no or not sure."]


def test_episode_form_edit_shows_not_sure_for_an_unanswered_question(user):
    unanswered = EpisodeForm(instance=EpisodeFactory(user=user), user=user, zone=LONDON)
    assert unanswered["visible"].value() == ""  # "Not sure" chosen
    answered = EpisodeForm(
        instance=EpisodeFactory(user=user, visible=False), user=user, zone=LONDON
    )
    assert answered["visible"].value() is False
    assert answered.details_open  # a "No" is an answer: More details opens to show it
