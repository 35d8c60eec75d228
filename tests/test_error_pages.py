"""
The pages Twitchlog answers with when something goes wrong, as production serves them (DEBUG
off): each in the app's layout (a phone viewport, a main landmark, the stylesheet with its dark
mode), a plain sentence, and a way back. The 500 page needs nothing that may have failed.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client, RequestFactory

from diary.models import Profile
from diary.views import errors
from tests.factories import EpisodeFactory, UserFactory


class Outline(HTMLParser):
    """What a person and a screen reader get from a page: landmarks, headings, links, styles."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.metas: dict[str, str] = {}
        self.stylesheets: list[str] = []
        self.h1: list[str] = []
        self.main_links: dict[str, str] = {}  # link text -> href, inside <main>
        self.main_text = ""
        self.inline_styles = 0
        self._in: list[str] = []
        self._href: str | None = None
        self._text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "style" in a or tag == "style":
            self.inline_styles += 1
        if tag == "meta" and "name" in a:
            self.metas[a["name"]] = a.get("content") or ""
        if tag == "link" and a.get("rel") == "stylesheet":
            self.stylesheets.append(a["href"])
        if tag == "a" and "main" in self._in:
            self._href, self._text = a.get("href"), ""
        if tag == "h1":
            self._text = ""
        if tag not in ("meta", "link", "input", "br", "img"):
            self._in.append(tag)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.main_links[" ".join(self._text.split())] = self._href
            self._href = None
        if tag == "h1":
            self.h1.append(" ".join(self._text.split()))
        if tag in self._in:
            del self._in[len(self._in) - 1 - self._in[::-1].index(tag) :]

    def handle_data(self, data):
        self._text += data
        if "main" in self._in:
            self.main_text += data


def our_page(response, status: int, heading: str) -> Outline:
    """The checks every error page passes; returns its outline for the page's own checks."""
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    page = Outline(response.content.decode())
    assert page.metas.get("viewport", "").startswith("width=device-width")
    assert page.metas.get("color-scheme") == "light dark"
    assert any("app" in href and href.endswith(".css") for href in page.stylesheets)
    assert page.h1 == [heading]
    assert page.main_links, "a way back"
    assert page.inline_styles == 0  # the CSP blocks them
    assert "DEBUG" not in response.content.decode()
    return page


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


# --- 404 ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_page_is_our_404_with_a_way_to_log_in(client):
    page = our_page(client.get("/no-such-page/"), 404, "We could not find that page")
    assert page.main_links == {"Log in": "/accounts/login/"}


def test_unknown_page_logged_in_is_our_404_with_the_tab_bar(owner_client):
    response = owner_client.get("/no-such-page/")
    page = our_page(response, 404, "We could not find that page")
    assert page.main_links == {"Go to the Log page": "/"}
    assert 'aria-label="Main"' in response.text  # the tab bar: Log, History, Trends …


def test_another_persons_episode_is_our_404(owner_client, other_user):
    theirs = EpisodeFactory(user=other_user)
    our_page(owner_client.get(f"/episodes/{theirs.uuid}/"), 404, "We could not find that page")


def test_404_links_back_to_the_page_before_only_on_this_site(owner_client):
    here = owner_client.get("/no-such-page/", headers={"referer": "http://testserver/trends/?w=4"})
    assert our_page(here, 404, "We could not find that page").main_links == {
        "Back to the page you were on": "/trends/?w=4",
        "Go to the Log page": "/",
    }
    away = owner_client.get("/no-such-page/", headers={"referer": "https://elsewhere.example/x"})
    assert "Back to the page you were on" not in away.text


# --- 403 ------------------------------------------------------------------------------------


@pytest.mark.urls("tests.urls_errors")
def test_permission_denied_is_our_403(owner_client):
    response = owner_client.get("/test-errors/403/")
    page = our_page(response, 403, "This page is not open to you")
    assert "Nothing was changed." in page.main_text


# --- CSRF failure ---------------------------------------------------------------------------


