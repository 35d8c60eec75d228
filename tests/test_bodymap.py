"""
The body map (diary/episodes/bodymap.py): geometry and markup; the list rows
(diary/episodes/rows.py).
"""

import re
from datetime import timedelta

import pytest

from diary.episodes import bodymap
from diary.episodes.rows import episode_url
from diary.models import BodySite
from tests.factories import EpisodeFactory

pytestmark = pytest.mark.django_db


def boxes(areas):
    """(x, y, width, height) of each area, from its SVG geometry."""
    out = []
    for area in areas:
        attrs = dict(re.findall(r'(\w+)="([\d.]+)"', area.shape))
        if "r" in attrs and "cx" in attrs:
            r = float(attrs["r"])
            out.append((float(attrs["cx"]) - r, float(attrs["cy"]) - r, 2 * r, 2 * r))
        else:
            out.append(tuple(float(attrs[k]) for k in ("x", "y", "width", "height")))
    return out


GROUPS = {
    "front": bodymap.FRONT,
    "back": bodymap.BACK,
    **{key: areas for key, (_, _, areas, _) in bodymap.DETAILS.items()},
}


def test_every_catalogue_site_is_on_the_map():
    assert bodymap.drawn_sites() == set(BodySite.objects.values_list("code", flat=True))


@pytest.mark.parametrize("group", GROUPS)
def test_areas_are_big_enough_and_apart(group):
    """46 units: >= 44 px when the two figures share a 390 px phone (scale ~0.98)."""
    found = boxes(GROUPS[group])
    assert all(w >= 46 and h >= 46 for _, _, w, h in found), found
    for i, (x, y, w, h) in enumerate(found):
        for x2, y2, w2, h2 in found[i + 1 :]:
            assert x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y


def test_left_sites_are_left_of_their_right_twins():
    for areas in (bodymap.FRONT, bodymap.BACK):
        by_code = dict(zip([a.code for a in areas], boxes(areas), strict=True))
        for code, (x, _, w, _) in by_code.items():
            if code.endswith("-left"):
                assert x + w <= by_code[code.replace("-left", "-right")][0]


def test_map_markup_names_every_area_and_starts_with_one_tab_stop_per_group():
    html = str(bodymap.body_map())
    assert html.count('aria-label="Left calf"') == 1
    assert html.count('aria-label="Left thigh"') == 2  # front and back
    assert 'aria-label="Face and head: show closer"' in html
    assert 'aria-controls="bm-detail-hand-right"' in html
    # The two figures are one group; each closer view another.
    assert html.count('tabindex="0"') == 1 + len(bodymap.DETAILS)
    assert html.count('data-detail-panel="') == len(bodymap.DETAILS)
    assert "<script" not in html
    assert "style=" not in html
    assert bodymap.body_map() is bodymap.body_map(), "built once per process"


def test_opener_label_counts_what_is_chosen():
    assert bodymap.opener_label("hand-left", 0) == "Left hand: show closer"
    assert bodymap.opener_label("face", 2) == "Face and head, 2 chosen: show closer"


def test_row_links_and_markup(owner_client, user):
    episode = EpisodeFactory(
        user=user, sites=["calf-left"], triggers=["caffeine"], notes="<b>x</b>", intensity=2,
        duration=timedelta(seconds=75), cramps=True,
    )  # fmt: skip
    html = owner_client.get("/").content.decode()
    row = re.search(rf'<li class="episode" id="episode-{episode.uuid}">.*?</li>', html).group(0)
    assert f'href="{episode_url("episode-edit", episode.uuid)}?next=/"' in row
    assert f'action="/episodes/{episode.uuid}/delete/"' in row
    assert 'name="csrfmiddlewaretoken"' in row
    assert "<span>1 min 15 s</span>" in row
    assert "<span>Strength 2/5</span>" in row
    assert '<span class="tag">Caffeine</span>' in row
    assert '<span class="tag tag-symptom">Cramps</span>' in row
    assert "<b>x</b>" not in row
