"""The appeal tally: PostgreSQL's triggers keep a count per status that sizes the lists of
every appeal without counting 10^6 rows (``AppealTally``, migration 0010)."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.db.models import Count
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from enterprises import selectors
from enterprises.filters import AppealFilterSet
from enterprises.models import Appeal, AppealTally
from enterprises.services.stats import compact_tally
from tests.factories import appeal_in, category

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


def test_compaction_leaves_one_row_per_status_and_the_same_sums(loop):
    before = tally()
    assert AppealTally.objects.count() > len(before)
    assert compact_tally() == len(before)
    assert AppealTally.objects.count() == len(before)
    assert tally() == before == counted()


def test_a_dispatcher_list_is_sized_by_the_tally_exactly(loop, dispatcher):
    def size(query=""):
        return selectors.tallied_size(dispatcher, QueryDict(query), AppealFilterSet.base_filters)

    assert size() == size("page=2&sort=-submitted&status=") == 6
    assert size("status=submitted&status=closed") == 3
    assert size("q=贷款") is None  # any other filter: counted
    assert size("status=closed&department=3") is None
    assert size("status=nonsense") is None  # invalid: the list answers with the error


def test_a_department_or_an_enterprise_is_counted_not_tallied(loop, handler):
    for user in (handler, loop):
        assert selectors.tallied_size(user, QueryDict(), AppealFilterSet.base_filters) is None


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
