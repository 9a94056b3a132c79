"""Fifty people at once for a minute: does the portal hold, and does it lose or double anything?

    make load                                   # or: .venv/bin/python bench/load.py [options]

It serves the portal with gunicorn exactly as docker-compose's ``web`` service does (4 sync
workers, access log on stdout, ``DJANGO_DEBUG=0``), bound to 127.0.0.1 on a free port, on
PostgreSQL (``tongxin_load``: created, migrated and seeded with ``seed_bench --appeals 100000``
the first time) with Redis (the cache, the broker), and runs compose's ``worker`` (4 processes)
and ``beat`` beside it, so that the figures' roll-up and the appeal tally are folded every minute
as in production (it folds them once before it starts). Then:

1. each kind of request alone, ``--cost-calls`` times one after the other, with the CPU it costs
   the gunicorn workers and PostgreSQL (from ``/proc``): what one request costs;
2. the framework's floor: 50 clients ask for ``/bench/floor/``, a view that does nothing, through
   the portal's middleware (``bench/load_urls.py``), for ``--floor-seconds``;
3. the mix, 50 clients (one thread each, requests back to back) for ``--seconds``: entrepreneurs
   submit an appeal (``POST /api/v1/appeals/``) and read their list, in turn; handlers read their
   inbox and sign for or reply to one appeal of it (each handler its own share of its
   department's appeals, so no two clients race for one); the leader loads the dashboard page and
   the figures' API, then reads for ``--leader-pause`` s. Meanwhile it measures who uses the CPU
   (workers, PostgreSQL, this process, the rest of the machine) and samples what busy PostgreSQL
   backends are waiting for.

It prints requests/s and the 50th/95th/99th percentile per kind of request, the errors (any
answer but the expected 200/201, or no answer), the portal's requests/s as a share of the floor's,
and then checks the database: every appeal whose submission answered 201 is there exactly once,
with the id and number the answer gave and one submission event, no other appeal was created,
and the timelines got one event per step answered. Goals (issue 7): no errors, nothing lost or
doubled, ≥ 200 submissions/s, p95 ≤ 300 ms for lists. The exit status is 0 only when all are met.

The database and Redis are the machine's (``--database-url``, ``--redis-url``; Redis db 12 by
default, never 0). The accounts of ``seed_bench`` get a password for the run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[1]
VAR_DIR = BASE_DIR / "var" / "load"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tongxin_load"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"
# The Dockerfile's build-only field key: the load database holds synthetic data only.
FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LXRvbmd4aW4tMzJieXQ="
PASSWORD = "bench-load-password"

GOAL_SUBMISSIONS_PER_S = 200
GOAL_LIST_P95_MS = 300

TOPICS = (
    ("用地指标", "园区二期项目急需新增建设用地指标，请协调自然资源部门加快审批。"),
    ("电力增容", "新生产线投产在即，厂区变压器容量不足，申请办理电力增容并尽快接电。"),
    ("人才公寓", "新引进的研发人员较多，希望解决人才公寓名额和子女入学问题。"),
    ("融资难", "订单增长较快但流动资金紧张，希望协调银行提供低息贷款或续贷支持。"),
    ("物流成本", "原材料运输成本上升，希望开通铁路专用线或给予物流补贴。"),
    ("审批时限", "技改项目环评审批等待时间较长，希望压缩审批时限、并联办理。"),
    ("招工难", "一线操作工缺口较大，希望人社部门组织专场招聘会。"),
    ("排污许可", "扩产后排污许可总量不足，请生态环境部门指导办理变更。"),
)


# --- the environment, the database, the server ---------------------------------------------


def server_environment(args) -> dict[str, str]:
    """The environment of docker-compose's web service, pointed at the load database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.load_settings",
        DJANGO_DEBUG="0",
        SECRET_KEY=f"bench-load-{secrets.token_hex(16)}",
        FIELD_ENCRYPTION_KEY=FIELD_KEY,
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_COOKIES="0",  # plain HTTP on loopback
        STATIC_ROOT=str(VAR_DIR / "static"),
        TONGXIN_VAR_DIR=str(VAR_DIR),
        PYTHONPATH=str(BASE_DIR),
    )
    return env


