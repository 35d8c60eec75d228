"""
Every full page is valid HTML by the W3C Nu HTML Checker (vnu.jar from npm's vnu-jar, on the
system Java), logged in and out, with data and with form errors.

The colour scheme is CSS only (prefers-color-scheme), so light and dark serve the same HTML: one
check covers both. A page added to the URL map must be added here (or to NOT_PAGES, saying why):
test_every_page_is_checked fails otherwise.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.plugins.otp_totp.models import TOTPDevice

from diary.models import FunctionCheck, PushDevice, ReminderKind, ReminderSettings, ShareLink
from diary.reminders.messages import stop_token
from diary.sharing import links
from tests.clip_helpers import clips_in_every_state, ready_clip
from tests.clip_media import make_video
from tests.factories import PASSWORD, EpisodeFactory, TriggerFactory, UserFactory
from tests.helpers import app_code, two_step_on

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# URL names that answer with something other than an HTML page, and what they answer.
NOT_PAGES = {
    "episode-delete": "POST only",
    "episode-restore": "POST only",
    "report-pdf": "a PDF",
    "healthz": "JSON",
    "csp-report": "POST only, no body",
    "robots-txt": "plain text",
    "function-check-delete": "POST only",
    "function-check-restore": "POST only",
    "triggers-shown": "POST only",
    "export-json": "JSON",
    "export-csv": "CSV",
    "manifest": "the web app manifest (JSON)",
    "service-worker": "JavaScript",
    "logout": "POST only",
    "password_reset_confirm": "needs a mailed token; its form is the same as password_change's",
    "share-create": "POST only",
    "share-revoke": "POST only",
    "share-pdf": "a PDF",
    "share-fhir": "FHIR JSON",
    "export-fhir": "FHIR JSON",
    "twostep-codes-txt": "plain text",
    "reminders-device-add": "POST only, JSON",
    "reminders-device-remove": "POST only",
    "reminders-skip": "POST only",
    "report-appointment": "POST only; its errors show on the report page (checked there)",
    "export-zip": "a ZIP file",
    "clip-add": "POST only",
    "clip-card": "an htmx fragment (the episode page without htmx)",
    "clip-file": "a video or photo",
    "clip-poster": "a JPEG",
    "clip-thumb": "a JPEG",
    "share-clip-file": "a video or photo",
    "share-clip-poster": "a JPEG",
    "javascript-catalog": "JavaScript (the scripts' messages in one language)",
    "set-language": "POST only (Django's set_language: sets the cookie, then redirects)",
}


def url_names(patterns=None, prefix: str = "") -> set[str]:
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) != "admin/":
                names |= url_names(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def anonymous() -> Client:
    return Client()


def logged_in() -> Client:
    user = UserFactory(timezone="Europe/London")
    own = TriggerFactory(user=user, name="Red wine")
    EpisodeFactory(user=user, sites=["calf-left", "eyelid-right"], triggers=["caffeine", own])
    EpisodeFactory(
        user=user,
        intensity=3,
        weakness=True,
        notes="<b>markup</b> & Ünïcode",
        visible=True,  # the twitch details' table
        stopped_with_movement="not_tried",
    )
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def episode_url(client: Client) -> str:
    return f"/episodes/{client.user.episodes.first().uuid}/"


def small_video() -> bytes:
    path = Path(tempfile.mkdtemp()) / "clip.mov"
    return make_video(path, seconds=1, size=(320, 240)).read_bytes()


def with_clips(client: Client) -> Client:
    """The first episode with a clip in every state: ready video and photo, preparing, failed."""
    clips_in_every_state(client.user, client.user.episodes.first(), small_video())
    return client


def clip_delete_url(client: Client) -> str:
    episode = client.user.episodes.first()
    return f"/clips/{ready_clip(client.user, episode).uuid}/delete/"


def shared_with_clips() -> Client:
    owner = logged_in()
    ready_clip(owner.user, owner.user.episodes.first(), small_video(), "VID.mov")
    ready_clip(owner.user, owner.user.episodes.first())
    _, token = links.create(
        owner.user, first=date(2026, 1, 1), last=date.today(), days=7, include_clips=True
    )
    client = Client()
    client.token = token
    return client


def own_trigger(client: Client):
    return client.user.triggers.get()


SHARE = {"from": "2026-01-05", "to": "2026-03-01", "days": "7", "next": "/report/"}


def shared() -> Client:
    """A fresh browser holding a share link of a diary with data (the page is public)."""
    owner = logged_in()
    _, token = links.create(owner.user, first=date(2026, 1, 1), last=date.today(), days=7)
    client = Client()
    client.token = token
    return client


def two_step(client: Client) -> Client:
    """`client`'s account with two-step login on (its recovery codes shown once)."""
    client.get("/settings/two-step/")
    device = TOTPDevice.objects.get(user=client.user)
    client.post("/settings/two-step/", {"device": device.pk, "code": app_code(device)})
    return client


