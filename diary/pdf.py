"""
The doctor summary: an A4 PDF built with ReportLab platypus in the bundled DejaVu Sans.

Page 1 is the summary a clinician reads in a minute (issue 4 lists what is on it); the pages
after it hold the week-by-week table, the episodes with notes and, when asked for, the full
episode log. Every number comes from insights.py, the same functions as the trends page, so
the PDF, the preview on /report/ and the charts never disagree.

`collect()` gathers the data (all the queries), `render()` lays it out (no queries), and
`build_pdf()` does both; the report page's preview uses `collect()` too.

Text the person typed is printed literally: it is escaped before it reaches a Paragraph (which
understands markup) and goes into table cells as plain strings; control characters, and
characters the font has no glyph for (CJK, for one), are printed as U+FFFD.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab import rl_config
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    CondPageBreak,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from diary import insights
from diary.models import (
    SYMPTOMS,
    Episode,
    FunctionCheck,
    Profile,
    Region,
)
from diary.templatetags.diary_tags import duration_words

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

DISCLAIMER = "Self-reported by the patient. Not a diagnosis."
NO_EPISODES = "No episodes were logged in this period."
APPOINTMENT_NOTES = {
    "medicines": "Medicines and supplements",
    "tests_done": "Tests already done",
    "questions": "Questions to ask",
}
# Notes in the full log are cut to this many characters; the whole note is in "Episodes with notes".
LOG_NOTE_CHARS = 90
# The full log is laid out as tables of this many rows: splitting one 5,000-row table page by
# page costs time proportional to the rows left on every page (quadratic); page-sized tables
# split at most once.
LOG_CHUNK_ROWS = 45
# The most lines one table cell may have: a row must fit on one page.
MAX_CELL_LINES = 60

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
BOTTOM_MARGIN = 18 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN

INK = colors.HexColor("#1b1f24")
MUTED = colors.HexColor("#525a66")
RULE = colors.HexColor("#c9ced6")
HEADER_BG = colors.HexColor("#e8ecf1")
STRIPE = colors.HexColor("#f6f7f9")
BAR = colors.HexColor("#1d5fa8")

# Flate-only streams: ReportLab's default ASCII85 wrapping makes the file a quarter larger and
# costs a pure-Python pass over every page (process-wide; nothing else here writes PDFs).
rl_config.useA85 = 0

# C0 and C1 control characters and DEL (newline and tab are handled first).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@cache
def register_fonts() -> None:
    """Register the bundled DejaVu Sans (regular and bold) once per process."""
    pdfmetrics.registerFont(TTFont(FONT, FONT_DIR / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


# --- Text helpers --------------------------------------------------------------------------


def plain(text: str) -> str:
    """
    Text a person typed, made printable: newlines kept, tabs as spaces, and control characters
    and anything the font has no glyph for (CJK, for one) as U+FFFD, which it has.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    text = _CONTROL.sub("\ufffd", text)
    if text.isascii():
        return text
    glyphs, _ = _advances(FONT)
    return "".join(c if ord(c) in glyphs or c == "\n" else "\ufffd" for c in text)


def markup(text: str) -> str:
    """Typed text for a Paragraph: printable, escaped (so `<b>` prints as typed), lines kept."""
    return escape(plain(text)).replace("\n", "<br/>")


