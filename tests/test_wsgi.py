"""The WSGI entry point: a worker has every view loaded, and its PDF renderer starting, before
its first request."""

import os
import subprocess
import sys

import pytest


def test_loading_the_app_loads_every_view():
    probe = (
        "import sys, twitchlog.wsgi; "
        "print('diary.views.trends' in sys.modules, 'scipy.stats' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.split() == ["True", "True"]


@pytest.mark.parametrize(("at_start", "started"), [("1", "True"), ("0", "False")])
def test_loading_the_app_starts_the_pdf_renderer_unless_told_not_to(at_start, started):
    probe = (
        "import twitchlog.wsgi; from diary.report.renderers import pool; "
        "print(pool._executor is not None)"
    )
    env = {**os.environ, "PDF_RENDERERS_AT_START": at_start}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env=env,
    )
    assert result.stdout.split() == [started]