def at_code_step() -> Client:
    """A browser whose right password has led to the code page of a two-step account."""
    user = UserFactory()
    two_step_on(user)
    client = Client()
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    return client


def check_url(client: Client) -> str:
    check, _ = FunctionCheck.objects.get_or_create(user=client.user, date=date(2026, 1, 5))
    return f"/report/checks/{check.uuid}/"


# name -> (client maker, [(label, how to get the page)]): each getter returns the response.
Getter = Callable[[Client], object]
PAGES: dict[str, tuple[Callable[[], Client], list[tuple[str, Getter]]]] = {
    "log": (
        logged_in,
        [
            ("log", lambda c: c.get("/")),
            ("log repeat", lambda c: c.get("/?repeat=last")),
            ("log with errors", lambda c: c.post("/", {"when": "custom", "duration_preset": "x"})),
        ],
    ),
    "history": (
        logged_in,
        [
            ("history", lambda c: c.get("/episodes/")),
            ("history filtered", lambda c: c.get("/episodes/?site=calf-left&from=2000-01-01")),
            ("history bad filter", lambda c: c.get("/episodes/?from=nope")),
        ],
    ),
    "episode-edit": (
        logged_in,
        [
            ("edit", lambda c: c.get(episode_url(c))),
            ("edit with clips", lambda c: with_clips(c).get(episode_url(c))),
            (
                "edit with a refused clip",
                lambda c: c.post(
                    f"{episode_url(c)}clips/", {"file": io.BytesIO(b"MZ not a video")}
                ),
            ),
            ("edit errors", lambda c: c.post(episode_url(c), {"sites": [], "when": "custom"})),
        ],
    ),
    "trends": (
        logged_in,
        [
            ("trends", lambda c: c.get("/trends/")),
            ("trends 52", lambda c: c.get("/trends/?weeks=52")),
            ("trends bad range", lambda c: c.get("/trends/?from=2026-02-30&to=x")),
        ],
    ),
    "report": (
        logged_in,
        [
            ("report", lambda c: c.get("/report/")),
            (
                "report appointment errors",
                lambda c: c.post("/report/appointment/", {"appointment_date": "2000-01-01"}),
            ),
            ("report new link", lambda c: c.post("/report/share/", SHARE, follow=True)),
        ],
    ),
    "about": (
        logged_in,
        [
            ("about", lambda c: c.get("/report/about/")),
            (
                "about errors",
                lambda c: c.post(
                    "/report/about/",
                    {"started_month": "9", "started_not_sure": "on", "relatives": "maybe"},
                ),
            ),
        ],
    ),
    "function-check-new": (logged_in, [("new check", lambda c: c.get("/report/checks/new/"))]),
    "function-check-edit": (logged_in, [("edit check", lambda c: c.get(check_url(c)))]),
    "trigger-manage": (
        logged_in,
        [
            ("trigger manage", lambda c: c.get(f"/settings/triggers/{own_trigger(c).pk}/")),
            (
                "trigger rename errors",
                lambda c: c.post(
                    f"/settings/triggers/{own_trigger(c).pk}/", {"action": "rename", "name": ""}
                ),
            ),
        ],
    ),
    "account-delete": (
        logged_in,
        [
            ("delete account", lambda c: c.get("/settings/delete/")),
            ("delete account errors", lambda c: c.post("/settings/delete/", {"password": "no"})),
        ],
    ),
    "import": (
        logged_in,
        [
            ("import", lambda c: c.get("/import/")),
            ("import errors", lambda c: c.post("/import/", {"file": io.BytesIO(b"not json")})),
        ],
    ),
    "offline": (anonymous, [("offline", lambda c: c.get("/offline/"))]),
    "log-shell": (logged_in, [("offline log", lambda c: c.get("/offline/log/"))]),
    "checkins": (
        logged_in,
        [
            ("checkins", lambda c: c.get("/checkins/")),
            (
                "checkins saved",
                lambda c: c.post("/checkins/2026-01-05/", {"day-caffeine": "2"}, follow=True),
            ),
        ],
    ),
    "checkin-edit": (
        logged_in,
        [
            ("checkin edit", lambda c: c.get("/checkins/2026-01-05/")),
            ("checkin errors", lambda c: c.post("/checkins/2026-01-05/", {"day-caffeine": "99"})),
        ],
    ),
    "settings": (
        logged_in,
        [
            ("settings", lambda c: c.get("/settings/")),
            ("settings links", lambda c: c.post("/report/share/", SHARE) and c.get("/settings/")),
        ],
    ),
    "twostep-setup": (
        logged_in,
        [
            ("two-step setup", lambda c: c.get("/settings/two-step/")),
            (
                "two-step setup errors",
                lambda c: (
                    c.get("/settings/two-step/")
                    and c.post("/settings/two-step/", {"device": "0", "code": "1"}, follow=True)
                ),
            ),
        ],
    ),
    "twostep-codes": (
        logged_in,
        [("recovery codes", lambda c: two_step(c).get("/settings/two-step/codes/"))],
    ),
    "twostep-new-codes": (
        lambda: two_step(logged_in()),
        [
            ("new codes", lambda c: c.get("/settings/two-step/new-codes/")),
            ("new codes errors", lambda c: c.post("/settings/two-step/new-codes/", {})),
            ("settings two-step on", lambda c: c.get("/settings/")),
        ],
    ),
    "twostep-off": (
        lambda: two_step(logged_in()),
        [("two-step off", lambda c: c.get("/settings/two-step/off/"))],
    ),
    "login-code": (
        at_code_step,
        [
            ("login code", lambda c: c.get("/accounts/login/code/")),
            ("login recovery", lambda c: c.get("/accounts/login/code/?with=recovery")),
            ("login code errors", lambda c: c.post("/accounts/login/code/", {"code": "12"})),
        ],
    ),
    "share-page": (
        shared_with_clips,
        [("share page with videos and photos", lambda c: c.get(f"/s/{c.token}/"))],
    ),
    "clip-delete": (logged_in, [("delete clip", lambda c: c.get(clip_delete_url(c)))]),
    "reminders": (
        logged_in,
        [
            ("reminders", lambda c: c.get("/settings/reminders/")),
            ("reminders with a device", lambda c: with_device(c).get("/settings/reminders/")),
            (
                "reminders errors",
                lambda c: c.post("/settings/reminders/", {"remind_at": "", "quiet_from": "9"}),
            ),
        ],
    ),
    "reminders-stop": (
        anonymous,
        [
            ("stop reminders", lambda c: c.get(stop_url())),
            ("reminders stopped", lambda c: c.post(stop_url())),
        ],
    ),
    "signup": (
        anonymous,
        [
            ("signup", lambda c: c.get("/accounts/signup/")),
            ("signup errors", lambda c: c.post("/accounts/signup/", {"username": ""})),
        ],
    ),
    "login": (
        anonymous,
        [
            ("login", lambda c: c.get("/accounts/login/")),
            ("login errors", lambda c: c.post("/accounts/login/", {"username": "x"})),
        ],
    ),
    "password_change": (
        logged_in,
        [("password change", lambda c: c.get("/accounts/password_change/"))],
    ),
    "password_change_done": (
        logged_in,
        [("password changed", lambda c: c.get("/accounts/password_change/done/"))],
    ),
    "password_reset": (
        anonymous,
        [("password reset", lambda c: c.get("/accounts/password_reset/"))],
    ),
    "password_reset_done": (
        anonymous,
        [("reset sent", lambda c: c.get("/accounts/password_reset/done/"))],
    ),
    "password_reset_complete": (
        anonymous,
        [("reset complete", lambda c: c.get("/accounts/reset/done/"))],
    ),
}


