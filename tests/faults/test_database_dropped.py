"""PostgreSQL drops the connection of a request: the person gets the friendly error page (JSON for
the API), never a traceback; nothing of the half-done work stays; the next request works.

The portal runs in a single-threaded WSGI server in a thread, like one gunicorn sync worker: one
persistent database connection (``CONN_MAX_AGE``) serves request after request. The connection
is terminated from another one with ``pg_terminate_backend`` — inside a submission, right after
the appeal's row is written (so a half-written appeal would show), or between two requests, as a
PostgreSQL restart does to every idle connection of every worker.
"""

import http.client
import json
import re
import threading
from contextlib import contextmanager
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections
from rest_framework.authtoken.models import Token

from enterprises.models import Appeal, AppealCounter, AppealEvent
from enterprises.services import appeals as appeal_services
from portal.models import Notification
from tests.factories import category
from tests.faults.conftest import TRANSACTIONAL

pytestmark = [pytest.mark.services, TRANSACTIONAL]

TITLE = "园区道路破损影响货车通行"
CONTENT = "园区主干道多处塌陷，大型货车无法通行，请协调住建部门尽快修复。"


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class PortalServer:
    """The portal's WSGI application served by one thread, on 127.0.0.1."""

    def __init__(self):
        django = WSGIHandler()

        def application(environ, start_response):
            if environ["PATH_INFO"] == "/__backend_pid__":  # which connection the thread holds
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    pid = str(cursor.fetchone()[0]).encode()
                start_response("200 OK", [("Content-Type", "text/plain")])
                return [pid]
            return django(environ, start_response)

        self.httpd = make_server("127.0.0.1", 0, application, WSGIServer, QuietHandler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self):
        try:
            self.httpd.serve_forever(poll_interval=0.05)
        finally:
            connections.close_all()  # this thread's connection, so the test database can go

    def call(self, method, path, *, headers=None, data=None, form=None):
        headers = dict(headers or {})
        body = None
        if data is not None:
            body = json.dumps(data).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            from urllib.parse import urlencode

            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()


@pytest.fixture
def portal_server(postgres, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    server = PortalServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.thread.join(10)
    server.httpd.server_close()


def terminate(pid: int) -> bool:
    """``pg_terminate_backend`` from a connection of its own; waits until the backend is gone."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            return cursor.fetchone()[0]
    finally:
        other.close()


@contextmanager
def connection_dropped_after_the_appeal_is_written():
    """While ``appeal_submit`` runs, just after it has inserted the appeal and its first event
    (in the request's transaction), the request's own connection is terminated."""
    dropped: list[bool] = []
    original = appeal_services.repeat_candidates_record

    def drop_then_go_on(appeal):
        with connection.cursor() as cursor:  # the request's connection (the server's thread)
            cursor.execute("SELECT pg_backend_pid()")
            dropped.append(terminate(cursor.fetchone()[0]))
        return original(appeal)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(appeal_services, "repeat_candidates_record", drop_then_go_on)
        yield dropped


def nothing_written():
    return (
        not Appeal.objects.exists()
        and not AppealEvent.objects.exists()
        and not AppealCounter.objects.filter(last__gt=0).exists()
        and not Notification.objects.exists()
    )


def test_api_submission_whose_connection_is_dropped(
    reference_data, portal_server, entrepreneur, dispatcher
):
    token = Token.objects.create(user=entrepreneur).key
    submission = {
        "title": TITLE,
        "content": CONTENT,
        "category": category().pk,
        "enterprise": entrepreneur.enterprise.pk,
    }
    auth = {"Authorization": f"Token {token}"}
    with connection_dropped_after_the_appeal_is_written() as dropped:
        status, headers, body = portal_server.call(
            "POST", "/api/v1/appeals/", headers=auth, data=submission
        )
    assert dropped == [True]
    assert status == 500
    assert headers["Content-Type"] == "application/json"
    assert set(json.loads(body)) == {"detail", "code"}
    assert b"Traceback" not in body and b"psycopg" not in body
    assert nothing_written()

    # The next request works, on a new connection; the number that was not used is used now.
    status, _, body = portal_server.call("POST", "/api/v1/appeals/", headers=auth, data=submission)
    assert status == 201, body
    created = json.loads(body)
    assert created["number"].endswith("-000001")
    assert Appeal.objects.get().pk == created["id"]


def test_form_submission_whose_connection_is_dropped(
    client, reference_data, portal_server, entrepreneur, dispatcher
):
    client.force_login(entrepreneur)
    cookies = {"sessionid": client.cookies["sessionid"].value}
    status, headers, page = portal_server.call(
        "GET", "/appeals/new/", headers={"Cookie": f"sessionid={cookies['sessionid']}"}
    )
    assert status == 200
    cookies["csrftoken"] = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    form = {
        "csrfmiddlewaretoken": token,
        "enterprise": entrepreneur.enterprise.pk,
        "category": category().pk,
        "title": TITLE,
        "content": CONTENT,
    }
    with connection_dropped_after_the_appeal_is_written() as dropped:
        status, headers, body = portal_server.call(
            "POST", "/appeals/new/", headers={"Cookie": cookie}, form=form
        )
    assert dropped == [True]
    assert status == 500
    assert headers["Content-Type"].startswith("text/html")
    assert b'class="error-code">500<' in body
    assert b"Traceback" not in body and b"psycopg" not in body
    assert nothing_written()

    status, headers, _ = portal_server.call(
        "POST", "/appeals/new/", headers={"Cookie": cookie}, form=form
    )
    assert status == 302
    appeal = Appeal.objects.get()
    assert headers["Location"] == f"/appeals/{appeal.pk}/"
    assert appeal.number.endswith("-000001")


def test_a_connection_dropped_between_requests_is_replaced_unnoticed(
    client, reference_data, portal_server, dispatcher
):
    """What a PostgreSQL restart does to each worker's idle persistent connection."""
    client.force_login(dispatcher)
    cookie = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    assert portal_server.call("GET", "/appeals/", headers=cookie)[0] == 200
    pid = int(portal_server.call("GET", "/__backend_pid__")[2])
    assert terminate(pid)

    status, _, body = portal_server.call("GET", "/appeals/", headers=cookie)
    assert status == 200, body[:300]
    assert int(portal_server.call("GET", "/__backend_pid__")[2]) != pid
