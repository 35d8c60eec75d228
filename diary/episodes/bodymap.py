"""
The body map of the Log and edit forms: a front and a back figure, and closer views of the face,
the hands and the feet, as inline SVG.

Drawn on the server so the page does not move when scripts arrive, and built once per process
and language: it depends only on the fixed site catalogue and the words drawn on it
(static/js/body-figure.js marks what is chosen).

Units are CSS pixels on a 390 px phone (the two figures share the width at a scale of ~0.98), so
every area is at least 46 units in both directions: >= 44 px there (tests/browser check it).
Both figures put the person's left on the screen's left: the front as in a mirror, the back as
seen from behind, in a right-to-left language too (the map is drawn left to right whatever the
page's direction: left and right are the body's). Head, hands and feet are too small for their
parts: they open a closer view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from diary.models import catalogue_by_region

FIGURE_WIDTH, FIGURE_HEIGHT = 192, 442


@dataclass(frozen=True)
class Area:
    """One tappable shape: a site (`code`) or an opener of a closer view (`detail`)."""

    shape: str  # an SVG element's name and geometry, e.g. 'rect x="1" y="2" width="46" ...'
    code: str = ""
    detail: str = ""
    label: object = ""  # a word drawn on it, for recognition; the accessible name is the site's
    label_at: tuple[float, float] | None = None


def rect(x: float, y: float, w: float, h: float, r: float = 12) -> str:
    return f'rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{r}"'


def mirror(area: Area, width: float) -> Area:
    """The same area on the other side: x mirrored about the middle, -left becomes -right."""
    kind, _, rest = area.shape.partition(" ")
    attrs = dict(part.split("=") for part in rest.split())
    x = float(attrs["x"].strip('"'))
    w = float(attrs["width"].strip('"'))
    attrs["x"] = f'"{width - x - w:g}"'
    shape = kind + " " + " ".join(f"{k}={v}" for k, v in attrs.items())
    label_at = (width - area.label_at[0], area.label_at[1]) if area.label_at else None
    return Area(
        shape,
        area.code.replace("-left", "-right"),
        area.detail.replace("-left", "-right"),
        area.label,
        label_at,
    )


def paired(*areas: Area, width: float = FIGURE_WIDTH) -> list[Area]:
    """Left-side areas and their right-side mirror images."""
    return [*areas, *(mirror(a, width) for a in areas)]


# Columns: left arm 1-47, left half of the trunk and left leg 49-95, right 97-143, right arm
# 145-191. Rows follow a body: head, neck, trunk, legs; arms beside them.
ARMS = paired(
    Area(rect(1, 98, 46, 46, 22), "shoulder-left"),
    Area(rect(1, 146, 46, 66, 18), "upper-arm-left"),
    Area(rect(1, 214, 46, 60, 18), "forearm-left"),
    Area(
        rect(1, 276, 46, 48, 22),
        detail="hand-left",
        label=pgettext_lazy("a word drawn on the body map", "hand"),
        label_at=(24, 304),
    ),
)
HEAD = [
    Area(
        'circle cx="96" cy="45" r="27"',
        detail="face",
        label=pgettext_lazy("a word drawn on the body map", "face"),
        label_at=(96, 58),
    ),
    Area(rect(73, 74, 46, 46, 14), "neck"),
]
FRONT = [
    *HEAD,
    *ARMS,
    *paired(
        Area(rect(49, 122, 46, 66, 14), "chest-left"),
        Area(rect(49, 190, 46, 58, 14), "abdomen-left"),
        Area(rect(49, 250, 46, 80, 18), "thigh-left"),
        Area(rect(49, 332, 46, 60, 18), "shin-left"),
        Area(
            rect(49, 394, 46, 46, 22),
            detail="foot-left",
            label=pgettext_lazy("a word drawn on the body map", "foot"),
            label_at=(72, 421),
        ),
    ),
]
BACK = [
    *HEAD,
    *ARMS,
    *paired(
        Area(rect(49, 122, 46, 66, 14), "upper-back-left"),
        Area(rect(49, 190, 46, 58, 14), "lower-back-left"),
        Area(rect(49, 250, 46, 46, 20), "buttock-left"),
        Area(rect(49, 298, 46, 46, 18), "thigh-left"),
        Area(rect(49, 346, 46, 46, 18), "calf-left"),
        Area(
            rect(49, 394, 46, 46, 22),
            detail="foot-left",
            label=pgettext_lazy("a word drawn on the body map", "foot"),
            label_at=(72, 421),
        ),
    ),
]
# Words across the middle of each pair (one word for both halves), and on the arms.
FRONT_WORDS = [
    (96, 159, pgettext_lazy("a word drawn on the body map", "chest")),
    (96, 223, pgettext_lazy("a word drawn on the body map", "abdomen")),
    (96, 294, pgettext_lazy("a word drawn on the body map", "thigh")),
    (96, 366, pgettext_lazy("a word drawn on the body map", "shin")),
]
BACK_WORDS = [
    (96, 152, pgettext_lazy("the first line of 'upper back' on the body map", "upper")),
    (96, 166, pgettext_lazy("the second line of 'upper back' on the body map", "back")),
    (96, 215, pgettext_lazy("the first line of 'lower back' on the body map", "lower")),
    (96, 229, pgettext_lazy("the second line of 'lower back' on the body map", "back")),
    (96, 277, pgettext_lazy("a word drawn on the body map", "buttock")),
    (96, 325, pgettext_lazy("a word drawn on the body map", "thigh")),
    (96, 373, pgettext_lazy("a word drawn on the body map", "calf")),
]
ARM_WORDS = [
    (24, 183, pgettext_lazy("a word drawn on the body map", "arm")),
    (168, 183, pgettext_lazy("a word drawn on the body map", "arm")),
]
# One body behind the areas: the seams between them read as joints, not as gaps.
SILHOUETTE = (
    '<g class="bm-body" aria-hidden="true">'
    '<circle cx="96" cy="45" r="29"/>'
    '<rect x="71" y="66" width="50" height="60" rx="14"/>'
    '<rect x="0" y="96" width="192" height="54" rx="26"/>'
    '<rect x="48.5" y="120" width="95" height="216" rx="16"/>'
    '<rect x="0" y="120" width="47.5" height="206" rx="22"/>'
    '<rect x="144.5" y="120" width="47.5" height="206" rx="22"/>'
    '<rect x="48.5" y="300" width="47" height="142" rx="22"/>'
    '<rect x="96.5" y="300" width="47" height="142" rx="22"/>'
    "</g>"
)

# The closer views, each 320 units wide, drawn at their full size.
DETAIL_WIDTH = 320
DETAILS: dict[str, tuple[str, int, list[Area], str]] = {
    # key: (title, height, areas, decoration)
    "face": (
        pgettext_lazy("closer view of the body map", "Face and head"),
        360,
        [
            *paired(
                Area(
                    rect(58, 92, 94, 50, 18),
                    "eyelid-left",
                    label=pgettext_lazy("a word drawn on the body map", "eyelid"),
                    label_at=(105, 136),
                ),
                Area(
                    rect(46, 150, 68, 80, 18),
                    "face-left",
                    label=pgettext_lazy("a word drawn on the body map", "face"),
                    label_at=(80, 196),
                ),
                Area(
                    rect(60, 236, 64, 52, 18),
                    "jaw-left",
                    label=pgettext_lazy("a word drawn on the body map", "jaw"),
                    label_at=(92, 267),
                ),
                width=DETAIL_WIDTH,
            ),
            Area(
                rect(122, 176, 76, 48, 22),
                "lips",
                label=pgettext_lazy("a word drawn on the body map", "lips"),
                label_at=(160, 205),
            ),
            Area(
                rect(130, 228, 60, 48, 22),
                "tongue",
                label=pgettext_lazy("a word drawn on the body map", "tongue"),
                label_at=(160, 257),
            ),
            Area(
                rect(110, 298, 100, 54, 16),
                "throat",
                label=pgettext_lazy("a word drawn on the body map", "throat"),
                label_at=(160, 330),
            ),
        ],
        '<ellipse class="bm-skin" cx="160" cy="166" rx="122" ry="146"/>'
        '<rect class="bm-skin" x="104" y="286" width="112" height="74" rx="10"/>'
        '<path class="bm-line" d="M160 146c-2 9-6 15-11 19 4 2 9 2 13 0"/>'
        '<ellipse class="bm-line" cx="105" cy="112" rx="20" ry="8"/>'
        '<ellipse class="bm-line" cx="215" cy="112" rx="20" ry="8"/>'
        '<text class="bm-side" x="2" y="14">{left}</text>'
        '<text class="bm-side bm-side-end" x="318" y="14">{right}</text>',
    ),
    "hand-left": (
        pgettext_lazy("closer view of the body map", "Left hand"),
        300,
        [
            Area(
                rect(70, 16, 160, 130, 24),
                "fingers-left",
                label=pgettext_lazy("a word drawn on the body map", "fingers"),
                label_at=(150, 96),
            ),
            Area(
                rect(70, 152, 160, 130, 32),
                "hand-left",
                label=pgettext_lazy("a word drawn on the body map", "hand"),
                label_at=(150, 222),
            ),
            Area(
                rect(236, 142, 66, 104, 30),
                "thumb-left",
                label=pgettext_lazy("a word drawn on the body map", "thumb"),
                label_at=(269, 199),
            ),
        ],
        '<path class="bm-line" d="M110 24v110M150 24v110M190 24v110"/>',
    ),
    "foot-left": (
        pgettext_lazy("closer view of the body map", "Left foot"),
        300,
        [
            Area(
                rect(70, 14, 180, 66, 30),
                "toes-left",
                label=pgettext_lazy("a word drawn on the body map", "toes"),
                label_at=(160, 53),
            ),
            Area(
                rect(70, 86, 180, 200, 60),
                "foot-left",
                label=pgettext_lazy("a word drawn on the body map", "foot"),
                label_at=(160, 190),
            ),
        ],
        '<path class="bm-line" d="M106 22v50M142 22v50M178 22v50M214 22v50"/>',
    ),
}
# What each opener leads to, for its "n chosen" count, and the closer view's title.
OPENER_NAMES = {
    "face": pgettext_lazy("closer view of the body map", "Face and head"),
    "hand-left": pgettext_lazy("closer view of the body map", "Left hand"),
    "hand-right": pgettext_lazy("closer view of the body map", "Right hand"),
    "foot-left": pgettext_lazy("closer view of the body map", "Left foot"),
    "foot-right": pgettext_lazy("closer view of the body map", "Right foot"),
}
for _key in ("hand-left", "foot-left"):
    _title, _height, _areas, _decor = DETAILS[_key]
    _mirrored = [mirror(a, DETAIL_WIDTH) for a in _areas]
    # The decoration is symmetric about the middle apart from the thumb, which is an area.
    _right = _key.replace("-left", "-right")
    DETAILS[_right] = (OPENER_NAMES[_right], _height, _mirrored, _decor)


def site_names() -> dict[str, str]:
    return {code: name for _, sites in catalogue_by_region() for code, name in sites}


def render_area(area: Area, names: dict[str, str], first: bool) -> SafeString:
    tabindex = "0" if first else "-1"
    kind, _, geometry = area.shape.partition(" ")
    if area.code:
        element = format_html(
            '<{} class="bm-area" {} role="button" tabindex="{}" aria-label="{}" '
            'aria-pressed="false" data-site="{}"/>',
            kind,
            mark_safe(geometry),
            tabindex,
            names[area.code],
            area.code,
        )
    else:
        element = format_html(
            '<{} class="bm-area bm-opener" {} role="button" tabindex="{}" aria-label="{}" '
            'aria-expanded="false" aria-controls="bm-detail-{}" data-detail="{}" '
            'data-name="{}"/>',
            kind,
            mark_safe(geometry),
            tabindex,
            opener_label(area.detail, 0),
            area.detail,
            area.detail,
            OPENER_NAMES[area.detail],
        )
    if area.label and area.label_at:
        element += word(*area.label_at, area.label)
    return element


def opener_label(detail: str, chosen: int) -> str:
    """The opener's accessible name; body-figure.js keeps the count up to date the same way."""
    name = str(OPENER_NAMES[detail])
    if chosen:
        return ngettext(
            "%(name)s, %(count)d chosen: show closer",
            "%(name)s, %(count)d chosen: show closer",
            chosen,
        ) % {"name": name, "count": chosen}
    return _("%(name)s: show closer") % {"name": name}