def with_device(client: Client) -> Client:
    ReminderSettings.objects.update_or_create(user=client.user, defaults={"checkin": True})
    PushDevice.objects.create(
        user=client.user, endpoint="https://fcm.googleapis.com/fcm/send/x", p256dh="k", auth="a"
    )
    return client


def stop_url() -> str:
    user = UserFactory()
    ReminderSettings.objects.create(user=user, checkin=True)
    return f"/reminders/stop/{stop_token(user.profile.uuid, ReminderKind.CHECKIN)}/"


def csrf_checked(logged: bool) -> Callable[[], Client]:
    """A browser whose next form fails the CSRF check: its cookie changed since the page."""

    def make() -> Client:
        client = Client(enforce_csrf_checks=True)
        if logged:
            client.force_login(UserFactory())
        client.cookies["csrftoken"] = _get_new_csrf_string()
        return client

    return make


def link_closed(how: str) -> Client:
    client = shared()
    link = links.find(client.token)
    if how == "revoked":
        links.revoke(link)
    else:
        long_ago = link.created_at - timedelta(days=8)
        ShareLink.objects.filter(pk=link.pk).update(
            created_at=long_ago, expires_at=long_ago + timedelta(days=7)
        )
    return client


STALE_FORM = {"action": "profile", "csrfmiddlewaretoken": "x" * 64}

