"""
Bad input is never a 500: every view's GET parameters and POST fields, fuzzed with
malformed, out-of-range, oversized and hostile values, as the owner of some data.

The test client re-raises a view's exception, so a crash fails the test with its traceback;
a response is also checked to be below 500.
"""

from __future__ import annotations

import io
import uuid
from datetime import UTC, date, datetime, timedelta

import pypdf
import pytest
from django.test import Client

from diary.models import FUNCTION_TASKS, FunctionCheck
from tests.factories import EpisodeFactory, TriggerFactory
from tests.helpers import HTMX, episode_data

pytestmark = pytest.mark.django_db

BAD_VALUES = [
    "",
    "2026-13-45",
    "99999-01-01",
    "0000-01-01",
    "1899-12-31",
    "9999-12-31",
    "9999-12-31T23:59",
    "-1",
    "99999999999999999999",
    "NaN",
    "\x00",
    "²",
    "region:nope",
    "<script>alert(1)</script>",
    "x" * 5000,
]
# The likeliest to break, for the slow pages and the htmx repeats.
FEW_BAD_VALUES = ["", "abc", "\x00", "99999999999999999999", "²", "x" * 5000]

# GET parameters each page reads (and one it does not).
GET_PARAMS = {
    "/": ["repeat", "page", "junk"],
    "/episodes/": ["from", "to", "site", "trigger", "symptom", "page"],
    "/trends/": ["weeks", "from", "to"],
    "/report/": ["range", "weeks", "from", "to", "full"],
    "/report.pdf": ["weeks", "from", "to", "full"],
    "/settings/": ["junk"],
    "/settings/reminders/": ["junk"],
    "/episodes/{episode}/": ["next"],
    "/report/checks/new/": ["next", "date"],
    "/report/checks/{check}/": ["next"],
    "/report/about/": ["next"],
}


@pytest.fixture
def owned(user, other_user):
    """The owner's data: episodes with sites, triggers and notes, an own trigger, a check."""
    own = TriggerFactory(user=user, name="Alcohol")
    now = datetime.now(UTC)
    episode = EpisodeFactory(
        user=user,
        started_at=now - timedelta(days=3),
        sites=["calf-left", "tongue"],
        triggers=["caffeine", own],
        cramps=True,
        notes="after coffee",
    )
    EpisodeFactory(user=user, started_at=now - timedelta(days=40), sites=["thigh-right"])
    EpisodeFactory(user=user, started_at=now - timedelta(days=1)).soft_delete()
    check = FunctionCheck.objects.create(user=user, date=date(2026, 3, 1), grip=True)
    other_episode = EpisodeFactory(user=other_user, sites=["tongue"])
    other_check = FunctionCheck.objects.create(user=other_user, date=date(2026, 3, 1))
    return {
        "trigger": own.pk,
        "episode": episode.uuid,
        "check": check.uuid,
        "other_episode": other_episode.uuid,
        "other_check": other_check.uuid,
        "missing": uuid.uuid4(),
    }


# Pages that answer htmx with a partial: fuzzed as a plain request and as an htmx one.
HTMX_PAGES = {
    "/",
    "/episodes/",
    "/trends/",
    "/report/",
    "/episodes/{episode}/delete/",
    "/episodes/{episode}/restore/",
}
# Pages that list every time zone (about 100 ms a render): the values likeliest to break.
SLOW_PAGES = {"/settings/", "/accounts/signup/"}


def fuzz_values(url: str) -> list[str]:
    return FEW_BAD_VALUES if url in SLOW_PAGES else BAD_VALUES


def fuzz_headers(url: str) -> list[dict]:
    return [{}, HTMX] if url in HTMX_PAGES else [{}]


# Django's own wording, which a person must never see: each form says it in our words.
STOCK_PHRASES = [
    "Ensure this value",
    "Ensure that there are no more than",
    "Select a valid choice",
    "This field is required",
    "Enter a whole number",
    "Enter a number",
    "Enter a valid",
    "Enter a list of values",
    "Null characters are not allowed",
    "is not one of the available choices",
]


def assert_no_500(response) -> None:
    assert response.status_code < 500, response.content[:500]
    if response.get("Content-Type", "").startswith("text/html"):
        html = response.content.decode()
        assert not [p for p in STOCK_PHRASES if p in html], [p for p in STOCK_PHRASES if p in html]


