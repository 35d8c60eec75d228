"""
Shared fixtures: users, logged-in clients, the clock (tests/clock.py) and the Playwright set-up
for the system Chromium.
"""

import os
import shutil
import uuid

import pytest

from tests.factories import UserFactory

# The clock: the `now` fixture, `--now`, `--sweep` and the browser's clock (and pytester, which
# tests/test_clock.py uses to run pytest with --now).
pytest_plugins = ["tests.clock", "pytester"]

# Sync Playwright drives the browser from the test thread while live_server serves requests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_addoption(parser):
    parser.addoption(
        "--screenshots",
        action="store_true",
        help="Save phone screenshots of the Log page to docs/ (make screenshots).",
    )


def _flushes_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(marker and marker.kwargs.get("transaction")) or any(
        name in fixtures for name in ("live_server", "transactional_db")
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """
    Run the transactional (browser) tests last, after every other database test.

    pytest-django puts transactional tests after the others, but pytest's own fixture-based
    reordering runs later and can move plain database tests behind them; those then find the
    tables the last transactional test flushed, body-site catalogue and built-in triggers
    included.
    """
    items.sort(key=_flushes_the_database)


@pytest.fixture(autouse=True)
def _empty_cache():
    """
    The local-memory page cache, the weeks Trends keeps summed and the kept list rows outlive
    each test's database rollback: a new user can get an old id and data version 0 again, and
    a day summary an old id, so what one test kept must not reach the next. (The shared cache
    is a database table: rolled back with the test.)
    """
    from django.core.cache import caches

    from diary.episodes.rows import forget_rows
    from diary.insights import weeks

    caches["pages"].clear()
    weeks.forget()
    forget_rows()
    yield
    caches["pages"].clear()
    weeks.forget()
    forget_rows()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 at production strength costs ~0.5 s a user; tests only need a working hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _language_of_its_own():
    """
    Every test starts in English and leaves no language behind: Django's LocaleMiddleware
    activates a request's language for the thread and leaves it there, so a test that renders
    outside a request (an error page, a mail) would otherwise speak the last test's language.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """
    A task the code under test enqueues runs at once, inside the test (Django's
    ImmediateBackend). Tests of the queue itself switch to the database backend the app runs
    on (`task_queue` below).
    """
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def task_queue(settings):
    """The app's real queue: tasks wait in the database for a `db_worker`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def push_service(settings, db):
    """
    A push service on 127.0.0.1 (tests/pushservice.py) that the app may send to, and the
    server's VAPID key pair, which the service checks every message's token against.
    """
    from diary.reminders.keys import store_new_keys
    from tests.pushservice import PushService

    service = PushService().start()
    settings.PUSH_SERVICES = [service.origin]
    keys, _ = store_new_keys()
    service.state.application_key = keys.public
    yield service
    service.stop()


@pytest.fixture
def mail_server(settings):
    """An SMTP server on 127.0.0.1 (aiosmtpd) that Django's SMTP backend sends to."""
    from tests.mailserver import MailServer

    server = MailServer().start()
    settings.MAILERS = server.mailer()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _private_clip_storage(settings, tmp_path_factory):
    """
    Clips go to a folder of this test's own under the run's temporary directory, never to the
    checkout's media/ (created only when a test stores something).
    """
    location = tmp_path_factory.getbasetemp() / "clips" / uuid.uuid4().hex
    settings.STORAGES = {
        **settings.STORAGES,
        "clips": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }
    return location


@pytest.fixture
def user(db, sweep_zone):
    """A person in Europe/London (in a test marked `calendar`, in the zone of its instant)."""
    return UserFactory(timezone=sweep_zone)


@pytest.fixture
def other_user(db, sweep_zone):
    return UserFactory(timezone=sweep_zone)


@pytest.fixture
def owner_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail(
            "Browser tests need Debian's chromium (apt-get install chromium); .ci/run installs it."
        )
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
        # The test users' zone (a browser test marked `calendar` gets its instant's: clock.py).
        "timezone_id": "Europe/London",
        "locale": "en-GB",
        # The service worker fetches the app shell in the background after the first page
        # load; tests of other features would end with those requests still in flight.
        # tests/browser/test_offline.py allows it (pytest.mark.browser_context_args).
        "service_workers": "block",
    }
