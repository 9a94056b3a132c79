"""The channels page (``/notifications/preferences/``) and the notification centre around it:
each person sees and changes only their own choices, and the list links, labels and marks read
its items."""

import pytest
from django.urls import reverse

from portal.models import Delivery, Notification, NotificationPreference
from portal.services import notification_preferences_for, notify
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/notifications/preferences/"


@pytest.fixture
def robot_department():
    return DepartmentFactory(webhook_kind="dingtalk", webhook_url="https://oapi.example/robot")


@pytest.fixture
def owner(robot_department):
    return UserFactory(role="handler", department=robot_department, email="owner@example.gov.cn")


def form_of(response):
    return response.context["form"]


def test_the_url_is_named_in_the_portal_namespace():
    assert reverse("portal:notification-preferences") == URL


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.post(URL, {"by_email": "on"}).status_code == 302
    assert not NotificationPreference.objects.exists()


def test_the_page_shows_the_defaults_in_chinese(client, owner):
    client.force_login(owner)

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-hans"' in html
    assert "csrfmiddlewaretoken" in html
    initial = {name: form_of(response)[name].value() for name in ("by_email", "by_robot", "email")}
    assert initial == {"by_email": True, "by_robot": True, "email": "owner@example.gov.cn"}
    assert form_of(response)["in_app"].field.disabled
    assert not NotificationPreference.objects.exists()  # nothing saved by looking


def test_the_owner_saves_their_choices(client, owner):
    client.force_login(owner)

    response = client.post(URL, {"email": "new@example.gov.cn", "by_email": "on"})

    assert response.status_code == 302
    assert response["Location"] == URL
    preference = NotificationPreference.objects.get(user=owner)
    assert (preference.by_email, preference.by_robot) == (True, False)
    owner.refresh_from_db()
    assert owner.email == "new@example.gov.cn"
    assert notification_preferences_for(owner) == {"by_email": True, "by_robot": False}

    page = client.get(URL)
    assert form_of(page)["by_robot"].value() is False
    assert form_of(page)["email"].value() == "new@example.gov.cn"


def test_saved_choices_decide_the_deliveries(client, owner, robot_department):
    client.force_login(owner)
    client.post(URL, {"email": "owner@example.gov.cn"})  # neither e-mail nor robot

    notify(
        recipients=[owner],
        kind="tests.test",
        title="只在站内",
        webhook_departments=[robot_department],
    )

    assert Notification.objects.filter(recipient=owner).count() == 1
    assert not Delivery.objects.exists()


def test_email_needs_an_address_error_next_to_the_field(client, owner):
    client.force_login(owner)

    response = client.post(URL, {"email": "", "by_email": "on"})

    assert response.status_code == 200
    assert list(form_of(response).errors) == ["email"]
    (error,) = form_of(response).errors["email"]
    html = response.content.decode()
    # crispy-bootstrap5 puts the message under the field it is about.
    field_at = html.index('id="id_email"')
    assert html.index('id="error_1_id_email"') > field_at
    assert error in html[field_at:]
    assert "is-invalid" in html[html.rindex("<input", 0, field_at) : field_at + 20]
    assert not NotificationPreference.objects.exists()


def test_a_malformed_address_is_refused(client, owner):
    client.force_login(owner)

    response = client.post(URL, {"email": "not-an-address", "by_email": "on"})

    assert response.status_code == 200
    assert list(form_of(response).errors) == ["email"]
    owner.refresh_from_db()
    assert owner.email == "owner@example.gov.cn"


def test_someone_without_a_department_cannot_choose_the_robot(client, dispatcher):
    client.force_login(dispatcher)

    page = client.get(URL)
    assert form_of(page)["by_robot"].field.disabled

    client.post(URL, {"email": "", "by_robot": "on"})

    preference = NotificationPreference.objects.get(user=dispatcher)
    assert preference.by_robot is False


def test_nobody_can_reach_anyone_elses_choices(client, owner, leader):
    """There is no id in the URL: whatever is posted changes the signed-in person only."""
    client.force_login(leader)

    page = client.get(URL, {"user": owner.pk})
    client.post(URL, {"email": "x@example.gov.cn", "by_email": "on", "user": owner.pk})

    assert form_of(page)["email"].value() == ""
    assert owner.email not in page.content.decode()
    owner.refresh_from_db()
    assert owner.email == "owner@example.gov.cn"
    assert not NotificationPreference.objects.filter(user=owner).exists()
    assert NotificationPreference.objects.filter(user=leader).exists()


def test_the_notifications_page_links_to_the_preferences(client, owner):
    client.force_login(owner)

    html = client.get("/notifications/").content.decode()

    assert f'href="{URL}"' in html


# --- the notification centre ------------------------------------------------------------------


def item_html(html: str, notification) -> str:
    start = html.rindex("<li", 0, html.index(f'id="notification-{notification.pk}"'))
    return html[start : html.index("</li>", start)]


def test_each_item_shows_kind_time_unread_state_and_links_to_its_target(client, owner):
    target = DepartmentFactory()
    # A kind nobody registers (any more): a row of an app since removed. notify refuses such a
    # kind, so the row is written directly.
    unread = Notification.objects.create(
        recipient=owner,
        kind="tests.unregistered",
        title="去处理",
        url="/departments/",
        target=target,
    )
    (read,) = notify(recipients=[owner], kind="portal.calendar_missing_year", title="已读的")
    Notification.objects.filter(pk=read.pk).update(read_at=unread.created_at)
    client.force_login(owner)

    html = client.get("/notifications/").content.decode()

    item = item_html(html, unread)
    assert "notification-unread" in item and 'data-read="0"' in item
    assert str(target._meta.verbose_name) in item  # no registered label: what it is about
    assert 'name="follow" value="1"' in item and "去处理" in item
    assert "<time datetime=" in item
    other = item_html(html, read)
    assert 'data-read="1"' in other and "notification-unread" not in other
    assert "节假日" in other or "Holiday calendar" in other  # the core's own kind


def test_mark_read_with_htmx_answers_the_item_and_the_bell(client, owner):
    (first,) = notify(recipients=[owner], kind="tests.test", title="一")
    notify(recipients=[owner], kind="tests.test", title="二")
    client.force_login(owner)

    response = client.post("/notifications/read/", {"id": first.pk}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{first.pk}"' in html and 'data-read="1"' in html
    assert 'id="notification-bell"' in html and 'hx-swap-oob="true"' in html
    assert 'data-testid="unread-count">1<' in html
    assert Notification.objects.get(pk=first.pk).read_at is not None


def test_mark_read_with_htmx_of_someone_elses_item_changes_nothing(client, owner, leader):
    (theirs,) = notify(recipients=[leader], kind="tests.test", title="别人的")
    client.force_login(owner)

    response = client.post(
        "/notifications/read/", {"id": theirs.pk}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 302
    assert Notification.objects.get(pk=theirs.pk).read_at is None