def word(x: float, y: float, text: str) -> SafeString:
    return format_html(
        '<text class="bm-word" x="{}" y="{}" aria-hidden="true">{}</text>', f"{x:g}", f"{y:g}", text
    )


def figure_svg(
    view: str, group_label: str, areas: list[Area], words: list, names: dict[str, str], first: bool
) -> SafeString:
    body = mark_safe("".join(render_area(a, names, first and i == 0) for i, a in enumerate(areas)))
    words_svg = format_html_join(
        "", '<text class="bm-word" x="{}" y="{}" aria-hidden="true">{}</text>', words
    )
    return format_html(
        '<div class="bm-view">'
        '<svg viewBox="0 -18 {} {}" role="group" aria-label="{}" focusable="false">'
        '<text class="bm-side" x="2" y="-4" aria-hidden="true">{}</text>'
        '<text class="bm-view-title" x="96" y="-4" aria-hidden="true">{}</text>'
        '<text class="bm-side bm-side-end" x="190" y="-4" aria-hidden="true">{}</text>'
        "{}{}{}</svg></div>",
        FIGURE_WIDTH,
        FIGURE_HEIGHT + 18,
        group_label,
        pgettext("the person's left, on the body map", "Left"),
        view,
        pgettext("the person's right, on the body map", "Right"),
        mark_safe(SILHOUETTE),
        body,
        words_svg,
    )