def one_line(text: str, limit: int | None = None) -> str:
    text = " ".join(plain(text).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def cell_text(text: str, width: float, *, max_lines: int = MAX_CELL_LINES) -> str:
    """
    Typed text for a Table cell (drawn as is: no markup), wrapped to `width`.

    A table row cannot split across pages, so a cell is kept to `max_lines` lines: past a
    couple of dozen line breaks the rest are joined with " / ", and what still does not fit
    (only ever a pathological note) is cut with a mark saying so.
    """
    lines = plain(text).strip().split("\n")
    if len(lines) > max_lines // 2:
        lines = [*lines[: max_lines // 2 - 1], " / ".join(lines[max_lines // 2 - 1 :])]
    wrapped = wrap("\n".join(lines), width).split("\n")
    if len(wrapped) > max_lines:
        wrapped = [*wrapped[: max_lines - 1], "[… the rest of this note is in the app]"]
    return "\n".join(wrapped)


def fmt_date(day: date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else "—"


def fmt_short(day: date) -> str:
    return f"{day.day} {day:%b}"


def fmt_period(period: insights.Period) -> str:
    return f"{fmt_date(period.first)} – {fmt_date(period.last)}"


def fmt_number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}" if isinstance(value, float) else str(value)


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


@cache
def _advances(font: str) -> tuple[dict[int, float], float]:
    face = pdfmetrics.getFont(font).face
    return face.charWidths, face.defaultWidth


def text_width(text: str, font: str = FONT, size: float = 8) -> float:
    widths, default = _advances(font)
    return sum(widths.get(ord(char), default) for char in text) * size / 1000


def wrap(text: str, width: float, font: str = FONT, size: float = 8) -> str:
    """
    Break plain text into lines that fit `width`, for a Table cell.

    A plain string in a Table cell is drawn as is (no markup, so nothing to escape) and costs
    a fraction of a Paragraph, which matters for a 5,000-row log. Each word is measured once.
    """
    if "\n" not in text and text_width(text, font, size) <= width:
        return text
    space = text_width(" ", font, size)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, line_width = "", 0.0
        for word in paragraph.split(" "):
            word_width = text_width(word, font, size)
            if line and line_width + space + word_width <= width:
                line, line_width = f"{line} {word}", line_width + space + word_width
                continue
            if line:
                lines.append(line)
            # A word wider than the cell (a URL, a long compound) is cut by characters.
            while word_width > width and len(word) > 1:
                cut = max(1, int(len(word) * width / word_width))
                while cut > 1 and text_width(word[:cut], font, size) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
                word_width = text_width(word, font, size)
            line, line_width = word, word_width
        lines.append(line)
    return "\n".join(lines)


# --- The data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One episode as the report's lists print it (read with values(), not model instances)."""

    started_at: datetime
    duration: timedelta
    intensity: int | None
    notes: str
    symptoms: list[str]
    sites: list[str]
    triggers: list[str]


@dataclass(frozen=True)
class Report:
    """Everything the summary shows, gathered once; the PDF and the HTML preview read it."""

    name: str
    period: insights.Period
    generated_on: date
    summary: insights.Summary
    weekly: list[insights.Week]
    sites: list[insights.SiteRow]
    symptoms: list[tuple[str, int]]
    triggers: list[insights.TriggerCount]
    facts: list[insights.Fact]
    check: FunctionCheck | None
    notes: dict[str, str]
    episodes_with_notes: list[Entry]
    log: list[Entry] | None

    @property
    def is_empty(self) -> bool:
        return self.summary.episodes == 0

    @property
    def regions(self) -> list[str]:
        """The body regions involved, plain names, in head-to-feet order (terms: sites table)."""
        involved = {row.region for row in self.sites}
        return [Region(value).label for value in Region.values if value in involved]

    @property
    def changes(self) -> list[tuple[str, str]]:
        return self.check.changes if self.check else []


def entries(user, period: insights.Period, *, with_notes_only: bool = False) -> list[Entry]:
    """
    The period's episodes, oldest first, with their sites and triggers: three queries.

    Plain rows instead of prefetch_related: for a 5,000-episode year, model instances with
    prefetched many-to-many managers cost more than building the whole PDF page layout.
    """
    # By each episode's own local date, as every number in the report counts them.
    episodes = Episode.objects.for_user(user).on_local_dates(period.first, period.last)
    if with_notes_only:
        episodes = episodes.exclude(notes="")
    rows = list(
        episodes.order_by("started_at", "id").values_list(
            "id", "started_at", "duration", "intensity", "notes", *SYMPTOMS
        )
    )
    sites: dict[int, list[str]] = defaultdict(list)
    for episode_id, name in (
        Episode.sites.through.objects.filter(episode__in=episodes)
        .order_by("bodysite__sort_order")
        .values_list("episode_id", "bodysite__name")
    ):
        sites[episode_id].append(name)
    triggers: dict[int, list[str]] = defaultdict(list)
    for episode_id, name in (
        Episode.triggers.through.objects.filter(episode__in=episodes)
        .order_by("trigger__name")
        .values_list("episode_id", "trigger__name")
    ):
        triggers[episode_id].append(name)
    labels = list(SYMPTOMS.values())
    return [
        Entry(
            started_at=started_at,
            duration=duration,
            intensity=intensity,
            notes=notes,
            symptoms=[label for label, on in zip(labels, flags, strict=True) if on],
            sites=sites[pk],
            triggers=triggers[pk],
        )
        for pk, started_at, duration, intensity, notes, *flags in rows
    ]


def collect(
    user, period: insights.Period, *, today: date, full_log: bool = False, appendix: bool = True
) -> Report:
    """
    Gather the report's data for `user` over `period` (local dates in the profile's zone).
    `appendix=False` leaves out the episode lists (the HTML preview shows page 1 only).
    """
    profile: Profile = user.profile
    overview = insights.overview(user, period)
    log = entries(user, period) if full_log and appendix else None
    if log is not None:
        noted = [e for e in log if e.notes]
    else:
        noted = entries(user, period, with_notes_only=True) if appendix else []
    return Report(
        name=profile.display_name or user.get_username(),
        period=period,
        generated_on=today,
        summary=overview.summary,
        weekly=overview.weeks,
        sites=overview.sites,
        symptoms=[(label, overview.symptoms.get(field, 0)) for field, label in SYMPTOMS.items()],
        triggers=overview.triggers,
        facts=overview.facts,
        check=FunctionCheck.objects.for_user(user).latest_in(period.first, period.last),
        notes={field: getattr(profile, field) for field in APPOINTMENT_NOTES},
        episodes_with_notes=noted,
        log=log,
    )


def filename(period: insights.Period) -> str:
    return f"twitchlog-summary-{period.first:%Y-%m-%d}_{period.last:%Y-%m-%d}.pdf"


def build_pdf(user, period: insights.Period, *, today: date, full_log: bool = False) -> bytes:
    return render(collect(user, period, today=today, full_log=full_log))


# --- Layout ----------------------------------------------------------------------------------


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=11.5, textColor=INK)
    return {
        "base": base,
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=15, leading=19),
        "h1": ParagraphStyle(
            "h1", base, fontName=FONT_BOLD, fontSize=12.5, leading=16, spaceBefore=8, spaceAfter=2
        ),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=8.5, textColor=MUTED, spaceAfter=4),
        "h2": ParagraphStyle(
            "h2", base, fontName=FONT_BOLD, fontSize=10.5, leading=13, spaceBefore=7, spaceAfter=3
        ),
        "small": ParagraphStyle("small", base, fontSize=8, leading=10),
        "muted": ParagraphStyle("muted", base, fontSize=8, leading=10, textColor=MUTED),
        "figure": ParagraphStyle("figure", base, fontName=FONT_BOLD, fontSize=14, leading=17),
        "figure_label": ParagraphStyle(
            "figure_label", base, fontSize=8, leading=10, textColor=MUTED
        ),
        "bullet": ParagraphStyle("bullet", base, leftIndent=10, bulletIndent=0, spaceAfter=1.5),
    }


