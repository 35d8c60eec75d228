"""Share links: making, opening without login, expiry, revoking, and what a link never shows."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from diary.models.sharing import ShareLink, ShareOpening
from diary.sharing import links
from tests.factories import EpisodeFactory, UserFactory

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2026, 3, 2), date(2026, 3, 29)
# What the share page costs, pinned: it must not grow with the number of episodes. The
# per-address rate limit on the shared database cache is 14 of them (an atomic add-or-increment
# in savepoints; one more on PostgreSQL); the link, its opening, and the period's numbers the
# rest.
QUERIES = 24
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def patient(user):
    profile = user.profile
    profile.display_name = "Ada Example"
    profile.medicines = "MEDICINE-NOTE"
    profile.save()
    EpisodeFactory(
        user=user,
        started_at=timezone.datetime(2026, 3, 3, 9, tzinfo=timezone.UTC),
        sites=["calf-left"],
        notes="EPISODE-NOTE",
    )
    EpisodeFactory(user=user, started_at=timezone.datetime(2026, 3, 10, 9, tzinfo=timezone.UTC))
    EpisodeFactory(user=user, started_at=timezone.datetime(2026, 4, 10, 9, tzinfo=timezone.UTC))
    return user


def make(user, **kwargs) -> tuple[ShareLink, str]:
    return links.create(user, first=FIRST, last=LAST, days=kwargs.pop("days", 7), **kwargs)


def test_create_stores_only_the_hash_and_shows_the_link_once(owner_client, patient):
    response = owner_client.post(
        "/report/share/",
        {"from": FIRST.isoformat(), "to": LAST.isoformat(), "days": "30", "next": "/report/"},
    )
    assert response.status_code == 302
    link = ShareLink.objects.get(user=patient)
    assert (link.first, link.last, link.include_notes) == (FIRST, LAST, False)
    assert timedelta(days=29, hours=23) < link.expires_at - link.created_at <= timedelta(days=30)
    page = owner_client.get("/report/").content.decode()
    token = re.search(r"/s/([A-Za-z0-9_-]+)/", page).group(1)
    assert len(token) >= 43  # 32 random bytes
    assert link.token_hash == links.hash_token(token)
    assert token not in link.token_hash
    # Shown once: the next visit lists the link but no longer has its address.
    assert f"/s/{token}/" not in owner_client.get("/report/").content.decode()


@pytest.mark.parametrize("days", ["0", "2", "91", "365", "x"])
def test_create_refuses_other_lengths(owner_client, patient, days):
    owner_client.post("/report/share/", {"from": "2026-03-02", "to": "2026-03-29", "days": days})
    assert not ShareLink.objects.exists()
    with pytest.raises(ValueError, match="1 to 90 days"):
        links.create(patient, first=FIRST, last=LAST, days=91)


def test_create_refuses_a_bad_period_with_a_message(owner_client, patient):
    response = owner_client.post(
        "/report/share/", {"from": "2026-03-29", "to": "2026-03-02", "days": "7"}, follow=True
    )
    assert not ShareLink.objects.exists()
    assert "The link was not made: The end date is before the start date." in response.text


def test_share_page_opens_without_login_and_shows_the_period(patient):
    _, token = make(patient)
    client = Client(HTTP_USER_AGENT=PHONE_UA)
    response = client.get(f"/s/{token}/")
    assert response.status_code == 200
    html = response.text
    assert "Ada Example" in html
    assert re.search(r"<strong>2</strong> episodes logged", html)  # the April one is outside
    assert 'id="trends-data"' in html
    assert f"/s/{token}/report.pdf" in html
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Robots-Tag"].startswith("noindex")
    opening = ShareOpening.objects.get()
    assert (opening.user_agent, opening.kind) == ("Chrome on Android", "page")


def test_share_page_has_no_form_csrf_token_user_id_or_app_link(patient):
    _link, token = make(patient)
    html = Client().get(f"/s/{token}/").text
    assert "csrf" not in html.lower()
    assert "<form" not in html
    assert patient.get_username() not in html
    assert f'"{patient.pk}"' not in html
    assert f"/{patient.pk}/" not in html
    hrefs = set(re.findall(r'href="([^"]+)"', html))
    assert all(h.startswith(("/static/", f"/s/{token}/", "#")) for h in hrefs), hrefs
    assert "MEDICINE-NOTE" not in html
    assert "EPISODE-NOTE" not in html
    assert "sessionid" not in Client().get(f"/s/{token}/").cookies


def test_share_page_with_notes_shows_the_appointment_notes(patient):
    _, token = make(patient, include_notes=True)
    assert "MEDICINE-NOTE" in Client().get(f"/s/{token}/").text


def test_username_is_never_the_name_on_a_share(user):
    _, token = make(user)
    html = Client().get(f"/s/{token}/").text
    assert user.get_username() not in html
    assert "Not given" in html


def test_expired_and_revoked_links_are_gone(patient):
    link, token = make(patient)
    ShareLink.objects.filter(pk=link.pk).update(
        created_at=timezone.now() - timedelta(days=8),
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    response = Client().get(f"/s/{token}/")
    assert response.status_code == 410
    assert "<h1>This link has expired</h1>" in response.text
    assert "If you still need it, ask for a new one." in response.text
    assert Client().get(f"/s/{token}/report.pdf").status_code == 410
    link2, token2 = make(patient)
    links.revoke(link2)
    first_revoked = ShareLink.objects.get(pk=link2.pk).revoked_at
    links.revoke(ShareLink.objects.get(pk=link2.pk))
    assert ShareLink.objects.get(pk=link2.pk).revoked_at == first_revoked
    response = Client().get(f"/s/{token2}/")
    assert response.status_code == 410
    assert "<h1>This link has been closed</h1>" in response.text
    assert not ShareOpening.objects.exists()


def test_unknown_token_is_a_404_and_rate_limited(patient, monkeypatch, now):
    # Frozen: the limit counts per minute window, which a turning minute would start again.
    now("2026-06-01T12:00", tick=False)
    hashed = []
    monkeypatch.setattr(
        links, "hash_token", lambda t, real=links.hash_token: hashed.append(t) or real(t)
    )
    client = Client()
    for n in range(20):
        assert client.get(f"/s/guess{n:040d}/").status_code == 404
    assert len(hashed) == 20  # a wrong token costs the same hash-and-look-up as a right one
    _, token = make(patient)
    limited = client.get(f"/s/{token}/")
    assert limited.status_code == 429  # even the right one, once limited
    assert "<h1>Please wait a minute</h1>" in limited.text
    assert limited["Retry-After"] == "60"
    assert Client(REMOTE_ADDR="10.0.0.9").get(f"/s/{token}/").status_code == 200


def test_deleted_or_closed_account_link_opens_nothing(patient):
    _, token = make(patient)
    patient.is_active = False
    patient.save()
    assert Client().get(f"/s/{token}/").status_code == 404
    patient.delete()
    assert not ShareLink.objects.exists()
    assert Client().get(f"/s/{token}/").status_code == 404


def test_share_reaches_nothing_else_of_the_owner(patient):
    _, token = make(patient)
    client = Client()
    client.get(f"/s/{token}/")
    for url in ["/", "/episodes/", "/report/", "/report.pdf", "/settings/", "/export/fhir.json"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url
    assert client.get(f"/s/{token}/?from=2026-01-01&to=2026-12-31").status_code == 200
    html = client.get(f"/s/{token}/?from=2026-01-01&to=2026-12-31").text
    assert re.search(r"<strong>2</strong> episodes logged", html)  # still the link's period
    assert client.get(f"/s/{token}/episodes/").status_code == 404


def test_revoke_is_the_owners_only(owner_client, patient, other_user):
    link, _token = make(other_user)
    assert owner_client.post(f"/report/share/{link.uuid}/revoke/").status_code == 404
    assert ShareLink.objects.get(pk=link.pk).revoked_at is None
    own, own_token = make(patient)
    response = owner_client.post(f"/report/share/{own.uuid}/revoke/", {"next": "/settings/"})
    assert response.status_code == 302
    assert response["Location"] == "/settings/#share"
    assert Client().get(f"/s/{own_token}/").status_code == 410
    assert owner_client.get(f"/report/share/{own.uuid}/revoke/").status_code == 405


def test_owner_sees_openings_in_settings(owner_client, patient):
    _link, token = make(patient)
    Client(HTTP_USER_AGENT=PHONE_UA).get(f"/s/{token}/")
    Client().get(f"/s/{token}/")
    html = owner_client.get("/settings/").text
    assert "Opened 2 times" in html
    assert "Close this link" in html


def test_data_changed_on_create_and_revoke(patient, monkeypatch):
    calls = []
    monkeypatch.setattr(links, "data_changed", lambda user, dates=(): calls.append(user))
    link, _ = make(patient)
    links.revoke(link)
    assert calls == [patient, patient]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (PHONE_UA, "Chrome on Android"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Version/18.1 Safari/604.1",
            "Safari on iOS",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0 Safari/537.36 Edg/131.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Firefox on Linux",
        ),
        ("curl/8.5.0", "Unknown browser"),
        ("", "Unknown browser"),
    ],
)
def test_coarse_user_agent_keeps_families_only(header, expected):
    assert links.coarse_user_agent(header) == expected


def test_other_users_link_is_not_listed(owner_client, patient):
    make(UserFactory())
    assert "Your links" not in owner_client.get("/settings/").text


def test_create_without_dates_says_what_is_missing(owner_client, patient):
    response = owner_client.post("/report/share/", {"days": "7"}, follow=True)
    assert not ShareLink.objects.exists()
    assert "The link was not made: Please fill this in." in response.text


def test_link_and_opening_describe_themselves(patient):
    link, _ = make(patient)
    assert str(link).endswith("of 2026-03-02–2026-03-29")
    assert link.status == "Open"
    links.record_opening(link, "")
    assert str(ShareOpening.objects.get()).startswith(f"Opening of {link.pk} at ")
    ShareLink.objects.filter(pk=link.pk).update(
        created_at=timezone.now() - timedelta(days=8), expires_at=timezone.now()
    )
    assert ShareLink.objects.get(pk=link.pk).status == "Expired"
    links.revoke(link)
    # Closed, as the button that does it says ("Close this link").
    assert ShareLink.objects.get(pk=link.pk).status == "Closed"


def test_share_page_costs_the_same_queries_at_any_size(
    patient, now, django_assert_num_queries, django_assert_max_num_queries
):
    # Frozen: an opening is counted against the visitor's rate limit under a cache key of the
    # current minute, and the minute's first opening adds it (fewer queries than counting on):
    # a minute turning between the two counted requests would make them differ.
    now("2026-06-01T12:00", tick=False)
    _, token = make(patient)
    client = Client()
    client.get(f"/s/{token}/")  # warm: the body-site catalogue and zone caches
    with django_assert_max_num_queries(QUERIES) as captured:
        client.get(f"/s/{token}/")
    queries = len(captured)  # read now: the next request empties the connection's log
    for day in range(4, 28):
        EpisodeFactory(
            user=patient,
            started_at=timezone.datetime(2026, 3, day, 9, tzinfo=timezone.UTC),
            sites=["calf-left", "tongue"],
            triggers=["stress"],
        )
    # Warm again: a week kept summed that was written to since is read once more (one query).
    client.get(f"/s/{token}/")
    with django_assert_num_queries(queries):
        client.get(f"/s/{token}/")


def test_changing_the_report_period_with_htmx_updates_the_share_form(owner_client, patient):
    response = owner_client.get(
        "/report/?from=2026-03-02&to=2026-03-15", headers={"HX-Request": "true"}
    )
    html = response.text
    assert 'id="share" class="card" aria-labelledby="share-heading" data-hx-swap-oob="true"' in html
    assert 'name="from" value="2026-03-02"' in html
    assert "Make a link for 2 Mar 2026 – 15 Mar 2026" in html
