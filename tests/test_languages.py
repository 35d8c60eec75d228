"""
Which language a page speaks: the browser's for a visitor, the person's own choice once logged
in (sign-up, Settings; the language cookie follows it to the login page), a share link's own;
caches of rendered text kept apart per language; and nothing a program reads (export keys)
changes with it.

The accented pseudo-locale stands in for a translated language (every message of it is
"translated"); the real languages are offered once their translation lands.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from diary.clips.adding import add_clip
from diary.clips.storage import clip_storage
from diary.clips.tasks import prepare_clip
from diary.lib import languages
from diary.models import Clip, Profile
from diary.sharing import links
from tests.clip_media import make_photo
from tests.factories import EpisodeFactory
from tests.test_views_accounts import signup_data

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-09T18:00")]
ACCENTED = languages.ACCENTED
LANG = re.compile(r'<html lang="([^"]+)" dir="([^"]+)"')


@pytest.fixture(autouse=True)
def pseudo(settings):
    settings.LANGUAGES = [*settings.LANGUAGES, *settings.PSEUDO_LANGUAGES]


def page_language(response) -> tuple[str, str]:
    return LANG.search(response.content.decode()).groups()


def speak(user, code: str) -> None:
    """The person's language, as Settings saves it (the rest of the profile left as it is)."""
    Profile.objects.filter(user=user).update(language=code)
    user.profile.refresh_from_db()


def test_a_visitor_gets_the_browsers_language_if_offered(client):
    asked = client.get(reverse("login"), headers={"accept-language": f"{ACCENTED},en;q=0.5"})
    assert page_language(asked) == (ACCENTED, "ltr")
    assert "[Ļöĝ îñ" in asked.content.decode()
    german = client.get(reverse("login"), headers={"accept-language": "de-DE,de;q=0.9"})
    assert page_language(german) == ("de", "ltr")
    assert "Anmelden" in german.content.decode()
    not_offered = client.get(reverse("login"), headers={"accept-language": "it-IT,it;q=0.9"})
    assert page_language(not_offered) == ("en", "ltr")


def test_the_right_to_left_pseudo_locale_turns_the_page(client):
    response = client.get(reverse("login"), headers={"accept-language": languages.MIRRORED})
    assert page_language(response) == (languages.MIRRORED, "rtl")


def test_the_persons_language_wins_over_the_browser_and_reaches_the_login_page(client, user):
    speak(user, ACCENTED)
    client.force_login(user)
    response = client.get(reverse("log"), headers={"accept-language": "en-GB"})
    assert page_language(response) == (ACCENTED, "ltr")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == ACCENTED
    client.post(reverse("logout"))
    login = client.get(reverse("login"), headers={"accept-language": "en-GB"})
    assert page_language(login) == (ACCENTED, "ltr")


def test_a_person_who_never_chose_keeps_the_browsers_language(client, user):
    speak(user, "")
    client.force_login(user)
    response = client.get(reverse("log"), headers={"accept-language": ACCENTED})
    assert page_language(response) == (ACCENTED, "ltr")


def test_sign_up_keeps_the_language_chosen(client):
    response = client.post(reverse("signup"), signup_data(language=ACCENTED))
    assert response.status_code == 302
    assert Profile.objects.get(user__username="newcomer").language == ACCENTED


def test_sign_up_without_a_choice_keeps_the_pages_language(client):
    client.post(reverse("signup"), signup_data(), headers={"accept-language": ACCENTED})
    assert Profile.objects.get(user__username="newcomer").language == ACCENTED


def test_a_language_not_offered_is_refused_with_a_message(client):
    response = client.post(reverse("signup"), signup_data(language="it"))
    assert response.status_code == 200
    assert 'id="id_language_error"' in response.content.decode() or "language" in str(
        response.context["form"].errors
    )
    assert not Profile.objects.filter(user__username="newcomer").exists()


def test_settings_change_the_language_at_once(owner_client, user):
    data = {"action": "profile", "display_name": "", "timezone": "UTC", "language": ACCENTED}
    response = owner_client.post(reverse("settings"), data, follow=True)
    user.profile.refresh_from_db()
    assert user.profile.language == ACCENTED
    assert page_language(response) == (ACCENTED, "ltr")


