"""
Double taps: identical POSTs sent at the same moment, from several threads, to a running
server. Every form with a uniqueness rule must save one row and answer each request normally
(never a 5xx): the function check for a date, a trigger added in Settings or inline on the Log
form, sign-up, and the steps of two-step login (its set-up and the code at login). A form that
carries a token (`{% once_field %}`) answers every twin as it answered the first: the same
redirect, the same message shown once. Two different requests racing for one unique name (two
triggers renamed to the same name) get one success and one message, never a 5xx.

The server is gunicorn with several worker processes on a SQLite file, as in production.
pytest-django's `live_server` cannot show this race: it serves the in-memory test database, whose
request threads either share one connection (so one request's transaction swallows the
other's) or fail with "database table is locked" before the forms are even reached.
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django_otp.oath import TOTP

from diary.models import FUNCTION_TASKS

ROOT = Path(__file__).resolve().parents[1]
THREADS = 4
ROUNDS = 3
SESSION_COOKIE, CSRF_COOKIE = "sessionid", "csrftoken"
SIGNUP_PASSWORD = "a-long-enough-passphrase-9"
CSRF_INPUT = r'name="csrfmiddlewaretoken" value="([^"]+)"'


@dataclass
class Reply:
    status: int
    location: str = ""
    # The cookies this response set, as a browser would store them ("" for a deleted one).
    cookies: dict[str, str] = field(default_factory=dict)


class Browser:
    """One browser session against the server: its cookies, and the tokens of a form."""

    def __init__(self, base: str, session: str | None = None) -> None:
        self.base = base
        self.cookies: dict[str, str] = {SESSION_COOKIE: session} if session else {}
        self.last = Reply(0)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        """GET (or POST `data`) without following redirects; keeps the cookies set."""
        host, port = urllib.parse.urlsplit(self.base).netloc.split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request("POST" if data is not None else "GET", path, body, headers)
            response = connection.getresponse()
            text = response.read().decode()
            self.last = Reply(response.status, response.headers.get("Location", ""))
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name] = self.last.cookies[name] = rest.split(";")[0].strip('"')
            return response.status, text
        finally:
            connection.close()

    def csrf_token(self, path: str) -> str:
        return self.form_tokens(path)["csrfmiddlewaretoken"]

    def form_tokens(self, path: str) -> dict[str, str]:
        """The hidden tokens a form on `path` sends: CSRF, and the once token if it has one."""
        status, html = self.request(path)
        assert status == 200, (path, status)
        tokens = {"csrfmiddlewaretoken": re.search(CSRF_INPUT, html).group(1)}
        if once := re.search(r'name="once" value="([^"]+)"', html):
            tokens["once"] = once.group(1)
        return tokens

    def post_at_once(self, path: str, data: dict, threads: int = THREADS) -> list[int]:
        """POST `data` from `threads` threads released together; their status codes."""
        return [reply.status for reply in self.twins(path, data, threads)]

    def twins(self, path: str, data: dict, threads: int = THREADS) -> list[Reply]:
        """The form on `path` sent `threads` times at once, as a double tap sends it."""
        data = {**data, **self.form_tokens(path)}
        return self.at_once([(path, data)] * threads)

    def at_once(self, posts: list[tuple[str, dict]]) -> list[Reply]:
        """Each (path, data) POSTed from its own thread, all released together."""
        barrier = threading.Barrier(len(posts))
        replies: list[Reply] = []

        def send(path: str, data: dict) -> None:
            # A copy of this session per thread: the same cookies, as both taps would send.
            twin = Browser(self.base)
            twin.cookies = dict(self.cookies)
            barrier.wait()
            twin.request(path, data)
            replies.append(twin.last)

        workers = [threading.Thread(target=send, args=post) for post in posts]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        return replies


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn, 3 workers, on a fresh migrated SQLite file; yields (base URL, database file)."""
    database = tmp_path_factory.mktemp("double-submit") / "db.sqlite3"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "RATE_SIGNUP": "1000/h",
        "PDF_RENDERERS_AT_START": "0",  # no PDFs here: three renderers would only compete
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "twitchlog.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "3"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("gunicorn did not start: " + process.stderr.read().decode()[-2000:])
            time.sleep(0.2)
    yield base, database
    process.terminate()
    _, errors = process.communicate(timeout=30)
    # Any traceback in the server's log is a 5xx somewhere, even one the statuses hid.
    assert "Traceback" not in errors.decode(), errors.decode()[-4000:]


def rows(database: Path, sql: str, *params) -> int:
    with closing(sqlite3.connect(database)) as db:
        return db.execute(sql, params).fetchone()[0]


def sign_up(base: str, username: str) -> str:
    """A new account through the sign-up form; its session cookie."""
    tab = Browser(base)
    token = tab.csrf_token("/accounts/signup/")
    password = SIGNUP_PASSWORD
    data = {
        "username": username,
        "password1": password,
        "password2": password,
        "timezone": "UTC",
        "csrfmiddlewaretoken": token,
    }
    status, _ = tab.request("/accounts/signup/", data)
    assert status == 302
    return tab.cookies[SESSION_COOKIE]


