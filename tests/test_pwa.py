"""
The installable app: the web manifest, the service worker's URL and headers, and the
two pages the worker keeps for offline use, which must carry no health data.
"""

import json
import struct
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.contrib.staticfiles import finders
from PIL import Image

from diary.views import offline
from tests.factories import EpisodeFactory, TriggerFactory

pytestmark = pytest.mark.django_db


def png_size(path: str) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


# --- Manifest ---


def test_manifest_is_public_and_describes_the_app(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == manifest["short_name"] == "Twitchlog"
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == manifest["background_color"] == "#f6f7f9"
    dark = manifest["user_preferences"]["color_scheme_dark"]
    assert dark == {"background_color": "#15181d", "theme_color": "#15181d"}


def test_manifest_icons_exist_with_their_stated_sizes(client):
    icons = json.loads(client.get("/manifest.webmanifest").content)["icons"]
    assert {(icon["sizes"], icon.get("purpose", "any")) for icon in icons} == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    }
    for icon in icons:
        assert icon["type"] == "image/png"
        path = finders.find(icon["src"].removeprefix("/static/"))
        width, height = png_size(path)
        assert f"{width}x{height}" == icon["sizes"]


def test_maskable_icon_fills_its_square_and_the_plain_one_is_rounded():
    """Launchers crop maskable icons to their own shape: a transparent corner would show."""
    with Image.open(finders.find("img/icon-maskable-512.png")) as maskable:
        assert maskable.convert("RGBA").getpixel((0, 0)) == (29, 95, 168, 255)
    with Image.open(finders.find("img/icon-512.png")) as plain:
        assert plain.convert("RGBA").getpixel((0, 0))[3] == 0
        assert plain.convert("RGBA").getpixel((256, 40)) == (29, 95, 168, 255)


def test_pages_link_the_manifest_and_theme_colours(owner_client):
    html = owner_client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    for colour, scheme in [("#f6f7f9", "light"), ("#15181d", "dark")]:
        media = f"(prefers-color-scheme: {scheme})"
        assert f'<meta name="theme-color" content="{colour}" media="{media}">' in html
    assert 'src="/static/js/sw-register.js" data-worker="/sw.js"' in html


# --- Service worker ---


def test_service_worker_is_public_uncached_and_allowed_at_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert body.endswith(Path(finders.find("js/sw.js")).read_text())


def test_service_worker_config_lists_the_shell_and_never_a_data_page(client):
    body = client.get("/sw.js").content.decode()
    config = json.loads(body.split("\n", 1)[0].removeprefix("self.TWITCHLOG = ").rstrip(";"))
    assert config["offlinePage"] == "/offline/"
    assert config["logShell"] == "/offline/log/"
    assert "/static/css/app.css" in config["static"]
    assert "/static/js/offline-queue.js" in config["static"]
    # Static files, and the scripts' messages in the page's language (the same for everyone).
    assert all(url.startswith(("/static/", "/jsi18n/en/")) for url in config["static"])
    assert len(config["version"]) == 16


def test_service_worker_is_made_again_for_another_language(client, settings):
    """Its pages are stored in one language: another language is another version to install."""
    english = offline.worker_config("en")
    german = offline.worker_config("de")
    assert german["version"] != english["version"]
    assert any(url.startswith("/jsi18n/de/") for url in german["static"])


def test_service_worker_version_follows_the_files(settings, tmp_path):
    """A changed stylesheet must reach phones: the worker's version (and cache name) changes."""
    before = offline.worker_config("en")["version"]
    css = tmp_path / "css"
    css.mkdir()
    (css / "app.css").write_text("body { color: #123; }")
    settings.STATICFILES_DIRS = [tmp_path, *settings.STATICFILES_DIRS]
    finders.get_finder.cache_clear()
    try:
        assert offline.worker_config("en")["version"] != before
    finally:
        finders.get_finder.cache_clear()


def test_service_worker_in_debug_lists_the_htmx_debug_helper(settings):
    settings.DEBUG = True
    assert "django_htmx/django-htmx.js" in offline.shell_static()
    settings.DEBUG = False
    assert "django_htmx/django-htmx.js" not in offline.shell_static()


# --- The pages the worker keeps ---


def test_offline_page_is_public_and_calm(client):
    response = client.get("/offline/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="offline-heading">You are offline</h1>' in html
    assert "Nothing is lost." in html


def test_offline_page_shows_no_account_and_keeps_flash_messages(owner_client, user):
    EpisodeFactory(user=user, sites=["tongue"])
    owner_client.post("/", {"sites": ["neck"], "when": "now", "duration_preset": "5"})
    response = owner_client.get("/offline/")
    html = response.content.decode()
    assert user.username not in html
    assert "Tongue" not in html
    assert "Log out" not in html
    # The worker fetches this page in the background: the "Logged" message waits for the next.
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Logged. Tap an entry below to add details."
    ]


def test_log_shell_anonymous_redirected_to_login(client):
    response = client.get("/offline/log/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/offline/log/"


def test_log_shell_has_the_form_and_no_health_data(owner_client, user):
    EpisodeFactory(user=user, sites=["tongue"], notes="after coffee")
    own = TriggerFactory(user=user, name="Alcohol")
    response = owner_client.get("/offline/log/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    html = response.content.decode()
    assert 'id="log-form"' in html
    assert 'id="offline-queue"' in html
    assert "Alcohol" in html  # the person's own trigger chips, not an entry
    assert own.name in html
    assert "after coffee" not in html
    assert "quick-sites" not in html  # recent sites say where they twitch
    assert 'data-site="tongue" checked' not in html
    assert "Your entries" in html


def test_log_shell_never_shows_another_users_triggers(owner_client, other_user):
    TriggerFactory(user=other_user, name="Secret pills")
    assert "Secret pills" not in owner_client.get("/offline/log/").content.decode()


def test_log_shell_keeps_flash_messages_for_the_next_page(owner_client):
    owner_client.post("/", {"sites": ["neck"], "when": "now", "duration_preset": "5"})
    owner_client.get("/offline/log/")
    assert "Logged. Tap an entry below" in owner_client.get("/").content.decode()
