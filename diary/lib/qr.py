"""
QR codes as SVG (vector, sharp at any size): the one on page 1 of a PDF made from a share link,
which the Typst layout embeds as an image with alternative text, and the one that links an
authenticator app on the two-step login set-up page.
"""

from __future__ import annotations

import io

import segno


def qr_svg(url: str) -> str:
    """The link as a QR code, SVG text; error correction M survives a crease or a smudge."""
    code = segno.make_qr(url, error="m")
    out = io.BytesIO()
    # No XML declaration or title: Typst reads a bare <svg>; the alt text comes from the PDF.
    code.save(out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, nl=False)
    return out.getvalue().decode("ascii")
