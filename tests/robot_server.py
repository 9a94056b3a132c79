"""A stand-in for DingTalk and WeCom robots and for an SMS gateway: a real HTTP server on
127.0.0.1 (port 0) in a thread, which records every POST and answers as the test tells it (a
JSON ``errcode`` or ``code``, an HTTP error, or a reply slower than the sender's timeout)."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Received:
    path: str
    query: dict[str, str]
    raw_query: str
    body: dict
    headers: dict[str, str]


@dataclass
class Reply:
    status: int = 200
    body: dict | str | None = None
    delay: float = 0.0


class RobotServer:
    def __init__(self, default: dict | None = None):
        """``default``: the answer when none is queued (a robot's ``errcode`` 0 unless told)."""
        self.default = default if default is not None else {"errcode": 0, "errmsg": "ok"}
        self.received: list[Received] = []
        self._replies: deque[Reply] = deque()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                parts = urlsplit(self.path)
                try:
                    body = json.loads(raw.decode("utf-8"))
                except ValueError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
                with server._lock:
                    server.received.append(
                        Received(
                            path=parts.path,
                            query={k: v[0] for k, v in parse_qs(parts.query).items()},
                            raw_query=parts.query,
                            body=body,
                            headers=dict(self.headers.items()),
                        )
                    )
                    reply = server._replies.popleft() if server._replies else Reply()
                if reply.delay:
                    time.sleep(reply.delay)
                payload = reply.body if reply.body is not None else server.default
                data = payload if isinstance(payload, str) else json.dumps(payload)
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data.encode())))
                    self.end_headers()
                    self.wfile.write(data.encode())
                except OSError:  # the sender gave up waiting
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str = "/robot/send", token: str = "robot-token") -> str:
        return f"http://127.0.0.1:{self.port}{path}?access_token={token}"

    def reply(self, status: int = 200, body=None, delay: float = 0.0, times: int = 1) -> None:
        """Queue the next ``times`` answers (after them, the default again)."""
        with self._lock:
            self._replies.extend(Reply(status, body, delay) for _ in range(times))

    def start(self) -> RobotServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(5)
