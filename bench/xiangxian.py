"""Events of the xiangxian registry at scale (issue 15, item 10): inviting 1,000 people at once.

    createdb -h 127.0.0.1 -U postgres tongxin_xiangxian
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/tongxin_xiangxian
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/xiangxian.py [--people 1000]

Creates an event and ``--people`` xiangxian, each with a portal account, then times one
``invitations_send`` for all of them (goal ≤ 5 s) and counts the notifications it created (one
each). It sends the same invitations a second time and shows that nothing is sent twice. All of
it runs in a transaction rolled back at the end, so the script can be run again and measures the
same work every time (deliveries, rolled back, are never handed to Celery). Works on SQLite too.
"""

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal.models import Notification, Region, Role, User  # noqa: E402
from xiangxian.models import Invitation, Sector, Xiangxian  # noqa: E402
from xiangxian.services import event_create, invitations_send  # noqa: E402

GOAL_S = 5.0


class Rollback(Exception):
    pass


def _people(n: int) -> list[Xiangxian]:
    stamp = timezone.now().strftime("%H%M%S%f")
    users = User.objects.bulk_create(
        [User(username=f"bench-xx-{stamp}-{i}", role=Role.ENTREPRENEUR) for i in range(n)]
    )
    hometown = Region.objects.filter(code__startswith="3308").order_by("code").last()
    sector = Sector.objects.order_by("pk").first()
    return Xiangxian.objects.bulk_create(
        [
            Xiangxian(
                name=f"测试乡贤{i:04d}",
                hometown=hometown,
                sector=sector,
                residence_province="上海市",
                residence_city="上海市",
                account=user,
            )
            for i, user in enumerate(users)
        ]
    )


def run(n: int) -> bool:
    actor = User.objects.filter(role=Role.DISPATCHER).first() or User.objects.create(
        username=f"bench-xx-dispatcher-{timezone.now():%H%M%S%f}", role=Role.DISPATCHER
    )
    start = timezone.now() + dt.timedelta(days=10)
    event = event_create(
        actor=actor,
        data={
            "title": "基准测试：乡贤大会",
            "kind": "conference",
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=8),
            "venue": "衢州国际会展中心",
            "capacity": n,
        },
    )
    ids = [person.pk for person in _people(n)]
    before = Notification.objects.filter(kind="xiangxian.invited").count()

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        sent = invitations_send(event=event, actor=actor, xiangxian_ids=ids)
    seconds = time.perf_counter() - started
    notified = Notification.objects.filter(kind="xiangxian.invited").count() - before
    print(
        f"first send:  {len(sent.created)} invitations, {notified} notifications in "
        f"{seconds:.2f} s ({len(queries)} queries; goal ≤ {GOAL_S:.0f} s)"
    )

    started = time.perf_counter()
    again = invitations_send(event=event, actor=actor, xiangxian_ids=ids)
    second = time.perf_counter() - started
    notified_again = (
        Notification.objects.filter(kind="xiangxian.invited").count() - before - notified
    )
    print(
        f"second send: {len(again.created)} invitations, {notified_again} notifications "
        f"({again.already} invited already) in {second:.2f} s"
    )
    once = (
        len(sent.created) == n
        and notified == n
        and not again.created
        and notified_again == 0
        and Invitation.objects.filter(event=event).count() == n
    )
    print(
        f"each invited once: {'yes' if once else 'NO'}; time: {'ok' if seconds <= GOAL_S else 'SLOW'}"
    )
    return once and seconds <= GOAL_S


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    args = parser.parse_args()
    print(f"database: {connection.vendor}")
    ok = False
    try:
        with transaction.atomic():
            ok = run(args.people)
            raise Rollback
    except Rollback:
        pass
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