@pytest.mark.parametrize(
    ("url", "param"), [(url, param) for url, params in GET_PARAMS.items() for param in params]
)
def test_fuzz_get_params(owner_client, owned, url, param):
    path = url.format(**owned)
    for headers in fuzz_headers(url):
        # htmx renders a partial of the same template: the likeliest values are enough.
        for value in FEW_BAD_VALUES if headers else fuzz_values(url):
            assert_no_500(owner_client.get(path, {param: value}, headers=headers))
        # The same parameter twice, and every parameter of the page bad at once.
        repeated = {param: ["2026-01-01", "2026-13-45"]}
        assert_no_500(owner_client.get(path, repeated, headers=headers))
        every = dict.fromkeys(GET_PARAMS[url], "2026-13-45")
        assert_no_500(owner_client.get(path, every, headers=headers))


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2026-01-01", "to": "2025-01-01"},
        {"from": "1900-01-01", "to": "1904-12-30"},
        {"from": "2995-01-01", "to": "2999-12-31"},
        {"from": "2999-12-31"},
        {"to": "1900-01-01"},
        {"weeks": "52", "from": "2026-13-45"},
        {"range": "since", "from": "2999-12-31"},
        {"range": "custom", "from": "1900-01-01"},
        {"range": "custom", "to": "1900-01-01"},
        {"range": "4", "weeks": "12"},
    ],
)
@pytest.mark.parametrize("url", ["/episodes/", "/trends/", "/report/", "/report.pdf"])
def test_fuzz_ranges(owner_client, owned, url, query):
    assert_no_500(owner_client.get(url, query))


def check_post(**overrides) -> dict:
    data = {"date": "2026-02-01", **dict.fromkeys(FUNCTION_TASKS, "False")}
    data.update(overrides)
    return data


EPISODE_FIELDS = [
    "sites",
    "when",
    "started_at_local",
    "fold",
    "duration_preset",
    "duration_amount",
    "duration_unit",
    "intensity",
    "triggers",
    "new_trigger",
    "pattern",
    "weakness",  # the other symptoms are the same kind of field
    "stopped_with_movement",
    "visible",
    "context",
    "notes",
    "next",
]
# A valid episode at a picked time with an exact duration, so that each fuzzed field is the
# only bad one and every cleaning step runs.
EPISODE_POST = episode_data(
    when="custom",
    started_at_local="2026-01-10T10:00",
    duration_preset="custom",
    duration_amount="3",
    duration_unit="minutes",
    intensity="3",
    pattern="few",
    notes="fine",
)
# The nine tasks are alike: fuzz one answer and its note.
CHECK_FIELDS = ["date", "walking", "walking_note", "note", "next"]
POSTS = {
    "/": (EPISODE_POST, EPISODE_FIELDS),
    "/episodes/{episode}/": (EPISODE_POST, EPISODE_FIELDS),
    "/episodes/{episode}/delete/": ({}, ["next"]),
    "/episodes/{episode}/restore/": ({}, ["next"]),
    "/report/": ({"questions": "EMG?"}, ["questions"]),
    "/report/about/": (
        {"started_month": "9", "started_year": "2026", "onset_context": "stress"},
        [
            "started_month",
            "started_year",
            "started_not_sure",
            "onset_context",
            "onset_note",
            "weight_change",
            "relatives",
            "medicines",
            "tests_emg",
            "next",
        ],
    ),
    "/report/checks/new/": (check_post(), CHECK_FIELDS),
    "/report/checks/{check}/": (check_post(), CHECK_FIELDS),
    "/settings/": (
        {"action": "profile", "display_name": "Sam", "timezone": "Europe/London"},
        ["action", "display_name", "timezone", "name"],
    ),
    "/settings/two-step/": ({"device": "1", "code": "123456"}, ["device", "code"]),
    "/settings/reminders/": (
        {"checkin": "on", "remind_at": "21:00", "function_check_weekday": "6"},
        ["checkin", "function_check_weekday", "remind_at", "quiet_from", "quiet_until"],
    ),
    "/settings/reminders/skip/": ({}, ["undo"]),
    "/report/appointment/": (
        {"appointment_date": "2099-01-01", "appointment": "on"},
        ["appointment_date", "appointment", "appointment_check"],
    ),
    "/reminders/stop/{missing}/": ({}, ["junk"]),
    "/settings/triggers/{trigger}/": ({"action": "rename", "name": "Wine"}, ["action", "name"]),
    "/settings/triggers/{trigger}/?merge": ({"action": "merge", "into": "1"}, ["into"]),
    "/settings/triggers/shown/": ({"shown": "1"}, ["shown"]),
    "/report/share/": (
        {"from": "2026-03-01", "to": "2026-03-29", "days": "7"},
        ["from", "to", "days", "include_notes", "pdf", "next"],
    ),
    "/checkins/2026-03-01/": (
        {"sleep": "7", "note": "ok"},
        ["sleep", "caffeine", "medicine", "note", "card"],
    ),
    "/settings/delete/": ({"password": "wrong"}, ["password"]),
    "/settings/two-step/new-codes/": ({"password": "wrong"}, ["password"]),
    "/settings/two-step/off/": ({"password": "wrong"}, ["password"]),
    "/accounts/password_change/": (
        {"old_password": "wrong", "new_password1": "x", "new_password2": "x"},
        ["old_password", "new_password1", "new_password2"],
    ),
}


