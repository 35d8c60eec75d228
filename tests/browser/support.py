"""Helpers for the browser tests: axe-core, layout checks and small readers of the page."""

from __future__ import annotations

import json
import time
from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
NARROW_PHONE = {"width": 360, "height": 740}


@cache
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` (make pytest does).")
    return AXE_JS.read_text()


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core on the page as it is now and return its violations."""
    # page.add_script_tag is blocked by the CSP; evaluate goes through the debugger instead.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"  at {json.dumps(node['target'])}: {node['failureSummary']}")
    return "\n".join(lines)


def assert_accessible(page: Page, what: str) -> None:
    violations = axe_violations(page)
    if violations:
        report = format_violations(violations)
        print(report)
        pytest.fail(f"axe-core found {len(violations)} violation(s) on {what}:\n{report}")


def assert_no_horizontal_scroll(page: Page, what: str) -> None:
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    viewport = page.viewport_size["width"]
    assert widths["scroll"] <= min(widths["inner"], viewport), f"{what} scrolls sideways: {widths}"


# Each word of the matched elements' text whose letters sit on more than one line. A line may
# end after a hyphen, a dash or a slash ("Magen-|Darm", "Mon–|Wed"): the parts between those
# are the words.
BROKEN_WORDS = """(elements) => {
    const broken = [];
    for (const element of elements) {
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const match of node.data.matchAll(/[^\\s\\-\u2010\u2013\u2014/]+/gu)) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
                if (tops.size > 1) broken.push(match[0]);
            }
        }
    }
    return broken;
}"""


def assert_no_broken_words(locator: Locator, what: str) -> None:
    """No word of `locator`'s text is split across lines (a hyphen a phone would not need)."""
    broken = locator.evaluate_all(BROKEN_WORDS)
    assert broken == [], f"{what}: words broken across lines: {broken}"


def open_every_details(page: Page, within: str = "") -> None:
    """
    Open every folded part (`within` a CSS scope) and wait until numbers.js has written the
    Trends tables it opened (each written when first opened, after the toggle event).
    """
    page.evaluate(
        "(within) => document.querySelectorAll(`${within} details`)"
        ".forEach((details) => { details.open = true; })",
        within,
    )
    page.wait_for_function("() => !document.querySelector('details[open] tbody[data-numbers]')")


def wait_for_async(page: Page, predicate: str, *, seconds: float = 10) -> bool:
    """
    Poll an async predicate until it is true; False after `seconds`. (page.wait_for_function
    takes the Promise an async function returns as a truthy answer and returns at once.)
    """
    deadline = time.monotonic() + seconds
    while not page.evaluate(predicate):
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(100)
    return True


def in_viewport(page: Page, locator: Locator) -> bool:
    """The element is wholly on screen at the current scroll position."""
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["y"] + box["height"] <= size["height"]
    )


def figure_area(page: Page, view: str, name: str) -> Locator:
    """An area of the body figure: `view` is "Front" or "Back", `name` its accessible name."""
    return page.get_by_role("group", name=f"{view} of the body").get_by_role("button", name=name)


def site_codes(episode) -> set[str]:
    return {site.code for site in episode.sites.all()}
