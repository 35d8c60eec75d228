"""
Renders the doctor summary with Typst (the `typst` package: the Typst compiler, no system
libraries) from templates/diary/pdf/report.typ and the blocks the builders made. The web
process turns the blocks into JSON; a renderer process compiles it (diary/report/renderers.py
says why and how), so the web process never holds Typst's memory.

The output is one file that is both PDF/A-3b (archival: every font embedded and subset, sRGB
output intent, XMP metadata with the pdfaid part) and PDF/UA-1 (tagged: a structure tree with
headings, tables with header cells, lists, a figure with alternative text; the document
language and title). Typst checks both standards while it writes and refuses to produce a
file that breaks them, so a render either conforms or raises.

Only the bundled fonts are used (system fonts are ignored), so the PDF looks the same on
every machine.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
from django.conf import settings

from diary.lib.typst_compile import compile_pdf, load_compiler, ready
from diary.report.blocks import LAYOUT
from diary.report.renderers import pool
from diary.report.text import EMOJI_RANGES, FONT_DIR, unmarked

TEMPLATE = Path(settings.BASE_DIR) / "templates" / "diary" / "pdf" / "report.typ"
STANDARDS = ["a-3b", "ua-1"]

# A renderer loads the compiler as it starts, not with its first document.
pool.prepare_each(load_compiler, str(TEMPLATE), str(FONT_DIR))


def start_renderers() -> None:
    """Start this process's renderers now (a web worker loading the app), in the background."""
    pool.start(ready)


def render(document: dict, *, created: datetime | None = None) -> bytes:
    """
    The PDF for `document` ({"meta": …, "blocks": […]}). `created` is the creation date in
    the metadata (now, unless given: the example PDF in docs/ uses a fixed one). Raises
    renderers.RenderFailed when the renderer died or ran out of time.
    """
    created = (created or datetime.now(UTC)).astimezone(UTC)
    meta = {
        **document["meta"],
        # Metadata is plain text: no layout turns language marks into languages there.
        **{key: unmarked(document["meta"][key]) for key in ("title", "author", "subject")},
        # What the layout must agree on with the builders: its measures, the emoji font's range.
        "layout": LAYOUT,
        "emoji": EMOJI_RANGES,
        "created": [
            created.year,
            created.month,
            created.day,
            created.hour,
            created.minute,
            created.second,
        ],
    }
    # orjson: a year's layout data is 250 KB of JSON, written ten times faster than by json.
    data = orjson.dumps({**document, "meta": meta}).decode()
    return pool.run(
        compile_pdf,
        str(TEMPLATE),
        str(FONT_DIR),
        {"report": data},
        standards=STANDARDS,
        timestamp=int(created.timestamp()),
        time_limit=pool.timeout,
    )
