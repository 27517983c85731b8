"""A service's streamed answer (an export) goes on through the gateway as it comes (issue 24): its first bytes
reach the caller before the service has sent its last, and an export that keeps sending outlasts the proxy's
timeout, which is per read."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from gateway.adapters.proxy import ServiceConnections

PIECES = 6
GAP_S = 0.3  # between two pieces: under the proxy's timeout below, all of them together well over it
TIMEOUT_S = 0.8


class _Exporter(BaseHTTPRequestHandler):
    """Sends a chunked body: one piece, then waits until the test has seen it, then the rest a gap apart."""
    protocol_version = "HTTP/1.1"
    first_seen = threading.Event()

    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.path.endswith("/sized"):
            self.send_response(200)
            self.send_header("Content-Length", "5")
            self.end_headers()
            self.wfile.write(b"sized")
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for n in range(PIECES):
            if n == 1 and self.path.endswith("/stalls"):
                time.sleep(2 * TIMEOUT_S)
                return
            if n == 1:
                self.first_seen.wait(10)
            if n > 1:
                time.sleep(GAP_S)
            piece = f"piece {n};".encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

    def log_message(self, *args):
        pass


@pytest.fixture
def exporter():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Exporter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Exporter.first_seen.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    _Exporter.first_seen.set()
    server.shutdown()
    server.server_close()


def test_a_streamed_answer_is_handed_on_as_it_comes(gateway, exporter):
    gateway.app.services["grading"] = ServiceConnections(exporter, TIMEOUT_S)
    began = time.monotonic()
    response = gateway.client.get("/api/grading/cycles/x/report.xlsx", buffered=False)
    assert response.status_code == 200 and "Content-Length" not in response.headers
    body = iter(response.response)
    first = next(body)
    assert first == b"piece 0;"  # while the service still waits to send the rest
    _Exporter.first_seen.set()
    rest = b"".join(body)
    response.close()
    assert first + rest == b"".join(f"piece {n};".encode() for n in range(PIECES))
    assert time.monotonic() - began > TIMEOUT_S  # longer than the proxy's timeout, never cut off


def test_an_answer_with_a_length_is_read_whole_on_a_kept_connection(gateway, exporter):
    gateway.app.services["grading"] = pool = ServiceConnections(exporter, TIMEOUT_S)
    response = gateway.client.get("/api/grading/cycles/x/sized")
    assert (response.data, response.headers["Content-Length"]) == (b"sized", "5")
    kept = pool.get()
    assert gateway.client.get("/api/grading/cycles/x/sized").data == b"sized" and pool.get() is kept


def test_a_streamed_answer_that_stops_coming_breaks_off(gateway, exporter):
    # its start is sent: the caller's download fails rather than ending as if it were whole
    gateway.app.services["grading"] = pool = ServiceConnections(exporter, TIMEOUT_S)
    response = gateway.client.get("/api/grading/cycles/x/stalls", buffered=False)
    body = iter(response.response)
    assert next(body) == b"piece 0;"
    with pytest.raises(TimeoutError):
        next(body)
    response.close()
    assert getattr(pool._local, "conn", None) is None  # the connection was this answer's alone, and is gone
