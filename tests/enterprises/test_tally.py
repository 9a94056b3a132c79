"""The appeal tally: PostgreSQL's triggers keep a count per status that sizes the lists of
every appeal without counting 10^6 rows (``AppealTally``, migration 0010)."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.db.models import Count
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from enterprises import selectors, services
from enterprises.filters import AppealFilterSet
from enterprises.models import Appeal, AppealTally
from enterprises.services.stats import compact_tally
from tests.factories import DepartmentFactory, UserFactory, appeal_in, category

pytestmark = pytest.mark.django_db


def tally() -> dict[str, int]:
    sums: dict[str, int] = {}
    for row in AppealTally.objects.all():
        sums[row.status] = sums.get(row.status, 0) + row.delta
    return {status: n for status, n in sums.items() if n}


def counted() -> dict[str, int]:
    rows = Appeal.objects.values("status").annotate(n=Count("id")).order_by()
    return {row["status"]: row["n"] for row in rows}


def bare_appeal(entrepreneur, number: str) -> Appeal:
    """An appeal row written directly, with nothing hanging on it (so it can be deleted)."""
    return Appeal.objects.create(
        number=number,
        enterprise=entrepreneur.enterprise,
        submitted_by=entrepreneur,
        title="t",
        content="c",
        category=category(),
    )


@pytest.fixture
def loop(postgres, entrepreneur, dispatcher, handler):
    """Appeals in five statuses, moved there by the real services."""
    for status in ("submitted", "submitted", "accepted", "assigned", "in_progress", "closed"):
        appeal_in(status, entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
    return entrepreneur


def test_every_step_moves_the_tally_with_the_appeals(loop):
    assert (
        tally()
        == counted()
        == {
            "submitted": 2,
            "accepted": 1,
            "assigned": 1,
            "in_progress": 1,
            "closed": 1,
        }
    )


def test_a_deleted_appeal_leaves_the_tally(postgres, entrepreneur):
    appeal = bare_appeal(entrepreneur, "QH-TEST-1")
    assert tally() == {"submitted": 1}
    appeal.delete()
    assert tally() == {}


def test_an_update_that_moves_no_status_adds_no_row(loop):
    rows = AppealTally.objects.count()
    Appeal.objects.update(priority=2)
    assert AppealTally.objects.count() == rows


def test_compaction_leaves_one_row_per_status_and_department_and_the_same_sums(loop):
    before = tally()
    pairs = Appeal.objects.values("status", "lead_department").distinct().count()
    assert AppealTally.objects.count() > pairs
    assert compact_tally() == pairs
    assert AppealTally.objects.count() == pairs
    assert tally() == before == counted()


def test_routing_moves_an_appeal_between_departments_in_the_tally(loop, dispatcher, handler):
    other = DepartmentFactory()
    appeal = Appeal.objects.get(status="accepted")
    services.appeal_assign(appeal=appeal, actor=dispatcher, department=other)
    led = {
        (row["status"], row["lead_department"]): row["n"]
        for row in Appeal.objects.values("status", "lead_department").annotate(n=Count("id"))
    }
    compact_tally()
    assert {
        (row.status, row.lead_department_id): row.delta for row in AppealTally.objects.all()
    } == led
    assert led[("assigned", other.pk)] == 1


def test_a_dispatcher_list_is_sized_by_the_tally_exactly(loop, dispatcher):
    def size(query=""):
        return selectors.tallied_size(dispatcher, QueryDict(query), AppealFilterSet.base_filters)

    assert size() == size("page=2&sort=-submitted&status=") == 6
    assert size("status=submitted&status=closed") == 3
    assert size("q=贷款") is None  # any other filter: counted
    assert size("status=closed&department=3") is None
    assert size("status=nonsense") is None  # invalid: the list answers with the error


def test_a_department_list_is_sized_by_the_tally_and_its_co_handling_exactly(
    loop, dispatcher, handler
):
    """What a department leads comes from the tally, what it co-handles under another lead is
    counted: together exactly its scope, whoever leads, with or without a status filter."""
    co_department = DepartmentFactory()
    co_handler = UserFactory(role="handler", department=co_department)
    head = UserFactory(role="department_head", department=handler.department)
    for status in ("assigned", "in_progress"):  # the co-handler's department leads these two
        appeal_in(status, entrepreneur=loop, dispatcher=dispatcher, handler=co_handler)
    for appeal in Appeal.objects.filter(status="accepted"):  # co-handled by co_department
        services.appeal_assign(
            appeal=appeal,
            actor=dispatcher,
            department=handler.department,
            co_departments=[co_department],
        )
    for user in (handler, head, co_handler):
        for query in ("", "status=assigned", "status=assigned&status=in_progress&page=1"):
            size = selectors.tallied_size(user, QueryDict(query), AppealFilterSet.base_filters)
            statuses = QueryDict(query).getlist("status")
            scope = selectors.appeals_for(user)
            expected = (scope.filter(status__in=statuses) if statuses else scope).count()
            assert size == expected, (user.role, user.department_id, query)
    assert selectors.tallied_size(co_handler, QueryDict(), AppealFilterSet.base_filters) == 3


def test_an_enterprise_or_a_filtered_department_list_is_counted(loop, handler):
    filters = AppealFilterSet.base_filters
    assert selectors.tallied_size(loop, QueryDict(), filters) is None
    assert selectors.tallied_size(handler, QueryDict("q=贷款"), filters) is None


def test_the_api_count_comes_from_the_tally_and_matches_the_rows(loop, dispatcher, client):
    client.force_login(dispatcher)
    with CaptureQueriesContext(connection) as captured:
        body = client.get("/api/v1/appeals/", {"page_size": 4}).json()
    assert body["count"] == 6 and len(body["results"]) == 4 and body["next"]
    assert not [
        q for q in captured if 'COUNT(*) AS "__count" FROM "enterprises_appeal"' in q["sql"]
    ]
    assert client.get("/api/v1/appeals/", {"status": "closed"}).json()["count"] == 1
    page = client.get("/appeals/", {"status": "submitted"}).context["page"]
    assert page.paginator.count == 2 and len(page.object_list) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_uncommitted_appeal_is_not_tallied_and_a_compaction_loses_nothing(
    postgres, entrepreneur
):
    """Another connection holds a new appeal uncommitted while this one compacts the tally:
    the reader sees it only once it commits, and the compaction does not swallow its row."""
    inserted, commit = threading.Event(), threading.Event()

    def submit_slowly():
        try:
            with transaction.atomic():
                bare_appeal(entrepreneur, "QH-TEST-2")
                inserted.set()
                commit.wait(10)
        finally:
            connections.close_all()

    before = tally().get("submitted", 0)
    worker = threading.Thread(target=submit_slowly)
    worker.start()
    assert inserted.wait(10)
    assert tally().get("submitted", 0) == before
    compact_tally()
    commit.set()
    worker.join(10)
    compact_tally()
    assert tally().get("submitted", 0) == before + 1 == counted()["submitted"]