def table_style(*, numeric_from: int | None = None) -> TableStyle:
    """A data table: bold shaded header row, light rules, striped rows, numbers on the right."""
    commands = [
        # Few commands: each is applied to every cell, which adds up over a 5,000-row log.
        ("FONT", (0, 0), (-1, -1), FONT, 8, 10),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8, 10),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, MUTED),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, STRIPE]),
    ]
    if numeric_from is not None:
        commands.append(("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"))
    return TableStyle(commands)


class _Table(Table):
    """
    A Table that writes all its plain-text cells through one PDF text object.

    ReportLab's Table makes a text object per string (BT … ET, with the font and position set
    anew each time), which is most of the cost of a 5,000-row log. The text is written after
    the backgrounds and rules, in its own graphics state. Only what these tables use is handled
    here (string cells, LEFT or RIGHT, valign TOP); anything else goes the usual way. Empty
    cells draw nothing (ReportLab would draw an empty string).
    """

    def draw(self) -> None:
        self._text = None
        self._text_style: tuple | None = None
        super().draw()
        if self._text is not None:
            self.canv.saveState()
            self.canv.drawText(self._text)
            self.canv.restoreState()

    def _drawCell(self, cellval, cellstyle, pos, size) -> None:
        if cellval == "":
            return
        if (
            not isinstance(cellval, str)
            or cellstyle.valign != "TOP"
            or cellstyle.alignment not in ("LEFT", "RIGHT")
        ):
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        if self._text is None:
            self._text = self.canv.beginText()
        text = self._text
        style = (cellstyle.fontname, cellstyle.fontsize, cellstyle.leading, cellstyle.color)
        if style != self._text_style:
            text.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            text.setFillColor(cellstyle.color)
            self._text_style = style
        (left, bottom), (width, height) = pos, size
        y = bottom + height - cellstyle.topPadding - cellstyle.fontsize
        for line in cellval.split("\n"):
            if cellstyle.alignment == "LEFT":
                x = left + cellstyle.leftPadding
            else:
                line_width = text_width(line, cellstyle.fontname, cellstyle.fontsize)
                x = left + width - cellstyle.rightPadding - line_width
            text.setTextOrigin(x, y)
            text.textOut(line)
            y -= cellstyle.leading