def ensure_database(url: str) -> None:
    """Create the database named in ``url`` when the server has none of that name."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if name in ("tongxin", "tongxin_seed"):
        sys.exit(f"Refusing to load-test the {name} database: give --database-url another one.")
    admin = urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                print(f"Creating database {name} …", flush=True)
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn as docker-compose's web command, bound to loopback; its output to a log file."""

    def __init__(self, env: dict[str, str], workers: int):
        self.env = env
        self.port = free_port()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.command = [
            str(gunicorn),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
        ]
        self.log = VAR_DIR / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited at start-up; see {self.log}")
            try:
                if request(self.port, "GET", "/bench/floor/").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        sys.exit(f"gunicorn did not answer within {timeout} s; see {self.log}")

    def worker_pids(self) -> list[int]:
        """The master's children: its workers (read from ``/proc``)."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if self.process is not None and ppid == self.process.pid:
                pids.append(int(stat.parent.name))
        return pids

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


class CeleryStack:
    """docker-compose's worker and beat services, on the load run's broker: in production beat
    keeps the figures' roll-up and the appeal tally folded every minute while people work."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        celery = str(Path(sys.executable).with_name("celery"))
        self.commands = {
            "worker": [celery, "-A", "config", "worker", "--loglevel=INFO", "--concurrency=4"],
            "beat": [
                celery,
                "-A",
                "portal",
                "beat",
                "--loglevel=INFO",
                f"--schedule={VAR_DIR / 'celerybeat-schedule'}",
            ],
        }
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self) -> None:
        for name, command in self.commands.items():
            with (VAR_DIR / f"celery-{name}.log").open("wb") as log:
                self.processes[name] = subprocess.Popen(
                    command,
                    cwd=BASE_DIR,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )

    def pids(self) -> list[int]:
        """The worker, its pool processes and beat (read from ``/proc``)."""
        roots = {p.pid for p in self.processes.values() if p.poll() is None}
        pids = set(roots)
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid in roots:
                pids.add(int(stat.parent.name))
        return sorted(pids)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)  # warm shutdown
        for process in self.processes.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = {}


# --- HTTP ----------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    body: bytes
    headers: list[tuple[str, str]]
    seconds: float

    def json(self):
        return json.loads(self.body)

    def cookies(self) -> dict[str, str]:
        found = {}
        for name, value in self.headers:
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                found[key.strip()] = rest.split(";", 1)[0]
        return found


def request(
    port: int,
    method: str,
    path: str,
    *,
    token: str | None = None,
    cookies: dict[str, str] | None = None,
    data: dict | None = None,
    form: dict | None = None,
    timeout: float = 60,
) -> Answer:
    """One request on a new connection (gunicorn's sync workers close each one anyway); the
    time counted is from connecting to the last byte of the answer."""
    headers = {"Accept-Language": "zh-hans"}
    body = None
    if data is not None:
        body = json.dumps(data).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        body = urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if token:
        headers["Authorization"] = f"Token {token}"
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if "csrftoken" in cookies and method != "GET":
            headers["X-CSRFToken"] = cookies["csrftoken"]
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        return Answer(
            response.status, payload, response.getheaders(), time.perf_counter() - started
        )
    finally:
        connection.close()


# --- the people ----------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    status: int  # 0: no answer (connection refused, reset, timed out)
    seconds: float
    ok: bool


@dataclass
class Client:
    port: int
    rng: random.Random
    samples: list[Sample] = field(default_factory=list)
    pause = 0.0  # seconds between two steps (a person reading)

    def call(self, kind: str, method: str, path: str, expect=(200,), **kwargs) -> Answer | None:
        started = time.perf_counter()
        try:
            answer = request(self.port, method, path, **kwargs)
        except (OSError, http.client.HTTPException):
            self.samples.append(Sample(kind, 0, time.perf_counter() - started, False))
            return None
        ok = answer.status in expect
        self.samples.append(Sample(kind, answer.status, answer.seconds, ok))
        return answer if ok else None

    def step(self) -> None:  # pragma: no cover - each kind of person says what it does
        raise NotImplementedError


@dataclass
class Floor(Client):
    def step(self) -> None:
        self.call("floor: trivial view", "GET", "/bench/floor/")


