"""
The page a person gets when the PDF renderer stopped or took too long (diary/report/renderers.py):
calm, in the app's frame, axe-clean in light and dark at 390 and 320 px, and its Try again
button makes the PDF once the renderer works again.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from diary.report import pdfs
from tests import pdf_renderer_probes as probes
from tests.browser.conftest import log_in
from tests.browser.support import PHONE, assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "/report.pdf?from=2026-03-02&to=2026-03-29"
SMALLEST = {"width": 320, "height": 640}


def test_pdf_unavailable_page_is_calm_and_tries_again(browser, live_server, user, monkeypatch):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    log_in(context, live_server, user)
    page = context.new_page()
    # The browser reports the 503 itself in its console; anything else there is a problem.
    problems = []
    page.on(
        "console",
        lambda message: (
            message.type in ("error", "warning")
            and "status of 503" not in message.text
            and problems.append(message.text)
        ),
    )
    monkeypatch.setattr(pdfs, "compile_pdf", probes.die)
    # The first PDF starts a renderer (a new Python process): slower than a page.
    response = page.goto(f"{live_server.url}{URL}", timeout=60_000)
    assert response.status == 503
    expect(page.get_by_role("heading", name="The PDF could not be made just now")).to_be_visible()
    expect(page.get_by_text("Nothing in your diary has changed.")).to_be_visible()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert_accessible(page, f"the PDF unavailable page ({scheme})")
    page.set_viewport_size(SMALLEST)
    assert_no_horizontal_scroll(page, "the PDF unavailable page at 320 px")

    monkeypatch.undo()  # the renderer works again
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("link", name="Try again").tap()
    assert download.value.suggested_filename == "twitchlog-summary-2026-03-02_2026-03-29.pdf"
    assert not problems, problems
    context.close()
