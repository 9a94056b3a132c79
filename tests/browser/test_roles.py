"""Each demo role logs in through the real form and lands on its own home page."""

import io

import pytest
from django.core.management import call_command

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HOMES = {
    # username: (role badge, home heading) in Chinese, the default language
    "admin": ("管理员", "管理员工作台"),
    "dispatcher": ("受理员", "受理员工作台"),
    "handler1": ("承办人", "承办人工作台"),
    "depthead1": ("部门负责人", "部门负责人工作台"),
    "leader": ("领导", "领导总览"),
    "entrepreneur1": ("企业用户", "欢迎"),
}


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", password="tongxin-demo", stdout=io.StringIO())


def log_in(page, live_server, username: str, password: str = "tongxin-demo") -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")


@pytest.mark.parametrize("username", list(HOMES))
def test_each_role_reaches_its_home_page(page, live_server, demo, screenshot, username):
    badge, heading = HOMES[username]
    log_in(page, live_server, username)
    page.wait_for_selector("[data-testid=home-heading]")
    assert page.url == f"{live_server.url}/"
    assert heading in page.inner_text("[data-testid=home-heading]")
    assert page.inner_text("[data-testid=role-badge]").strip() == badge
    screenshot(f"home-{username}")


def test_wrong_password_shows_a_message_and_stays_on_login(page, live_server, demo):
    log_in(page, live_server, "dispatcher", "wrong-password")
    assert "/accounts/login/" in page.url
    assert "用户名或密码错误" in page.inner_text("main form")


def test_language_switch_to_english_and_back(page, live_server, demo, screenshot):
    log_in(page, live_server, "dispatcher")
    page.wait_for_selector("[data-testid=home-heading]")
    page.click("[data-testid=language-en]")
    page.wait_for_selector("text=Dispatcher's desk")
    assert page.inner_text("[data-testid=role-badge]").strip() == "Dispatcher"
    screenshot("home-dispatcher-en")
    page.click("[data-testid=language-zh-hans]")
    page.wait_for_selector("text=受理员工作台")


def test_dispatcher_verifies_a_registered_entrepreneur(page, live_server, demo, screenshot):
    from enterprises.models import Membership

    log_in(page, live_server, "dispatcher")
    page.goto(f"{live_server.url}/enterprises/memberships/")
    table = page.locator("[data-testid=membership-table]")
    assert "郑新民" in table.inner_text()
    assert "136****9876" in table.inner_text()
    table.get_by_role("button", name="显示").first.click()
    page.wait_for_selector("[data-testid=mobile-full]")
    assert page.inner_text("[data-testid=mobile-full]") == "13605709876"
    screenshot("memberships-dispatcher")
    table.get_by_role("button", name="审核通过").first.click()
    page.wait_for_selector(".alert-success")
    assert Membership.objects.get(user__username="applicant").status == "verified"


def test_entrepreneur_registers_with_the_region_picker(page, live_server, demo, screenshot):
    from enterprises.models import Enterprise, Membership
    from tests.factories import uscc_for

    page.goto(f"{live_server.url}/accounts/register/")
    page.fill("input[name=username]", "newboss")
    page.fill("input[name=password1]", "Quzhou-2026-secret")
    page.fill("input[name=password2]", "Quzhou-2026-secret")
    page.fill("input[name=name]", "钱多多")
    page.fill("input[name=mobile]", "13757001234")
    page.fill("input[name=uscc]", uscc_for(424242))
    page.fill("input[name=enterprise_name]", "衢州新材料测试有限公司")
    county = page.locator(".region-picker select").first
    county.select_option(label="柯城区")
    screenshot("register-filled")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=pending-verification]")
    enterprise = Enterprise.objects.get(name="衢州新材料测试有限公司")
    assert enterprise.region.name == "柯城区"
    assert Membership.objects.get(user__username="newboss").status == "pending"
    screenshot("register-done")
