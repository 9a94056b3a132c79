"""The appeal endpoints run a fixed number of queries however many rows they return.

Each test asks for the same page with 5 and with 50 rows and compares the query counts; on a
difference it prints every query of both runs, so the N+1 can be read off the failure.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises import services
from tests.factories import DepartmentFactory, UserFactory, appeal_in, category

pytestmark = pytest.mark.django_db

APPEALS = "/api/v1/appeals/"


def queries_for(client, url: str, params: dict | None = None, rows: int | None = None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    if rows is not None:
        assert len(response.json()["results"]) == rows
    return [q["sql"] for q in captured.captured_queries]


def assert_flat(small: list[str], large: list[str], label: str) -> None:
    if len(small) != len(large):
        listing = "\n".join(
            [f"--- {label}: {len(small)} queries with few rows"]
            + [f"{i:3}. {sql}" for i, sql in enumerate(small, 1)]
            + [f"--- {label}: {len(large)} queries with many rows"]
            + [f"{i:3}. {sql}" for i, sql in enumerate(large, 1)]
        )
        print(listing)
        pytest.fail(f"{label}: {len(small)} queries for few rows but {len(large)} for many")


def add_appeals(count: int, *, entrepreneur, dispatcher=None, handler=None, co_department=None):
    """``count`` appeals of the entrepreneur's enterprise; routed to the handler if one is given
    (every other one with a co-handling department, so both scoping branches show up)."""
    for i in range(count):
        if handler is None:
            appeal_in("submitted", entrepreneur=entrepreneur, title=f"第{i}项诉求：用地指标")
            continue
        appeal = appeal_in(
            "accepted", entrepreneur=entrepreneur, dispatcher=dispatcher, title=f"第{i}项诉求"
        )
        services.appeal_assign(
            appeal=appeal,
            actor=dispatcher,
            department=handler.department,
            co_departments=[co_department] if co_department and i % 2 else [],
        )


def flat_list(client, user, label: str, add, params: dict | None = None) -> None:
    params = {"page_size": 50, **(params or {})}
    client.force_login(user)
    add(5)
    client.get(APPEALS, params)  # warm caches (content types, session)
    small = queries_for(client, APPEALS, params, rows=5)
    add(45)
    large = queries_for(client, APPEALS, params, rows=50)
    assert_flat(small, large, label)
    # session, user, the user's role grants, count (or the tally), the page's keys, its rows
    assert len(large) <= 7, large


def test_entrepreneurs_list_is_flat(client, entrepreneur):
    flat_list(
        client,
        entrepreneur,
        "entrepreneur's appeals",
        lambda n: add_appeals(n, entrepreneur=entrepreneur),
    )


def test_handlers_list_is_flat(client, entrepreneur, dispatcher, handler):
    co_department = DepartmentFactory()
    flat_list(
        client,
        handler,
        "handler's appeals",
        lambda n: add_appeals(
            n,
            entrepreneur=entrepreneur,
            dispatcher=dispatcher,
            handler=handler,
            co_department=co_department,
        ),
    )


def test_co_handling_departments_list_is_flat(client, entrepreneur, dispatcher, handler):
    co_department = DepartmentFactory()
    co_handler = UserFactory(role="handler", department=co_department)

    def add(n):
        # Every appeal co-handled, so all of them are in the co-handler's scope.
        for _ in range(n):
            appeal = appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
            services.appeal_assign(
                appeal=appeal,
                actor=dispatcher,
                department=handler.department,
                co_departments=[co_department],
            )

    flat_list(client, co_handler, "co-handler's appeals", add)


def test_dispatchers_list_is_flat(client, entrepreneur, dispatcher, handler):
    def add(n):
        half = n // 2
        add_appeals(half, entrepreneur=entrepreneur)
        add_appeals(n - half, entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)

    flat_list(client, dispatcher, "dispatcher's appeals", add)


def test_filtered_list_is_flat(client, entrepreneur, dispatcher, handler):
    flat_list(
        client,
        dispatcher,
        "dispatcher's appeals filtered by department and status",
        lambda n: add_appeals(n, entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler),
        params={"department": handler.department.pk, "status": "assigned", "q": "诉求"},
    )


def test_detail_does_not_grow_with_its_timeline(client, entrepreneur, dispatcher, handler):
    appeal = appeal_in(
        "in_progress", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    others = [
        appeal_in("submitted", entrepreneur=entrepreneur, title=f"关联诉求{i}") for i in range(30)
    ]
    url = f"{APPEALS}{appeal.pk}/"
    client.force_login(handler)
    client.get(url)
    small = queries_for(client, url)

    for other in others:  # 30 more events, each by a person
        services.appeal_link(appeal=appeal, actor=dispatcher, other=other)
    large = queries_for(client, url)

    assert_flat(small, large, "appeal detail")


def test_a_submission_writes_and_answers_in_a_bounded_number_of_queries(
    client, entrepreneur, dispatcher
):
    """The submission is the busiest write: it must not re-read the new appeal through the
    scope's joins, nor find the dispatchers by scanning every account."""
    for i in range(12):  # a pool for the repeat check, and dispatchers to tell
        appeal_in("submitted", entrepreneur=entrepreneur, title=f"用地指标{i}")
        UserFactory(role="dispatcher")
    client.force_login(entrepreneur)
    body = {
        "title": "用地指标迟迟未批复",
        "content": "园区扩建用地指标申请已三个月未批复，请协调。",
        "category": category().pk,
        "enterprise": entrepreneur.enterprise.pk,
    }
    client.post(APPEALS, body, content_type="application/json")  # warm caches
    with CaptureQueriesContext(connection) as captured:
        response = client.post(APPEALS, body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["events"][0]["action"] == "submit"
    statements = [
        q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"].split(" ", 2)[:2]
    ]
    # session, user, enterprise, category, appeal, event, repeat pool, candidates, counter,
    # number, dispatchers, their choices, notifications (in a savepoint), the answer's
    # attachments and timeline (with its files)
    # 16, and one for the caller's role grants (read once per request).
    assert len(statements) <= 17, "\n".join(statements)
    assert not [sql for sql in statements if sql.count(" JOIN ") > 3], "a scoped re-read"
