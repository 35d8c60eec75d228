"""Managing triggers on Settings: rename, merge, delete own ones; hide built-ins."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from diary.forms import EpisodeForm
from diary.models import Episode, Trigger
from tests.factories import EpisodeFactory, TriggerFactory
from tests.helpers import field_errors, records_change

pytestmark = pytest.mark.django_db


def manage(pk: int) -> str:
    return reverse("trigger-manage", args=[pk])


@pytest.fixture
def alcohol(user):
    return TriggerFactory(user=user, name="Alcohol")


def test_settings_lists_own_triggers_with_episode_counts(owner_client, user, alcohol):
    EpisodeFactory(user=user, triggers=[alcohol])
    EpisodeFactory(user=user, triggers=[alcohol])
    EpisodeFactory(user=user, triggers=[alcohol], deleted_at=timezone.now())
    html = owner_client.get(reverse("settings")).content.decode()
    assert manage(alcohol.pk) in html
    assert "2 episodes · rename, merge or delete" in html


def test_trigger_page_trio(owner_client, user, other_user, alcohol):
    assert Client().get(manage(alcohol.pk)).status_code == 302
    html = owner_client.get(manage(alcohol.pk)).content.decode()
    assert "Your trigger “Alcohol”" in html
    theirs = TriggerFactory(user=other_user, name="Theirs")
    assert owner_client.get(manage(theirs.pk)).status_code == 404
    builtin = Trigger.objects.get(user=None, slug="caffeine")
    assert owner_client.get(manage(builtin.pk)).status_code == 404
    assert owner_client.post(manage(theirs.pk), {"action": "delete"}).status_code == 404
    assert Trigger.objects.filter(pk=theirs.pk).exists()


def test_rename_keeps_episodes_and_updates_the_slug(owner_client, user, alcohol):
    episode = EpisodeFactory(user=user, triggers=[alcohol])
    with records_change(user):
        response = owner_client.post(
            manage(alcohol.pk), {"action": "rename", "name": " Red  wine "}
        )
    assert response.status_code == 302
    alcohol.refresh_from_db()
    assert (alcohol.name, alcohol.slug) == ("Red wine", "red-wine")
    assert list(episode.triggers.all()) == [alcohol]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("caffeine", "You already have a trigger with that name."),
        ("GIN", "You already have a trigger with that name."),
        ("!!!", "Use letters or numbers in the trigger's name."),
        ("x" * 41, "That is too long: at most 40 characters (it has 41)."),
    ],
)
def test_rename_refuses_what_adding_refuses(owner_client, user, alcohol, name, message):
    TriggerFactory(user=user, name="Gin")
    response = owner_client.post(manage(alcohol.pk), {"action": "rename", "name": name})
    assert response.status_code == 200
    assert field_errors(response, "name") == [message]
    alcohol.refresh_from_db()
    assert alcohol.name == "Alcohol"


def test_rename_to_the_same_name_in_other_case_is_allowed(owner_client, alcohol):
    owner_client.post(manage(alcohol.pk), {"action": "rename", "name": "ALCOHOL"})
    alcohol.refresh_from_db()
    assert alcohol.name == "ALCOHOL"


def test_merge_moves_episodes_and_removes_the_trigger(owner_client, user, alcohol):
    wine = TriggerFactory(user=user, name="Wine")
    only_alcohol = EpisodeFactory(user=user, triggers=[alcohol])
    both = EpisodeFactory(user=user, triggers=[alcohol, wine])
    with records_change(user):
        response = owner_client.post(manage(alcohol.pk), {"action": "merge", "into": wine.pk})
    assert response.status_code == 302
    assert not Trigger.objects.filter(pk=alcohol.pk).exists()
    assert list(only_alcohol.triggers.all()) == [wine]
    assert list(both.triggers.all()) == [wine]
    page = owner_client.get(reverse("settings")).content.decode()
    assert "Merged “Alcohol” into “Wine” (2 episodes)." in page


def test_merge_into_a_builtin(owner_client, user, alcohol):
    episode = EpisodeFactory(user=user, triggers=[alcohol])
    coffee = Trigger.objects.get(user=None, slug="caffeine")
    owner_client.post(manage(alcohol.pk), {"action": "merge", "into": coffee.pk})
    assert list(episode.triggers.all()) == [coffee]


@pytest.mark.parametrize("into", ["", "self", "theirs", "99999999999999999999999", "x"])
def test_merge_refuses_a_bad_target(owner_client, user, other_user, alcohol, into):
    EpisodeFactory(user=user, triggers=[alcohol])
    values = {"self": alcohol.pk, "theirs": TriggerFactory(user=other_user).pk}
    response = owner_client.post(
        manage(alcohol.pk), {"action": "merge", "into": values.get(into, into)}
    )
    assert response.status_code == 200
    assert field_errors(response, "into")
    assert Trigger.objects.filter(pk=alcohol.pk).exists()


def test_delete_says_how_many_episodes_and_keeps_them(owner_client, user, alcohol):
    episodes = [EpisodeFactory(user=user, triggers=[alcohol, "stress"]) for _ in range(3)]
    html = owner_client.get(manage(alcohol.pk)).content.decode()
    assert "The 3 episodes with “Alcohol” stay in your diary" in html
    with records_change(user):
        owner_client.post(manage(alcohol.pk), {"action": "delete"})
    assert not Trigger.objects.filter(pk=alcohol.pk).exists()
    assert Episode.objects.filter(pk__in=[e.pk for e in episodes]).count() == 3
    assert [t.slug for t in episodes[0].triggers.all()] == ["stress"]
    page = owner_client.get(reverse("settings")).content.decode()
    assert "Deleted “Alcohol”. The 3 episodes that had it stay in your diary." in page


def test_hiding_builtins_takes_them_off_the_log_page(owner_client, user):
    coffee = Trigger.objects.get(user=None, slug="caffeine")
    stress = Trigger.objects.get(user=None, slug="stress")
    shown = Trigger.objects.filter(user=None).exclude(pk=coffee.pk)
    with records_change(user):
        response = owner_client.post(reverse("triggers-shown"), {"shown": [t.pk for t in shown]})
    assert response.status_code == 302
    assert list(user.profile.hidden_triggers.all()) == [coffee]
    log = owner_client.get(reverse("log")).content.decode()
    assert f'name="triggers" value="{stress.pk}"' in log
    assert f'name="triggers" value="{coffee.pk}"' not in log
    settings_page = owner_client.get(reverse("settings")).content.decode()
    assert f'value="{coffee.pk}" id' in settings_page
    assert Trigger.objects.filter(pk=coffee.pk).exists()


def test_hidden_builtin_stays_on_an_episode_that_has_it(user):
    coffee = Trigger.objects.get(user=None, slug="caffeine")
    user.profile.hidden_triggers.add(coffee)
    episode = EpisodeFactory(user=user, triggers=["caffeine"])
    editing = EpisodeForm(instance=episode, user=user, zone=episode.zone)
    assert coffee in editing.fields["triggers"].queryset
    new = EpisodeForm(user=user, zone=episode.zone)
    assert coffee not in new.fields["triggers"].queryset


def test_hiding_is_per_user(owner_client, user, other_user):
    owner_client.post(reverse("triggers-shown"), {})
    assert user.profile.hidden_triggers.count() == 4
    assert other_user.profile.hidden_triggers.count() == 0


def test_hidden_form_refuses_unknown_ids(owner_client, user):
    response = owner_client.post(reverse("triggers-shown"), {"shown": ["nope"]}, follow=True)
    assert "Nothing changed" in response.content.decode()
    assert user.profile.hidden_triggers.count() == 0


# One past the largest 64-bit id, and far past it: SQLite cannot bind them (OverflowError).
OUT_OF_RANGE = ["9223372036854775808", "99999999999999999999", "-9223372036854775809"]


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_ids_out_of_range_are_refused_with_the_choose_message(owner_client, user, alcohol, value):
    response = owner_client.post(reverse("triggers-shown"), {"shown": [value]}, follow=True)
    assert "Nothing changed: choose triggers from the list." in response.content.decode()
    assert user.profile.hidden_triggers.count() == 0
    response = owner_client.post(manage(alcohol.pk), {"action": "merge", "into": value})
    assert field_errors(response, "into") == ["Choose one of your triggers from the list."]
    assert Trigger.objects.filter(pk=alcohol.pk).exists()


@pytest.mark.parametrize("value", OUT_OF_RANGE[:2])
def test_a_trigger_url_with_an_id_out_of_range_is_404(owner_client, value):
    """Django finds no row for an out-of-range id in an exact lookup (it never binds it)."""
    assert owner_client.get(f"/settings/triggers/{value}/").status_code == 404
    assert (
        owner_client.post(f"/settings/triggers/{value}/", {"action": "delete"}).status_code == 404
    )


def test_the_largest_id_is_still_looked_up(owner_client):
    assert owner_client.get("/settings/triggers/999999999999999999/").status_code == 404
