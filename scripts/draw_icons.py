"""
Draw the app icons the web manifest lists (static/img/icon-*.png) from the same shape as
static/img/icon.svg: a calm blue tile with a white trace of a twitch.

Run once after changing the design: `.venv/bin/python scripts/draw_icons.py`. The PNGs are
committed, so neither the app nor the tests need Pillow at run time.
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "static" / "img"
BLUE = (29, 95, 168, 255)  # --accent in app.css, light theme
WHITE = (255, 255, 255, 255)
# The trace of icon.svg, on its 64-unit grid.
TRACE = [(8, 34), (20, 34), (25, 20), (33, 46), (39, 28), (43, 34), (56, 34)]
SUPERSAMPLE = 4  # draw large, then shrink: smooth edges without an anti-aliasing library


def draw(size: int, *, maskable: bool) -> Image.Image:
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        # Launchers crop maskable icons to their own shape: fill the whole square and keep the
        # trace inside the central safe zone (a circle of 80% of the width).
        pen.rectangle((0, 0, big, big), fill=BLUE)
        scale, offset = big * 0.62 / 64, big * 0.19
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 14 / 64, fill=BLUE)
        scale, offset = big / 64, 0
    points = [(offset + x * scale, offset + y * scale) for x, y in TRACE]
    width = round(5 * scale)
    pen.line(points, fill=WHITE, width=width, joint="curve")
    for x, y in (points[0], points[-1]):  # round line caps
        pen.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    for name, size, maskable in [
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("icon-maskable-512.png", 512, True),
    ]:
        draw(size, maskable=maskable).save(OUT / name, optimize=True)
        print(f"wrote {OUT / name}")


if __name__ == "__main__":
    main()