def data_table(rows: list[list], widths: list[float], *, numeric_from: int | None = None) -> Table:
    """A table whose header row repeats on every page it flows over."""
    if None in widths:
        widths = [w if w is not None else FRAME_WIDTH - sum(filter(None, widths)) for w in widths]
    table = _Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(table_style(numeric_from=numeric_from))
    return table


def weekly_chart(weeks: list[insights.Week], width: float, height: float = 34 * mm) -> Drawing:
    """
    Episodes per ISO week as vector bars, zero weeks included, integer axis. Weeks before the
    first logged day have no bar: a muted band labelled "not logging yet" covers them.
    """
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 22, 16
    chart.width, chart.height = width - chart.x - 4, height - chart.y - 6
    counts = [week.episodes for week in weeks]
    chart.data = [counts]
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 2 if len(weeks) > 26 else 4
    top = max(counts, default=0)
    step = _nice_step(top)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(step, -(-top // step) * step)
    chart.valueAxis.valueStep = step
    chart.valueAxis.labelTextFormat = "%d"
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.gridStrokeWidth = 0.25
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.strokeColor = MUTED
    chart.categoryAxis.strokeColor = MUTED
    every = max(1, -(-len(weeks) // 13))  # at most ~13 labels, so they never collide
    chart.categoryAxis.categoryNames = [
        fmt_short(week.start) if i % every == 0 else "" for i, week in enumerate(weeks)
    ]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.dy = -2
    chart.categoryAxis.tickDown = 2
    drawing.add(chart)
    not_logging = sum(1 for week in weeks if not week.logging)  # they come first
    if not_logging and weeks:
        band = chart.width * not_logging / len(weeks)
        drawing.add(Rect(chart.x, chart.y, band, chart.height, fillColor=STRIPE, strokeColor=None))
        label = String(chart.x + band / 2, chart.y + chart.height / 2, "not logging yet")
        label.fontName, label.fontSize, label.fillColor = FONT, 7, MUTED
        label.textAnchor = "middle"
        drawing.add(label)
    return drawing


def _nice_step(top: int) -> int:
    """A round axis step giving at most about five gridlines."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top / step <= 5:
            return step
    return 10 ** len(str(top // 5))


class _NumberedCanvas(canvas.Canvas):
    """
    Draws the footer ("Self-reported … page X of Y") once the page count is known: pages are
    kept until save(), then finished with the total.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._footer(total)
            super().showPage()
        super().save()

    def _footer(self, total: int) -> None:
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        # Lined up with the text, which platypus frames indent by their 6 pt padding.
        left, right, y = MARGIN + 6, PAGE_WIDTH - MARGIN - 6, BOTTOM_MARGIN - 7 * mm
        self.line(left, y + 10, right, y + 10)
        self.setFillColor(MUTED)
        self.setFont(FONT, 7.5)
        self.drawString(left, y, f"{DISCLAIMER} {self._doc_title}")
        self.drawRightString(right, y, f"Page {self._pageNumber} of {total}")
        self.restoreState()


def render(report: Report) -> bytes:
    """The PDF for `report` as bytes (no database access)."""
    register_fonts()
    buffer = io.BytesIO()
    title = f"Twitching diary summary: {report.name}, {fmt_period(report.period)}"
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=title,
        author=f"{report.name} (self-reported, via Twitchlog)",
        subject="Self-reported muscle twitching diary",
        creator="Twitchlog",
        invariant=True,
        initialFontName=FONT,  # else every page's preamble pulls in Helvetica
    )

    class Canvas(_NumberedCanvas):
        _doc_title = f"{one_line(report.name, 40)} · {fmt_period(report.period)}"

    doc.build(summary_page(report) + appendix(report), canvasmaker=Canvas)
    return buffer.getvalue()


def summary_page(report: Report) -> list:
    """Page 1: what a clinician reads in a minute."""
    s = styles()
    period = report.period
    summary = report.summary
    story: list = [
        Paragraph("Muscle twitching diary: summary for the doctor", s["title"]),
        Paragraph(
            "Everything in this document is self-reported: what the patient logged in the "
            "Twitchlog app, as they entered it.",
            s["subtitle"],
        ),
    ]
    info = [
        [
            _label("Name"),
            Paragraph(markup(report.name), s["base"]),
            _label("Generated"),
            Paragraph(fmt_date(report.generated_on), s["base"]),
        ],
        [
            _label("Period"),
            Paragraph(f"{fmt_period(period)} ({plural(period.days, 'day')})", s["base"]),
            _label("First logged"),
            Paragraph(fmt_date(summary.first_logged), s["base"]),
        ],
    ]
    info_table = Table(info, colWidths=[22 * mm, 88 * mm, 24 * mm, None], hAlign="LEFT")
    info_table.setStyle(
        TableStyle(
            [
                # Layout tables hold Paragraphs, but ReportLab sets each cell's font anyway.
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    story += [info_table, Spacer(0, 4)]
    story.append(key_figures(report))
    if report.is_empty:
        story += [Spacer(0, 6), Paragraph(NO_EPISODES, s["h2"])]
    else:
        story += [
            Paragraph("Episodes per week (weeks start on Monday)", s["h2"]),
            weekly_chart(report.weekly, FRAME_WIDTH),
            *sites_section(report),
            symptoms_and_triggers(report),
        ]
    story += function_check_section(report)
    story += facts_section(report)
    story += notes_section(report)
    return story


def _label(text: str) -> Paragraph:
    return Paragraph(text, styles()["muted"])


def key_figures(report: Report) -> Table:
    s = styles()
    summary = report.summary
    if summary.logging_since is None:
        days = ("—", "days with twitching: not logging yet")
    elif summary.started_in_period:
        days = (
            f"{summary.days_with_twitching} of {summary.days_in_period}",
            f"days with twitching since logging began on {fmt_date(summary.logging_since)}",
        )
    else:
        days = (
            f"{summary.days_with_twitching} of {summary.days_in_period}",
            "days with twitching in the period",
        )
    cells = [
        days,
        (str(summary.episodes), "episodes logged"),
        (str(summary.sites), "body sites with twitching"),
    ]
    row = [
        [Paragraph(value, s["figure"]), Paragraph(label, s["figure_label"])]
        for value, label in cells
    ]
    table = Table([row], colWidths=[FRAME_WIDTH / 3] * 3, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (0, 0), 0.5, RULE),
                ("BOX", (1, 0), (1, 0), 0.5, RULE),
                ("BOX", (2, 0), (2, 0), 0.5, RULE),
                ("BACKGROUND", (0, 0), (-1, -1), STRIPE),
                # Layout tables hold Paragraphs, but ReportLab sets each cell's font anyway.
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def sites_section(report: Report) -> list:
    s = styles()
    rows: list[list] = [["Body site", "Region", "First seen", "Last seen", "Episodes"]]
    for row in report.sites:
        rows.append(
            [
                row.name,
                Region(row.region).clinical_label,
                fmt_date(row.first_seen),
                fmt_date(row.last_seen),
                str(row.count),
            ]
        )
    widths = [48 * mm, 45 * mm, 27 * mm, 27 * mm, None]
    return [
        Paragraph("Body sites", s["h2"]),
        data_table(rows, widths, numeric_from=4),
        Spacer(0, 2),
        Paragraph(
            f"<b>Regions involved:</b> {escape(', '.join(report.regions)) or '—'}", s["small"]
        ),
        Spacer(0, 3),
    ]


def symptoms_and_triggers(report: Report) -> Table:
    """Associated symptoms and triggers side by side, each with its episode count."""
    s = styles()
    half = (FRAME_WIDTH - 6 * mm) / 2
    symptom_rows: list[list] = [["Associated symptom", "Episodes"]]
    symptom_rows += [[label, str(count)] for label, count in report.symptoms]
    trigger_rows: list[list] = [["Suspected trigger", "Episodes"]]
    trigger_rows += [[one_line(t.name), str(t.count)] for t in report.triggers]
    if len(trigger_rows) == 1:
        trigger_rows.append(["None noted", ""])
    left = [
        Paragraph("Associated symptoms", s["h2"]),
        data_table(symptom_rows, [half - 20 * mm, 20 * mm], numeric_from=1),
    ]
    right = [
        Paragraph("Suspected triggers", s["h2"]),
        data_table(trigger_rows, [half - 20 * mm, 20 * mm], numeric_from=1),
    ]
    outer = Table([[left, right]], colWidths=[half + 6 * mm, half], hAlign="LEFT")
    outer.setStyle(
        TableStyle(
            [
                # Layout tables hold Paragraphs, but ReportLab sets each cell's font anyway.
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return outer


def function_check_section(report: Report) -> list:
    s = styles()
    check = report.check
    heading = Paragraph("Function check: new or worse since the previous check", s["h2"])
    if check is None:
        return [heading, Paragraph("No function check recorded in this period.", s["muted"])]
    intro = f"Latest check in the period: {fmt_date(check.date)}."
    body: list = [heading, Paragraph(intro, s["small"])]
    if not report.changes:
        body.append(Paragraph("Nothing was marked new or worse.", s["base"]))
    for task, note in report.changes:
        text = f"<b>{escape(task)}</b>"
        if note:
            text += f": {markup(note)}"
        body.append(Paragraph(text, s["bullet"], bulletText="•"))
    # A note written against a "no" is still something the person wanted the doctor to read.
    for task, note in check.other_notes:
        text = f"<b>{escape(task)}</b> (not marked new or worse): {markup(note)}"
        body.append(Paragraph(text, s["bullet"], bulletText="•"))
    if check.note:
        body.append(
            Paragraph(f"<b>Also noted:</b> {markup(check.note)}", s["bullet"], bulletText="•")
        )
    return body


def facts_section(report: Report) -> list:
    s = styles()
    if not report.facts:
        return []
    body: list = [Paragraph("Worth mentioning to your doctor", s["h2"])]
    body += [Paragraph(markup(fact.text), s["bullet"], bulletText="•") for fact in report.facts]
    return body


def notes_section(report: Report) -> list:
    s = styles()
    filled = [
        (APPOINTMENT_NOTES[field], text) for field, text in report.notes.items() if text.strip()
    ]
    if not filled:
        return []
    body: list = [Paragraph("Appointment notes (written by the patient)", s["h2"])]
    for label, text in filled:
        body.append(
            Paragraph(f"<b>{label}:</b> {markup(text.strip())}", s["bullet"], bulletText="•")
        )
    return body


def appendix(report: Report) -> list:
    """The pages after the summary: weeks, episodes with notes, optionally the whole log."""
    if report.is_empty:
        return []  # page 1 already says there is nothing; no empty tables after it
    s = styles()
    zone = report.period.zone
    where = Paragraph(
        f"Dates and times are in {zone.key}, the patient's time zone. Weeks start on Monday.",
        s["muted"],
    )
    story: list = [PageBreak(), Paragraph("Week by week", s["h1"]), where, Spacer(0, 3)]
    story.append(weeks_table(report))
    story += [CondPageBreak(40 * mm), Paragraph("Episodes with notes", s["h1"])]
    if report.episodes_with_notes:
        story.append(notes_table(report.episodes_with_notes, zone))
    else:
        story.append(Paragraph("No episode in this period has a note.", s["base"]))
    if report.log is not None:
        story += [
            PageBreak(),
            Paragraph(f"Full episode log ({plural(len(report.log), 'episode')})", s["h1"]),
            *log_tables(report.log, zone),
        ]
    return story


def weeks_table(report: Report) -> Table:
    rows: list[list] = [
        ["Week of", "Episodes", "Days", "Minutes", "Body areas", "Regions", "Median\nstrength"]
    ]
    for week in report.weekly:
        if not week.logging:
            rows.append([fmt_date(week.start), "not logging yet", "", "", "", "", ""])
            continue
        rows.append(
            [
                fmt_date(week.start),
                str(week.episodes),
                str(week.days),
                fmt_number(week.minutes),
                fmt_number(_count(week.areas)),
                fmt_number(_count(week.regions)),
                fmt_number(week.median_intensity),
            ]
        )
    widths = [30 * mm] + [(FRAME_WIDTH - 30 * mm) / 6] * 6
    return data_table(rows, widths, numeric_from=1)


def _count(value) -> int:
    return value if isinstance(value, int) else len(value)


def _when(entry: Entry, zone: ZoneInfo) -> str:
    local = entry.started_at.astimezone(zone)
    return f"{local.day} {local:%b %Y} {local:%H:%M}"


def notes_table(episodes: list[Entry], zone: ZoneInfo) -> Table:
    widths = [30 * mm, 45 * mm, FRAME_WIDTH - 75 * mm]
    rows: list[list] = [["When", "Body sites", "Note (as written)"]]
    for episode in episodes:
        rows.append(
            [
                _when(episode, zone),
                wrap(", ".join(episode.sites), widths[1] - 6),
                cell_text(episode.notes, widths[2] - 6),
            ]
        )
    return data_table(rows, widths)


def log_tables(episodes: list[Entry], zone: ZoneInfo) -> list:
    """The full log in page-sized tables, each repeating its header when it flows over."""
    widths = [29.5 * mm, 19.5 * mm, 30 * mm, 16.5 * mm, 26 * mm, 22 * mm, None]
    note_width = FRAME_WIDTH - sum(widths[:-1]) - 6
    header = ["When", "Duration", "Body sites", "Strength", "Triggers", "Symptoms", "Note"]
    rows = []
    for episode in episodes:
        rows.append(
            [
                _when(episode, zone),
                duration_words(episode.duration),
                wrap(", ".join(episode.sites), widths[2] - 6),
                f"{episode.intensity}/5" if episode.intensity else "",
                wrap(", ".join(one_line(name) for name in episode.triggers), widths[4] - 6),
                wrap(", ".join(episode.symptoms), widths[5] - 6),
                wrap(one_line(episode.notes, LOG_NOTE_CHARS), note_width),
            ]
        )
    return [
        data_table([header, *rows[i : i + LOG_CHUNK_ROWS]], widths)
        for i in range(0, len(rows), LOG_CHUNK_ROWS)
    ]
