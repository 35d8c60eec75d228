"""
The PDF renderers: Typst runs in processes of its own, never in a web process.

Why: the typst package keeps what every document compiled in a cache it never trims, so a web
worker that compiled PDFs itself grew by megabytes (a 12-week summary) to hundreds of megabytes
(a full log) a document and never gave them back. Here a web worker builds the document's data
(the queries and the text: cheap) and a renderer only compiles it (diary/lib/typst_compile.py).

- Spawned, never forked: a forked copy of a process that has used Typst can hang on a lock
  its threads held. Spawned children start a fresh interpreter and import only what they run.
- Started with the web worker (wsgi.py: settings.PDF_RENDERERS_AT_START), or else on its
  first PDF, shared by the threads of a web worker, at most
  settings.PDF_RENDERERS processes per web worker (twice that for a moment while a retired
  one finishes its last document).
- Recycled: a renderer ends after settings.PDF_RENDERER_DOCUMENTS documents, and one whose
  memory grew past settings.PDF_RENDERER_MAX_MB is retired after the document that did it;
  a fresh one replaces it. Each renderer loads the compiler, the fonts and the template as it
  starts (pdfs.py: prepare_each), and between documents they stay warm.
- A compile that takes over settings.PDF_RENDER_TIMEOUT seconds ends its renderer; a renderer
  that dies (killed, out of memory, timed out) raises RenderFailed for the documents it had,
  which the views answer with a calm page and a way to try again. A renderer that died
  between documents is replaced without anyone noticing.
- Shut down with the web process (atexit), waiting for nothing.

A web process that forks after using the pool (gunicorn --preload would) starts a pool of its
own in the child: processes belong to the process that spawned them.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from django.conf import settings

MB = 1024 * 1024


class RenderFailed(RuntimeError):
    """The renderer died or ran out of time; nothing was made, nothing changed."""


class RendererPool:
    """
    Processes that run `fn(*args) -> (result, peak_rss_bytes)` for the threads of this
    process. Settings are read when the first document arrives.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._owner = 0  # the pid that started the executor
        # What each new renderer runs before its first document: (function, arguments).
        self._prepare: tuple[Callable[..., object], tuple] | None = None

    # --- settings, read on use so tests and `override_settings` see their values ---

    @property
    def processes(self) -> int:
        return max(1, settings.PDF_RENDERERS)

    @property
    def timeout(self) -> int:
        return settings.PDF_RENDER_TIMEOUT

    @property
    def max_rss(self) -> int:
        return settings.PDF_RENDERER_MAX_MB * MB

    # --- starting ---

    def prepare_each(self, fn: Callable[..., object], /, *args) -> None:
        """Have each renderer started from now on run fn(*args) before its first document."""
        self._prepare = (fn, args)

    def start(self, ready: Callable[[], tuple[None, int]]) -> None:
        """
        Start the renderers now, in the background (each runs `ready`, which does nothing,
        after what prepare_each named): the first PDF then finds one waiting instead of
        waiting ~1 s of a core for a new process, Typst and the fonts.
        """
        executor = self._current()
        for _ in range(self.processes):
            executor.submit(ready)

    # --- running a document ---

    def run[T](self, fn: Callable[..., tuple[T, int]], /, *args, **kwargs) -> T:
        """
        fn(*args, **kwargs) in a renderer; its result. Raises RenderFailed when the renderer
        died or no answer came within the timeout (waiting for a free renderer included).
        Exceptions fn raises come back as they are.
        """
        executor, future = self._submit(fn, *args, **kwargs)
        try:
            result, peak = future.result(timeout=self.timeout)
        except TimeoutError:
            # Still queued: it never starts. Running: its renderer ends itself at its limit.
            future.cancel()
            raise RenderFailed("no renderer answered in time") from None
        except BrokenProcessPool:
            self._retire(executor)
            raise RenderFailed("the renderer stopped") from None
        if peak > self.max_rss:
            self._retire(executor)
        return result

    def _submit(self, fn, /, *args, **kwargs) -> tuple[ProcessPoolExecutor, Future]:
        for _ in range(2):
            executor = self._current()
            try:
                return executor, executor.submit(fn, *args, **kwargs)
            except (BrokenProcessPool, RuntimeError):
                # Broken before this document (a renderer died between documents) or retired
                # by another thread a moment ago: a fresh one takes it.
                self._retire(executor)
        raise RenderFailed("no renderer could be started")

    def _current(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None or self._owner != os.getpid():
                fn, args = self._prepare or (None, ())
                self._executor = ProcessPoolExecutor(
                    max_workers=self.processes,
                    mp_context=multiprocessing.get_context("spawn"),
                    max_tasks_per_child=settings.PDF_RENDERER_DOCUMENTS,
                    initializer=fn,
                    initargs=args,
                )
                self._owner = os.getpid()
            return self._executor

    def _retire(self, executor: ProcessPoolExecutor) -> None:
        """New documents go to a fresh executor; this one finishes what it has, then ends."""
        with self._lock:
            if self._executor is executor:
                self._executor = None
        executor.shutdown(wait=False)

    def shutdown(self) -> None:
        """End the renderers (at exit): queued documents are dropped, running ones finish."""
        with self._lock:
            executor, self._executor = self._executor, None
            owned = self._owner == os.getpid()
        if executor is not None and owned:
            executor.shutdown(wait=True, cancel_futures=True)


pool = RendererPool()
atexit.register(pool.shutdown)
