"""
Giving memory back to the system after a large response, and building a large one without
the cyclic garbage collector's pauses. Imports nothing from `diary`.

glibc's malloc keeps what a process freed for its next allocations, in every thread's arena,
so a web worker that once built a large document (a year's PDF layout, its JSON) keeps that
much resident for good, although Python freed it. `release_freed_memory()` asks glibc to hand
the free pages back (malloc_trim); elsewhere than glibc it does nothing.

Building a year's PDF data makes a hundred thousand small objects (rows, words, the layout's
lists), none of them in a reference cycle: they are freed by their reference counts. Python's
cyclic collector still counts them and, every few thousand, walks what the process holds: in a
web worker, tens of milliseconds a document, and now and then a full collection of 150 ms.
`collector_paused()` holds the collector off while such data is built; it runs again after,
when the building's objects have mostly been freed.

Python's own allocator returns a 1 MB arena only once nothing in it is left. After a request
that built hundreds of thousands of objects, what stays scattered among them keeps arenas
resident: `forget_cached_names()` lets go of the attribute names CPython's method cache still
holds from that request (names made as it ran, such as an f-string given to getattr).
"""

from __future__ import annotations

import ctypes
import gc
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
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


_paused = threading.Lock()
_pausing = {"depth": 0, "was_enabled": False}


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection in this process while the block runs (threads may nest)."""
    with _paused:
        if _pausing["depth"] == 0:
            _pausing["was_enabled"] = gc.isenabled()
            gc.disable()
        _pausing["depth"] += 1
    try:
        yield
    finally:
        with _paused:
            _pausing["depth"] -= 1
            if _pausing["depth"] == 0 and _pausing["was_enabled"]:
                gc.enable()


def forget_cached_names() -> None:
    """
    Empty CPython's method cache (type attribute look-ups), which keeps a reference to the
    last name looked up in each of its slots; it fills again at the next look-ups.
    """
    clear = getattr(sys, "_clear_internal_caches", None) or getattr(sys, "_clear_type_cache", None)
    if clear is not None:
        clear()