@dataclass
class Entrepreneur(Client):
    token: str = ""
    enterprise: int = 0
    categories: list[int] = field(default_factory=list)
    submitted: list[tuple[int, str]] = field(default_factory=list)

    def step(self) -> None:
        topic, text = self.rng.choice(TOPICS)
        serial = self.rng.randrange(10**6)
        answer = self.call(
            "entrepreneur: submit appeal",
            "POST",
            "/api/v1/appeals/",
            expect=(201,),
            token=self.token,
            data={
                "title": f"关于{topic}的诉求（{serial}）",
                "content": f"{text}编号{serial}，恳请相关部门予以协调解决。",
                "category": self.rng.choice(self.categories),
                "enterprise": self.enterprise,
            },
        )
        if answer is not None:
            created = answer.json()
            self.submitted.append((created["id"], created["number"]))
        self.call("entrepreneur: own list", "GET", "/api/v1/appeals/", token=self.token)


@dataclass
class Handler(Client):
    token: str = ""
    department: int = 0
    share: int = 0  # this client takes the appeals whose id % shares == share
    shares: int = 1
    inbox = "/api/v1/appeals/?status=assigned&status=in_progress&page_size=20"

    def step(self) -> None:
        answer = self.call("handler: inbox", "GET", self.inbox, token=self.token)
        if answer is None:
            return
        mine = [
            row
            for row in answer.json()["results"]
            if row["department"]
            and row["department"]["id"] == self.department
            and row["id"] % self.shares == self.share
        ]
        if not mine:
            return
        row = mine[0]
        if row["status"] == "assigned":
            self.call(
                "handler: sign for", "POST", f"/api/v1/appeals/{row['id']}/sign/", token=self.token
            )
        else:
            self.call(
                "handler: reply",
                "POST",
                f"/api/v1/appeals/{row['id']}/reply/",
                token=self.token,
                data={"content": "经协调，已落实相关事项，具体情况已电话告知企业联系人。"},
            )


@dataclass
class Leader(Client):
    cookies: dict[str, str] = field(default_factory=dict)
    dashboard: str = "/"
    figures: str = ""
    pause: float = 2.0

    def step(self) -> None:
        self.call("leader: dashboard page", "GET", self.dashboard, cookies=self.cookies)
        if self.figures:
            self.call("leader: figures API", "GET", self.figures, cookies=self.cookies)


def run(clients: list[Client], seconds: float) -> float:
    """Every client steps until ``seconds`` have passed (a step under way finishes). Returns
    the wall time from the start until the last client stopped."""
    barrier = threading.Barrier(len(clients) + 1)
    stop_at = [0.0]

    def loop(client: Client) -> None:
        barrier.wait()
        while time.monotonic() < stop_at[0]:
            client.step()
            if client.pause:
                time.sleep(min(client.pause, max(0.0, stop_at[0] - time.monotonic())))

    threads = [threading.Thread(target=loop, args=(c,), daemon=True) for c in clients]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    stop_at[0] = started + seconds
    barrier.wait()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


# --- setting the people up -----------------------------------------------------------------