@pytest.fixture
def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def stale_token_post(client: Client, **extra):
    """A form sent with a token from before the cookie changed (a login in another tab)."""
    client.cookies["csrftoken"] = _get_new_csrf_string()
    data = {"action": "profile", "display_name": "Ada", "timezone": "Europe/Paris"}
    data["csrfmiddlewaretoken"] = _get_new_csrf_string()
    return client.post("/settings/", data, **extra)


def test_stale_form_says_nothing_was_saved_and_how_to_send_it_again(csrf_client, user):
    response = stale_token_post(csrf_client)
    page = our_page(response, 403, "That was not saved")
    assert "Nothing was saved." in page.main_text
    assert "Back button: the form still has what you typed. Send it again." in page.main_text
    assert page.main_links == {"Go to the Log page": "/"}
    assert Profile.objects.get(user=user).display_name == ""


def test_form_without_the_cookie_says_so_and_the_page_sets_a_fresh_one(csrf_client):
    response = csrf_client.post("/settings/", {"action": "profile", "display_name": "Ada"})
    page = our_page(response, 403, "That was not saved")
    assert "did not send Twitchlog's cookie" in page.main_text
    assert "If your browser blocks cookies for this site, allow them." in page.main_text
    # Going back and sending again works: the form's new token comes from this cookie.
    assert response.cookies["csrftoken"].value


def test_logged_out_stale_form_says_to_copy_it_and_log_in_again(db):
    client = Client(enforce_csrf_checks=True)
    response = stale_token_post(client, headers={"referer": "http://testserver/settings/"})
    page = our_page(response, 403, "That was not saved")
    assert "You are logged out." in page.main_text
    assert page.main_links == {"Log in again": "/accounts/login/?next=%2Fsettings%2F"}


def test_stale_login_form_is_not_told_it_is_logged_out(db):
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = _get_new_csrf_string()
    response = client.post("/accounts/login/", {"username": "ada", "password": "x"})
    page = our_page(response, 403, "That was not saved")
    assert "logged out" not in page.main_text
    assert page.main_links == {"Log in": "/accounts/login/"}


# --- 400 ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_host_is_our_400(client):
    page = our_page(
        client.get("/", HTTP_HOST="elsewhere.example"), 400, "That request could not be read"
    )
    assert "nothing was changed" in page.main_text
    assert page.main_links == {"Go to the Log page": "/"}


@pytest.mark.urls("tests.urls_errors")
@pytest.mark.django_db
def test_suspicious_request_is_our_400(client):
    our_page(client.get("/test-errors/400/"), 400, "That request could not be read")


# --- 500 ------------------------------------------------------------------------------------


@pytest.mark.urls("tests.urls_errors")
@pytest.mark.django_db
def test_server_error_is_our_500(client):
    client.raise_request_exception = False
    page = our_page(client.get("/test-errors/500/"), 500, "Something went wrong on our side")
    assert "It was not something you did." in page.main_text
    assert page.main_links == {"Go to the Log page": "/"}


def test_500_page_needs_no_database_session_or_user():
    """
    A bare request (no session, no user, no CSP nonce) and no database: this test has none,
    and a query would raise. The full page, not the fallback, comes back.
    """
    response = errors.server_error(RequestFactory().get("/"))
    our_page(response, 500, "Something went wrong on our side")


def test_500_page_is_still_a_page_when_its_template_fails(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("Missing staticfiles manifest entry for 'css/app.css'")

    monkeypatch.setattr(errors, "render_to_string", broken)
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = Outline(response.content.decode())
    assert page.metas["viewport"].startswith("width=device-width")
    assert page.metas["color-scheme"] == "light dark"
    assert page.h1 == ["Something went wrong on our side"]
    assert page.main_links == {"Back to the Log page": "/"}


# --- Shared links ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_share_link_pages_are_ours_without_a_way_into_the_app(client):
    user = UserFactory()
    response = client.get("/s/" + "x" * 43 + "/")
    page = Outline(response.content.decode())
    assert response.status_code == 404
    assert page.h1 == ["Link not found"]
    assert page.metas["viewport"].startswith("width=device-width")
    assert page.main_links == {}  # a clinician's page leads nowhere into someone's diary
    assert user.get_username() not in response.text
