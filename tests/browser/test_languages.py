"""
Pages in the two pseudo-locales, in the browser (what the scripts write included): no plain
English left, nothing wider than a 320 px phone, and in the right-to-left one the body map's
left and right stay anatomical (the person's left shin and calf are drawn on the screen's left, as
in every language). In each offered language at 320 and 390 px: no word cut in two (a long
German or Spanish word in a narrow column), and the report's figures whole in their tiles.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from diary.demo import seed_demo
from diary.demo.about import ANSWERS
from diary.lib import languages
from diary.models import Episode, Profile, Trigger
from tests.browser.conftest import log_in
from tests.browser.support import (
    BROKEN_WORDS,
    assert_no_broken_words,
    assert_no_horizontal_scroll,
    open_every_details,
)
from tests.test_pseudo_pages import ENGLISH_RUN, NOT_LANGUAGE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.now("2026-12-09T18:00"),
]
SMALLEST_PHONE = {"width": 320, "height": 640}
PAGES = ["log", "history", "trends", "report", "checkins", "settings", "about", "reminders"]
# What a person reads, scripts' text included; the zone picker's names are not language.
VISIBLE_TEXT_JS = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (!element || element.closest('script, style, template, select[name="timezone"]')) continue;
    if (!element.getClientRects().length) continue;
    if (node.textContent.trim()) texts.push(node.textContent.trim());
  }
  for (const element of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
    for (const name of ['aria-label', 'title', 'placeholder']) {
      if (element.getAttribute(name)) texts.push(element.getAttribute(name));
    }
  }
  return texts;
}"""


@pytest.fixture
def pseudo(settings):
    settings.LANGUAGES = [*settings.LANGUAGES, *settings.PSEUDO_LANGUAGES]
    settings.CHARTJS_URL = "local"  # no network here: the bundled Chart.js, no CDN attempt


@pytest.fixture
def diary(pseudo):
    """The demo diary, four weeks of it."""
    return seed_demo(weeks=4).user


def speaking(page, live_server, user, code: str, width: int = SMALLEST_PHONE["width"]):
    Profile.objects.filter(user=user).update(language=code)
    log_in(page.context, live_server, user)
    page.set_viewport_size({**SMALLEST_PHONE, "width": width})
    return page


def own_words(user) -> list[str]:
    words = [n for n in Episode.objects.filter(user=user).values_list("notes", flat=True) if n]
    words += list(Trigger.objects.filter(user=user).values_list("name", flat=True))
    words += [value for value in ANSWERS.values() if isinstance(value, str) and value]
    words.append(user.email)
    words += [line for text in list(words) for line in text.splitlines()]
    return sorted(set(words), key=len, reverse=True)


def english_on_screen(page, words: list[str]) -> list[str]:
    found = []
    for text in page.evaluate(VISIBLE_TEXT_JS):
        for word in words:
            text = text.replace(word, " ")
        found += ENGLISH_RUN.findall(NOT_LANGUAGE.sub(" ", text))
    return sorted(set(found))


def test_accented_pages_show_no_english_and_fit_320_px(page, live_server, diary):
    speaking(page, live_server, diary, languages.ACCENTED)
    words = own_words(diary)
    problems = {}
    for name in PAGES:
        page.goto(live_server.url + reverse(name))
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == languages.ACCENTED
        assert_no_horizontal_scroll(page, f"{name} in the accented pseudo-locale at 320 px")
        if runs := english_on_screen(page, words):
            problems[name] = runs
    assert problems == {}


def test_the_scripts_speak_the_pages_language(page, live_server, diary):
    """The Log button names the chosen site (app.js) from the JavaScript catalog."""
    speaking(page, live_server, diary, languages.ACCENTED)
    page.goto(live_server.url + reverse("log"))
    page.locator('[data-body-figure] .bm-area[data-site="calf-left"]').first.click()
    button = page.locator(".log-button")
    assert re.search(r"\[Ļéƒţ çåļƒ", button.inner_text())
    assert "Left calf" not in button.inner_text()


def test_right_to_left_pages_fit_and_the_body_map_stays_anatomical(page, live_server, diary):
    speaking(page, live_server, diary, languages.MIRRORED)
    for name in PAGES:
        page.goto(live_server.url + reverse(name))
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert_no_horizontal_scroll(page, f"{name} right to left at 320 px")
    page.goto(live_server.url + reverse("log"))
    views = page.locator("[data-body-figure] .bm-view")  # the front, then the back
    for view, site in ((views.first, "shin"), (views.last, "calf")):
        left = view.locator(f'.bm-area[data-site="{site}-left"]').bounding_box()
        right = view.locator(f'.bm-area[data-site="{site}-right"]').bounding_box()
        assert left["x"] + left["width"] <= right["x"], site
        side = view.locator("text.bm-side")
        figure = view.locator("svg").first.bounding_box()
        for label in (side.first.bounding_box(), side.last.bounding_box()):
            assert figure["x"] <= label["x"]  # "Left" and "Right" drawn on the figure
            assert label["x"] + label["width"] <= figure["x"] + figure["width"]
        assert side.first.bounding_box()["x"] < side.last.bounding_box()["x"]


def test_a_table_wider_than_the_phone_scrolls_in_its_box_and_shows_it(page, live_server, diary):
    """Trends' numbers at 320 px in the longer pseudo-locale: the box scrolls, the page does not."""
    speaking(page, live_server, diary, languages.ACCENTED)
    page.goto(live_server.url + reverse("trends") + "?weeks=52")
    page.wait_for_load_state("networkidle")
    for summary in page.locator(".trends details > summary").all():
        summary.click()
    open_every_details(page, ".trends")  # all open: waits for the tables to be written
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.table-scroll')].map((box) => ({
          wider: box.scrollWidth > box.clientWidth,
          hint: (getComputedStyle(box).backgroundImage.match(/radial-gradient/g) || []).length,
        }))"""
    )
    wider = [box for box in boxes if box["wider"]]
    assert wider, "no table is wider than the phone: nothing was tested"
    assert all(box["hint"] == 2 for box in wider)
    assert_no_horizontal_scroll(page, "Trends with every table open at 320 px")


@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize("code", [code for code, _name in django_settings.LANGUAGES])
def test_report_figures_keep_their_words_whole(page, live_server, diary, code, width):
    """The preview's three figures ("68 of 78 days…") wrap as tiles, never cutting a word."""
    speaking(page, live_server, diary, code, width)
    page.goto(live_server.url + reverse("report"))
    figures = page.locator(".report-figures li")
    assert figures.count() == 3
    assert_no_broken_words(figures, f"the report's figures in {code} at {width} px")
    clipped = figures.evaluate_all(
        "(items) => items.filter((li) => li.scrollWidth > li.clientWidth).map((li) => li.innerText)"
    )
    assert clipped == [], f"figures wider than their tile in {code} at {width} px"
    assert_no_broken_words(page.locator(".about-summary dt"), f"the preview's questions in {code}")
    assert_no_horizontal_scroll(page, f"the report in {code} at {width} px")


@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize("code", [code for code, _name in django_settings.LANGUAGES])
def test_pages_keep_their_words_whole(page, live_server, diary, code, width):
    """Every page, its "Show the numbers" opened, cuts no word in two on a phone."""
    speaking(page, live_server, diary, code, width)
    broken = {}
    for name in PAGES:
        page.goto(live_server.url + reverse(name))
        page.wait_for_load_state("networkidle")
        open_every_details(page, "main")
        if words := page.locator("main").evaluate_all(BROKEN_WORDS):
            broken[name] = words
    assert broken == {}, f"words cut in two in {code} at {width} px"
