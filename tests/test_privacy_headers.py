"""Headers that keep the diary out of caches and search engines; robots.txt; autocomplete."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import EpisodeFactory
from tests.helpers import HTMX

pytestmark = pytest.mark.django_db

PRIVATE = [
    "/",
    "/episodes/",
    "/settings/",
    "/trends/",
    "/report/",
    "/report.pdf?weeks=4",
    "/report/checks/new/",
    "/accounts/password_change/",
]


@pytest.mark.parametrize("url", PRIVATE)
def test_every_response_to_a_logged_in_person_is_no_store(owner_client, user, url):
    EpisodeFactory(user=user)
    response = owner_client.get(url)
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "no-store" in cache_control


def test_pages_are_private_and_never_reused(owner_client):
    cache_control = {part.strip() for part in owner_client.get("/")["Cache-Control"].split(",")}
    assert {"no-store", "no-cache", "private", "max-age=0"} <= cache_control


def test_fragments_and_redirects_are_no_store_too(owner_client, user):
    episode = EpisodeFactory(user=user)
    fragment = owner_client.get("/episodes/", headers=HTMX)
    assert "<html" not in fragment.content.decode()
    assert "no-store" in fragment["Cache-Control"]
    deleted = owner_client.post(f"/episodes/{episode.uuid}/delete/")
    assert deleted.status_code == 302
    assert "no-store" in deleted["Cache-Control"]


def test_a_public_page_keeps_its_own_caching(client):
    assert "no-store" not in client.get("/robots.txt").get("Cache-Control", "")


@pytest.mark.parametrize("url", ["/", "/episodes/", "/accounts/login/", "/healthz"])
def test_vary_hx_request(owner_client, client, url):
    for who in (owner_client, client):
        vary = {part.strip() for part in who.get(url).get("Vary", "").split(",")}
        assert "HX-Request" in vary


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/healthz", "/robots.txt"])
def test_permissions_policy_denies_what_the_app_never_uses(client, url):
    policy = client.get(url)["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial"):
        assert f"{feature}=()" in policy


@pytest.mark.parametrize(
    "url", ["/healthz", "/robots.txt", "/accounts/signup/", "/accounts/password_reset/"]
)
def test_noindex_on_everything_but_the_login_page(client, url):
    assert client.get(url)["X-Robots-Tag"] == "noindex, nofollow"


def test_noindex_on_private_pages(owner_client):
    assert owner_client.get("/")["X-Robots-Tag"] == "noindex, nofollow"


def test_the_login_page_may_be_indexed(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "X-Robots-Tag" not in response


def test_robots_txt_is_public_and_allows_only_the_login_page(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines == ["User-agent: *", "Allow: /accounts/login/", "Disallow: /"]


def autocomplete(html: str, name: str) -> str | None:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert tag, name
    found = re.search(r'autocomplete="([^"]+)"', tag.group(0))
    return found.group(1) if found else None


def test_autocomplete_on_login_and_signup(client):
    login = client.get("/accounts/login/").content.decode()
    assert autocomplete(login, "username") == "username"
    assert autocomplete(login, "password") == "current-password"
    signup = client.get("/accounts/signup/").content.decode()
    assert autocomplete(signup, "username") == "username"
    assert autocomplete(signup, "email") == "email"
    assert autocomplete(signup, "password1") == "new-password"
    assert autocomplete(signup, "password2") == "new-password"


def test_autocomplete_on_password_change_and_reset(owner_client, client, user):
    change = owner_client.get("/accounts/password_change/").content.decode()
    assert autocomplete(change, "old_password") == "current-password"
    assert autocomplete(change, "new_password1") == "new-password"
    assert autocomplete(change, "new_password2") == "new-password"
    reset = client.get("/accounts/password_reset/").content.decode()
    assert autocomplete(reset, "email") == "email"
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    form_url = client.get(f"/accounts/reset/{uid}/{token}/")["Location"]
    confirm = client.get(form_url).content.decode()
    assert autocomplete(confirm, "new_password1") == "new-password"
    assert autocomplete(confirm, "new_password2") == "new-password"
