"""The WSGI entry point: a worker has every view loaded before its first request."""

import subprocess
import sys


def test_loading_the_app_loads_every_view():
    probe = (
        "import sys, twitchlog.wsgi; "
        "print('diary.views.trends' in sys.modules, 'scipy.stats' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.split() == ["True", "True"]
