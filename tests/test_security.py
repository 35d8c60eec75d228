"""Login everywhere but the public pages, expired htmx sessions, CSP and framing headers."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, EpisodeFactory, UserFactory
from tests.helpers import HTMX

pytestmark = pytest.mark.django_db

PRIVATE_GETS = ["/", "/?repeat=last", "/episodes/", "/settings/", "/accounts/password_change/"]
PUBLIC_GETS = [
    "/healthz",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password_reset/",
    "/accounts/password_reset/done/",
    "/accounts/reset/done/",
]


@pytest.mark.parametrize("url", PRIVATE_GETS)
def test_private_pages_redirect_anonymous_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", PUBLIC_GETS)
def test_public_pages_need_no_login(client, url):
    assert client.get(url).status_code == 200


def test_episode_urls_redirect_anonymous_to_login(client, user):
    episode = EpisodeFactory(user=user)
    for name in ("episode-edit", "episode-delete", "episode-restore"):
        response = client.post(reverse(name, args=[episode.uuid]))
        assert response["Location"].startswith("/accounts/login/?next=")


# --- An htmx request whose session expired ---


def test_htmx_expired_session_gets_hx_redirect_to_login(client):
    response = client.get("/episodes/?page=2", headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")
    assert "Location" not in response
    assert response.content == b""


def test_htmx_expired_session_returns_to_the_page_not_the_fragment(client, user):
    """After logging in again, a person lands on the page they were on, not on a POST-only URL."""
    episode = EpisodeFactory(user=user)
    response = client.post(
        f"/episodes/{episode.uuid}/delete/",
        headers={**HTMX, "HX-Current-URL": "http://testserver/episodes/?site=calf-left"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=/episodes/%3Fsite%3Dcalf-left"
    episode.refresh_from_db()
    assert episode.deleted_at is None


def test_htmx_expired_session_ignores_an_offsite_current_url(client):
    response = client.post("/", headers={**HTMX, "HX-Current-URL": "https://evil.example/"})
    assert response["HX-Redirect"] == "/accounts/login/?next=/"


def test_htmx_logged_out_session_after_flush(owner_client):
    owner_client.session.flush()
    owner_client.cookies.clear()
    response = owner_client.post("/", headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/accounts/login/")


def test_plain_request_still_gets_a_302(client):
    response = client.get("/episodes/")
    assert response.status_code == 302
    assert "HX-Redirect" not in response


# --- Headers ---


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/", "/episodes/", "/settings/"])
def test_csp_has_no_unsafe_inline_script(owner_client, url):
    response = owner_client.get(url)
    directives = csp_directives(response)
    script_src = directives["script-src"]
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "'self'" in script_src
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_csp_on_public_pages_too(client):
    directives = csp_directives(client.get("/accounts/login/"))
    assert "'unsafe-inline'" not in directives["script-src"]


@pytest.mark.parametrize("url", ["/", "/episodes/", "/settings/"])
def test_every_script_tag_is_external_or_carries_the_nonce(owner_client, url):
    response = owner_client.get(url)
    nonces = [s for s in csp_directives(response)["script-src"] if s.startswith("'nonce-")]
    tags = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert any("htmx" in tag for tag in tags)
    for tag in tags:
        if "src=" not in tag:
            assert nonces, tag
            assert f'nonce="{nonces[0][7:-1]}"' in tag, tag


@pytest.mark.parametrize("url", ["/", "/episodes/", "/settings/", "/accounts/login/"])
def test_pages_have_no_inline_style_or_event_handlers(owner_client, user, url):
    """A strict CSP blocks them, so they would silently do nothing."""
    EpisodeFactory(user=user)
    html = owner_client.get(url).content.decode()
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/healthz"])
def test_framing_and_sniffing_headers(owner_client, url):
    response = owner_client.get(url)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_htmx_fragment_also_has_headers(owner_client):
    response = owner_client.get("/", headers=HTMX)
    assert response["X-Frame-Options"] == "DENY"
    assert "'unsafe-inline'" not in csp_directives(response)["script-src"]


def test_csrf_required_for_posts(user):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    response = strict.post("/", {"sites": ["calf-left"], "when": "now", "duration_preset": "5"})
    assert response.status_code == 403
    assert not user.episodes.exists()


def test_htmx_csrf_header_is_on_the_body(owner_client):
    html = owner_client.get("/").content.decode()
    assert re.search(r"<body data-hx-headers='\{\"x-csrftoken\": \"[\w-]+\"\}'>", html)


def test_session_cookie_is_httponly(client, user):
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_pages_use_the_profile_time_zone(client, db, monkeypatch):
    """Dates rendered with Django's filters follow the person's zone, not the server's UTC."""
    from django.utils import timezone as django_timezone

    from diary.views import accounts

    seen = {}
    original = accounts.TemplateResponse

    def spy(request, template, context=None, *args, **kwargs):
        seen["zone"] = django_timezone.get_current_timezone_name()
        return original(request, template, context, *args, **kwargs)

    monkeypatch.setattr(accounts, "TemplateResponse", spy)
    client.force_login(UserFactory(timezone="Pacific/Auckland"))
    assert client.get("/settings/").status_code == 200
    assert seen["zone"] == "Pacific/Auckland"


def test_user_without_profile_gets_one_instead_of_an_error(client, db):
    from diary.models import Profile

    user = UserFactory()
    Profile.objects.filter(user=user).delete()
    client.force_login(user)
    assert client.get("/").status_code == 200
    assert Profile.objects.filter(user=user).count() == 1
