"""The browser tests' live server leaves the test's database connection to the test."""

import threading

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import DatabaseError, connections

from tests.live_server import SharedConnectionsServer

pytestmark = pytest.mark.django_db


def close_from_a_request_thread(server_class) -> list[Exception]:
    """
    A request thread that ends after the test stopped sharing its connection: a keep-alive
    socket the browser closed at teardown. What closing its connections raised, if anything.
    """
    shared = connections["default"]
    shared.inc_thread_sharing()
    server = server_class.__new__(server_class)  # no socket needed to close connections
    server.connections_override = {"default": shared}
    ready, raised = threading.Event(), []

    def request_thread() -> None:
        connections["default"] = shared
        ready.wait()
        try:
            server._close_connections()
        except Exception as error:
            raised.append(error)

    thread = threading.Thread(target=request_thread)
    thread.start()
    shared.dec_thread_sharing()  # the test's teardown
    ready.set()
    thread.join()
    return raised


def test_djangos_own_server_closes_the_tests_connection_from_its_thread():
    """The failure this guards against, shown with Django's own server class."""
    [error] = close_from_a_request_thread(ThreadedWSGIServer)
    assert isinstance(error, DatabaseError)
    assert "can only be used in that same thread" in str(error)


def test_request_threads_leave_the_tests_connection_alone():
    assert close_from_a_request_thread(SharedConnectionsServer) == []
