"""diary/lib/memory.py: the cyclic collector held off while large data is built."""

from __future__ import annotations

import gc
import threading

from diary.lib.memory import collector_paused, release_freed_memory


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
