"""
Every page in the accented pseudo-locale (lib/pseudo.py): a run of plain English words left on
a page was never marked for translation. tests/browser/test_languages.py adds what JavaScript
writes, the layout at 320 px and the right-to-left pseudo-locale.
"""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from diary.demo import seed_demo
from diary.demo.about import ANSWERS
from diary.lib import languages
from diary.models import Episode, Trigger
from diary.sharing import links

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-09T18:00")]

# Two or more plain English words in a row: the pseudo-locale accents every letter of a
# translated message, so these were never translated.
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?:[ ,.'’-]+[A-Za-z]{2,})+\b")
# Not language: names, formats, standards and the two-step secret (groups of capitals).
NOT_LANGUAGE = re.compile(
    r"Alex Morgan|Twitchlog|PDF|CSV|JSON|FHIR|HL7|SNOMED CT|UTC|(?:\b[A-Z0-9]{4}\b ?){2,}"
)


class PageText(HTMLParser):
    """The text a person reads or hears: element text and the attributes shown or read aloud."""

    HIDDEN = {"script", "style", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._hidden = 0
        self._zones = False  # inside the time-zone picker: zone names are not translated

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "select" and attrs.get("name") == "timezone":
            self._zones = True
        for name in ("title", "aria-label", "placeholder", "alt"):
            if attrs.get(name):
                self.chunks.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.chunks.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self._hidden -= 1
        if tag == "select":
            self._zones = False

    def handle_data(self, data):
        if not self._hidden and not self._zones and data.strip():
            self.chunks.append(data.strip())


def english_runs(html: str, own_words: list[str]) -> list[str]:
    """The runs of plain English on a page, apart from the person's own words (`own_words`)."""
    parser = PageText()
    parser.feed(html)
    found = []
    for chunk in parser.chunks:
        for text in sorted(filter(None, own_words), key=len, reverse=True):
            chunk = chunk.replace(text, " ")
        found += ENGLISH_RUN.findall(NOT_LANGUAGE.sub(" ", chunk))
    return found


def test_english_runs_finds_what_was_not_translated():
    html = (
        '<p>[Ļöĝ ţŵîţçĥ ~~~~] Log twitch</p><script>var a = "not shown";</script>'
        '<button aria-label="Close this">x</button><p>My own note</p>'
    )
    assert english_runs(html, ["My own note"]) == ["Log twitch", "Close this"]


@pytest.fixture
def pseudo(settings):
    settings.LANGUAGES = [*settings.LANGUAGES, *settings.PSEUDO_LANGUAGES]
    return languages.ACCENTED


@pytest.fixture
def person(client, pseudo):
    """The demo diary (four weeks) of a person who chose the accented pseudo-locale."""
    user = seed_demo(weeks=4).user
    user.profile.language = pseudo
    user.profile.save()
    client.force_login(user)
    return user


def own_words(user) -> list[str]:
    """What the person typed: notes, their own triggers, their answers about their twitching."""
    words = [n for n in Episode.objects.filter(user=user).values_list("notes", flat=True) if n]
    words += list(Trigger.objects.filter(user=user).values_list("name", flat=True))
    words += [value for value in ANSWERS.values() if isinstance(value, str) and value]
    words.append(user.email)
    for line in list(words):
        words += line.splitlines()
    return words


def untranslated(client, urls, user) -> dict[str, list[str]]:
    found = {}
    # The pseudo-locales' names in the language picker are not translated either.
    words = [name for _, name in settings.PSEUDO_LANGUAGES] + (own_words(user) if user else [])
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        if runs := english_runs(response.content.decode(), words):
            found[url] = sorted(set(runs))
    return found


def test_every_diary_page_is_translated(client, person):
    episode = Episode.objects.filter(user=person).first()
    own_trigger = Trigger.objects.filter(user=person).first()
    urls = [
        reverse("log"),
        reverse("history"),
        reverse("episode-edit", args=[episode.uuid]),
        reverse("trends"),
        reverse("trends") + "?range=all",
        reverse("report"),
        reverse("about"),
        reverse("function-check-new"),
        reverse("checkins"),
        reverse("checkin-edit", args=["2026-12-08"]),
        reverse("settings"),
        reverse("trigger-manage", args=[own_trigger.pk]),
        reverse("account-delete"),
        reverse("twostep-setup"),
        reverse("import"),
        reverse("offline"),
        reverse("log-shell"),
        reverse("password_change"),
        reverse("reminders"),
        "/no-such-page/",
    ]
    assert untranslated(client, urls, person) == {}


def test_every_page_for_a_visitor_is_translated(client, pseudo):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = pseudo
    urls = [
        reverse("login"),
        reverse("signup"),
        reverse("password_reset"),
        reverse("password_reset_done"),
        reverse("offline"),
        "/s/no-such-link/",
        "/no-such-page/",
    ]
    assert untranslated(client, urls, None) == {}


def test_the_reminder_pages_are_translated(client, person):
    from diary.models import ReminderKind, ReminderSettings
    from diary.reminders.messages import stop_token

    ReminderSettings.objects.create(user=person, checkin=True, function_check=True)
    token = stop_token(person.profile.uuid, ReminderKind.CHECKIN)
    urls = [reverse("reminders"), reverse("settings"), reverse("reminders-stop", args=[token])]
    assert untranslated(client, urls, person) == {}
    client.post(reverse("reminders-stop", args=[token]))
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = languages.ACCENTED
    urls = [reverse("reminders-stop", args=[token]), reverse("reminders-stop", args=["x"])]
    assert untranslated(client, urls, None) == {}


def test_a_share_page_is_translated(client, person):
    _, token = links.create(
        person,
        first=date(2026, 11, 12),
        last=date(2026, 12, 9),
        days=7,
        language=languages.ACCENTED,
    )
    client.logout()
    assert untranslated(client, [reverse("share-page", args=[token])], person) == {}


def post_runs(client, url, data, user) -> list[str]:
    """What a form says back (its errors, or the page after it with its message) in English."""
    response = client.post(url, data, follow=True)
    assert response.status_code in (200, 400, 404), url
    words = [name for _, name in settings.PSEUDO_LANGUAGES] + (own_words(user) if user else [])
    words += [str(value) for value in data.values()]
    return sorted(set(english_runs(response.content.decode(), words)))


def test_form_errors_and_messages_are_translated(client, person):
    episode = Episode.objects.filter(user=person).first()
    posts = {
        reverse("log"): {"sites": ["nowhere"], "duration": "forever", "intensity": "11"},
        reverse("episode-edit", args=[episode.uuid]): {"intensity": "0"},
        reverse("episode-delete", args=[episode.uuid]): {},
        reverse("checkin-edit", args=["2026-12-08"]): {"caffeine": "lots"},
        reverse("function-check-new"): {"grip": "maybe"},
        reverse("about"): {"started_year": "1800", "started_month": "13"},
        reverse("settings"): {"display_name": "x" * 300, "timezone": "Nowhere/Land"},
        reverse("share-create"): {"first": "2026-12-09", "last": "2026-11-01", "days": "5"},
        reverse("import"): {},
        reverse("twostep-setup"): {"code": "123"},
        reverse("account-delete"): {"password": "wrong"},
        reverse("log") + "?valid": {"sites": ["calf-left"], "duration": "seconds"},
    }
    found = {
        url: runs for url, data in posts.items() if (runs := post_runs(client, url, data, person))
    }
    # And what a form that went through says: each kind of success message.
    saved = {
        reverse("about"): {"started_year": "2026", "started_month": "3"},
        reverse("function-check-new"): {"date": "2026-12-09", "grip": "True"},
        reverse("settings"): {"action": "profile", "display_name": "Sam", "timezone": "UTC"},
        reverse("settings") + "?trigger": {"action": "add-trigger", "name": "Hay fever"},
        reverse("share-create"): {"first": "2026-11-12", "last": "2026-12-09", "days": "7"},
        reverse("checkin-edit", args=["2026-12-07"]): {"day-caffeine": "1"},
    }
    found |= {
        url: runs for url, data in saved.items() if (runs := post_runs(client, url, data, person))
    }
    assert found == {}


def test_visitor_form_errors_are_translated(client, pseudo):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = pseudo
    posts = {
        reverse("login"): {"username": "nobody", "password": "wrong"},
        reverse("signup"): {"username": "a b", "password1": "short", "password2": "other"},
        reverse("password_reset"): {"email": "not an address"},
    }
    found = {
        url: runs for url, data in posts.items() if (runs := post_runs(client, url, data, None))
    }
    assert found == {}


def test_videos_and_photos_are_translated(client, person, tmp_path):
    """An episode's videos and photos in every state, deleting one, and sharing them."""
    from diary.models import Clip
    from tests.clip_helpers import clips_in_every_state
    from tests.clip_media import make_video

    episode = Episode.objects.filter(user=person, local_date__gte=date(2026, 11, 12)).first()
    video = make_video(tmp_path / "upload.mov", seconds=1, size=(320, 240)).read_bytes()
    clips_in_every_state(person, episode, video)
    clip = Clip.objects.filter(episode=episode, status=Clip.Status.READY).first()
    urls = [reverse("episode-edit", args=[episode.uuid]), reverse("clip-delete", args=[clip.uuid])]
    found = untranslated(client, urls, person)
    # The stored reason a clip could not be prepared is the one piece of English here: the
    # helper writes it as it is, not through the preparing task.
    found = {
        url: [run for run in runs if "looks damaged" not in run] for url, runs in found.items()
    }
    assert {url: runs for url, runs in found.items() if runs} == {}
    _, token = links.create(
        person,
        first=date(2026, 11, 12),
        last=date(2026, 12, 9),
        days=7,
        include_clips=True,
        language=languages.ACCENTED,
    )
    client.logout()
    assert untranslated(client, [reverse("share-page", args=[token])], person) == {}


def test_the_doctor_summary_is_translated(person):
    """Every page of the PDF, the full log included: the Typst template's words come from Python."""
    import io

    import pypdf

    from diary import report as pdf
    from diary.insights import Period

    content = pdf.build_pdf(
        person,
        Period(date(2026, 11, 12), date(2026, 12, 9), person.profile.zone),
        today=date(2026, 12, 9),
        full_log=True,
        language=languages.ACCENTED,
    )
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    # The PDF wraps the person's notes across lines: a run found in what they typed is theirs.
    typed = " ".join(" ".join(own_words(person)).split())
    runs = {
        run
        for line in text.splitlines()
        for run in ENGLISH_RUN.findall(NOT_LANGUAGE.sub(" ", line))
        if " ".join(run.split()) not in typed
    }
    assert sorted(runs) == []
