"""The live server of the browser tests and schemathesis sends responses at once (tests/live_server.py)."""

import contextlib
import socket

from django.core.servers.basehttp import WSGIRequestHandler
from django.test.testcases import LiveServerThread

from tests.live_server import NoDelayWSGIServer


def test_the_tests_live_servers_are_the_no_delay_server():
    assert LiveServerThread.server_class is NoDelayWSGIServer


def test_each_accepted_connection_sends_without_waiting_for_the_clients_acknowledgement():
    server = NoDelayWSGIServer(("127.0.0.1", 0), WSGIRequestHandler, allow_reuse_address=False)
    try:
        with socket.create_connection(server.server_address, timeout=5):
            connection, _address = server.get_request()
            with contextlib.closing(connection):
                assert connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        server.server_close()
