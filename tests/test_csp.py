"""
The Content-Security-Policy: a nonce on every script, 'strict-dynamic', violations reported to
our endpoint, and Google's CSP Evaluator finding nothing we have not explained.
"""

import json
import logging
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.factories import EpisodeFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
EVALUATE = ROOT / "scripts" / "csp_evaluate.js"
REPORT_URL = "/csp-report/"

# CSP Evaluator findings above "INFO" that we accept, and why. Anything else fails the test.
EXPLAINED = {
    # Ignored by CSP3 browsers because of 'strict-dynamic'; kept so that CSP2 browsers, which do
    # not know 'strict-dynamic', can still load the scripts our nonce'd chart loader inserts
    # (the vendored Chart.js from 'self', the pinned CDN file). We host no JSONP, AngularJS or
    # user uploads, which is what the finding warns about.
    ("MEDIUM_MAYBE", "script-src", "'self'"),
    ("MEDIUM_MAYBE", "script-src", settings.CHARTJS_URL),
    # 'unsafe-inline' as a fallback for browsers older than CSP2 would be ignored by every browser
    # that knows nonces, but it is exactly what a reviewer must never find in our policy.
    ("STRICT_CSP", "script-src", ""),
}


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("url", ["/", "/episodes/", "/trends/", "/report/", "/settings/"])
def test_every_script_tag_carries_the_nonce(owner_client, user, url):
    EpisodeFactory(user=user)
    response = owner_client.get(url)
    nonce = next(s[7:-1] for s in directives(response)["script-src"] if s.startswith("'nonce-"))
    tags = re.findall(r"<script\b[^>]*>", response.text)
    assert len(tags) >= 2
    for tag in tags:
        if 'type="application/json"' in tag:
            continue  # json_script data: never executed
        assert f'nonce="{nonce}"' in tag, tag


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/"])
def test_public_pages_scripts_carry_the_nonce_too(client, url):
    response = client.get(url)
    nonce = next(s[7:-1] for s in directives(response)["script-src"] if s.startswith("'nonce-"))
    for tag in re.findall(r"<script\b[^>]*>", response.text):
        assert f'nonce="{nonce}"' in tag, tag


def test_script_src_is_nonce_and_strict_dynamic(owner_client):
    script_src = directives(owner_client.get("/"))["script-src"]
    assert script_src[0].startswith("'nonce-")
    assert "'strict-dynamic'" in script_src
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    hosts = [s for s in script_src if not s.startswith("'")]
    assert hosts == [settings.CHARTJS_URL], "no host allow-list beyond the Chart.js fallback"


def test_htmx_never_runs_scripts_in_swapped_html(owner_client):
    """Under 'strict-dynamic' a script that htmx inserted would be trusted."""
    html = owner_client.get("/").text
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html).group(1)
    assert json.loads(config)["allowScriptTags"] is False


def test_violations_are_reported_to_our_endpoint(owner_client):
    response = owner_client.get("/")
    policy = directives(response)
    assert policy["report-uri"] == [REPORT_URL]
    assert policy["report-to"] == ["csp"]
    assert response["Reporting-Endpoints"] == f'csp="http://testserver{REPORT_URL}"'


def test_csp_evaluator_finds_nothing_unexplained(owner_client):
    node = shutil.which("node")
    assert node, "node is needed (scripts/install-deps installs it)"
    policy = owner_client.get("/trends/")["Content-Security-Policy"]
    result = subprocess.run(
        [node, str(EVALUATE), policy], cwd=ROOT, capture_output=True, text=True, check=True
    )
    findings = [json.loads(line) for line in result.stdout.splitlines()]
    assert findings, "the evaluator always says something (at least the Trusted Types hint)"
    serious = {
        (f["severity"], f["directive"], f["value"])
        for f in findings
        if f["severity"] not in {"INFO", "NONE"}
    }
    assert serious <= EXPLAINED, serious - EXPLAINED


