"""diary/lib/memory.py: the cyclic collector held off while large data is built, and memory
given back after a large request."""

from __future__ import annotations

import gc
import sys
import threading

from diary.lib.memory import collector_paused, forget_cached_names, release_freed_memory


def test_collector_paused_holds_the_collector_off_and_restores_it():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested, as two threads' documents may be
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collector_paused_restores_it_after_an_error_and_leaves_it_off_if_it_was():
    try:
        with collector_paused():
            raise ValueError
    except ValueError:
        pass
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_collector_paused_in_threads_ends_with_the_last_one():
    inside, leave = threading.Barrier(2), threading.Event()

    def build() -> None:
        with collector_paused():
            inside.wait()
            leave.wait()

    worker = threading.Thread(target=build)
    worker.start()
    with collector_paused():
        inside.wait()
    assert not gc.isenabled()  # the other thread is still building
    leave.set()
    worker.join()
    assert gc.isenabled()


def test_release_freed_memory_runs():
    release_freed_memory()


def test_forget_cached_names_lets_go_of_a_name_looked_up():
    class Thing:
        pass

    name = "".join(["not_", "an_attribute"])  # made as the code runs, as an f-string is
    getattr(Thing, name, None)
    held = sys.getrefcount(name)
    forget_cached_names()
    assert sys.getrefcount(name) < held
    assert getattr(Thing, name, "looked up again") == "looked up again"
