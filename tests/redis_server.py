"""A private ``redis-server`` for tests that need a broker they can stop and start.

It listens on a free loopback port with its files in a temporary directory, keeps nothing on
disk, and fights no other suite for a database number. ``use_broker`` points the Celery app at
it for the length of a ``with`` block and puts everything back after.

    server = RedisServer(tmp_path)
    server.start()
    with use_broker(celery_app, server.url):
        server.stop()   # the broker is down
        server.start()  # and back, on the same port
    server.stop()
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_server_binary() -> str | None:
    return shutil.which("redis-server")


class RedisServer:
    """One redis-server process on 127.0.0.1, started and stopped as often as a test likes."""

    def __init__(self, directory: Path, port: int | None = None):
        self.binary = redis_server_binary()
        if self.binary is None:
            raise FileNotFoundError("redis-server is not installed")
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def ping(self, timeout: float = 0.5) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self, timeout: float = 10.0) -> RedisServer:
        if self.running:
            return self
        log = self.directory / "redis.log"
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.directory),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--logfile",
                str(log),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited: {log.read_text(errors='replace')[-500:]}")
            if self.ping():
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not answer on port {self.port} within {timeout} s")

    def stop(self, timeout: float = 10.0) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        self.process = None
        # The port is free again when nothing answers on it.
        deadline = time.monotonic() + timeout
        while self.ping(timeout=0.1) and time.monotonic() < deadline:
            time.sleep(0.05)

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _reset_pools(app) -> None:
    from kombu import pools

    try:
        if app._pool is not None:
            app._pool.force_close_all()
    finally:
        app._pool = None
        amqp = app.__dict__.get("amqp")
        if amqp is not None:
            amqp._producer_pool = None
        pools.reset()  # kombu's pool groups, keyed by broker address


@contextmanager
def use_broker(app, url: str):
    """Point the Celery ``app`` at ``url`` (broker only; tasks that ignore results need no
    backend) with the portal's Redis transport options, and restore it afterwards."""
    from django.conf import settings

    # The app reads Django's settings under the CELERY_ namespace, and a namespaced key wins
    # over a plain one: set those.
    changes = {
        "CELERY_BROKER_URL": url,
        "CELERY_BROKER_TRANSPORT_OPTIONS": dict(settings.REDIS_BROKER_TRANSPORT_OPTIONS),
        "CELERY_WORKER_ENABLE_REMOTE_CONTROL": False,
    }
    saved = {key: app.conf.get(key) for key in changes}
    _reset_pools(app)
    for key, value in changes.items():
        app.conf[key] = value
    assert app.connection_for_write().as_uri().startswith(url.rsplit("/", 1)[0])
    try:
        yield app
    finally:
        _reset_pools(app)
        for key, value in saved.items():
            app.conf[key] = value
