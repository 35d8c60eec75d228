"""
Functions the PDF renderer tests run inside a renderer process (tests/test_pdf_renderers.py).
Like diary/lib/typst_compile.py they import neither Django nor the app: a spawned renderer
imports this module by name. Each returns (result, peak RSS in bytes), as the pool expects.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

MB = 1024 * 1024


def whoami() -> tuple[dict, int]:
    """This process: its pid, its parent's and the command line it was started with."""
    command = Path(f"/proc/{os.getpid()}/cmdline").read_bytes().replace(b"\0", b" ")
    return {"pid": os.getpid(), "ppid": os.getppid(), "command": command.decode()}, MB


def grown(megabytes: int) -> tuple[int, int]:
    """Says it has grown to `megabytes` (the pool retires a renderer past its limit)."""
    return os.getpid(), megabytes * MB


def sleep(seconds: float) -> tuple[int, int]:
    time.sleep(seconds)
    return os.getpid(), MB


def die(*args, **kwargs) -> tuple[bytes, int]:
    """A renderer killed while it works (out of memory, an operator's kill -9)."""
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("unreachable")


def mark(directory: str) -> None:
    """What a renderer runs as it starts (prepare_each): a file named by its pid."""
    (Path(directory) / str(os.getpid())).touch()


def ready() -> tuple[None, int]:
    return None, MB