@pytest.fixture
def tab(server, request):
    base, database = server
    username = re.sub(r"\W", "", request.node.name)[-30:]
    browser = Browser(base, sign_up(base, username))
    user_id = rows(database, "SELECT id FROM auth_user WHERE username = ?", username)
    return browser, database, user_id


def normal(statuses: list[int]) -> bool:
    return len(statuses) == THREADS and all(s < 500 for s in statuses) and 302 in statuses


def answered_alike(replies: list[Reply]) -> str:
    """Every twin was answered as the first: the same redirect. Returns where to."""
    assert len(replies) == THREADS
    assert {(reply.status, reply.location) for reply in replies} == {(302, replies[0].location)}, [
        (reply.status, reply.location) for reply in replies
    ]
    return replies[0].location


def shown_once(browser: Browser, location: str, message: str) -> str:
    """The page the twins went to shows `message` once; its HTML."""
    status, html = browser.request(location)
    assert status == 200
    assert html.count(message) == 1, html
    return html


def test_function_check_for_a_date_sent_twice_at_once_saves_one(tab):
    browser, database, user_id = tab
    for day in range(1, ROUNDS + 1):
        data = {"date": date(2026, 11, day).isoformat(), **dict.fromkeys(FUNCTION_TASKS, "False")}
        location = answered_alike(browser.twins("/report/checks/new/", data))
        shown_once(browser, location, f"Saved your function check of {day} Nov 2026.")
        count = rows(
            database,
            "SELECT COUNT(*) FROM diary_functioncheck WHERE user_id = ? AND date = ?",
            user_id,
            date(2026, 11, day).isoformat(),
        )
        assert count == 1


def test_trigger_added_in_settings_twice_at_once_saves_one(tab):
    browser, database, user_id = tab
    for n in range(ROUNDS):
        data = {"action": "add-trigger", "name": f"Wine {n}"}
        location = answered_alike(browser.twins("/settings/", data))
        sql = "SELECT COUNT(*) FROM diary_trigger WHERE user_id = ? AND slug = ?"
        assert rows(database, sql, user_id, f"wine-{n}") == 1
        html = shown_once(browser, location, f"Added “Wine {n}” to your triggers.")
        assert "already have a trigger" not in html


def own_trigger(database: Path, user_id: int, name: str) -> int:
    """A trigger of the user's, written straight into the database; its id."""
    with closing(sqlite3.connect(database)) as db, db:
        slug = re.sub(r"\W+", "-", name.lower())
        sql = "INSERT INTO diary_trigger (name, slug, user_id) VALUES (?, ?, ?)"
        return db.execute(sql, (name, slug, user_id)).lastrowid


@pytest.mark.parametrize("action", ["delete", "merge", "rename"])
def test_a_trigger_deleted_merged_or_renamed_twice_at_once_is_answered_alike(tab, action):
    browser, database, user_id = tab
    for n in range(ROUNDS):
        pk = own_trigger(database, user_id, f"Beer {action} {n}")
        into = own_trigger(database, user_id, f"Ale {action} {n}")
        data = {"action": action, "into": str(into), "name": f"Lager {action} {n}"}
        location = answered_alike(browser.twins(f"/settings/triggers/{pk}/", data))
        message = {
            "delete": f"Deleted “Beer {action} {n}”. The 0 episodes that had it stay",
            "merge": f"Merged “Beer {action} {n}” into “Ale {action} {n}” (0 episodes).",
            "rename": f"Renamed “Beer {action} {n}” to “Lager {action} {n}”.",
        }[action]
        shown_once(browser, location, message)
        left = rows(database, "SELECT COUNT(*) FROM diary_trigger WHERE id = ?", pk)
        assert left == (1 if action == "rename" else 0)


RENAME_RACES = 20  # two requests each: 40 in all


def test_two_triggers_renamed_to_one_name_at_once_never_fail(tab):
    """One rename wins; the other is told the name is taken, and its trigger keeps its name."""
    browser, database, user_id = tab
    tokens = browser.form_tokens("/settings/")
    outcomes = []
    for n in range(RENAME_RACES):
        first = own_trigger(database, user_id, f"Gin {n}")
        second = own_trigger(database, user_id, f"Rum {n}")
        data = {"action": "rename", "name": f"Spirits {n}", **tokens}
        data.pop("once", None)  # two different forms: nothing to answer alike
        replies = browser.at_once(
            [(f"/settings/triggers/{first}/", data), (f"/settings/triggers/{second}/", data)]
        )
        outcomes.append(sorted(reply.status for reply in replies))
        sql = "SELECT COUNT(*) FROM diary_trigger WHERE user_id = ? AND name = ?"
        assert rows(database, sql, user_id, f"Spirits {n}") == 1
        sql = "SELECT COUNT(*) FROM diary_trigger WHERE id IN (?, ?)"
        assert rows(database, sql, first, second) == 2
    assert outcomes == [[200, 302]] * RENAME_RACES, outcomes


