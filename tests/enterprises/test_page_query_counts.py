"""The appeal pages run a fixed number of queries whatever their length: 5 rows or 50."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises import services
from portal.workdays import add_working_days
from tests.factories import DepartmentFactory, UserFactory, appeal_in

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def queries_for(client, url: str) -> list[str]:
    client.get(url)  # warm the per-process caches (holiday table, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]


def assert_flat(small: list[str], large: list[str], label: str) -> None:
    if len(small) != len(large):
        print(f"--- {label}: {len(small)} queries with few rows")
        print("\n".join(f"{i:3}. {sql}" for i, sql in enumerate(small, 1)))
        print(f"--- {label}: {len(large)} queries with many rows")
        print("\n".join(f"{i:3}. {sql}" for i, sql in enumerate(large, 1)))
        pytest.fail(f"{label}: {len(small)} queries for few rows but {len(large)} for many")


@pytest.fixture
def people(entrepreneur, dispatcher, handler, leader):
    co = DepartmentFactory()
    return {
        "entrepreneur": entrepreneur,
        "dispatcher": dispatcher,
        "handler": handler,
        "head": UserFactory(role="department_head", department=handler.department),
        "co_handler": UserFactory(role="handler", department=co),
        "leader": leader,
        "co": co,
    }


def grow(people, count: int) -> None:
    """``count`` appeals of each kind every page lists (with repeats, parts, extensions)."""
    e, d, h = people["entrepreneur"], people["dispatcher"], people["handler"]
    for n in range(count):
        appeal_in("submitted", entrepreneur=e, title=f"园区道路破损{n}")
        appeal = appeal_in("accepted", entrepreneur=e, dispatcher=d, title=f"用电容量不足{n}")
        appeal = services.appeal_assign(
            appeal=appeal, actor=d, department=h.department, co_departments=[people["co"]]
        )
        appeal = services.appeal_sign(appeal=appeal, actor=h)
        services.appeal_extend(
            appeal=appeal,
            actor=h,
            due_date=add_working_days(appeal.due_date, 3),
            reason=f"需要时间{n}",
        )
        services.appeal_supervise(appeal=appeal, actor=people["leader"], note="关注")
        if n % 2:
            services.appeal_return(
                appeal=appeal_in("assigned", entrepreneur=e, dispatcher=d, handler=h),
                actor=h,
                reason="非本部门职责",
            )


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("entrepreneur", "/appeals/"),
        ("dispatcher", "/appeals/"),
        ("dispatcher", "/appeals/?sort=due&status=in_progress&status=submitted"),
        ("dispatcher", "/appeals/?q=园区"),
        ("handler", "/appeals/"),
        ("leader", "/appeals/?supervised=true"),
        ("dispatcher", "/appeals/inbox/"),
        ("dispatcher", "/appeals/inbox/?tab=route"),
        ("handler", "/appeals/inbox/"),
        ("co_handler", "/appeals/inbox/"),
        ("head", "/appeals/extensions/"),
        ("dispatcher", "/appeals/extensions/"),
        ("entrepreneur", "/"),
        ("dispatcher", "/"),
        ("handler", "/"),
        ("head", "/"),
        ("leader", "/"),
    ],
)
def test_list_pages_are_flat(client, people, who, url):
    client.force_login(people[who])
    grow(people, 5)
    small = queries_for(client, url)
    grow(people, 45)
    large = queries_for(client, url)
    assert_flat(small, large, f"{url} ({who})")


def _timeline_of(appeal, people, rounds: int) -> None:
    """Two events per round, each answer with a file; the appeal stays in progress."""
    for n in range(rounds):
        services.appeal_request_info(appeal=appeal, actor=people["handler"], question=f"问题{n}")
        services.appeal_provide_info(
            appeal=appeal,
            actor=people["entrepreneur"],
            content=f"回答{n}",
            files=[SimpleUploadedFile(f"材料{n}.pdf", PDF)],
        )


@pytest.mark.parametrize("who", ["entrepreneur", "dispatcher", "handler", "co_handler", "leader"])
def test_detail_page_is_flat_in_its_events(client, people, who):
    e, d, h = people["entrepreneur"], people["dispatcher"], people["handler"]
    appeal = appeal_in("accepted", entrepreneur=e, dispatcher=d)
    services.appeal_assign(
        appeal=appeal, actor=d, department=h.department, co_departments=[people["co"]]
    )
    services.appeal_sign(appeal=appeal, actor=h)
    client.force_login(people[who])
    url = f"/appeals/{appeal.pk}/"
    _timeline_of(appeal, people, 1)  # 6 events, one file
    small = queries_for(client, url)
    _timeline_of(appeal, people, 23)  # 52 events, 24 files
    assert appeal.events.count() == 52
    large = queries_for(client, url)
    assert_flat(small, large, f"{url} ({who})")
