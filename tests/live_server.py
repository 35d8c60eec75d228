"""
The live server's request threads and the test's database connection.

Browser tests run against pytest-django's live server, whose request threads use the test's own
database connection (handed over as `connections_override`; the test database is in memory).

- One request at a time uses it. A sqlite3 connection is not safe for two threads at once: a
  service worker installing (a dozen requests in parallel) got rows of another request's query
  ("get() returned more than one Profile") or "bad parameter or other API misuse", answered
  500, and the worker never installed. Each request's application call, and each chunk of a
  streamed answer (an export reads its rows as it streams), runs under one lock; a slow client
  reading a file blocks nobody.
- Django's server closes every connection of a request thread when its request ends. For a
  keep-alive socket that the browser closes only when its context is torn down, that can happen
  after the test has stopped sharing its connection; closing it from the request thread then
  raises ("DatabaseWrapper objects created in a thread can only be used in that same thread"),
  an error at teardown in one run of a few. The shared connection is the test's to close: the
  request threads close only connections of their own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator

from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections


class SharedConnectionsServer(ThreadedWSGIServer):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.database_lock = threading.Lock()

    def set_app(self, application: Callable) -> None:
        super().set_app(one_at_a_time(application, self.database_lock))

    def _close_connections(self) -> None:
        shared = {id(connection) for connection in (self.connections_override or {}).values()}
        for connection in connections.all(initialized_only=True):
            if id(connection) not in shared:
                connection.close()


def one_at_a_time(application: Callable, lock: threading.Lock) -> Callable:
    """`application`, run and each chunk of its answer made under `lock`."""

    def serialized(environ, start_response) -> Iterable[bytes]:
        with lock:
            result = application(environ, start_response)
        return LockedChunks(result, lock)

    return serialized


class LockedChunks:
    """An answer's body whose chunks are made (and which is closed) one at a time under `lock`."""

    def __init__(self, result: Iterable[bytes], lock: threading.Lock) -> None:
        self.result = result
        self.chunks: Iterator[bytes] = iter(result)
        self.lock = lock

    def __iter__(self) -> LockedChunks:
        return self

    def __next__(self) -> bytes:
        with self.lock:
            return next(self.chunks)

    def close(self) -> None:
        close = getattr(self.result, "close", None)
        if close is not None:
            with self.lock:
                close()
