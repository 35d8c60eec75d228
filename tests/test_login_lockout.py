"""Login lockout (django-axes, state in the database), Argon2 and the upgrade of old hashes."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from diary.checks import check_proxy_trust
from diary.lib.throttle import client_ip
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = django_settings.AXES_FAILURE_LIMIT


def try_login(client, username, password, address="198.51.100.7"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def logged_in(client) -> bool:
    return client.get("/settings/").status_code == 200


def test_wrong_passwords_lock_the_account_with_a_calm_message(client, user):
    statuses = [try_login(client, user.username, f"wrong-{n}").status_code for n in range(LIMIT)]
    assert statuses == [200] * (LIMIT - 1) + [429]
    response = try_login(client, user.username, PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Logging in is paused for a while" in html
    assert "wait 15 minutes" in html
    assert 'href="/accounts/password_reset/"' in html
    assert "Account locked" not in html  # the library's stock text
    assert f'value="{user.username}"' in html  # the form is still there, name kept
    assert not logged_in(client)


def test_lockout_is_per_account_and_address(client, user):
    """A stranger's misses pause the stranger's address, never the owner on theirs."""
    for _ in range(LIMIT):
        try_login(client, user.username, "wrong", address="203.0.113.1")
    assert try_login(client, user.username, PASSWORD, address="203.0.113.1").status_code == 429
    assert try_login(client, user.username, PASSWORD, address="192.0.2.99").status_code == 302
    assert logged_in(client)


def test_misses_from_one_address_for_many_accounts_pause_that_address(client, user, settings):
    settings.LOGIN_ADDRESS_LIMIT = 12
    statuses = [
        try_login(Client(), f"guess{n}", "wrong", "198.51.100.66").status_code for n in range(14)
    ]
    assert statuses == [200] * 12 + [429] * 2
    paused = try_login(client, user.username, PASSWORD, address="198.51.100.66")
    assert paused.status_code == 429
    assert "from a new browser is paused" in paused.content.decode()
    # Another address is not affected, and this account had no misses of its own.
    assert try_login(client, user.username, PASSWORD, address="198.51.100.67").status_code == 302
    assert logged_in(client)


ATTACK = 1000


def owner_has_logged_in_before(user) -> Client:
    """The owner's phone: it has logged in to the diary before (and logged out since)."""
    phone = Client()
    assert try_login(phone, user.username, PASSWORD, address="192.0.2.10").status_code == 302
    del phone.cookies["sessionid"]  # logged out; the browser keeps its other cookies
    return phone


def attack(username: str, addresses) -> list[int]:
    """ATTACK wrong passwords, each from a fresh browser; the status of each answer."""
    return [
        try_login(Client(), username, f"guess-{n}", next(addresses)).status_code
        for n in range(ATTACK)
    ]


def rotating():
    n = 0
    while True:
        yield f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
        n += 1


def test_an_attack_from_rotating_addresses_neither_gets_in_nor_locks_the_owner_out(user):
    phone = owner_has_logged_in_before(user)
    statuses = attack(user.username, rotating())
    assert 302 not in statuses  # never in
    limit = django_settings.LOGIN_ACCOUNT_LIMIT
    # Each address missed once; past the account's hourly limit, new browsers are paused.
    assert statuses == [200] * limit + [429] * (ATTACK - limit)
    assert AccessAttempt.objects.filter(username=user.username).count() == limit
    # The owner, on their own phone and address, logs in at once.
    assert try_login(phone, user.username, PASSWORD, address="192.0.2.10").status_code == 302
    assert logged_in(phone)
    # On a browser never used for this diary, the reset mail lets them in.
    laptop = Client()
    assert try_login(laptop, user.username, PASSWORD, address="192.0.2.11").status_code == 429
    user.refresh_from_db()  # the reset link depends on the last login
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    form_url = laptop.get(f"/accounts/reset/{uid}/{token}/")["Location"]
    new = "a-fresh-long-passphrase-7"
    laptop.post(form_url, {"new_password1": new, "new_password2": new})
    assert try_login(laptop, user.username, new, address="192.0.2.11").status_code == 302


def test_an_attack_from_one_address_neither_gets_in_nor_locks_the_owner_out(user):
    statuses = attack(user.username, iter(["203.0.113.66"] * ATTACK))
    assert statuses == [200] * (LIMIT - 1) + [429] * (ATTACK - LIMIT + 1)
    # The attacker's address stays paused even with the right password.
    assert try_login(Client(), user.username, PASSWORD, "203.0.113.66").status_code == 429
    # The owner, on another address, logs in even on a browser never used before.
    browser = Client()
    assert try_login(browser, user.username, PASSWORD, address="192.0.2.10").status_code == 302
    assert logged_in(browser)


def test_lockout_state_is_in_the_database(client, user):
    """Shared by every app server: rows of axes' AccessAttempt, not a per-process memory."""
    for _ in range(2):
        try_login(client, user.username, "wrong")
    attempt = AccessAttempt.objects.get(username=user.username)
    assert attempt.failures_since_start == 2
    assert attempt.ip_address == "198.51.100.7"


def test_success_resets_the_failures(client, user):
    for _ in range(LIMIT - 1):
        try_login(client, user.username, "wrong")
    assert try_login(client, user.username, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username=user.username).exists()
    other = Client()
    for _ in range(LIMIT - 1):
        assert try_login(other, user.username, "wrong").status_code == 200


