"""A CSP violation in a real browser reaches our report endpoint and is logged."""

import logging
import threading
import time

import pytest

from tests.browser.conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PATIENCE_S = 15

INJECT_INLINE_STYLE = """() => {
  const style = document.createElement("style");
  style.textContent = "body { outline: 1px solid; }";
  document.head.appendChild(style);
}"""


def test_a_blocked_inline_style_is_reported(browser, live_server, user, caplog, settings):
    """
    What an injected <style> would do: blocked by the policy, and we hear of it.

    Given `report-to` too, this Chromium hands the report to its Reporting API queue, which a
    test cannot see it leave (not even with --short-reporting-delay); without it, it posts to
    `report-uri` at once, as Firefox and Safari always do. The Reporting API's batch format is
    covered by tests/test_csp.py.
    """
    settings.SECURE_CSP = {k: v for k, v in settings.SECURE_CSP.items() if k != "report-to"}
    context = browser.new_context()
    log_in(context, live_server, user)
    page = context.new_page()  # not the `page` fixture: this test means to cause a violation
    violations = []
    page.on("console", lambda m: violations.append(m.text) if m.type == "error" else None)
    with caplog.at_level(logging.WARNING, logger="twitchlog.csp"):
        page.goto(f"{live_server.url}/")
        is_report = lambda request: request.url.endswith("/csp-report/")  # noqa: E731
        with page.expect_request_finished(is_report, timeout=PATIENCE_S * 1000):
            page.evaluate(INJECT_INLINE_STYLE)
        deadline = time.monotonic() + PATIENCE_S
        while time.monotonic() < deadline and not _reports(caplog):
            page.wait_for_timeout(100)
    context.close()
    _wait_for_request_threads()
    assert any("Content Security Policy" in text for text in violations), violations
    reports = _reports(caplog)
    assert reports, f"no report reached /csp-report/ within {PATIENCE_S} s"
    assert '"effective-directive": "style-src-elem"' in reports[0]
    assert f'"document-uri": "{live_server.url}/"' in reports[0]


def _reports(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "twitchlog.csp"]


def _wait_for_request_threads() -> None:
    """
    The browser keeps the report's connection open; once the context closed it, let the live
    server's request thread finish with the shared test database before the test tears it down.
    """
    deadline = time.monotonic() + PATIENCE_S
    while time.monotonic() < deadline and any(
        "process_request_thread" in t.name for t in threading.enumerate()
    ):
        time.sleep(0.05)
