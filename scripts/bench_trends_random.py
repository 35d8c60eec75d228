"""
The trends page on a denser random diary: 50,000 episodes over five years on uniformly random
days and hours, each at 1-3 of all the body sites, a trigger on 60 %
(diary.demo.generate_uniform_episodes). Every day's summary then holds many more sites and
hours than the demo's story gives. Measured and judged as in bench_trends.py.
"""

from __future__ import annotations

from bench_trends import EPISODES, WEEKS_OF_DATA, measure
from benchlib import Context, Row

from diary.demo import generate_uniform_episodes

TITLE = "Trends page on a denser random diary"


def run(ctx: Context) -> list[Row]:
    user = ctx.user("trends-random")
    written = generate_uniform_episodes(user, count=EPISODES, weeks=WEEKS_OF_DATA, seed=5)
    return measure(ctx, user, f"{written:,} random episodes")
