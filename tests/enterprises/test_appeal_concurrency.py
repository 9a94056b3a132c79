"""Two people acting on one appeal at once, on PostgreSQL with real connections: one wins, the
other gets a 409 that tells them to reload, and the timeline records the step once.

Each service is slowed down between its checks and its writes, so without the row lock both
threads would read the same status and both would "succeed". The races run on the services and
again through the API (each thread a client of its own).
"""

import time
from unittest import mock

import pytest
from django.test import Client

from enterprises import services
from enterprises.models import Appeal, AppealEvent, Assignment
from enterprises.services import appeals as appeal_services
from portal.exceptions import Conflict
from portal.workdays import sync_from_chinesecalendar
from tests.concurrency import race
from tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    MembershipFactory,
    UserFactory,
    appeal_in,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _slow_record():
    original = appeal_services._record

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    return mock.patch.object(appeal_services, "_record", slow)


@pytest.fixture
def people(postgres):
    sync_from_chinesecalendar()
    department = DepartmentFactory()
    entrepreneur = UserFactory(role="entrepreneur")
    entrepreneur.enterprise = EnterpriseFactory()
    MembershipFactory(user=entrepreneur, enterprise=entrepreneur.enterprise, status="verified")
    return {
        "entrepreneur": entrepreneur,
        "dispatchers": [UserFactory(role="dispatcher") for _ in range(2)],
        "handlers": [UserFactory(role="handler", department=department) for _ in range(2)],
        "department": department,
        "other": DepartmentFactory(),
    }


def test_two_dispatchers_assigning_at_once(people):
    first, second = people["dispatchers"]
    appeal = appeal_in("accepted", entrepreneur=people["entrepreneur"], dispatcher=first)
    with _slow_record():
        results = race(
            lambda: services.appeal_assign(
                appeal=Appeal.objects.get(pk=appeal.pk),
                actor=first,
                department=people["department"],
            ),
            lambda: services.appeal_assign(
                appeal=Appeal.objects.get(pk=appeal.pk), actor=second, department=people["other"]
            ),
        )
    winners = [r for r in results if isinstance(r, Appeal)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "Reload" in losers[0].message or "刷新" in losers[0].message
    appeal.refresh_from_db()
    assert appeal.lead_department == winners[0].lead_department
    assert Assignment.objects.filter(appeal=appeal).count() == 1
    assert AppealEvent.objects.filter(appeal=appeal, action="assign").count() == 1


def test_two_handlers_replying_at_once(people):
    one, two = people["handlers"]
    appeal = appeal_in(
        "in_progress",
        entrepreneur=people["entrepreneur"],
        dispatcher=people["dispatchers"][0],
        handler=one,
    )
    with _slow_record():
        results = race(
            lambda: services.appeal_reply(appeal=appeal, actor=one, content="答复一"),
            lambda: services.appeal_reply(appeal=appeal, actor=two, content="答复二"),
        )
    assert sorted(type(r).__name__ for r in results) == ["Appeal", "Conflict"], results
    appeal.refresh_from_db()
    assert appeal.reply_count == 1
    assert AppealEvent.objects.filter(appeal=appeal, action="reply").count() == 1


def test_concurrent_submissions_get_distinct_gap_free_numbers(people):
    entrepreneur = people["entrepreneur"]
    results = race(
        *[
            (lambda i=i: appeal_in("submitted", entrepreneur=entrepreneur, title=f"诉求{i}"))
            for i in range(8)
        ]
    )
    assert all(isinstance(r, Appeal) for r in results), results
    numbers = sorted(r.number for r in results)
    year = numbers[0][3:7]
    assert numbers == [f"QH-{year}-{n:06d}" for n in range(1, 9)]


# --- the same races through the API, as two people's browsers or scripts make them -------------


def _post_as(user, path: str, data: dict):
    """A call that POSTs ``data`` to ``path`` as ``user`` (logged in now, posting in a thread)."""
    client = Client()
    client.force_login(user)
    return lambda: client.post(path, data, content_type="application/json")


def _one_wins(responses) -> dict:
    """One 200 and one 409 whose message says what to do; returns the 409's body."""
    assert sorted(r.status_code for r in responses) == [200, 409], [r.content for r in responses]
    (conflict,) = [r.json() for r in responses if r.status_code == 409]
    assert conflict["code"] == "conflict"
    assert "Reload" in conflict["detail"] or "刷新" in conflict["detail"], conflict
    return conflict


def _timeline(user, appeal) -> list[str]:
    client = Client()
    client.force_login(user)
    response = client.get(f"/api/v1/appeals/{appeal.pk}/")
    assert response.status_code == 200
    return [event["action"] for event in response.json()["events"]]


def test_two_dispatchers_assigning_at_once_through_the_api(people):
    first, second = people["dispatchers"]
    appeal = appeal_in("accepted", entrepreneur=people["entrepreneur"], dispatcher=first)
    path = f"/api/v1/appeals/{appeal.pk}/assign/"
    with _slow_record():
        responses = race(
            _post_as(first, path, {"department": people["department"].pk}),
            _post_as(second, path, {"department": people["other"].pk}),
        )
    _one_wins(responses)
    (winner,) = [r.json() for r in responses if r.status_code == 200]
    appeal.refresh_from_db()
    assert appeal.lead_department_id == winner["department"]["id"]
    assert Assignment.objects.filter(appeal=appeal).count() == 1
    assert _timeline(first, appeal).count("assign") == 1


def test_two_handlers_replying_at_once_through_the_api(people):
    one, two = people["handlers"]
    appeal = appeal_in(
        "in_progress",
        entrepreneur=people["entrepreneur"],
        dispatcher=people["dispatchers"][0],
        handler=one,
    )
    path = f"/api/v1/appeals/{appeal.pk}/reply/"
    with _slow_record():
        responses = race(
            _post_as(one, path, {"content": "已协调银行完成续贷。"}),
            _post_as(two, path, {"content": "已电话告知企业办理进度。"}),
        )
    _one_wins(responses)
    appeal.refresh_from_db()
    assert (appeal.status, appeal.reply_count) == ("replied", 1)
    assert _timeline(one, appeal).count("reply") == 1
