"""
The live server's request threads and the test's database connection.

Browser tests run against pytest-django's live server, whose request threads use the test's own
database connection (handed over as `connections_override`; the test database is in memory).
Django's server closes every connection of a request thread when its request ends. For a
keep-alive socket that the browser closes only when its context is torn down, that can happen
after the test has stopped sharing its connection; closing it from the request thread then
raises ("DatabaseWrapper objects created in a thread can only be used in that same thread"),
an error at teardown in one run of a few. The shared connection is the test's to close: the
request threads close only connections of their own.
"""

from __future__ import annotations

from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections


class SharedConnectionsServer(ThreadedWSGIServer):
    def _close_connections(self) -> None:
        shared = {id(connection) for connection in (self.connections_override or {}).values()}
        for connection in connections.all(initialized_only=True):
            if id(connection) not in shared:
                connection.close()
