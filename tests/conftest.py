"""Shared fixtures: users, logged-in clients and the Playwright set-up for the system Chromium."""

import os
import shutil

import pytest

from tests.factories import UserFactory

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


@pytest.fixture
def user(db):
    return UserFactory(timezone="Europe/London")


@pytest.fixture
def other_user(db):
    return UserFactory(timezone="Europe/London")


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
        "timezone_id": "Europe/London",
        "locale": "en-GB",
    }
