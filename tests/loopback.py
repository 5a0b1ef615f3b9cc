"""What the loopback stand-ins for remote APIs share: a threaded HTTP server on 127.0.0.1
and the writing of one answer."""

from __future__ import annotations

import http.server
import threading
from typing import Any


class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, status: int, headers: dict[str, str], data: bytes) -> None:
        """One answer; ``headers`` may set Content-Type and Content-Length (a test may lie)."""
        self.send_response(status)
        length = headers.pop("Content-Length", str(len(data)))
        for key, value in {"Content-Type": "application/json", **headers}.items():
            self.send_header(key, value)
        self.send_header("Content-Length", length)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


class Server:
    """``handler`` served on a free loopback port from a daemon thread while entered."""

    def __init__(self, handler: type[Handler]) -> None:
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