def test_login_works_again_after_the_cool_off(client, user):
    for _ in range(LIMIT):
        try_login(client, user.username, "wrong")
    assert try_login(client, user.username, PASSWORD).status_code == 429
    past = timezone.now() - django_settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=past)
    assert try_login(client, user.username, PASSWORD).status_code == 302
    assert logged_in(client)


def test_a_password_reset_lifts_the_lockout(client, user):
    for n in range(LIMIT):
        try_login(client, user.username, "wrong", address=f"203.0.113.{n}")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    form_url = client.get(f"/accounts/reset/{uid}/{token}/")["Location"]
    new = "a-fresh-long-passphrase-7"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response["Location"] == "/accounts/reset/done/"
    assert not AccessAttempt.objects.filter(username=user.username).exists()
    assert try_login(client, user.username, new, address="192.0.2.1").status_code == 302


def test_the_lockout_page_keeps_a_safe_next(client, user):
    for _ in range(LIMIT - 1):
        try_login(client, user.username, "wrong")
    response = client.post(
        "/accounts/login/",
        {"username": user.username, "password": "wrong", "next": "/episodes/"},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 429
    assert '<input type="hidden" name="next" value="/episodes/">' in response.content.decode()


# --- Where a request comes from ---


def test_client_ip_is_the_peer_without_trusted_proxies(rf, settings):
    settings.TRUSTED_PROXIES = []
    request = rf.get("/", REMOTE_ADDR="192.0.2.5", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert client_ip(request) == "192.0.2.5"
    assert client_ip(rf.get("/", REMOTE_ADDR="")) == "0.0.0.0"


def test_client_ip_behind_the_proxy_ignores_what_the_client_forged(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.5")
    assert client_ip(request) == "192.0.2.5"


def test_the_header_is_not_believed_from_anyone_but_a_trusted_proxy(rf, settings):
    """A client that reaches the app server around the proxy cannot name its address."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    forged = "6.6.6.6, 10.0.0.1"
    request = rf.get("/", REMOTE_ADDR="203.0.113.50", HTTP_X_FORWARDED_FOR=forged)
    assert client_ip(request) == "203.0.113.50"


def test_client_ip_through_two_trusted_proxies(rf, settings):
    """A load balancer in front of nginx: both trusted, the client is the first one not."""
    settings.TRUSTED_PROXIES = ["10.0.0.1", "10.0.1.0/24"]
    header = "6.6.6.6, 192.0.2.5, 10.0.1.7"
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=header)
    assert client_ip(request) == "192.0.2.5"
    # A client that names a trusted address is still not the proxy it names.
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="10.0.1.9, 192.0.2.5")
    assert client_ip(request) == "192.0.2.5"


def test_client_ip_stops_at_an_entry_no_proxy_wrote(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1", "::1"]
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="nonsense, 10.0.0.1")
    assert client_ip(request) == "10.0.0.1"
    request = rf.get("/", REMOTE_ADDR="::ffff:10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.5")
    assert client_ip(request) == "192.0.2.5"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"


@pytest.mark.parametrize(
    ("count", "proxies", "ids"),
    [
        (1, [], ["twitchlog.W003"]),
        (1, ["127.0.0.1"], []),
        (0, ["10.0.0.2", "fd00::2/128"], []),
        (0, ["0.0.0.0/0"], ["twitchlog.W004"]),
        (0, ["::/0"], ["twitchlog.W004"]),
    ],
)
def test_check_deploy_warns_when_the_proxy_is_trusted_too_little_or_too_much(
    settings, count, proxies, ids
):
    settings.TRUSTED_PROXY_COUNT, settings.TRUSTED_PROXIES = count, proxies
    assert [message.id for message in check_proxy_trust(None)] == ids


# --- Password hashing ---


def test_argon2_hashes_new_passwords(settings):
    from twitchlog import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    assert make_password("anything").startswith("argon2$")


def test_an_old_pbkdf2_hash_is_upgraded_to_argon2_at_login(client, settings):
    """Real hashers here (the suite's fixture swaps in MD5 for speed)."""
    from twitchlog import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = UserFactory()
    get_user_model().objects.filter(pk=user.pk).update(
        password=make_password(PASSWORD, hasher="pbkdf2_sha256")
    )
    assert try_login(client, user.username, PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    assert user.check_password(PASSWORD)


def test_tries_while_paused_are_answered_without_checking_or_counting(client, user):
    """A flood costs one lookup a try: no password hashed, no failure written."""
    for _ in range(LIMIT):
        try_login(client, user.username, "wrong")
    before = AccessAttempt.objects.get(username=user.username)
    for _ in range(3):
        response = try_login(client, user.username, "wrong again")
        assert response.status_code == 429
        assert "Logging in is paused" in response.content.decode()
        assert "no-store" in response["Cache-Control"]
    after = AccessAttempt.objects.get(username=user.username)
    assert (after.failures_since_start, after.attempt_time) == (
        before.failures_since_start,
        before.attempt_time,
    )


def test_the_known_browser_cookie_names_no_one_and_comes_with_the_whole_login(client, user):
    from tests.helpers import two_step_on

    assert try_login(client, user.username, PASSWORD).status_code == 302
    cookie = client.cookies["twitchlog_known"]
    assert cookie["httponly"]
    assert user.username not in cookie.value
    # With two-step login on, the password alone does not make a browser known.
    two_step_on(user)
    other = Client()
    assert try_login(other, user.username, PASSWORD)["Location"] == "/accounts/login/code/"
    assert "twitchlog_known" not in other.cookies
