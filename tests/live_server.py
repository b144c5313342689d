"""pytest-django's live server (the browser tests, schemathesis) answering kept-alive connections at once.

The server sends a response's headers and its body in two writes. On a connection kept alive, Nagle's
algorithm holds the body back until the client has acknowledged the headers, and the client delays that
acknowledgement (40 ms on Linux): most of a request's time, for thousands of schemathesis requests and
every page Chromium loads. TCP_NODELAY on each accepted connection sends the body at once; the pages and
their answers are the same.
"""

import socket

from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread


class NoDelayWSGIServer(ThreadedWSGIServer):
    def get_request(self):
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


def answer_kept_alive_connections_at_once() -> None:
    """Every live server of the test process (pytest-django starts one per session) on NoDelayWSGIServer."""
    LiveServerThread.server_class = NoDelayWSGIServer
