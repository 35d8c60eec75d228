"""
The wording rules of docs/wording.md, on every page and JSON payload a person can reach: no risk
scores, probabilities or "likely/unlikely"; "diagnosis" only in the disclaimer; facts for the
doctor are facts; nothing about them is styled as an alarm.
"""

import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pypdf
import pytest
from django.conf import settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from diary import insights
from diary import report as pdf
from diary.insights import Period
from tests.factories import EpisodeFactory, TriggerFactory

pytestmark = pytest.mark.django_db

FORBIDDEN = re.compile(
    r"\b(risks?|risky|(un)?likel(y|ihood)|probab\w*|chances?|odds|scores?|scored|scoring"
    r"|diagnos\w*)\b",
    re.IGNORECASE,
)
# The disclaimer is the one place "diagnosis" belongs: a paragraph saying the app does not
# diagnose and a clinician does.
DISCLAIMER = re.compile(
    r"<p\b[^>]*>(?:(?!</p>).)*diagnos(?:(?!</p>).)*clinician.*?</p>", re.S | re.I
)
JSON_SCRIPT = re.compile(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', re.S)
SKIP_NAMES = {"logout", "report-pdf"}
# Plain region names everywhere, the PDF included: the clinical terms lead straight to
# frightening search results. No count of regions "(of 4)" anywhere (it reads like a score).
CLINICAL_TERMS = re.compile(r"\b(bulbar|cervical|thoracic|lumbosacral)\b", re.IGNORECASE)
REGION_SCORE = re.compile(r"\(\s*of\s+4\s*\)", re.IGNORECASE)
# No heading speaks of "spread" or "progression".
HEADING = re.compile(r"<(h[1-6]|summary|caption|legend)\b[^>]*>(.*?)</\1>", re.S | re.I)
ALARMING_HEADING = re.compile(r"\b(spread(s|ing)?|progression|progressing|progressive)\b", re.I)


def forbidden_words(text: str) -> list[str]:
    return [m.group(0) for m in FORBIDDEN.finditer(text)]


def visible_wording(html: str) -> str:
    """The page without its disclaimers and without code (script bodies other than JSON)."""
    html = DISCLAIMER.sub("", html)
    return re.sub(r"<script\b[^>]*\bsrc=[^>]*>\s*</script>", "", html)


def make_diary(user) -> None:
    """Data that brings out every fact for the doctor and every chart."""
    now = datetime.now(UTC)
    own = TriggerFactory(user=user, name="New medicine")
    for day in range(0, 40, 2):
        EpisodeFactory(
            user=user,
            started_at=now - timedelta(days=day, minutes=5),
            sites=["calf-left", "hand-right"] if day % 4 == 0 else ["tongue"],
            triggers=["caffeine", own] if day % 3 == 0 else ["stress"],
            intensity=1 + day % 5,
            weakness=day % 6 == 0,
            cramps=day % 4 == 0,
            fatigue=day % 5 == 0,
            stiffness=day % 7 == 0,
            numbness=day % 8 == 0,
        )


def argumentless_get_urls() -> list[str]:
    """Every named URL of the project that needs no arguments (admin aside)."""
    names: list[str] = []

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace != "admin":
                    walk(p.url_patterns, namespace)
            elif isinstance(p, URLPattern) and p.name and p.name not in SKIP_NAMES:
                names.append(p.name)

    walk(get_resolver().url_patterns)
    urls = []
    for name in names:
        try:
            urls.append(reverse(name))
        except NoReverseMatch:  # needs arguments
            continue
    return sorted(set(urls))


def test_every_page_and_payload_follows_the_wording_rules(client, user):
    make_diary(user)
    pages: dict[str, str] = {}
    for url in argumentless_get_urls():  # anonymous: login, sign-up, password reset
        response = client.get(url)
        if response.status_code == 200:
            pages[f"anonymous {url}"] = response.text
    client.force_login(user)
    episode = user.episodes.first()
    extra = [
        reverse("episode-edit", args=[episode.uuid]),
        "/trends/?weeks=4",
        "/trends/?weeks=52",
        "/trends/?from=2025-01-01&to=2025-01-31",
        "/trends/?from=2025-02-01&to=2025-01-01",
    ]
    for url in [*argumentless_get_urls(), *extra]:
        response = client.get(url)
        if response.status_code != 200:
            continue
        kind = response.get("Content-Type", "")
        if "html" in kind or "json" in kind:
            # The JSON export streams.
            streamed = response.streaming and b"".join(response.streaming_content).decode()
            pages[url] = streamed or response.text
    assert {"/trends/", "/", "/episodes/", "/settings/", "anonymous /accounts/login/"} <= set(pages)
    assert any("Worth mentioning to your doctor" in text for text in pages.values())

    problems = {}
    for url, text in pages.items():
        words = forbidden_words(visible_wording(text))
        payloads = [json.loads(p) for p in JSON_SCRIPT.findall(text)]
        words += forbidden_words(json.dumps(payloads))
        # Region codes may sit in attribute values (form options); never in what people read.
        readable = re.sub(r"<[^>]+>", " ", text) + json.dumps(payloads)
        words += CLINICAL_TERMS.findall(readable) + REGION_SCORE.findall(text)
        words += [
            f"heading: {heading}"
            for _tag, heading in HEADING.findall(text)
            if ALARMING_HEADING.search(heading)
        ]
        if words:
            problems[url] = sorted(set(words))
    assert problems == {}


def test_pdf_never_names_the_clinical_terms(client, user):
    """The person reads the PDF too: plain region names, no "spread" or "progression"."""
    make_diary(user)
    client.force_login(user)
    content = client.get("/report.pdf", {"weeks": "12", "full": "1"}).content
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]
    text = " ".join("\n".join(pages).split())
    for region in ("Head & face", "Neck & arms", "Legs & feet"):
        assert region in text
    assert CLINICAL_TERMS.findall(text) == []
    assert not REGION_SCORE.search(text)
    assert not ALARMING_HEADING.search(text)
    assert str(pdf.DISCLAIMER) in text  # on every page: the one place "diagnosis" belongs
    assert forbidden_words(text.replace(str(pdf.DISCLAIMER), "")) == []