# --- The report endpoint ---

REPORT_URI_BODY = {
    "csp-report": {
        "document-uri": "https://twitchlog.example/",
        "violated-directive": "style-src-elem",
        "effective-directive": "style-src-elem",
        "blocked-uri": "inline",
        "line-number": 12,
        "disposition": "enforce",
    }
}
REPORTING_API_BODY = [
    {
        "type": "csp-violation",
        "url": "https://twitchlog.example/trends/",
        "body": {
            "documentURL": "https://twitchlog.example/trends/",
            "effectiveDirective": "img-src",
            "blockedURL": "https://evil.example/pixel.png",
            "disposition": "enforce",
        },
    },
    {"type": "deprecation", "body": {"id": "x"}},
]


def logged(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "twitchlog.csp"]


def post_report(client, body, content_type="application/csp-report"):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(REPORT_URL, data=data, content_type=content_type)


def test_report_uri_report_is_logged(client, caplog):
    with caplog.at_level(logging.WARNING, logger="twitchlog.csp"):
        response = post_report(client, REPORT_URI_BODY)
    assert response.status_code == 204
    (message,) = logged(caplog)
    report = json.loads(message.removeprefix("CSP violation: "))
    assert report["effective-directive"] == "style-src-elem"
    assert report["blocked-uri"] == "inline"
    assert report["line-number"] == "12"


def test_reporting_api_batch_logs_only_csp_violations(client, caplog):
    with caplog.at_level(logging.WARNING, logger="twitchlog.csp"):
        response = post_report(client, REPORTING_API_BODY, "application/reports+json")
    assert response.status_code == 204
    (message,) = logged(caplog)
    assert "https://evil.example/pixel.png" in message
    assert '"effective-directive": "img-src"' in message


def test_report_fields_are_truncated(client, caplog):
    body = {"csp-report": {"blocked-uri": "x" * 10_000}}
    with caplog.at_level(logging.WARNING, logger="twitchlog.csp"):
        assert post_report(client, body).status_code == 204
    assert len(logged(caplog)[0]) < 500


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe\x00",
        b"[]",
        b"{}",
        b'"a string"',
        b'{"csp-report": "nope"}',
        b'[{"type": "csp-violation", "body": "nope"}]',
        b"[1, 2, 3]",
        b"[" * 5000 + b"]" * 5000,
    ],
)
def test_garbage_reports_get_400_never_500(client, body, caplog):
    with caplog.at_level(logging.WARNING, logger="twitchlog.csp"):
        response = post_report(client, body)
    assert response.status_code == 400
    assert not logged(caplog)


def test_oversized_report_is_refused(client):
    body = {"csp-report": {"blocked-uri": "x" * 20_000}}
    assert post_report(client, body).status_code == 413


def test_report_endpoint_needs_no_login_and_only_takes_posts(client):
    assert client.get(REPORT_URL).status_code == 405
    assert post_report(client, REPORT_URI_BODY).status_code == 204


def test_report_endpoint_is_rate_limited_per_address(client, caplog, now):
    # Frozen: the limit counts per minute, and a minute turning among the 40 reports starts
    # the count again (a fresh-clone run failed so: a 204 where a 429 was due).
    now("2026-06-01T12:00", tick=False)
    with caplog.at_level(logging.WARNING, logger="twitchlog.csp"):
        answers = [post_report(client, REPORT_URI_BODY).status_code for _ in range(40)]
    assert answers[:30] == [204] * 30
    assert set(answers[30:]) == {429}
    assert len(logged(caplog)) == 30
    other = post_report(client, REPORT_URI_BODY, "application/csp-report")
    assert other.status_code == 429
    # Another address still gets through.
    response = client.post(
        REPORT_URL,
        data=json.dumps(REPORT_URI_BODY),
        content_type="application/csp-report",
        REMOTE_ADDR="10.9.8.7",
    )
    assert response.status_code == 204
