"""``KeysFirstPaginator``: the same pages as Django's paginator, read keys first."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from portal.models import Department
from portal.paginator import KeysFirstPaginator
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def departments():
    for i in range(12):
        DepartmentFactory(name=f"部门{i % 4}-{i:02d}")
    return Department.objects.filter(name__startswith="部门").order_by("-name", "id")


def names(page) -> list[str]:
    return [department.name for department in page.object_list]


def test_every_page_holds_the_rows_django_would_show_in_the_same_order(departments):
    ours, django = KeysFirstPaginator(departments, 5), Paginator(departments, 5)
    assert ours.num_pages == django.num_pages == 3
    for number in ours.page_range:
        assert names(ours.page(number)) == names(django.page(number))
    assert ours.page(3).has_previous() and not ours.page(3).has_next()
    assert len(ours.page(3)) == 2


def test_orphans_and_an_out_of_range_page_behave_as_in_django(departments):
    assert names(KeysFirstPaginator(departments, 5, orphans=2).page(2)) == names(
        Paginator(departments, 5, orphans=2).page(2)
    )
    assert len(KeysFirstPaginator(departments, 5, orphans=2).page(2)) == 7
    assert names(KeysFirstPaginator(departments, 5).get_page(99)) == names(
        Paginator(departments, 5).get_page(99)
    )


def test_a_page_costs_three_queries_whatever_its_size(departments):
    def queries(size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            page = KeysFirstPaginator(departments.select_related(), size).page(1)
            assert len(page) == size
        return len(captured)

    assert queries(2) == queries(10) == 3  # the count, the keys, the rows


def test_the_rows_keep_deferred_fields(departments):
    page = KeysFirstPaginator(departments.only("name"), 4).page(1)
    assert page.object_list[0].get_deferred_fields() >= {"code"}


def test_an_annotated_queryset_keeps_its_annotations(departments):
    annotated = departments.annotate(twice=F("id") * 2)
    page = KeysFirstPaginator(annotated, 4).page(2)
    assert [d.twice for d in page.object_list] == [d.id * 2 for d in page.object_list]
    assert names(page) == names(Paginator(annotated, 4).page(2))


def test_a_list_is_paged_as_django_does():
    page = KeysFirstPaginator(list(range(7)), 3).page(3)
    assert list(page) == [6]


def test_an_empty_queryset_gives_an_empty_first_page(db):
    page = KeysFirstPaginator(Department.objects.none(), 5).page(1)
    assert list(page) == [] and page.paginator.count == 0
