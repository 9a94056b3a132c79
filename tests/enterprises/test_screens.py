"""The public kiosk of a screen: no login, exactly today's approved celebrations of that screen
(never a requested, declined, past, future or other screen's one), its feed and images, and a
fixed number of queries."""

import datetime as dt
import json
import re
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises.models import Screen
from enterprises.services import celebrations as services
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MONDAY = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELEBRATIONS_PER_SCREEN_PER_DAY = 60


@pytest.fixture
def cast(db, clock):
    return SimpleNamespace(
        dispatcher=UserFactory(role="dispatcher"),
        leader=UserFactory(role="leader"),
        hall=Screen.objects.create(name="市行政中心大屏", slug="city-hall", location="市行政中心"),
        airport=Screen.objects.create(name="衢州机场大屏", slug="airport", location="衢州机场"),
    )


def celebrate(cast, text, *, start=MONDAY, end=None, screens=None, decide="approve", image=None):
    celebration = services.celebration_request(
        actor=cast.dispatcher,
        enterprise=EnterpriseFactory(name=f"{text}公司"),
        kind="award",
        screen_text=text,
        starts_on=start,
        ends_on=end or start,
        screens=screens or [cast.hall],
        image=image,
    )
    if decide == "approve":
        services.celebration_approve(celebration=celebration, actor=cast.leader)
    elif decide == "decline":
        services.celebration_decline(celebration=celebration, actor=cast.leader, reason="不宜")
    return celebration


def shown(html: str) -> list[str]:
    data = re.search(r'<script id="kiosk-feed" type="application/json">(.*?)</script>', html, re.S)
    return [item["text"] for item in json.loads(data.group(1))["items"]]


def test_the_kiosk_shows_exactly_todays_approved_celebrations(client, cast, clock):
    celebrate(cast, "今天获批的喜事", start=MONDAY, end=MONDAY + dt.timedelta(days=1))
    celebrate(cast, "被婉拒的喜事", decide="decline")
    celebrate(cast, "还在等待的喜事", decide=None)
    celebrate(cast, "明天才亮灯的喜事", start=MONDAY + dt.timedelta(days=1))
    celebrate(cast, "只在机场的喜事", screens=[cast.airport])
    clock.set(MONDAY - dt.timedelta(days=1))
    celebrate(cast, "昨天已结束的喜事", start=MONDAY - dt.timedelta(days=1))
    clock.set(MONDAY)

    response = client.get("/screens/city-hall/")  # anonymous
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert shown(html) == ["今天获批的喜事"]
    for hidden in ("被婉拒", "还在等待", "明天才亮灯", "只在机场", "昨天已结束"):
        assert hidden not in html
    assert 'class="navbar' not in html  # no portal chrome
    assert "portal/js/kiosk.js" in html and 'data-time-zone="Asia/Shanghai"' in html

    feed = client.get("/screens/city-hall/feed/")
    assert feed.status_code == 200 and feed["Cache-Control"] == "no-store"
    body = feed.json()
    assert body["today"] == "2026-11-02"
    assert [i["text"] for i in body["items"]] == ["今天获批的喜事"]
    assert set(body["items"][0]) == {
        "id", "enterprise", "kind", "kind_label", "text", "image", "starts_on", "ends_on",
    }  # fmt: skip
    assert shown(client.get("/screens/airport/").content.decode()) == ["只在机场的喜事"]

    clock.set(MONDAY + dt.timedelta(days=1))
    assert [i["text"] for i in client.get("/screens/city-hall/feed/").json()["items"]] == [
        "今天获批的喜事",
        "明天才亮灯的喜事",
    ]


def test_an_empty_day_shows_the_idle_slide(client, cast):
    html = client.get("/screens/city-hall/").content.decode()
    assert 'data-testid="kiosk-idle"' in html and shown(html) == []


def test_unknown_and_inactive_screens_are_404(client, cast):
    assert client.get("/screens/nowhere/").status_code == 404
    Screen.objects.filter(pk=cast.hall.pk).update(is_active=False)
    assert client.get("/screens/city-hall/").status_code == 404
    assert client.get("/screens/city-hall/feed/").status_code == 404


def test_only_approved_images_on_the_screen_are_public(client, cast):
    approved = celebrate(cast, "有图的喜事", image=SimpleUploadedFile("a.png", PNG))
    waiting = celebrate(cast, "待定有图", decide=None, image=SimpleUploadedFile("b.png", PNG))
    item = client.get("/screens/city-hall/feed/").json()["items"][0]
    assert item["image"] == f"/screens/city-hall/images/{approved.pk}/"
    response = client.get(item["image"])
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=86400"
    assert client.get(f"/screens/city-hall/images/{waiting.pk}/").status_code == 404
    assert client.get(f"/screens/airport/images/{approved.pk}/").status_code == 404


def test_the_text_is_escaped(client, cast):
    celebrate(cast, "<script>alert(1)</script>祝贺")
    html = client.get("/screens/city-hall/").content.decode()
    assert "<script>alert(1)</script>" not in html


def test_tuning_parameters_are_bounded(client, cast):
    html = client.get("/screens/city-hall/?rotate=0&refresh=abc").content.decode()
    assert 'data-rotate="1"' in html and 'data-refresh="60"' in html


def test_the_kiosk_runs_a_fixed_number_of_queries(client, cast):
    def grow(count):
        for n in range(count):
            celebrate(
                cast, f"第{n}件喜事庆祝", image=SimpleUploadedFile("a.png", PNG) if n % 2 else None
            )

    def count(path):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured.captured_queries)

    grow(5)
    small = [count("/screens/city-hall/"), count("/screens/city-hall/feed/")]
    grow(45)
    large = [count("/screens/city-hall/"), count("/screens/city-hall/feed/")]
    assert small == large
    assert len(shown(client.get("/screens/city-hall/").content.decode())) == 50


def test_the_page_answers_head_so_the_script_can_check_before_reloading(client, cast):
    assert client.head("/screens/city-hall/").status_code == 200
    assert client.post("/screens/city-hall/").status_code == 405
