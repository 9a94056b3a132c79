"""The machinery of the access matrix: walking the URL resolver, asking as someone, reading what a
response shows (HTML, JSON, Excel, files) and judging it against an expectation."""

import io
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DENIED = frozenset({403, 404})
NOT_SERVED = frozenset({403, 404, 405})  # a method a route does not take
# A form or action posted empty by someone allowed: shown again with errors, done, refused for
# the moment, or sent elsewhere; anything but "not yours" or a crash.
POST_OK = frozenset({200, 201, 204, 302, 400, 409})


@dataclass(frozen=True)
class Route:
    """What a route promises to each person (see ``expected``).

    ``get`` / ``post``: the people for whom that method is served (``None``: the route does not
    take it); ``kind``: the kind of object whose ids fill the URL, judged by its ``seen_by``;
    ``ok``: the status an allowed person gets per method (GET 200, POST any of ``POST_OK``
    unless said); ``public``: anonymous people are people here too.
    """

    get: frozenset | None = None
    post: frozenset | None = None
    kind: str | None = None
    public: bool = False
    api: bool = False
    query: dict = field(default_factory=dict)
    ok: dict = field(default_factory=dict)
    why: str = ""


@dataclass(frozen=True)
class Case:
    route: str
    method: str
    person: str
    obj: str
    url: str
    expected: frozenset
    status: int = 0
    problem: str = ""

    def __str__(self) -> str:
        return (
            f"{self.method} {self.url} ({self.route}) as {self.person}, {self.obj}: "
            f"{self.status}, expected {sorted(self.expected)}{' — ' + self.problem if self.problem else ''}"
        )


def walk(patterns=None, prefix: str = "", namespace: str = ""):
    """Every URL pattern of the project: (route name or None, pattern text, pattern)."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield name, prefix + str(entry.pattern), entry


def url_parameters(pattern) -> set[str]:
    regex = pattern.pattern.regex
    return set(regex.groupindex)


def expected(route: Route, method: str, person: str, seen_by) -> frozenset:
    """The statuses that keep the promise of ``route`` to ``person`` for one object."""
    if person == "anonymous" and not route.public:
        return frozenset({401}) if route.api else frozenset({302})
    allowed = route.get if method == "GET" else route.post if method == "POST" else None
    if allowed is None:
        return NOT_SERVED
    if seen_by is not None and person not in seen_by:
        # Out of scope: the API says 404 (CONTRACT.md); pages may say 403 or 404.
        return frozenset({404}) if route.api else DENIED
    if person not in allowed:
        return DENIED
    if method in route.ok:
        return frozenset(route.ok[method])
    return frozenset({200}) if method == "GET" else POST_OK


class Asker:
    """Asks as each person: a signed-in session per person for pages, a token for the API.

    Every request runs in a savepoint that is rolled back, so a POST that does something (an
    empty "sign", a "mark all read") leaves the world as it was for the next case.
    """

    def __init__(self, people: dict):
        from rest_framework.authtoken.models import Token

        self.sessions = {}
        self.tokens = {}
        for name, user in people.items():
            client = Client()
            client.force_login(user)
            self.sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
            self.tokens[name] = Token.objects.get_or_create(user=user)[0].key

    def ask(self, person: str, method: str, url: str, *, api: bool, query: dict | None = None):
        client = Client()
        headers = {}
        if person != "anonymous":
            if api:
                headers["Authorization"] = f"Token {self.tokens[person]}"
            else:
                client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[person]
        with transaction.atomic():
            if method == "GET":
                response = client.get(url, query or {}, headers=headers)
            elif api:
                response = client.generic(
                    method, url, b"{}", content_type="application/json", headers=headers
                )
            else:
                response = client.generic(
                    method,
                    url,
                    b"",
                    content_type="application/x-www-form-urlencoded",
                    headers=headers,
                )
            body = shown_text(response)
            transaction.set_rollback(True)
        return response, body


def shown_text(response) -> str:
    """What a person reads in a response: HTML or JSON text, every cell of an Excel file, the
    bytes of any other file."""
    if response.status_code >= 300:
        return ""
    raw = b"".join(response.streaming_content) if response.streaming else bytes(response.content)
    content_type = response.get("Content-Type", "")
    if content_type.startswith(XLSX):
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(raw), read_only=True)
        cells = []
        for sheet in workbook.worksheets:
            cells.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                cells.extend(str(value) for value in row if value is not None)
        return "\n".join(cells)
    if content_type.startswith(("text/", "application/json", "application/vnd.oai")):
        return raw.decode(response.charset or "utf-8", errors="replace")
    return raw.decode("latin-1")


def judge(case: Case, response, body: str, hidden: list[str], login_url: str) -> Case:
    """The case with its status, and what is wrong with the answer (empty when nothing)."""
    status = response.status_code
    problem = ""
    if status not in case.expected:
        problem = "unexpected status"
    elif status == 302 and case.expected == frozenset({302}) and case.person == "anonymous":
        location = response["Location"]
        if not (location.startswith(login_url) or location.startswith("/admin/login/")):
            problem = f"redirected to {location}, not to the login page"
    if not problem and body:
        leaked = [marker for marker in hidden if marker in body]
        if leaked:
            problem = f"shows what is not theirs: {', '.join(leaked)}"
    return Case(**{**case.__dict__, "status": status, "problem": problem})
