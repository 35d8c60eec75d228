"""
Renders the doctor summary with Typst (the `typst` package: the Typst compiler, no system
libraries) from templates/diary/pdf/report.typ and the blocks the builders made.

The output is one file that is both PDF/A-3b (archival: every font embedded and subset, sRGB
output intent, XMP metadata with the pdfaid part) and PDF/UA-1 (tagged: a structure tree with
headings, tables with header cells, lists, a figure with alternative text; the document
language and title). Typst checks both standards while it writes and refuses to produce a
file that breaks them, so a render either conforms or raises.

Only the bundled fonts are used (system fonts are ignored), so the PDF looks the same on
every machine.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

import typst
from django.conf import settings

from diary.report.text import FONT_DIR

TEMPLATE = Path(settings.BASE_DIR) / "templates" / "diary" / "pdf" / "report.typ"
STANDARDS = ["a-3b", "ua-1"]

_local = threading.local()


def _compiler() -> typst.Compiler:
    """
    One compiler per thread: it keeps the fonts and the parsed template between renders (the
    first render in a process reads the fonts; later ones reuse them).
    """
    compiler = getattr(_local, "compiler", None)
    if compiler is None:
        compiler = typst.Compiler(
            str(TEMPLATE),
            root=str(TEMPLATE.parent),
            font_paths=[str(FONT_DIR)],
            ignore_system_fonts=True,
        )
        _local.compiler = compiler
    return compiler


def render(document: dict, *, created: datetime | None = None) -> bytes:
    """
    The PDF for `document` ({"meta": …, "blocks": […]}). `created` is the creation date in
    the metadata (now, unless given: the example PDF in docs/ uses a fixed one).
    """
    created = (created or datetime.now(UTC)).astimezone(UTC)
    meta = {
        **document["meta"],
        "created": [
            created.year,
            created.month,
            created.day,
            created.hour,
            created.minute,
            created.second,
        ],
    }
    data = json.dumps({**document, "meta": meta}, ensure_ascii=False)
    return _compiler().compile(
        format="pdf",
        sys_inputs={"report": data},
        pdf_standards=STANDARDS,
        timestamp=int(created.timestamp()),
    )
