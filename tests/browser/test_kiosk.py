"""The public kiosk of a screen in headless Chromium: no login, exactly today's approved
celebrations (not a declined, waiting or tomorrow's one), rotation, and what happens when the
network drops — it keeps showing what it loaded, and still drops a celebration whose day is over.
Screenshots are kept under the browser tests' artefacts folder."""

import datetime as dt
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import EnterpriseFactory
from tests.factories import UserFactory as Users

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def png(width: int = 240, height: int = 96, rgb=(255, 215, 0)) -> bytes:
    """A small, valid, solid-colour PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def stage(transactional_db, settings, tmp_path):
    from django.contrib.contenttypes.models import ContentType

    from enterprises.models import Screen
    from enterprises.services import celebrations as services

    settings.MEDIA_ROOT = tmp_path / "media"
    ContentType.objects.clear_cache()
    dispatcher = Users(username="desk", role="dispatcher")
    leader = Users(username="chief", role="leader")
    screen = Screen.objects.create(name="市行政中心大屏", slug="city-hall", location="市行政中心")
    today = timezone.localdate()

    def celebrate(text, *, start=today, decide="approve", image=None):
        celebration = services.celebration_request(
            actor=dispatcher,
            enterprise=EnterpriseFactory(name=f"{text[:8]}有限公司"),
            kind="listing",
            screen_text=text,
            starts_on=start,
            ends_on=start,
            screens=[screen],
            image=image,
        )
        if decide == "approve":
            services.celebration_approve(celebration=celebration, actor=leader)
        elif decide == "decline":
            services.celebration_decline(celebration=celebration, actor=leader, reason="不宜展示")
        return celebration

    return {"celebrate": celebrate, "today": today, "screen": screen}


def shown_text(page) -> str:
    return page.inner_text("#stage [data-testid=kiosk-text]")


def test_the_kiosk_shows_exactly_todays_approved_celebration(page, live_server, stage, screenshot):
    celebrate = stage["celebrate"]
    approved = celebrate(
        "热烈祝贺一道新能源科技股份有限公司成功上市",
        image=SimpleUploadedFile("logo.png", png(), content_type="image/png"),
    )
    celebrate("被婉拒的庆祝不应出现", decide="decline")
    celebrate("还在等待审批的庆祝", decide=None)
    celebrate("明天才亮灯的庆祝", start=stage["today"] + dt.timedelta(days=1))

    page.goto(f"{live_server.url}/screens/city-hall/")  # nobody is logged in
    page.wait_for_function("window.tongxinKiosk !== undefined")
    page.wait_for_selector(f"body[data-shown='{approved.pk}'] #stage .slide.is-current img")
    page.wait_for_function(
        "document.querySelector('#stage img').complete"
        " && document.querySelector('#stage img').naturalWidth > 0"
    )
    assert shown_text(page) == "热烈祝贺一道新能源科技股份有限公司成功上市"
    assert page.evaluate("window.tongxinKiosk.shown()") == [approved.pk]
    text = page.inner_text("body")
    for hidden in ("被婉拒", "还在等待", "明天才亮灯"):
        assert hidden not in text
    assert page.locator("nav").count() == 0  # no portal chrome
    screenshot("kiosk-01-today")


def test_the_kiosk_rotates_and_survives_the_network_dropping(page, live_server, stage, screenshot):
    celebrate = stage["celebrate"]
    first = celebrate("热烈祝贺一道新能源成功上市")
    second = celebrate("仙鹤特种纸业扎根衢州二十载")

    page.goto(f"{live_server.url}/screens/city-hall/?rotate=2&refresh=3600")
    page.wait_for_function("window.tongxinKiosk !== undefined")
    seen = set()
    for _ in range(40):  # one slide every two seconds: both show within a few seconds
        seen.add(page.evaluate("document.body.dataset.shown"))
        if len(seen) == 2:
            break
        page.wait_for_timeout(250)
    assert seen == {str(first.pk), str(second.pk)}

    # The network drops: a refresh fails, and the screen keeps rotating what it has.
    page.context.set_offline(True)
    assert page.evaluate("window.tongxinKiosk.refresh()") is False
    page.wait_for_selector("body[data-state=offline]")
    page.evaluate("window.tongxinKiosk.next()")
    assert shown_text(page) in {"热烈祝贺一道新能源成功上市", "仙鹤特种纸业扎根衢州二十载"}
    assert sorted(page.evaluate("window.tongxinKiosk.shown()")) == sorted([first.pk, second.pk])
    page.wait_for_function(  # the slide has faded in
        "getComputedStyle(document.querySelector('#stage .slide')).opacity === '1'"
    )
    screenshot("kiosk-02-offline")

    # Back online, the next refresh brings what was approved meanwhile.
    third = celebrate("衢州智造精密轴承获评省级专精特新")
    page.context.set_offline(False)
    assert page.evaluate("window.tongxinKiosk.refresh()") is True
    page.wait_for_selector("body[data-state=online]")
    assert third.pk in page.evaluate("window.tongxinKiosk.shown()")


def test_offline_a_celebration_disappears_when_its_day_is_over(
    page, live_server, stage, screenshot
):
    celebration = stage["celebrate"]("热烈祝贺一道新能源成功上市")
    now = timezone.now()
    page.clock.install(time=now)
    page.goto(f"{live_server.url}/screens/city-hall/")
    page.wait_for_function("window.tongxinKiosk !== undefined")
    page.wait_for_selector(f"body[data-shown='{celebration.pk}']")

    page.context.set_offline(True)
    # Midnight passes in Quzhou while the network is down: nothing out of date stays up.
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=5) + dt.timedelta(days=1)
    page.clock.set_system_time(midnight)
    page.evaluate("window.tongxinKiosk.next()")
    page.wait_for_selector("#stage [data-testid=kiosk-idle]")
    assert page.evaluate("window.tongxinKiosk.shown()") == []
    assert page.inner_text("#kiosk-date") == (stage["today"] + dt.timedelta(days=1)).isoformat()
    screenshot("kiosk-03-offline-next-day")