def test_a_share_link_speaks_the_language_it_was_made_in(client, user):
    EpisodeFactory(user=user, started_at=datetime(2026, 12, 1, 9, tzinfo=UTC))
    _, token = links.create(
        user, first=date(2026, 11, 12), last=date(2026, 12, 9), days=7, language=ACCENTED
    )
    response = client.get(reverse("share-page", args=[token]), headers={"accept-language": "en"})
    assert page_language(response) == (ACCENTED, "ltr")
    assert response["Content-Language"] == ACCENTED


def test_trends_and_the_log_form_are_rendered_again_in_another_language(owner_client, user):
    """Trends' cached results and the Log form's cached fields are kept per language."""
    for day in range(10, 30):
        started = datetime(2026, 11, day, 9, tzinfo=UTC)
        EpisodeFactory(user=user, started_at=started, sites=["calf-left"])
    EpisodeFactory(user=user, started_at=datetime(2026, 12, 8, 9, tzinfo=UTC), sites=["calf-left"])
    for url in (reverse("trends"), reverse("log")):
        english = owner_client.get(url).content.decode()
        assert "Left calf" in english
        speak(user, ACCENTED)
        accented = owner_client.get(url).content.decode()
        assert "Left calf" not in accented, url
        assert "[Ļéƒţ çåļƒ" in accented, url
        speak(user, "en")


def test_why_a_clip_could_not_be_prepared_is_kept_in_its_owners_language(user, tmp_path):
    speak(user, ACCENTED)
    episode = EpisodeFactory(user=user)
    clip = add_clip(user, episode, SimpleUploadedFile("IMG.jpg", make_photo(size=(300, 200))))
    storage = clip_storage()
    storage.delete(clip.original_name)
    storage.save(clip.original_name, SimpleUploadedFile("IMG.jpg", b"not a picture at all"))
    prepare_clip(clip.pk)
    clip.refresh_from_db()
    assert clip.status == Clip.Status.FAILED
    assert clip.failure.startswith("[Ţŵîţçĥļöĝ çåññöţ ŕéåð")


def test_the_export_is_the_same_in_every_language(owner_client, user):
    """Export keys, codes and values a program reads never change with the language."""
    EpisodeFactory(user=user, started_at=datetime(2026, 12, 8, 9, tzinfo=UTC), sites=["calf-left"])
    english = json.loads(b"".join(owner_client.get(reverse("export-json")).streaming_content))
    speak(user, ACCENTED)
    accented = json.loads(b"".join(owner_client.get(reverse("export-json")).streaming_content))
    english.pop("exported_at", None)
    accented.pop("exported_at", None)
    assert accented == english


def test_a_just_logged_row_names_its_site_and_trigger_in_the_persons_language(owner_client, user):
    """The row comes from what was saved, not read back: built-ins still named by their code."""
    from diary.models import Trigger
    from tests.helpers import HTMX, episode_data

    speak(user, ACCENTED)
    caffeine = Trigger.objects.get(user=None, slug="caffeine")
    response = owner_client.post(reverse("log"), episode_data(triggers=[caffeine.pk]), headers=HTMX)
    html = response.content.decode()
    assert "[Ļéƒţ çåļƒ" in html
    assert "[Çåƒƒéîñé" in html
    assert "Left calf" not in html
    assert "Caffeine" not in html


def test_a_reminder_speaks_its_persons_language(push_service, mail_server, settings):
    """Composed on the task queue: the push, the mail and the stop link's words in theirs."""
    from tests.reminder_helpers import local, person, round_at

    settings.SITE_URL = "https://twitchlog.example"
    user, device = person(push_service, email="sam@example.com")
    speak(user, ACCENTED)
    round_at(local("2027-06-10 21:00", "Europe/London"))
    [message] = push_service.messages(device)
    assert message.data["title"].startswith("[Ţöðåý'š çĥéçķ-îñ")
    assert message.data["stopLabel"].startswith("[Šţöþ ţĥéšé ŕéɱîñðéŕš")
    assert message.data["lang"] == ACCENTED
    [mail] = mail_server.messages
    assert mail["Subject"].startswith("[Ţöðåý'š çĥéçķ-îñ")
    text = mail.get_body(("plain",)).get_content()
    assert "Open Twitchlog" not in text
    assert "[Öþéñ Ţŵîţçĥļöĝ" in text
    assert 'lang="en-xa"' in mail.get_body(("html",)).get_content()
