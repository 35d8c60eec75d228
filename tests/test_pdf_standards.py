"""
The doctor summary as a file, checked with tools other than the one that wrote it: poppler
(pdfinfo, pdffonts), qpdf and pikepdf. It is tagged (PDF/UA-1: a structure tree with headings,
tables with column header cells, lists and a figure with alternative text; /Lang, a displayed
title), archival (PDF/A-3b: XMP metadata with the pdfaid part, an sRGB output intent) and
every font in it is embedded and subset, each subset with its own tag.
"""

from __future__ import annotations

import io
import subprocess
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from xml.etree import ElementTree

import pikepdf
import pypdf
import pytest
from django.utils import timezone

from diary import insights, report
from diary.report.chart import weekly_chart
from diary.report.text import FSI, PDI
from tests.factories import EpisodeFactory, UserFactory
from tests.test_pdf import PERIOD, TODAY, at

pytestmark = pytest.mark.django_db

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}


@pytest.fixture
def summary_file(tmp_path):
    """A summary with every section: chart, tables, lists, notes in three scripts, the log."""
    user = UserFactory(timezone="Europe/London")
    user.profile.display_name = "Mei Chen 陈美"
    user.profile.questions = "Do I need an EMG?"
    user.profile.save()
    EpisodeFactory(user=user, started_at=at("2026-03-02 08:00"), triggers=["caffeine"])
    note = "Zażółć 小腿 ぴくぴく 종아리"
    EpisodeFactory(user=user, started_at=at("2026-03-10 10:00"), notes=note)
    EpisodeFactory(user=user, started_at=at("2026-03-20 07:30"), sites=["calf-right"], cramps=True)
    path = tmp_path / "summary.pdf"
    path.write_bytes(report.build_pdf(user, PERIOD, today=TODAY, full_log=True))
    return path


def run(*command) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=60).stdout


def structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element, depth first."""
    found = []

    def walk(node) -> None:
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.append(kid)
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


# The name in the title is isolated, as everywhere: a right-to-left name cannot reorder the
# dates after it in a viewer's title bar either.
TITLE = f"Twitching diary summary: {FSI}Mei Chen 陈美{PDI}, 2 Mar 2026 – 29 Mar 2026"


def test_pdf_is_tagged_with_a_title_and_language(summary_file):
    info = run("pdfinfo", summary_file)
    assert "Tagged:          yes" in info
    assert f"Title:           {TITLE}" in info
    with pikepdf.open(summary_file) as pdf:
        assert pdf.Root.Lang == "en"
        assert pdf.Root.MarkInfo.Marked is True
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True


def test_pdf_structure_tree_has_headings_tables_lists_and_a_described_figure(summary_file):
    with pikepdf.open(summary_file) as pdf:
        elements = structure(pdf)
        kinds = Counter(str(e.S) for e in elements)
        # The title and the three appendix parts; the sections of page 1 and its chart.
        assert kinds["/H1"] == 4
        assert kinds["/H2"] >= 6
        assert kinds["/Table"] == 6  # sites, symptoms, triggers; weeks, notes, the log
        assert kinds["/L"] >= 1
        assert kinds["/LI"] >= 1
        figures = [e for e in elements if e.S == "/Figure"]
        assert len(figures) == 1
        assert str(figures[0].Alt).startswith("Bar chart of episodes per week over 4 weeks.")
        assert "Week of 2 Mar: 1; week of 9 Mar: 1; week of 16 Mar: 1; week of 23 Mar: 0" in str(
            figures[0].Alt
        )
        headers = [e for e in elements if e.S == "/TH"]
        assert headers
        for header in headers:
            attributes = header.A if isinstance(header.A, pikepdf.Array) else [header.A]
            assert any(a.get("/Scope") == "/Column" for a in attributes)


def test_pdf_every_font_is_embedded_and_subset_with_its_own_tag(summary_file):
    lines = run("pdffonts", summary_file).splitlines()[2:]
    fonts = [line.split() for line in lines]
    names = {font[0].split("+", 1)[1] for font in fonts}
    assert names == {"DejaVuSans", "DejaVuSans-Bold", "WenQuanYiMicroHei"}
    for font in fonts:
        # name type… encoding emb sub uni object-id generation
        assert font[-5:-2] == ["yes", "yes", "yes"], font
    tags = [font[0].split("+", 1)[0] for font in fonts]
    assert len(set(tags)) == len(tags)


def test_pdf_xmp_metadata_says_pdf_a_3b_and_pdf_ua_1(summary_file):
    with pikepdf.open(summary_file) as pdf:
        xmp = ElementTree.fromstring(pdf.Root.Metadata.read_bytes())
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFA1"
        assert "/DestOutputProfile" in intent
    description = xmp.find("rdf:RDF/rdf:Description", NS)
    assert description.findtext("pdfaid:part", namespaces=NS) == "3"
    assert description.findtext("pdfaid:conformance", namespaces=NS) == "B"
    assert description.findtext("pdfuaid:part", namespaces=NS) == "1"
    title = description.findtext("dc:title/rdf:Alt/rdf:li", namespaces=NS)
    assert title == TITLE
    assert description.findtext("dc:language/rdf:Bag/rdf:li", namespaces=NS) == "en"


def test_pdf_creation_date_is_now(summary_file):
    with pikepdf.open(summary_file) as pdf:
        xmp = ElementTree.fromstring(pdf.Root.Metadata.read_bytes())
        created = datetime.fromisoformat(
            xmp.find("rdf:RDF/rdf:Description", NS).findtext("xmp:CreateDate", namespaces=NS)
        )
        assert str(pdf.docinfo["/CreationDate"]).startswith(f"D:{created:%Y%m%d%H%M%S}")
    assert abs(timezone.now() - created) < timedelta(minutes=5)


def test_pdf_creation_date_can_be_fixed():
    """The example PDF in docs/ only changes when the code does."""
    user = UserFactory(timezone="Europe/London")
    when = datetime(2026, 5, 25, 9, 30, tzinfo=UTC)
    content = report.build_pdf(user, PERIOD, today=TODAY, created=when)
    with pikepdf.open(io.BytesIO(content)) as pdf:
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20260525093000")


def test_pdf_passes_qpdf_check(summary_file):
    assert "No syntax or stream encoding errors found" in run("qpdf", "--check", summary_file)


def test_pdf_chart_shows_weeks_before_logging_as_a_band_without_bars():
    """Weeks before the first logged day are "not logging yet", never "no twitching"."""

    class Week:
        def __init__(self, start: date, episodes: int, logging: bool) -> None:
            self.start, self.episodes, self.logging = start, episodes, logging

    weeks = [
        Week(date(2026, 3, 2), 0, False),
        Week(date(2026, 3, 9), 0, False),
        Week(date(2026, 3, 16), 7, True),
        Week(date(2026, 3, 23), 0, True),
    ]
    chart = weekly_chart(weeks)
    assert chart["bands"] == [{"start": 0, "length": 2}]
    assert [bar["logging"] for bar in chart["bars"]] == [False, False, True, True]
    assert [tick["value"] for tick in chart["ticks"]] == [0, 2, 4, 6, 8]
    assert chart["alt"] == (
        "Bar chart of episodes per week over 4 weeks, the first 2 weeks not logging yet. "
        "Week of 16 Mar: 7; week of 23 Mar: 0."
    )


def test_pdf_chart_band_is_drawn_with_its_words(monkeypatch):
    user = UserFactory(timezone="Europe/London")
    EpisodeFactory(user=user, started_at=at("2026-03-20 07:30"))
    real_overview = insights.overview

    def overview(user, period):
        result = real_overview(user, period)
        for week in result.weeks:
            object.__setattr__(week, "logging", week.start >= date(2026, 3, 16))
        return result

    monkeypatch.setattr(insights, "overview", overview)
    content = report.build_pdf(user, PERIOD, today=TODAY)
    page1 = pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "not logging yet" in page1
    weeks = pypdf.PdfReader(io.BytesIO(content)).pages[1].extract_text()
    assert "2 Mar 2026 not logging yet" in weeks