def choose_people(args):
    """seed_bench's accounts: entrepreneurs of distinct enterprises, two handlers of each of the
    departments with the most open appeals, the leaders. They all get ``PASSWORD``."""
    from django.contrib.auth.hashers import make_password
    from django.db.models import Count

    from enterprises.models import Appeal, Membership, Status
    from portal.models import Role, User

    entrepreneurs = list(
        Membership.objects.filter(
            status=Membership.Status.VERIFIED,
            user__role=Role.ENTREPRENEUR,
            user__is_active=True,
            user__username__startswith="bench-ent-",
        )
        .order_by("user_id")
        .values_list("user__username", "enterprise_id")[: args.entrepreneurs]
    )
    busiest = list(
        Appeal.objects.filter(status__in=[Status.ASSIGNED, Status.IN_PROGRESS])
        .values("lead_department")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("lead_department", flat=True)
    )
    handlers = []  # (username, department id, share, shares)
    per_department = 2
    for department in busiest[: max(1, -(-args.handlers // per_department))]:
        names = list(
            User.objects.filter(
                role=Role.HANDLER, department_id=department, username__startswith="bench-"
            )
            .order_by("username")
            .values_list("username", flat=True)[:per_department]
        )
        for share, name in enumerate(names):
            handlers.append((name, department, share, len(names)))
    handlers = handlers[: args.handlers]
    leaders = list(
        User.objects.filter(role=Role.LEADER, username__startswith="bench-leader-")
        .order_by("username")
        .values_list("username", flat=True)
    )
    leaders = [leaders[k % len(leaders)] for k in range(args.leaders)] if leaders else []
    names = {name for name, _ in entrepreneurs} | {h[0] for h in handlers} | set(leaders)
    User.objects.filter(username__in=names).update(password=make_password(PASSWORD))
    return entrepreneurs, handlers, leaders


def api_token(port: int, username: str) -> str:
    answer = request(
        port, "POST", "/api/v1/auth/token/", data={"username": username, "password": PASSWORD}
    )
    if answer.status != 200:
        sys.exit(f"Could not get a token for {username}: HTTP {answer.status} {answer.body[:200]}")
    return answer.json()["token"]


def browser_login(port: int, username: str) -> dict[str, str]:
    """Sign in through the login form, as a browser does; returns the session's cookies."""
    page = request(port, "GET", "/accounts/login/")
    cookies = page.cookies()
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    if page.status != 200 or match is None or "csrftoken" not in cookies:
        sys.exit(f"The login page did not answer as expected (HTTP {page.status}).")
    answer = request(
        port,
        "POST",
        "/accounts/login/",
        cookies=cookies,
        form={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": match.group(1).decode(),
        },
    )
    cookies.update(answer.cookies())
    if answer.status != 302 or "sessionid" not in cookies:
        sys.exit(f"Could not sign in as {username}: HTTP {answer.status}.")
    return cookies


def make_clients(args, port: int, people) -> list[Client]:
    entrepreneurs, handlers, leaders = people
    rng = random.Random(args.seed)
    tokens: dict[str, str] = {}
    for name in [n for n, _ in entrepreneurs] + [h[0] for h in handlers]:
        if name not in tokens:
            tokens[name] = api_token(port, name)
    some_token = next(iter(tokens.values()))
    categories = [
        row["id"]
        for row in request(port, "GET", "/api/v1/appeal-categories/", token=some_token).json()
    ]
    clients: list[Client] = []
    for name, enterprise in entrepreneurs:
        clients.append(
            Entrepreneur(
                port,
                random.Random(rng.random()),
                token=tokens[name],
                enterprise=enterprise,
                categories=categories,
            )
        )
    for name, department, share, shares in handlers:
        clients.append(
            Handler(
                port,
                random.Random(rng.random()),
                token=tokens[name],
                department=department,
                share=share,
                shares=shares,
            )
        )
    sessions: dict[str, dict] = {}
    for name in leaders:
        if name not in sessions:
            sessions[name] = browser_login(port, name)
        clients.append(
            Leader(
                port,
                random.Random(rng.random()),
                cookies=sessions[name],
                pause=args.leader_pause,
                **leader_pages(port, sessions[name]),
            )
        )
    return clients


def leader_pages(port: int, cookies: dict[str, str]) -> dict[str, str]:
    """The dashboard page and the figures' API, or what stands in for them while they are
    being built (the leader's home page with its panels; no API call)."""
    from django.urls import NoReverseMatch, reverse

    pages = {"dashboard": "/", "figures": ""}
    try:
        dashboard = reverse("appeals:stats")
    except NoReverseMatch:
        dashboard = ""
    if dashboard and request(port, "GET", dashboard, cookies=cookies).status == 200:
        pages["dashboard"] = dashboard
    else:
        print("note: no dashboard page answers yet; the leaders load their home page instead")
    figures = "/api/v1/stats/appeals/?group_by=department"
    if request(port, "GET", figures, cookies=cookies).status == 200:
        pages["figures"] = figures
    else:
        print("note: the figures' API does not answer yet; the leaders skip it")
    return pages


# --- figures -------------------------------------------------------------------------------


def percentile(sorted_values: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least ``share`` of the values at or below it."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(share * len(sorted_values) - 1e-9))
    return sorted_values[rank - 1]


@dataclass
class Figures:
    kind: str
    count: int
    per_second: float
    p50: float
    p95: float
    p99: float
    errors: int
    statuses: Counter


def figures(samples: list[Sample], seconds: float) -> list[Figures]:
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    rows = []
    for kind in sorted(by_kind):
        group = by_kind[kind]
        times = sorted(s.seconds * 1000 for s in group)
        rows.append(
            Figures(
                kind=kind,
                count=len(group),
                per_second=len(group) / seconds,
                p50=percentile(times, 0.50),
                p95=percentile(times, 0.95),
                p99=percentile(times, 0.99),
                errors=sum(not s.ok for s in group),
                statuses=Counter(s.status for s in group if not s.ok),
            )
        )
    return rows


def print_table(rows: list[Figures], seconds: float) -> None:
    header = f"{'request':<30}{'count':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row.kind:<30}{row.count:>8}{row.per_second:>9.1f}{row.p50:>9.1f}{row.p95:>9.1f}"
            f"{row.p99:>9.1f}{row.errors:>8}"
            + (
                "   " + ", ".join(f"HTTP {s or 'none'} ×{n}" for s, n in row.statuses.items())
                if row.errors
                else ""
            )
        )
    total = sum(r.count for r in rows)
    print("-" * len(header))
    print(f"{'all':<30}{total:>8}{total / seconds:>9.1f}{'':>27}{sum(r.errors for r in rows):>8}")


# --- the check -----------------------------------------------------------------------------


def check_appeals(before_max_id: int, submitted: list[tuple[int, str]]) -> list[str]:
    """Every 201 is in the database once, with its id and number and one submission event; no
    other appeal appeared. Returns the problems found (none: all is well)."""
    from django.db.models import Count

    from enterprises.models import Appeal, AppealEvent

    problems = []
    answered = Counter(submitted)
    doubled_answers = [pair for pair, n in answered.items() if n > 1]
    if doubled_answers:
        problems.append(f"{len(doubled_answers)} (id, number) pairs were answered twice")
    numbers = Counter(number for _, number in submitted)
    if any(n > 1 for n in numbers.values()):
        problems.append("one number was given to two submissions")
    created = dict(Appeal.objects.filter(pk__gt=before_max_id).values_list("pk", "number"))
    stored = set(created.items())
    lost = set(answered) - stored
    extra = stored - set(answered)
    if lost:
        problems.append(f"{len(lost)} answered appeals are missing or differ: {sorted(lost)[:5]}")
    if extra:
        problems.append(f"{len(extra)} appeals were created without a 201: {sorted(extra)[:5]}")
    number_rows = Appeal.objects.filter(number__in=list(numbers)).values("number")
    repeated = number_rows.annotate(n=Count("pk")).filter(n__gt=1)
    if repeated.exists():
        problems.append(f"{repeated.count()} numbers are stored more than once")
    events = Counter(
        AppealEvent.objects.filter(appeal_id__in=list(created), action="submit").values_list(
            "appeal_id", flat=True
        )
    )
    wrong_events = [pk for pk in created if events.get(pk, 0) != 1]
    if wrong_events:
        problems.append(f"{len(wrong_events)} new appeals lack exactly one submission event")
    return problems


def check_events(before_max_id: int, samples: list[Sample]) -> list[str]:
    """The timeline got exactly one event per step that answered 200/201, and no other."""
    from enterprises.models import AppealEvent

    actions = {
        "entrepreneur: submit appeal": "submit",
        "handler: sign for": "sign",
        "handler: reply": "reply",
    }
    expected = Counter(actions[s.kind] for s in samples if s.ok and s.kind in actions)
    recorded = Counter(
        AppealEvent.objects.filter(pk__gt=before_max_id).values_list("action", flat=True)
    )
    if recorded == expected:
        return []
    return [f"timeline events {dict(recorded)} differ from the steps answered {dict(expected)}"]


# --- where the time goes ------------------------------------------------------------------


def _cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of a process so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _machine_busy() -> tuple[float, float]:
    """CPU seconds the whole machine has been busy and idle so far (all cores)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK"), idle / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """Who used the CPU between two readings: the server's workers, the PostgreSQL backends
    serving the load database, this process (the load generator) and the rest of the machine.
    Linux only (``/proc``); PostgreSQL's share is known when it runs on this machine."""

    def __init__(self, server: Server, celery: CeleryStack, database_url: str):
        import psycopg2

        self.server = server
        self.celery = celery
        self.pg = psycopg2.connect(database_url)
        self.pg.autocommit = True

    def _backends(self) -> dict[int, float]:
        with self.pg.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
            return {pid: _cpu_seconds(pid) for (pid,) in cursor.fetchall()}

    def reading(self) -> dict:
        busy, idle = _machine_busy()
        return {
            "wall": time.perf_counter(),
            "web": {pid: _cpu_seconds(pid) for pid in self.server.worker_pids()},
            "celery": {pid: _cpu_seconds(pid) for pid in self.celery.pids()},
            "postgres": self._backends(),
            "client": time.process_time(),
            "busy": busy,
            "idle": idle,
        }

    @staticmethod
    def used(before: dict, after: dict) -> dict[str, float]:
        """CPU seconds per party between two readings (processes started in between count
        whole), and the wall time."""

        def grown(key):
            return sum(cpu - before[key].get(pid, 0.0) for pid, cpu in after[key].items())

        web, celery, postgres = grown("web"), grown("celery"), grown("postgres")
        client = after["client"] - before["client"]
        busy = after["busy"] - before["busy"]
        return {
            "wall": after["wall"] - before["wall"],
            "web": web,
            "celery": celery,
            "postgres": postgres,
            "client": client,
            "other": max(0.0, busy - web - celery - postgres - client),
            "idle": after["idle"] - before["idle"],
        }

    def close(self) -> None:
        self.pg.close()


class WaitSampler:
    """Twice a second, what each busy PostgreSQL backend of the load database is doing: running,
    waiting for a lock (on which statement), or waiting for its client (the web worker)."""

    def __init__(self, database_url: str):
        import psycopg2

        self.pg = psycopg2.connect(database_url)
        self.pg.autocommit = True
        self.seen: Counter = Counter()
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with self.pg.cursor() as cursor:
            while not self._stop.wait(0.5):
                cursor.execute(
                    "SELECT wait_event_type, wait_event, state, query FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND state <> 'idle'"
                )
                self.samples += 1
                for wait_type, wait, state, query in cursor.fetchall():
                    if wait_type == "Lock":
                        what = f"waiting for a lock ({wait}): {' '.join(query.split())[:60]}"
                    elif state.startswith("idle in transaction"):
                        what = "in a transaction, waiting for the web worker"
                    elif wait_type is None or wait_type == "CPU":
                        what = "running a query"
                    else:
                        what = f"{wait_type}: {wait}"
                    self.seen[what] += 1

    def __enter__(self) -> WaitSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(5)
        self.pg.close()


def measure_costs(clients: list[Client], meter: CpuMeter, calls: int) -> list[tuple]:
    """Each simple kind of request alone, ``calls`` times one after the other: its median time
    and the CPU it costs the web workers and PostgreSQL. Nothing else runs meanwhile."""
    entrepreneur = next(c for c in clients if isinstance(c, Entrepreneur))
    handler = next((c for c in clients if isinstance(c, Handler)), None)
    leader = next((c for c in clients if isinstance(c, Leader)), None)
    probe = Client(entrepreneur.port, random.Random(0))

    def submit() -> None:
        topic, text = probe.rng.choice(TOPICS)
        probe.call(
            "entrepreneur: submit appeal",
            "POST",
            "/api/v1/appeals/",
            expect=(201,),
            token=entrepreneur.token,
            data={
                "title": f"关于{topic}的诉求",
                "content": text,
                "category": entrepreneur.categories[0],
                "enterprise": entrepreneur.enterprise,
            },
        )

    kinds = [
        (
            "floor: trivial view",
            lambda: probe.call("floor: trivial view", "GET", "/bench/floor/"),
            calls,
        ),
        (
            "entrepreneur: own list",
            lambda: probe.call(
                "entrepreneur: own list", "GET", "/api/v1/appeals/", token=entrepreneur.token
            ),
            calls,
        ),
        ("entrepreneur: submit appeal", submit, calls),
    ]
    if handler is not None:
        kinds.append(
            (
                "handler: inbox",
                lambda: probe.call("handler: inbox", "GET", handler.inbox, token=handler.token),
                calls,
            )
        )
    if leader is not None:
        kinds.append(
            (
                "leader: dashboard page",
                lambda: probe.call(
                    "leader: dashboard page", "GET", leader.dashboard, cookies=leader.cookies
                ),
                3,
            )
        )
        if leader.figures:
            kinds.append(
                (
                    "leader: figures API",
                    lambda: probe.call(
                        "leader: figures API", "GET", leader.figures, cookies=leader.cookies
                    ),
                    3,
                )
            )
    rows = []
    for kind, call, count in kinds:
        call()  # warm
        before = meter.reading()
        for _ in range(count):
            call()
        used = CpuMeter.used(before, meter.reading())
        times = sorted(s.seconds * 1000 for s in probe.samples if s.kind == kind)[-count:]
        errors = sum(not s.ok for s in probe.samples if s.kind == kind)
        rows.append(
            (
                kind,
                statistics.median(times),
                used["web"] * 1000 / count,
                used["postgres"] * 1000 / count,
                errors,
            )
        )
    return rows


def print_costs(rows: list[tuple]) -> None:
    header = f"{'request':<30}{'median ms':>10}{'web CPU ms':>12}{'PG CPU ms':>11}  errors"
    print(header)
    print("-" * len(header))
    for kind, median, web, postgres, errors in rows:
        print(f"{kind:<30}{median:>10.1f}{web:>12.1f}{postgres:>11.1f}  {errors}")


def print_cpu(used: dict[str, float]) -> None:
    wall, cores = used["wall"], os.cpu_count() or 1
    parts = ", ".join(
        f"{name} {used[key] / wall:.2f}"
        for name, key in (
            ("web workers", "web"),
            ("Celery worker and beat", "celery"),
            ("PostgreSQL (this database)", "postgres"),
            ("load generator", "client"),
            ("everything else on the machine", "other"),
            ("idle", "idle"),
        )
    )
    print(f"CPU, in cores of the machine's {cores}: {parts}")


# --- main ----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--redis-url", default=os.environ.get("LOAD_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--appeals", type=int, default=100_000, help="seed this many if empty")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=60, help="length of the mix")
    parser.add_argument("--floor-seconds", type=float, default=15, help="length of the floor")
    parser.add_argument("--cost-calls", type=int, default=30, help="requests per kind, alone")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (compose: 4)")
    parser.add_argument("--entrepreneurs", type=int, default=37)
    parser.add_argument("--handlers", type=int, default=12)
    parser.add_argument("--leaders", type=int, default=1)
    parser.add_argument("--leader-pause", type=float, default=2.0, help="seconds of reading")
    args = parser.parse_args()
    if urlsplit(args.redis_url).path.strip("/") in ("", "0"):
        sys.exit("Give --redis-url a database other than 0 (db 0 is the portal's own).")

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    env = server_environment(args)
    # This process reads the portal's own settings; only the server needs the floor's URL.
    os.environ.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    sys.path.insert(0, str(BASE_DIR))
    ensure_database(args.database_url)

    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)  # migrate's and axes' chatter

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Max

    from enterprises.models import Appeal, AppealEvent
    from enterprises.services import stats as figures_services
    from portal.models import Delivery, Notification

    call_command("migrate", interactive=False, verbosity=0)
    if not Appeal.objects.exists():
        print(f"No appeals yet: seeding {args.appeals:,} with seed_bench …", flush=True)
        call_command("seed_bench", appeals=args.appeals, seed=args.seed, force=True)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG=0 needs the manifest
    # Start from what beat leaves behind every minute (earlier runs' marks folded in).
    figures_services.refresh()
    figures_services.compact_tally()
    people = choose_people(args)
    clients_wanted = args.entrepreneurs + args.handlers + args.leaders
    connection.close()

    server = Server(env, args.workers)
    server.start()
    celery = CeleryStack(env)
    celery.start()
    meter = CpuMeter(server, celery, args.database_url)
    try:
        clients = make_clients(args, server.port, people)
        print(
            f"database: {connection.settings_dict['NAME']}, {Appeal.objects.count():,} appeals; "
            f"Redis {args.redis_url}; {os.cpu_count()} cores\n"
            f"server: {' '.join(server.command[1:])} (DJANGO_DEBUG=0, log in {server.log}); "
            f"Celery worker (4 processes) and beat as in docker-compose\n"
            f"clients: {len(clients)} ({args.entrepreneurs} entrepreneurs of distinct enterprises, "
            f"{len([c for c in clients if isinstance(c, Handler)])} handlers of the busiest "
            f"departments, {args.leaders} leaders reading {args.leader_pause:g} s between loads)"
            + ("" if len(clients) == clients_wanted else f" — {clients_wanted} were asked for"),
            flush=True,
        )
        # Warm-up: every worker imports and connects before anything is timed.
        run([Floor(server.port, random.Random(k)) for k in range(len(clients))], 2)
        connection.close()

        costs = measure_costs(clients, meter, args.cost_calls)
        print("\nEach kind of request alone, one at a time (the cost of one request):")
        print_costs(costs)

        floor_clients = [Floor(server.port, random.Random(k)) for k in range(len(clients))]
        before = meter.reading()
        floor_seconds = run(floor_clients, args.floor_seconds)
        floor_used = CpuMeter.used(before, meter.reading())
        floor_samples = [s for c in floor_clients for s in c.samples]
        floor_rows = figures(floor_samples, floor_seconds)
        print(f"\nThe framework's floor: {len(floor_clients)} clients, {floor_seconds:.1f} s")
        print_table(floor_rows, floor_seconds)
        print_cpu(floor_used)

        before_max_id = Appeal.objects.aggregate(m=Max("pk"))["m"] or 0
        before_max_event = AppealEvent.objects.aggregate(m=Max("pk"))["m"] or 0
        before_notifications = Notification.objects.count()
        before_deliveries = Delivery.objects.count()
        connection.close()
        with WaitSampler(args.database_url) as waits:
            before = meter.reading()
            mix_seconds = run(clients, args.seconds)
            mix_used = CpuMeter.used(before, meter.reading())
    finally:
        meter.close()
        celery.stop()
        server.stop()

    samples = [s for c in clients for s in c.samples]
    rows = figures(samples, mix_seconds)
    print(f"\nThe mix: {len(clients)} clients, {mix_seconds:.1f} s")
    print_table(rows, mix_seconds)
    print_cpu(mix_used)
    busy = sum(waits.seen.values())
    if busy:
        print(
            f"PostgreSQL backends of this database, sampled {waits.samples} times: on average "
            f"{busy / waits.samples:.1f} busy, doing"
        )
        for what, count in waits.seen.most_common(6):
            print(f"  {count / busy:6.1%}  {what}")

    floor_rate = len(floor_samples) / floor_seconds
    mix_rate = len(samples) / mix_seconds
    print(
        f"\nportal {mix_rate:.1f} req/s ÷ floor {floor_rate:.1f} req/s = {mix_rate / floor_rate:.3f}"
    )

    submitted = [pair for c in clients if isinstance(c, Entrepreneur) for pair in c.submitted]
    problems = check_appeals(before_max_id, submitted) + check_events(before_max_event, samples)
    print(
        f"\nchecked: {len(submitted):,} submissions answered 201; "
        f"{Appeal.objects.filter(pk__gt=before_max_id).count():,} appeals created during the run; "
        f"{Notification.objects.count() - before_notifications:,} notifications and "
        f"{Delivery.objects.count() - before_deliveries:,} deliveries written"
    )
    for problem in problems:
        print(f"  PROBLEM: {problem}")
    if not problems:
        print(
            "  every 201 is stored exactly once (id, number, one submission event), nothing else; "
            "the timelines have one event per step answered 200/201"
        )

    errors = sum(r.errors for r in rows) + sum(r.errors for r in floor_rows)
    submit = next((r for r in rows if r.kind == "entrepreneur: submit appeal"), None)
    lists = [r for r in rows if r.kind in ("entrepreneur: own list", "handler: inbox")]
    goals = [
        ("0 errors", errors == 0, f"{errors}"),
        ("0 lost or duplicated appeals", not problems, f"{len(problems)} problems"),
        (
            f"submission ≥ {GOAL_SUBMISSIONS_PER_S}/s",
            submit is not None and submit.per_second >= GOAL_SUBMISSIONS_PER_S,
            f"{submit.per_second:.1f}/s" if submit else "none",
        ),
        (
            f"list p95 ≤ {GOAL_LIST_P95_MS} ms",
            bool(lists) and all(r.p95 <= GOAL_LIST_P95_MS for r in lists),
            ", ".join(f"{r.kind.split(': ')[1]} {r.p95:.0f} ms" for r in lists),
        ),
    ]
    print("\ngoals:")
    for name, ok, value in goals:
        print(f"  {name:<30} {value:<40} {'ok' if ok else 'MISSED'}")
    return 0 if all(ok for _, ok, _ in goals) else 1


if __name__ == "__main__":
    sys.exit(main())
