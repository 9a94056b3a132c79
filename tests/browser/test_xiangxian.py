"""The xiangxian registry in headless Chromium: an Excel import with a bad row from upload to the
file of rejected rows; screening by tag and sector, saved and opened by a colleague; an
invitation answered on its private link without signing in, and the itinerary showing a changed
programme item; and the main pages on a phone (390 × 844): nothing wider than the screen, and no
serious or critical axe-core finding. Screenshots go to the browser tests' artefacts folder."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from tests.factories import PASSWORD
from tests.factories import UserFactory as Users

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def office(transactional_db, settings, tmp_path):
    """Two colleagues of the united-front office (dispatchers)."""
    from django.contrib.contenttypes.models import ContentType

    settings.MEDIA_ROOT = tmp_path / "media"
    # An earlier transactional test may have flushed the database under this process's caches.
    ContentType.objects.clear_cache()
    # ... and the reference rows its migrations wrote (built-in regions, the sectors).
    from portal.regions import ensure_built_in_regions
    from xiangxian.models import Sector

    ensure_built_in_regions()
    for order, name in enumerate(("医卫", "商界", "科教", "文化", "法律", "金融", "其他"), 1):
        Sector.objects.get_or_create(name=name, defaults={"sort_order": order * 10})
    return {
        "desk": Users(username="desk", name="王晓燕", role="dispatcher"),
        "colleague": Users(username="desk2", name="陈丽华", role="dispatcher"),
    }


def log_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=home-heading]")


def names_listed(page) -> list[str]:
    cards = page.locator("[data-testid=person-card] a.fw-semibold")
    return sorted(cards.nth(i).inner_text().strip() for i in range(cards.count()))


def serious_axe_findings(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it stands."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(
            f"{node['target'][0]} {node['any'][0]['message'] if node['any'] else ''}"
            for node in v["nodes"][:6]
        )
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def person(actor, name: str, *, phone: str, sector: str = "医卫", tags=(), **fields):
    from portal.models import Region
    from xiangxian.models import Sector
    from xiangxian.services import xiangxian_create

    data = {
        "name": name,
        "gender": "male",
        "birth_year": "1968",
        "hometown": Region.objects.get(code="330881000000").pk,  # 江山市
        "residence_province": "上海市",
        "residence_city": "上海市",
        "sector": Sector.objects.get(name=sector).pk,
        "organisation": "复旦大学附属中山医院",
        "title": "主任医师",
        "phone": phone,
        "referral": "association",
        **fields,
    }
    return xiangxian_create(actor=actor, data=data, tags=[tag.pk for tag in tags])


# --- 1. import --------------------------------------------------------------------------------


def people_workbook(path: Path) -> None:
    from xiangxian.imports import COLUMNS

    headers = [column.header for column in COLUMNS]

    def row(**values):
        base = {
            "姓名": "",
            "性别": "男",
            "出生年份": 1970,
            "籍贯": "江山市",
            "现居省份": "上海",
            "现居城市": "上海市",
            "领域": "医卫",
            "单位": "上海某医院",
            "职务": "主任医师",
            "手机号": "",
            "推荐来源": "乡贤会",
            "重点人士": "否",
        }
        base.update(values)
        return [base.get(header, "") for header in headers]

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    sheet.append(row(姓名="周文博", 出生年份=1966, 手机号="13900001001"))
    sheet.append(row(姓名="缺籍贯", 出生年份=1971, 籍贯="", 手机号="13900001002"))
    sheet.append(row(姓名="郑雅琴", 性别="女", 出生年份=1975, 手机号="13900001003"))
    workbook.save(path)


def test_an_import_with_a_bad_row_from_upload_to_the_error_file(
    page, live_server, office, screenshot, tmp_path
):
    from xiangxian.models import Xiangxian

    upload = tmp_path / "乡贤名单.xlsx"
    people_workbook(upload)
    log_in(page, live_server, "desk")
    page.goto(f"{live_server.url}/imports/new/")
    page.select_option("#id_kind", value="xiangxian.people")
    page.set_input_files("#id_file", str(upload))
    screenshot("xx-import-01-upload")
    page.click("[data-testid=import-form] button[type=submit]")

    # The mapping page: the Chinese headers are matched to the fields already.
    page.wait_for_selector("[data-testid=mapping-form]")
    mapping = {
        page.inner_text(f"label[for='{select.get_attribute('id')}']").strip(): select.input_value()
        for select in page.locator("[data-testid=mapping-select]").all()
    }
    assert mapping["姓名"] == "name" and mapping["籍贯"] == "hometown"
    screenshot("xx-import-02-mapping")
    page.click("[data-testid=mapping-form] button[type=submit]")

    # The dry run: one row refused with its reason, nothing written yet.
    page.wait_for_selector("[data-testid=import-report]")
    summary = page.inner_text("[data-testid=import-summary]")
    assert "3" in summary and "2" in summary and "1" in summary
    errors = page.locator("[data-testid=import-error]")
    assert errors.count() == 1
    assert errors.locator("[data-testid=error-row]").inner_text().strip() == "3"
    assert errors.locator("[data-testid=error-column]").inner_text().strip() == "籍贯"
    reason = errors.locator("td").nth(3).inner_text().strip()
    assert reason
    assert not Xiangxian.objects.exists()
    screenshot("xx-import-03-dry-run")

    # Valid rows only.
    page.check("[data-testid=apply-form] input[name=mode][value=valid]")
    page.click("[data-testid=apply-form] button[type=submit]")
    page.wait_for_selector("[data-testid=import-status]")
    page.wait_for_function("document.querySelector('[data-testid=apply-form]') === null")
    screenshot("xx-import-04-applied")
    assert sorted(Xiangxian.objects.values_list("name", flat=True)) == ["周文博", "郑雅琴"]

    # The rejected rows, with the reason, as a workbook.
    with page.expect_download() as download:
        page.click("[data-testid=rejected-download]")
    saved = tmp_path / "rejected.xlsx"
    download.value.save_as(saved)
    sheet = load_workbook(io.BytesIO(saved.read_bytes())).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][-1] == "拒收原因" or rows[0][-1]  # the reason column's header
    assert len(rows) == 2
    assert rows[1][0] == "缺籍贯"
    assert "籍贯" in rows[1][-1] and reason in rows[1][-1]


# --- 2. screening and saved searches ----------------------------------------------------------


@pytest.fixture
def tagged(office):
    from portal.models import Tag, TagCategory

    category = TagCategory.objects.create(name="专长")
    famous = Tag.objects.create(category=category, name="名医")
    investor = Tag.objects.create(category=category, name="投资人")
    desk = office["desk"]
    person(desk, "徐明远", phone="13900002001", tags=[famous])
    person(desk, "吴静怡", phone="13900002002", birth_year="1972", tags=[famous, investor])
    person(desk, "毛建平", phone="13900002003", sector="商界", tags=[famous])  # other sector
    person(desk, "祝海涛", phone="13900002004", birth_year="1980")  # no tag
    person(desk, "姜伟", phone="13900002005", sector="商界", tags=[investor])
    return {"famous": famous, "investor": investor}


def test_screening_by_tag_and_sector_and_a_colleague_opens_the_saved_search(
    page, browser, live_server, office, tagged, screenshot
):
    log_in(page, live_server, "desk")
    page.goto(f"{live_server.url}/xiangxian/")
    assert len(names_listed(page)) == 5
    page.select_option("#id_sector", label="医卫")
    page.select_option("#id_tags", value=str(tagged["famous"].pk))
    page.click("[data-testid=screen-submit]")
    page.wait_for_selector("[data-testid=save-search-form]")
    assert names_listed(page) == sorted(["徐明远", "吴静怡"])
    screened_url = page.url
    screenshot("xx-screen-01-results")

    page.fill("#id_search_name", "医卫名医")
    assert page.is_checked("#id_search_shared")
    page.click("[data-testid=save-search-form] button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert names_listed(page) == sorted(["徐明远", "吴静怡"])
    screenshot("xx-screen-02-saved")

    # The colleague, in a browser of their own, opens the shared search from the list.
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    other = context.new_page()
    other.set_default_timeout(15_000)
    try:
        log_in(other, live_server, "desk2")
        other.goto(f"{live_server.url}/xiangxian/")
        assert len(names_listed(other)) == 5
        saved = other.locator("[data-testid=saved-searches] a", has_text="医卫名医")
        assert "王晓燕" in other.inner_text("[data-testid=saved-searches]")
        saved.click()
        other.wait_for_selector("[data-testid=save-search-form]")
        assert names_listed(other) == sorted(["徐明远", "吴静怡"])
        assert other.input_value("#id_sector") == page.input_value("#id_sector")
        assert other.url.split("?", 1)[1] and screened_url
        other.screenshot(path=str(_artefact("xx-screen-03-colleague")), full_page=True)
    finally:
        context.close()


# --- 3. the invitation's private link and the itinerary ---------------------------------------


@pytest.fixture
def event_with_invitee(office):
    from xiangxian.services import event_create, invitations_send, programme_item_add

    desk = office["desk"]
    invitee = person(desk, "叶振华", phone="13900003001", birth_year="1962")
    invitee.account = Users(username="ye", name="叶振华", role="entrepreneur")
    invitee.save(update_fields=["account"])
    start = (timezone.localtime() + dt.timedelta(days=5)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    event = event_create(
        actor=desk,
        data={
            "title": "寓外名医恳谈会",
            "kind": "conference",
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=8),
            "venue": "衢州国际大酒店",
            "capacity": 100,
            "organiser": "市委统战部",
        },
    )
    item = programme_item_add(
        event=event,
        actor=desk,
        data={
            "starts_at": start + dt.timedelta(hours=9),
            "ends_at": start + dt.timedelta(hours=11),
            "place": "一楼宴会厅",
            "what": "欢迎晚宴",
        },
    )
    invitation = invitations_send(event=event, actor=desk, xiangxian_ids=[invitee.pk]).created[0]
    return {"event": event, "item": item, "invitation": invitation, "person": invitee}


def test_an_invitation_answered_on_its_private_link_and_a_changed_item(
    page, browser, live_server, office, event_with_invitee, screenshot
):
    from portal.models import Notification

    invitation = event_with_invitee["invitation"]
    event = event_with_invitee["event"]
    private_url = f"{live_server.url}/xiangxian/i/{invitation.token}/"

    # The invitee opens the link in a browser that has never signed in.
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    guest = context.new_page()
    guest.set_default_timeout(15_000)
    try:
        guest.goto(private_url)
        assert "/accounts/login/" not in guest.url
        assert "叶振华" in guest.inner_text("[data-testid=answer]")
        assert not guest.locator("[data-testid=qr]").count()
        guest.screenshot(path=str(_artefact("xx-invite-01-private")), full_page=True)
        guest.click("[data-testid=accept]")
        guest.wait_for_selector("[data-testid=itinerary]")
        assert "欢迎晚宴" in guest.inner_text("[data-testid=itinerary]")
        assert not guest.locator("[data-testid=changed]").count()
        assert guest.locator("[data-testid=qr] svg").count() == 1
        invitation.refresh_from_db()
        assert invitation.status == "accepted"
        guest.screenshot(path=str(_artefact("xx-invite-02-accepted")), full_page=True)

        # The office moves the dinner to another hall on the event's page.
        log_in(page, live_server, "desk")
        page.goto(f"{live_server.url}/xiangxian/events/{event.pk}/")
        page.click("[data-testid=programme] a:has-text('编辑')")
        page.wait_for_selector("[data-testid=item-form]")
        assert page.input_value("#id_place") == "一楼宴会厅"
        page.fill("#id_place", "二楼多功能厅")
        screenshot("xx-invite-03-staff-edits-item")
        page.click("[data-testid=item-submit]")
        page.wait_for_url(f"{live_server.url}/xiangxian/events/{event.pk}/")
        assert "二楼多功能厅" in page.inner_text("[data-testid=programme]")
        screenshot("xx-invite-04-event-page")

        # The invitee reloads the private page: the item is marked changed, with what changed.
        guest.reload()
        item = guest.locator("[data-testid=itinerary-item]", has_text="欢迎晚宴")
        assert item.locator("[data-testid=changed]").count() == 1
        assert "二楼多功能厅" in item.inner_text()
        change = item.locator("[data-testid=change]").inner_text()
        assert "一楼宴会厅" in change  # what it was
        assert guest.locator("[data-testid=qr] svg").count() == 1
        guest.screenshot(path=str(_artefact("xx-invite-05-changed")), full_page=True)
        assert Notification.objects.filter(kind="xiangxian.changed").count() == 1
    finally:
        context.close()


def _artefact(name: str) -> Path:
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"


# --- 4. on a phone ----------------------------------------------------------------------------


def test_the_pages_on_a_phone_fit_the_screen_and_pass_axe(
    browser, live_server, office, tagged, event_with_invitee
):
    from xiangxian.services import invitation_answer

    invitation = event_with_invitee["invitation"]
    invitation_answer(token=invitation.token, accept=True)
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, bypass_csp=True
    )
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    findings = {}
    try:
        log_in(phone, live_server, "desk")
        pages = {
            "list": "/xiangxian/",
            "person": f"/xiangxian/{event_with_invitee['person'].pk}/",
            "event": f"/xiangxian/events/{event_with_invitee['event'].pk}/",
        }
        for name, path in pages.items():
            phone.goto(f"{live_server.url}{path}")
            if name == "list":  # the people as cards, one under the other
                cards = phone.locator("[data-testid=person-card]")
                assert cards.count() == 6
                first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
                assert second["y"] >= first["y"] + first["height"]
            phone.screenshot(path=str(_artefact(f"xx-phone-{name}")), full_page=True)
            assert fits_the_screen(phone), f"{path} is wider than the phone"
            findings[path] = serious_axe_findings(phone)
        phone.context.clear_cookies()
        private = f"/xiangxian/i/{invitation.token}/"
        phone.goto(f"{live_server.url}{private}")
        phone.wait_for_selector("[data-testid=qr] svg")
        phone.screenshot(path=str(_artefact("xx-phone-private")), full_page=True)
        assert fits_the_screen(phone), "the private page is wider than the phone"
        findings[private] = serious_axe_findings(phone)
    finally:
        context.close()
    assert findings == {path: [] for path in findings}
