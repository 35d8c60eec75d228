"""The browser tests' live server leaves the test's database connection to the test."""

import threading
import time

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import DatabaseError, connections

from tests.live_server import SharedConnectionsServer, one_at_a_time

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


def busy_app(inside: list[int], most: list[int]):
    """A WSGI app that notes how many of its calls, and of its chunks, run at the same moment."""

    def enter() -> None:
        inside.append(1)
        most.append(len(inside))
        time.sleep(0.01)
        inside.pop()

    def chunks():
        for _ in range(3):
            enter()
            yield b"x"

    def app(environ, start_response):
        enter()
        start_response("200 OK", [])
        return chunks()

    return app


def run_in_threads(app, count: int = 8) -> list[bytes]:
    bodies: list[bytes] = []

    def one() -> None:
        body = app({}, lambda status, headers: None)
        bodies.append(b"".join(body))
        if hasattr(body, "close"):
            body.close()

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return bodies


def test_requests_on_the_shared_connection_take_turns():
    """Calls and streamed chunks never overlap; without the lock they do (the same app bare)."""
    inside, most = [], []
    bodies = run_in_threads(one_at_a_time(busy_app(inside, most), threading.Lock()))
    assert bodies == [b"xxx"] * 8
    assert max(most) == 1
    inside, most = [], []
    run_in_threads(busy_app(inside, most))
    assert max(most) > 1
