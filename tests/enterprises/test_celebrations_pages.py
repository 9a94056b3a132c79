"""The light-up day pages: who reaches what (owner, colleague, outsider, staff), requesting and
deciding through the forms (refusals change nothing), images, the enterprise page's list, and
flat query counts."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises.models import Celebration, Screen
from enterprises.services import celebrations as services
from tests.enterprises.sessions_setup import member
from tests.factories import DepartmentFactory, EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MONDAY = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cast(db, clock):
    a, b = EnterpriseFactory(name="一道新能源科技股份有限公司"), EnterpriseFactory(name="别家企业")
    return SimpleNamespace(
        a=a,
        b=b,
        owner=member(a),
        colleague=member(a),
        outsider=member(b),
        dispatcher=UserFactory(role="dispatcher"),
        leader=UserFactory(role="leader"),
        handler=UserFactory(role="handler", department=DepartmentFactory()),
        hall=Screen.objects.create(name="市行政中心大屏", slug="city-hall", location="市行政中心"),
    )


def ask(cast, *, actor=None, enterprise=None, text="热烈祝贺一道新能源成功上市", image=None):
    return services.celebration_request(
        actor=actor or cast.owner,
        enterprise=enterprise or cast.a,
        kind="listing",
        screen_text=text,
        starts_on=MONDAY + dt.timedelta(days=3),
        ends_on=MONDAY + dt.timedelta(days=3),
        screens=[cast.hall],
        image=image,
    )


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("who", "list_status", "new_status", "detail_status"),
    [
        ("owner", 200, 200, 200),
        ("colleague", 200, 200, 200),
        ("outsider", 200, 200, 404),
        ("dispatcher", 200, 200, 200),
        ("leader", 200, 403, 200),
        ("handler", 200, 403, 404),  # requested ones are not public
    ],
)
def test_who_reaches_what(client, cast, who, list_status, new_status, detail_status):
    celebration = ask(cast)
    login(client, getattr(cast, who))
    assert client.get("/enterprises/celebrations/").status_code == list_status
    assert client.get("/enterprises/celebrations/new/").status_code == new_status
    assert client.get(celebration.get_absolute_url()).status_code == detail_status


def test_requesting_on_the_page(client, cast):
    login(client, cast.owner)
    page = client.get("/enterprises/celebrations/new/").content.decode()
    assert cast.a.name in page and cast.b.name not in page  # only one's own enterprises
    data = {
        "enterprise": cast.a.pk,
        "kind": "listing",
        "screen_text": "热烈祝贺一道新能源成功上市",
        "starts_on": "2026-11-05",
        "ends_on": "2026-11-06",
        "screens": [cast.hall.pk],
        "image": SimpleUploadedFile("logo.png", PNG, content_type="image/png"),
    }
    response = client.post("/enterprises/celebrations/new/", data)
    celebration = Celebration.objects.get()
    assert response.status_code == 302 and response["Location"] == celebration.get_absolute_url()
    assert celebration.image_type == "image/png"


def test_a_bad_request_is_shown_again_and_nothing_saved(client, cast, settings):
    settings.CELEBRATIONS_PER_SCREEN_PER_DAY = 1
    services.celebration_approve(celebration=ask(cast, actor=cast.dispatcher), actor=cast.leader)
    login(client, cast.owner)
    base = {
        "enterprise": cast.a.pk,
        "kind": "listing",
        "screen_text": "热烈祝贺一道新能源成功上市",
        "starts_on": "2026-11-05",
        "ends_on": "2026-11-05",
        "screens": [cast.hall.pk],
    }
    full = client.post("/enterprises/celebrations/new/", base)
    assert full.status_code == 400
    assert "2026-11-05" in full.content.decode() and "市行政中心大屏" in full.content.decode()
    for override in (
        {"enterprise": cast.b.pk},
        {"screen_text": "短"},
        {"ends_on": "2026-11-01"},
        {"image": SimpleUploadedFile("fake.png", b"not an image")},
    ):
        assert (
            client.post("/enterprises/celebrations/new/", {**base, **override}).status_code == 400
        )
    assert Celebration.objects.count() == 1


def test_deciding_on_the_page(client, cast):
    first, second = ask(cast), ask(cast, text="祝贺一道新能源二期投产")
    login(client, cast.owner)
    assert client.post(f"/enterprises/celebrations/{first.pk}/approve/").status_code == 403
    login(client, cast.outsider)
    assert client.post(f"/enterprises/celebrations/{first.pk}/approve/").status_code == 404

    login(client, cast.leader)
    page = client.get(first.get_absolute_url()).content.decode()
    assert 'data-testid="approve-form"' in page
    assert client.post(f"/enterprises/celebrations/{first.pk}/approve/").status_code == 302
    response = client.post(f"/enterprises/celebrations/{second.pk}/decline/", {"reason": ""})
    assert response.status_code == 400
    response = client.post(f"/enterprises/celebrations/{second.pk}/decline/", {"reason": "重复"})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("approved", "declined")
    # Deciding twice is a warning, nothing changes.
    response = client.post(f"/enterprises/celebrations/{second.pk}/approve/", follow=True)
    assert "该亮灯申请已审批" in response.content.decode()
    second.refresh_from_db()
    assert second.status == "declined"
    page = client.get(second.get_absolute_url()).content.decode()
    assert 'data-testid="celebration-decision"' in page and "重复" in page


def test_the_image_is_shown_only_to_those_who_may_see_the_celebration(client, cast):
    celebration = ask(cast, image=SimpleUploadedFile("logo.png", PNG))
    path = f"/enterprises/celebrations/{celebration.pk}/image/"
    login(client, cast.colleague)
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert response["Cache-Control"] == "private, no-store"
    login(client, cast.outsider)
    assert client.get(path).status_code == 404


def test_the_enterprise_page_lists_its_celebrations(client, cast):
    mine = ask(cast)
    ask(cast, actor=cast.dispatcher, enterprise=cast.b, text="别家企业的喜事庆祝")
    login(client, cast.dispatcher)
    page = client.get(f"/enterprises/{cast.a.pk}/").content.decode()
    assert f"/enterprises/{cast.a.pk}/celebrations/" in page  # loaded into the page by htmx
    fragment = client.get(f"/enterprises/{cast.a.pk}/celebrations/").content.decode()
    assert mine.screen_text in fragment and "别家企业的喜事庆祝" not in fragment
    login(client, cast.colleague)
    assert (
        mine.screen_text in client.get(f"/enterprises/{cast.a.pk}/celebrations/").content.decode()
    )
    login(client, cast.outsider)
    assert client.get(f"/enterprises/{cast.a.pk}/celebrations/").status_code == 404


def count_queries(client, path: str) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_lists_run_a_fixed_number_of_queries(client, cast):
    def grow(count):
        for n in range(count):
            celebration = ask(cast, actor=cast.dispatcher, text=f"祝贺一道新能源第{n}个里程碑")
            if n % 2:
                services.celebration_decline(
                    celebration=celebration, actor=cast.leader, reason="否"
                )

    paths = ("/enterprises/celebrations/", f"/enterprises/{cast.a.pk}/celebrations/")
    grow(5)
    small = [
        count_queries(login(client, u), p) for u in (cast.dispatcher, cast.owner) for p in paths
    ]
    grow(45)
    large = [
        count_queries(login(client, u), p) for u in (cast.dispatcher, cast.owner) for p in paths
    ]
    assert small == large
