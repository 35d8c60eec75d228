"""
Typst compiling for a process of its own: what a PDF renderer process runs (the pool that
starts them is diary/report/renderers.py). It imports nothing from `diary` and not Django, so
a renderer holds only Python, the typst package, the fonts and the documents it compiled; a
web process imports it only to name the function, and never loads Typst.

One compiler per (template, fonts) is kept between documents, so the fonts and the parsed
template stay warm. Its caches grow with every distinct document (the typst package never
trims them), which is why the pool recycles a renderer after a number of documents or once it
has grown past a size: `compile_pdf` returns the process's peak RSS with each PDF.

Linux only, as the app's servers: `ru_maxrss` is in KiB there.
"""

from __future__ import annotations

import resource
import signal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typst

_compilers: dict[tuple[str, str], typst.Compiler] = {}


class CompileError(RuntimeError):
    """Typst refused the document (a bug in the template or its data, never in the input)."""


def compile_pdf(
    template: str,
    font_dir: str,
    inputs: dict[str, str],
    *,
    standards: list[str],
    timestamp: int,
    time_limit: int,
) -> tuple[bytes, int]:
    """
    The PDF of `template` with `inputs` as sys.inputs, in the fonts of `font_dir` only, and
    this process's peak RSS in bytes.

    A compile that takes over `time_limit` seconds ends this process (SIGALRM, whose default
    action the kernel carries out even while Typst holds the thread): a document that would
    never finish cannot keep a renderer, and the pool sees a renderer that died.
    """
    # Imported here: the web process imports this module to name the function, and never needs
    # Typst itself (its library alone is ~7 MB of a worker's memory).
    import typst

    compiler = load_compiler(template, font_dir)
    signal.alarm(max(1, time_limit))
    try:
        pdf = compiler.compile(
            format="pdf", sys_inputs=inputs, pdf_standards=standards, timestamp=timestamp
        )
    except typst.TypstError as error:
        # Typst's own error type does not survive the trip back to the web process (pickle).
        raise CompileError(getattr(error, "diagnostic", "") or str(error)) from None
    finally:
        signal.alarm(0)
    return pdf, peak_rss()


def load_compiler(template: str, font_dir: str) -> typst.Compiler:
    """The compiler of `template` in the fonts of `font_dir`, loaded once a process: what
    each renderer runs as it starts (diary/report/pdfs.py), and the first document if not."""
    import typst

    key = (template, font_dir)
    compiler = _compilers.get(key)
    if compiler is None:
        # Only the fonts in font_dir: neither the system's nor those built into Typst.
        fonts = typst.Fonts(
            include_system_fonts=False, include_embedded_fonts=False, font_paths=[font_dir]
        )
        compiler = typst.Compiler(template, root=str(Path(template).parent), font_paths=fonts)
        _compilers[key] = compiler
    return compiler


def ready() -> tuple[None, int]:
    """Nothing: a document that makes the pool start a renderer (RendererPool.start)."""
    return None, peak_rss()


def peak_rss() -> int:
    """This process's peak resident memory so far, in bytes."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
