"""
Bad input at the public doors is never a 500, on SQLite and on PostgreSQL alike: logging in
(password and code), sign-up, the password-reset request and the page of its mailed link, and
the share-link pages. PostgreSQL refuses a NUL character in any query and a value longer than
its column, where SQLite takes both: `make test` runs this file on both databases.

The values are those of tests/test_fuzz.py plus the two that reached a 500 on PostgreSQL: a
username with a NUL in it and one of 256 characters (longer than any column keeping it).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from diary.models import ShareLink
from diary.sharing import links
from tests.factories import PASSWORD
from tests.helpers import two_step_on
from tests.test_fuzz import BAD_VALUES, FEW_BAD_VALUES, assert_no_500

pytestmark = pytest.mark.django_db

DOOR_VALUES = [*BAD_VALUES, "a\x00b", "y" * 256, "é" * 151, " ", "admin\n", "%00"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate limits are counted in the shared cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("field", ["username", "password", "next"])
def test_fuzz_login(user, field):
    client = Client()
    base = {"username": user.username, "password": "wrong", "next": "/"}
    for n, value in enumerate(DOOR_VALUES):
        # From many addresses, so the pause after repeated misses does not hide the form.
        address = f"198.51.100.{n + 1}"
        assert_no_500(client.post("/accounts/login/", {**base, field: value}, REMOTE_ADDR=address))
        assert_no_500(client.get("/accounts/login/", {field: value}))
    assert_no_500(client.post("/accounts/login/", {field: ["a", "b\x00"]}, REMOTE_ADDR="192.0.2.1"))


def test_fuzz_login_paused_with_odd_usernames(user, settings):
    """The pause is looked up before the form: odd names reach that lookup too."""
    for value in DOOR_VALUES:
        client = Client()
        for _ in range(settings.AXES_FAILURE_LIMIT + 1):
            data = {"username": value, "password": "wrong"}
            assert_no_500(client.post("/accounts/login/", data, REMOTE_ADDR="203.0.113.9"))


@pytest.mark.parametrize("field", ["email"])
def test_fuzz_password_reset_request(user, field):
    client = Client()
    for n, value in enumerate(DOOR_VALUES):
        response = client.post(
            "/accounts/password_reset/", {field: value}, REMOTE_ADDR=f"198.51.100.{n + 1}"
        )
        assert_no_500(response)


def reset_path(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/accounts/reset/{uid}/{default_token_generator.make_token(user)}/"


@pytest.mark.parametrize("part", ["uid", "token"])
def test_fuzz_password_reset_link(user, part):
    client = Client()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    for value in [*FEW_BAD_VALUES, "MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw", "AA", "-"]:
        value = value or "x"
        path = (
            f"/accounts/reset/{value}/{token}/"
            if part == "uid"
            else f"/accounts/reset/{uid}/{value}/"
        )
        assert_no_500(client.get(path))
        assert_no_500(client.post(path, {"new_password1": "x", "new_password2": "x"}))


@pytest.mark.parametrize("field", ["new_password1", "new_password2"])
def test_fuzz_password_reset_confirm_form(user, field):
    client = Client()
    form_url = client.get(reset_path(user))["Location"]
    base = {"new_password1": "a-fresh-long-passphrase-7", "new_password2": "x"}
    for value in DOOR_VALUES:
        assert_no_500(client.post(form_url, {**base, field: value}))


@pytest.mark.parametrize("recovery", [False, True])
def test_fuzz_login_code(user, recovery):
    two_step_on(user)
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response["Location"] == "/accounts/login/code/"
    path = "/accounts/login/code/?with=recovery" if recovery else "/accounts/login/code/"
    # Fewer than the pause: every value reaches the code check.
    for value in [*FEW_BAD_VALUES, "a\x00b", "1" * 256, "12345\x00"]:
        assert_no_500(client.post(path, {"code": value}))
    assert_no_500(client.post(path, {"code": ["1", "2"]}))
    assert_no_500(client.get("/accounts/login/code/", {"with": "\x00"}))


def test_fuzz_signup_odd_names_and_addresses(db):
    client = Client()
    base = {
        "username": "newperson",
        "password1": "a long enough pass phrase",
        "password2": "a long enough pass phrase",
        "timezone": "Asia/Kolkata",
    }
    for n, value in enumerate(["a\x00b", "y" * 256, "é" * 151, "x@" + "e" * 300 + ".com"]):
        for field in ("username", "email", "display_name"):
            address = f"198.51.100.{n * 3 + len(field)}"
            assert_no_500(
                client.post("/accounts/signup/", {**base, field: value}, REMOTE_ADDR=address)
            )
            client.logout()


@pytest.fixture
def share_token(user) -> str:
    from datetime import date

    _, token = links.create(user, first=date(2026, 3, 2), last=date(2026, 3, 29), days=7)
    return token


@pytest.mark.parametrize("suffix", ["", "report.pdf", "fhir.json"])
def test_fuzz_share_pages(share_token, suffix):
    client = Client()
    tokens = [share_token, share_token + "x", "\x00", "%00", "a" * 300, "..", "²"]
    for n, token in enumerate(tokens):
        path = f"/s/{token}/{suffix}"
        for params in ({}, {"junk": "\x00"}, {"from": "2026-13-45"}):
            assert_no_500(client.get(path, params, REMOTE_ADDR=f"198.51.100.{n + 1}"))
        assert_no_500(client.post(path, {"x": "\x00"}, REMOTE_ADDR="192.0.2.1"))
    assert ShareLink.objects.count() == 1