def test_trigger_typed_on_the_log_form_twice_at_once_saves_one(tab):
    browser, database, user_id = tab
    for n in range(ROUNDS):
        data = {
            "sites": "calf-left",
            "when": "now",
            "duration_preset": "5",
            "new_trigger": f"Gym {n}",
        }
        statuses = browser.post_at_once("/", data)
        assert normal(statuses), statuses
        sql = "SELECT COUNT(*) FROM diary_trigger WHERE user_id = ? AND slug = ?"
        assert rows(database, sql, user_id, f"gym-{n}") == 1
        # Each tap logged its episode (episodes have no uniqueness rule), all with that trigger.
        sql = (
            "SELECT COUNT(*) FROM diary_episode_triggers et JOIN diary_trigger t"
            " ON t.id = et.trigger_id WHERE t.user_id = ? AND t.slug = ?"
        )
        assert rows(database, sql, user_id, f"gym-{n}") == THREADS


def test_signup_sent_twice_at_once_makes_one_account(server):
    base, database = server
    browser = Browser(base)
    for n in range(ROUNDS):
        password = "a-long-enough-passphrase-9"
        data = {"username": f"twin{n}", "password1": password, "password2": password}
        statuses = browser.post_at_once("/accounts/signup/", {**data, "timezone": "UTC"})
        assert all(s < 500 for s in statuses), statuses
        # Each of them is answered by being logged in to the one account.
        assert statuses == [302] * THREADS, statuses
        sql = "SELECT COUNT(*) FROM auth_user WHERE username = ?"
        assert rows(database, sql, f"twin{n}") == 1


def server_time() -> float:
    """gunicorn runs in its own processes on the machine's clock, whatever the tests pin."""
    if time_machine.escape_hatch.is_travelling():
        return time_machine.escape_hatch.time.time()
    return time.time()


def secret_code(html: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key printed on the set-up page, now or
    `steps_ahead` x 30 seconds on (the server accepts the next one too, for slow clocks)."""
    key = re.search(r'id="twostep-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    totp = TOTP(base64.b32decode(key + "=" * (-len(key) % 8)))
    totp.time = server_time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_two_step_setup_sent_at_once_turns_it_on_once(tab):
    browser, database, user_id = tab
    _, html = browser.request("/settings/two-step/")
    device = re.search(r'name="device" value="(\d+)"', html).group(1)
    statuses = browser.post_at_once(
        "/settings/two-step/", {"device": device, "code": secret_code(html)}
    )
    assert statuses == [302] * THREADS, statuses
    sql = "SELECT COUNT(*) FROM otp_totp_totpdevice WHERE user_id = ? AND confirmed"
    assert rows(database, sql, user_id) == 1
    sql = "SELECT COUNT(*) FROM otp_static_staticdevice WHERE user_id = ?"
    assert rows(database, sql, user_id) == 1
    status, html = browser.request("/settings/two-step/codes/")
    assert status == 200
    assert html.count("<li><code>") == 10


def test_the_login_code_sent_at_once_logs_in_without_a_failure(server, tab):
    base, _ = server
    browser, database, user_id = tab
    _, html = browser.request("/settings/two-step/")
    device = re.search(r'name="device" value="(\d+)"', html).group(1)
    assert browser.post_at_once(
        "/settings/two-step/", {"device": device, "code": secret_code(html)}, threads=1
    ) == [302]
    username = rows(database, "SELECT username FROM auth_user WHERE id = ?", user_id)
    phone = Browser(base)
    token = phone.csrf_token("/accounts/login/")
    data = {"username": username, "password": SIGNUP_PASSWORD, "csrfmiddlewaretoken": token}
    assert phone.request("/accounts/login/", data)[0] == 302
    # The set-up used this time step's code, and a code works once: the next step's.
    replies = phone.twins("/accounts/login/code/", {"code": secret_code(html, 1)})
    assert answered_alike(replies) == "/"
    assert rows(database, "SELECT COUNT(*) FROM axes_accessattempt") == 0
    # The browser keeps whichever session cookie arrives last: every one set must be logged in
    # (a twin that set an empty or anonymous one would leave the person logged out).
    sessions = {
        reply.cookies[SESSION_COOKIE] for reply in replies if SESSION_COOKIE in reply.cookies
    }
    assert sessions, "no reply logged in"
    for session in sessions:
        assert Browser(base, session).request("/settings/")[0] == 200, session
    sql = "SELECT last_t FROM otp_totp_totpdevice WHERE user_id = ?"
    assert rows(database, sql, user_id) >= int(server_time() // 30)  # the code was used
