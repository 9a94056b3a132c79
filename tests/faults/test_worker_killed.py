"""A Celery worker killed (SIGKILL) in the middle of a delivery: after a new worker starts and the
dead one's lease runs out, the robot gets the post once more, completed, and only once.

The worker is a real ``celery -A config worker`` process on a private redis-server and the test
database; its lease on a delivery is 3 s (``tests/faults/worker_settings.py``) instead of five
minutes. The robot stand-in holds the first post open without answering, so the worker is killed
while it waits inside ``channels.send``, with the delivery claimed and its attempt counted.
"""

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone

from config.celery import app as celery_app
from portal.models import Delivery
from portal.services import deliveries_requeue, notify
from portal.tasks import deliver
from tests.factories import DepartmentFactory
from tests.faults.conftest import TRANSACTIONAL, wait_for
from tests.redis_server import use_broker

pytestmark = [pytest.mark.services, TRANSACTIONAL]

BASE_DIR = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 3


class HoldingRobot:
    """A DingTalk robot stand-in on 127.0.0.1 that holds its first post open, unanswered, until
    ``release`` is set; every later post is answered at once and counted as completed."""

    def __init__(self):
        self.arrived = threading.Event()
        self.release = threading.Event()
        self.held: list[dict] = []
        self.completed: list[dict] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if not robot.arrived.is_set():
                    robot.held.append(body)
                    robot.arrived.set()
                    robot.release.wait(60)
                    return  # never answered: the sender is dead by now
                data = b'{"errcode": 0, "errmsg": "ok"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()
                robot.completed.append(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/robot/send?access_token=t"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


class Worker:
    """``celery -A config worker`` in its own process group, its output in a file."""

    def __init__(self, name: str, env: dict[str, str], log: Path):
        self.name, self.env, self.log = name, env, log
        self.process: subprocess.Popen | None = None

    def start(self) -> "Worker":
        celery = Path(sys.executable).with_name("celery")
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    str(celery),
                    "-A",
                    "config",
                    "worker",
                    "--pool=solo",
                    "--loglevel=INFO",
                    "--without-heartbeat",
                    "--without-gossip",
                    "--without-mingle",
                    "-n",
                    f"{self.name}@%h",
                ],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def kill(self) -> int:
        os.killpg(self.process.pid, signal.SIGKILL)
        return self.process.wait(10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # warm shutdown
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def worker_environment(redis_url: str) -> dict[str, str]:
    """The test database and the private Redis, with the short lease; a robot may take a minute
    to answer, so that it is the kill, not the timeout, that ends the first attempt."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    address = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{credentials}@{address}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings",
        "TEST_DELIVERY_LEASE_SECONDS": str(LEASE_SECONDS),
        "DELIVERY_WEBHOOK_TIMEOUT": "60",
        "PYTHONPATH": str(BASE_DIR),
    }


def test_a_worker_killed_while_sending_delivers_once_after_restart(
    postgres, reference_data, private_redis, tmp_path
):
    robot = HoldingRobot()
    department = DepartmentFactory(webhook_kind="dingtalk", webhook_url=robot.url)
    env = worker_environment(private_redis.url)
    first = Worker("first", env, tmp_path / "first.log")
    second = Worker("second", env, tmp_path / "second.log")
    try:
        with use_broker(celery_app, private_redis.url):
            first.start()
            with transaction.atomic():  # handed to the broker when this commits
                notify(
                    recipients=[],
                    kind="tests.test",
                    title="诉求QH-测试已交办",
                    webhook_departments=[department],
                )
            (delivery,) = Delivery.objects.all()
            assert robot.arrived.wait(60), first.output()

            delivery.refresh_from_db()
            assert (delivery.status, delivery.attempts) == (Delivery.Status.SENDING, 1)
            assert first.kill() == -signal.SIGKILL  # in the middle of the post
            robot.release.set()

            second.start()
            # Beat's catch-up (every minute) finds nothing while the dead worker's lease holds,
            # then hands the delivery to the new worker.
            if timezone.now() < delivery.claimed_until - dt.timedelta(seconds=1):
                assert deliveries_requeue() == 0
            assert wait_for(lambda: deliveries_requeue() == 1, timeout=LEASE_SECONDS + 10)
            assert wait_for(
                lambda: Delivery.objects.filter(pk=delivery.pk, status="sent").exists(), timeout=60
            ), second.output()

            # The catch-up again and a redelivered message: nothing more goes out. A last post,
            # sent after them, shows when the worker got through them.
            assert deliveries_requeue() == 0
            deliver.delay([delivery.pk])
            notify(
                recipients=[], kind="tests.test", title="最后一条", webhook_departments=[department]
            )
            assert wait_for(lambda: len(robot.completed) == 2, timeout=30), second.output()
    finally:
        first.stop()
        second.stop()
        robot.stop()

    posts = [json.dumps(body, ensure_ascii=False) for body in robot.completed]
    assert len(robot.held) == 1 and "诉求QH-测试已交办" in json.dumps(
        robot.held, ensure_ascii=False
    )
    assert ["诉求QH-测试已交办" in post for post in posts] == [True, False]
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 2  # the killed attempt counts
    assert delivery.last_error == ""