# The error pages (tests.urls_errors adds URLs that fail on purpose): label -> (client maker,
# how to get the page, its status).
ERROR_PAGES: dict[str, tuple[Callable[[], Client], Getter, int]] = {
    "404": (anonymous, lambda c: c.get("/no-such-page/"), 404),
    "404 logged in": (
        logged_in,
        lambda c: c.get("/no-such-page/", headers={"referer": "http://testserver/trends/"}),
        404,
    ),
    "403": (logged_in, lambda c: c.get("/test-errors/403/"), 403),
    "csrf stale": (csrf_checked(True), lambda c: c.post("/settings/", STALE_FORM), 403),
    "csrf no cookie": (
        lambda: Client(enforce_csrf_checks=True),
        lambda c: c.post("/accounts/login/", {}),
        403,
    ),
    "csrf logged out": (
        csrf_checked(False),
        lambda c: c.post(
            "/settings/", STALE_FORM, headers={"referer": "http://testserver/settings/"}
        ),
        403,
    ),
    "400": (anonymous, lambda c: c.get("/test-errors/400/"), 400),
    "400 host": (anonymous, lambda c: c.get("/", HTTP_HOST="elsewhere.example"), 400),
    "500": (anonymous, lambda c: c.get("/test-errors/500/"), 500),
    "share missing": (anonymous, lambda c: c.get("/s/" + "x" * 43 + "/"), 404),
    "share expired": (lambda: link_closed("expired"), lambda c: c.get(f"/s/{c.token}/"), 410),
    "share revoked": (lambda: link_closed("revoked"), lambda c: c.get(f"/s/{c.token}/"), 410),
}


def test_every_page_is_checked():
    assert url_names() - NOT_PAGES.keys() == PAGES.keys()


@pytest.mark.urls("tests.urls_errors")
@pytest.mark.django_db
def test_every_page_is_valid_html(tmp_path, settings):
    settings.DEBUG = False  # the error pages production shows
    java = shutil.which("java")
    assert java, "the HTML check needs Java (scripts/install-deps installs default-jre-headless)"
    assert VNU_JAR.is_file(), f"{VNU_JAR} is missing: run `npm ci` (make pytest does)"
    files = {}
    for name, (make_client, getters) in PAGES.items():
        client = make_client()
        for label, get in getters:
            response = get(client)
            assert response.status_code == 200, (label, response.status_code)
            assert response["Content-Type"].startswith("text/html"), label
            path = tmp_path / f"{label.replace(' ', '-')}.html"
            path.write_bytes(response.content)
            files[str(path)] = f"{name}: {label}"
    for label, (make_client, get, status) in ERROR_PAGES.items():
        client = make_client()
        client.raise_request_exception = False
        response = get(client)
        assert response.status_code == status, (label, response.status_code)
        path = tmp_path / f"error-{label.replace(' ', '-')}.html"
        path.write_bytes(response.content)
        files[str(path)] = f"error page: {label}"
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    problems = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}"
        f" line {m.get('lastLine')}: {m['message']} [{m.get('extract', '').strip()[:80]}]"
        for m in messages
    ]
    assert not problems, f"{len(problems)} HTML errors:\n" + "\n".join(problems)
    assert result.returncode == 0, result.stderr[-2000:]