def test_the_heading_check_itself():
    page = (
        "<h2 id=x>Spread: body areas</h2><summary>Progression</summary><h3>Body areas</h3>"
        "<h2>Episodes for a spreadsheet</h2>"
    )
    found = [h for _tag, h in HEADING.findall(page) if ALARMING_HEADING.search(h)]
    assert found == ["Spread: body areas", "Progression"]


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ("<p>Low risk of ALS</p>", ["risk"]),
        ("<li>Unlikely to be serious</li>", ["Unlikely"]),
        ('<div aria-label="Probability 3%">', ["Probability"]),
        ("<h2>Your diagnosis</h2>", ["diagnosis"]),
        ("<p>Twitchlog does not diagnose; only a clinician who examines you can.</p>", []),
        (
            "<p class=x>It is not a diagnosis: only a clinician can make one.</p><p>diagnosis</p>",
            ["diagnosis"],
        ),
        ("<p>Twitching logged at 4 different body sites</p>", []),
    ],
)
def test_the_wording_check_itself(html, found):
    assert forbidden_words(visible_wording(html)) == found


def test_trends_page_carries_the_disclaimer_once(client, user):
    make_diary(user)
    client.force_login(user)
    page = client.get("/trends/").text
    panel = page.split('aria-labelledby="doctor-heading"')[1].split("</section>")[0]
    assert len(DISCLAIMER.findall(panel)) == 1
    assert "does not diagnose" in panel


def test_facts_are_facts(user):
    make_diary(user)
    today = timezone.now().astimezone(user.profile.zone).date()
    facts = insights.worth_mentioning(user, Period.last_weeks(12, today, user.profile.zone))
    texts = [f.text for f in facts]
    assert len(texts) >= 6, texts
    for text in texts:
        assert not forbidden_words(text), text
        assert re.search(r"\d", text), f"a fact states a number: {text}"
        assert "!" not in text
        assert not re.search(r"\b(should|must|worr\w*|serious|concern\w*|warning)\b", text, re.I)


def test_doctor_panel_is_not_styled_as_an_alarm(client, user):
    make_diary(user)
    client.force_login(user)
    page = client.get("/trends/").text
    panel = re.search(r'<section class="([^"]*)" aria-labelledby="doctor-heading">', page)
    assert panel, "the panel is on the page"
    assert not re.search(r"error|alert|danger|warn|alarm", panel.group(1))
    body = page.split('aria-labelledby="doctor-heading"')[1].split("</section>")[0]
    assert 'role="alert"' not in body


def trends_css() -> str:
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()
    start = css.index("/* === Trends page")
    return css[start : css.index("/* === end of Trends page === */", start)]


def reddish(hex_colour: str) -> bool:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    r, g, b = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    high, low = max(r, g, b), min(r, g, b)
    if high - low < 0.25 or high != r:
        return False
    hue = (60 * (g - b) / (high - low)) % 360
    return hue < 20 or hue > 330


def test_trends_colours_are_not_alarm_red():
    css = trends_css()
    assert "--error" not in css
    assert not re.search(r"\bred\b", css)
    colours = re.findall(r"#[0-9a-fA-F]{3,6}\b", css)
    assert colours
    assert [c for c in colours if reddish(c)] == []


@pytest.mark.parametrize("code", [code for code, _ in settings.LANGUAGES])
def test_every_page_follows_the_wording_rules_in_each_language(client, user, code):
    """
    In every language offered, the words that language must never use (tests/test_catalogs.py
    lists them: risk, chance, score, diagnosis but in the disclaimer, the disease names,
    spreading) appear on no page a person reaches, logged in or not.
    """
    from diary.models import Profile
    from tests.test_catalogs import DISCLAIMER, forbidden

    make_diary(user)
    Profile.objects.filter(user=user).update(language=code)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    disclaimer = re.compile(DISCLAIMER[code], re.I)
    problems = {}
    for logged_in in (False, True):
        if logged_in:
            client.force_login(user)
        for url in argumentless_get_urls():
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            text = re.sub(
                r"<script\b.*?</script>|<style\b.*?</style>", " ", response.text, flags=re.S
            )
            block = r"</?(?:p|li|h[1-6]|td|th|dd|dt|label|legend|summary)\b[^>]*>"
            text = re.sub(r"<[^>]+>", " ", re.sub(block, "\x00", text))
            paragraphs = text.split("\x00")
            words = []
            for paragraph in paragraphs:
                found = forbidden(code, paragraph)
                if disclaimer.search(paragraph):
                    found = [w for w in found if not w.lower().startswith("diagn")]
                words += found
            if words:
                problems[f"{'logged in' if logged_in else 'visitor'} {url}"] = sorted(set(words))
    assert problems == {}
