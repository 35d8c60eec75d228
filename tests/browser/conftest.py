"""
Fixtures for the browser tests: plain static files for live_server, a page that fails the test
on any console error (CSP violations show up there), and a page already logged in.

The Playwright set-up for the system Chromium (phone viewport, touch, Europe/London) is in
tests/conftest.py.
"""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client
from django.test.testcases import LiveServerThread

from tests.live_server import SharedConnectionsServer

HERE = Path(__file__).resolve().parent
PLAYWRIGHT_BLOCKED_WORKER = "Service Worker registration blocked by Playwright"


def pytest_collection_modifyitems(items):
    """
    Every database test in this folder runs with `transaction=True, serialized_rollback=True`.

    They must all agree: the flush after a test without serialized rollback re-creates the
    content types with new ids, and the next test that restores the serialized copy then fails
    on a unique constraint; with none of them serialized, the catalogue is gone after the first.
    """
    for item in items:
        if not item.path.is_relative_to(HERE):
            continue
        marker = item.get_closest_marker("django_db")
        if marker is None and "live_server" not in getattr(item, "fixturenames", ()):
            continue
        kwargs = {**(marker.kwargs if marker else {}), "transaction": True}
        kwargs["serialized_rollback"] = True
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(scope="session")
def base_url():
    """
    Tests build URLs from live_server.url. This replaces pytest-playwright's fallback fixture,
    a method on a plugin object that pytest 9 deprecates (and warnings are errors here).
    """
    return None


@pytest.fixture(scope="session")
def _live_server_closes_only_its_own_connections():
    """The live server's request threads leave the test's connection alone: tests/live_server.py."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LiveServerThread, "server_class", SharedConnectionsServer)
        yield


@pytest.fixture(scope="session")
def live_server(django_db_setup, _live_server_closes_only_its_own_connections, live_server):
    """
    pytest-django's live_server, started after the test database exists.

    Session fixtures start before function ones, so without this the server can start while the
    connection still points at the development database; it then cannot hand the in-memory test
    database's connection to its request threads, and each thread opens (and leaks) its own.
    """
    return live_server


@pytest.fixture(scope="session", autouse=True)
def _serialized_rollback_across_playwright(django_db_setup, request):
    """
    Make `serialized_rollback` work in browser tests whatever ran first.

    live_server tests commit for real, so the database is flushed after each one, and the body
    sites and built-in triggers seeded by a data migration go with it; `serialized_rollback=True`
    puts them back from a copy Django keeps on the connection object. But once Playwright's
    event loop runs in this thread, Django's `connections` (an asgiref Local) serves a different
    connection object, without that copy: in a full `pytest` run, where the database is set up
    before the browser starts, the catalogue would silently stay empty. So: start the browser
    here, then hand the copy to the connection objects the tests will use.
    """
    copies = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    request.getfixturevalue("browser")
    for alias, contents in copies.items():
        connections[alias]._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """live_server serves unhashed names; the manifest storage would fail without collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def page(page):
    """
    pytest-playwright's page that fails the test on a console error or warning (a blocked inline
    script or style under the strict CSP is reported there) or an uncaught exception.
    """
    problems: list[str] = []

    def on_console(message) -> None:
        if message.text == PLAYWRIGHT_BLOCKED_WORKER:
            return  # tests/conftest.py blocks the service worker outside test_offline.py
        if message.type in ("error", "warning"):
            problems.append(f"console.{message.type}: {message.text} ({message.location})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught exception: {error}"))
    page.set_default_timeout(5_000)
    yield page
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def logged_in_page(page, live_server, user):
    """`page` logged in as `user` (tests/conftest.py) by cookie: no trip through the login form."""
    log_in(page.context, live_server, user)
    yield page
    # Let the page's requests finish while the test's data still exists.
    page.wait_for_load_state("networkidle")
    page.context.close()


def log_in(context, live_server, user) -> None:
    """Give a browser context the session cookie of `user`."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