def detail_panel(key: str, names: dict[str, str]) -> SafeString:
    title, height, areas, decoration = DETAILS[key]
    decoration = decoration.format(
        left=pgettext("the person's left, on the body map", "Left"),
        right=pgettext("the person's right, on the body map", "Right"),
    )
    body = mark_safe("".join(render_area(a, names, i == 0) for i, a in enumerate(areas)))
    # Skin under the areas; lines and words over them (they let taps through: CSS).
    parts = re.findall(r"<[^>]*/>|<text[^>]*>[^<]*</text>", decoration)
    under = "".join(part for part in parts if "bm-skin" in part)
    over = "".join(part for part in parts if "bm-skin" not in part)
    return format_html(
        '<div class="bm-detail" id="bm-detail-{0}" data-detail-panel="{0}" data-roving hidden>'
        '<div class="bm-detail-bar"><h2 class="bm-detail-title" id="bm-detail-{0}-title" '
        'tabindex="-1">{1}</h2><button type="button" class="button button-small" '
        "data-detail-close>{7}</button></div>"
        '<svg viewBox="0 0 {2} {3}" role="group" aria-labelledby="bm-detail-{0}-title" '
        'focusable="false">'
        '<g aria-hidden="true">{4}</g>{5}<g aria-hidden="true">{6}</g></svg></div>',
        key,
        title,
        DETAIL_WIDTH,
        height,
        mark_safe(under),
        body,
        mark_safe(over),
        _("Back to the whole body"),
    )