@pytest.mark.parametrize(("url", "field"), [(u, f) for u, (_, fs) in POSTS.items() for f in fs])
def test_fuzz_post_fields(owner_client, owned, url, field):
    base = POSTS[url][0]
    path = url.format(**owned)
    for value in fuzz_values(url):
        assert_no_500(owner_client.post(path, {**base, field: value}))
    assert_no_500(owner_client.post(path, {**base, field: ["a", "b", "\x00"]}))
    assert_no_500(owner_client.post(path, {k: v for k, v in base.items() if k != field}))


@pytest.mark.parametrize("url", list(POSTS))
def test_fuzz_post_nothing_and_everything_bad(owner_client, owned, url):
    """Also through htmx, whose answer to a bad form is the form's partial."""
    fields = POSTS[url][1]
    path = url.format(**owned)
    for headers in fuzz_headers(url):
        assert_no_500(owner_client.post(path, headers=headers))
        for value in FEW_BAD_VALUES:
            assert_no_500(owner_client.post(path, dict.fromkeys(fields, value), headers=headers))
            one_bad = {**POSTS[url][0], fields[0]: value}
            assert_no_500(owner_client.post(path, one_bad, headers=headers))


@pytest.mark.parametrize("field", ["username", "email", "password1", "password2", "timezone"])
def test_fuzz_signup(db, field):
    client = Client()
    base = {
        "username": "newperson",
        "password1": "a long enough pass phrase",
        "password2": "a long enough pass phrase",
        "timezone": "Asia/Kolkata",
    }
    for value in FEW_BAD_VALUES:
        assert_no_500(client.post("/accounts/signup/", {**base, field: value}))
        assert_no_500(client.get("/accounts/signup/", {field: value}))
        client.logout()


@pytest.mark.parametrize(
    "path",
    [
        "/episodes/{missing}/",
        "/episodes/{missing}/delete/",
        "/episodes/{missing}/restore/",
        "/report/checks/{missing}/",
        "/episodes/{other_episode}/",
        "/episodes/{other_episode}/delete/",
        "/episodes/{other_episode}/restore/",
        "/report/checks/{other_check}/",
        "/settings/reminders/devices/{missing}/remove/",
    ],
)
def test_fuzz_unknown_and_other_peoples_uuids_are_404(owner_client, owned, path):
    url = path.format(**owned)
    assert owner_client.get(url).status_code in (404, 405)
    assert owner_client.post(url, {"next": "/"}).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/episodes/",
        "/episodes/{episode}/",
        "/episodes/{episode}/delete/",
        "/episodes/{episode}/restore/",
        "/trends/",
        "/report/",
        "/report.pdf",
        "/report/checks/new/",
        "/report/checks/{check}/",
        "/report/about/",
        "/settings/",
        "/settings/reminders/",
        "/settings/reminders/devices/",
        "/settings/reminders/skip/",
        "/report/appointment/",
        "/reminders/stop/{missing}/",
        "/accounts/signup/",
        "/healthz",
    ],
)
def test_fuzz_wrong_methods(owner_client, owned, url):
    for method in ("get", "post", "put", "patch", "delete", "options", "head"):
        response = getattr(owner_client, method)(url.format(**owned))
        assert_no_500(response)
        if method in ("put", "patch", "delete"):
            assert response.status_code == 405


def test_fuzz_other_peoples_data_never_shows_even_on_bad_input(owner_client, owned, other_user):
    """Through the error paths too, nothing of another person's shows; the owner's own does."""
    theirs = TriggerFactory(user=other_user, name="Theirsecret")
    EpisodeFactory(user=other_user, triggers=[theirs], notes="Theirnote", sites=["tongue"])
    for url in ("/", "/episodes/", "/trends/", "/report/", "/report.pdf"):
        for query in ({"from": "2026-13-45"}, {"weeks": "²"}, {"page": "-1"}, {"weeks": "52"}):
            response = owner_client.get(url, {**query, "full": "1"})
            if response["Content-Type"] == "application/pdf":
                reader = pypdf.PdfReader(io.BytesIO(response.content))
                text = " ".join(page.extract_text() for page in reader.pages)
            else:
                text = response.content.decode()
            assert "Theirsecret" not in text
            assert "Theirnote" not in text
            if query == {"weeks": "52"} and url in ("/trends/", "/report.pdf"):
                assert "Alcohol" in text  # the owner's own trigger
