"""
Giving memory back to the system after a large response. Imports nothing from `diary`.

glibc's malloc keeps what a process freed for its next allocations, in every thread's arena,
so a web worker that once built a large document (a year's PDF layout, its JSON) keeps that
much resident for good, although Python freed it. `release_freed_memory()` asks glibc to hand
the free pages back (malloc_trim); elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
from functools import cache


@cache
def _malloc_trim():
    """glibc's malloc_trim, from the C library this process already has (None elsewhere)."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None


def release_freed_memory() -> None:
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