@cache
def _body_map(language: str) -> SafeString:
    names = site_names()
    views = format_html(
        '<div class="bm-views" data-roving>{}{}</div>',
        figure_svg(
            pgettext("the front of the body, on the body map", "Front"),
            _("Front of the body"),
            FRONT,
            FRONT_WORDS + ARM_WORDS,
            names,
            True,
        ),
        figure_svg(
            pgettext("the back of the body, on the body map", "Back"),
            _("Back of the body"),
            BACK,
            BACK_WORDS + ARM_WORDS,
            names,
            False,
        ),
    )
    details = mark_safe("".join(detail_panel(key, names) for key in DETAILS))
    return format_html(
        '<div class="body-map js-only" data-body-figure>{}{}<p class="hint bm-hint">{}</p></div>',
        views,
        details,
        _(
            "Your left is on the left in both views. "
            "Tap the head, a hand or a foot for a closer view."
        ),
    )


def body_map() -> SafeString:
    """The whole map, built once per process and language (after the catalogue migration)."""
    if not site_names():  # pragma: no cover - only before migrations
        return SafeString("")
    return _body_map(translation.get_language() or "")


def drawn_sites() -> set[str]:
    """Every site code reachable on the map (the figures and the closer views)."""
    areas = [*FRONT, *BACK, *(a for _, _, areas, _ in DETAILS.values() for a in areas)]
    return {a.code for a in areas if a.code}
