"""Giving memory back after a large request (diary/lib/memory.py)."""

import sys

from diary.lib.memory import forget_cached_names


def test_forget_cached_names_lets_go_of_a_name_looked_up():
    class Thing:
        pass

    name = "".join(["not_", "an_attribute"])  # made as the code runs, as an f-string is
    getattr(Thing, name, None)
    held = sys.getrefcount(name)
    forget_cached_names()
    assert sys.getrefcount(name) < held
    assert getattr(Thing, name, "looked up again") == "looked up again"
