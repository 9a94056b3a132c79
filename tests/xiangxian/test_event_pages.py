"""Event pages: who sees and edits what, the list's cost, creating, programme, inviting,
check-in — and the invitee's private page without sign-in, its QR code, a bad token's 404."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import Notification
from tests.factories import DepartmentFactory, UserFactory
from xiangxian.models import Event, Invitation
from xiangxian.services import (
    invitation_answer,
    invitations_send,
    programme_item_add,
)
from xiangxian.services.events import ITEM_FIELDS

pytestmark = pytest.mark.django_db


def logged(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def event(make_event):
    return make_event()


@pytest.fixture
def invitation(event, make_invitee, staff_user):
    return invitations_send(
        event=event, actor=staff_user, xiangxian_ids=[make_invitee("徐明远").pk]
    ).created[0]


def _staff_urls(event, invitation, item):
    return [
        f"/xiangxian/events/{event.pk}/",
        f"/xiangxian/events/{event.pk}/edit/",
        f"/xiangxian/events/{event.pk}/programme/new/",
        f"/xiangxian/events/programme/{item.pk}/edit/",
        f"/xiangxian/events/{event.pk}/invite/",
        f"/xiangxian/events/{event.pk}/check-in/",
        f"/xiangxian/events/invitations/{invitation.pk}/itinerary/",
    ]


@pytest.fixture
def item(event, staff_user):
    return programme_item_add(
        event=event,
        actor=staff_user,
        data={
            "starts_at": event.starts_at,
            "ends_at": event.starts_at + dt.timedelta(hours=1),
            "place": "宴会厅",
            "what": "欢迎晚宴",
        },
    )


@pytest.mark.parametrize("role", ["entrepreneur", "handler", "department_head"])
def test_outsiders_get_403_on_lists_and_404_on_events(client, event, invitation, item, role):
    department = None if role == "entrepreneur" else DepartmentFactory()
    logged(client, UserFactory(role=role, department=department))
    assert client.get("/xiangxian/events/").status_code == 403
    assert client.get("/xiangxian/events/new/").status_code == 403
    for url in _staff_urls(event, invitation, item):
        assert client.get(url).status_code in (403, 404), url
    assert client.get(f"/xiangxian/events/{event.pk}/").status_code == 404


def test_a_leader_reads_and_edits_nothing(client, event, invitation, item):
    logged(client, UserFactory(role="leader"))
    assert client.get("/xiangxian/events/").status_code == 200
    page = client.get(f"/xiangxian/events/{event.pk}/")
    assert page.status_code == 200 and "欢迎晚宴" in page.content.decode()
    for url in _staff_urls(event, invitation, item)[1:]:
        assert client.get(url).status_code == 403, url
    assert (
        client.post(
            f"/xiangxian/events/{event.pk}/check-in/", {"token": invitation.token}
        ).status_code
        == 403
    )


def test_the_list_costs_the_same_for_many_events(client, make_event, staff_user):
    logged(client, staff_user)
    make_event()
    client.get("/xiangxian/events/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/xiangxian/events/").status_code == 200
    for n in range(12):
        make_event(title=f"活动{n}")
    with CaptureQueriesContext(connection) as many:
        page = client.get("/xiangxian/events/")
    assert page.content.decode().count('data-testid="event-card"') == 13
    assert len(many) == len(few)


def test_a_dispatcher_creates_an_event_and_bad_input_is_a_form_error(client, staff_user):
    logged(client, staff_user)
    bad = client.post(
        "/xiangxian/events/new/",
        {"title": "", "kind": "conference", "starts_at": "2026-13-01T09:00", "capacity": "0"},
    )
    assert bad.status_code == 400
    made = client.post(
        "/xiangxian/events/new/",
        {
            "title": "乡贤大会",
            "kind": "conference",
            "starts_at": "2027-01-10T09:00",
            "ends_at": "2027-01-10T17:00",
            "venue": "衢州会展中心",
            "capacity": "300",
        },
    )
    event = Event.objects.get(title="乡贤大会")
    assert made.status_code == 302 and made["Location"] == f"/xiangxian/events/{event.pk}/"
    edit = client.post(
        f"/xiangxian/events/{event.pk}/edit/",
        {
            "title": "乡贤大会",
            "kind": "forum",
            "starts_at": "2027-01-10T09:00",
            "ends_at": "2027-01-10T08:00",
            "venue": "衢州会展中心",
            "capacity": "300",
            "version": "1",
        },
    )
    assert edit.status_code == 400


def test_inviting_by_numbers_screening_and_guests(client, event, make_invitee, staff_user):
    people = [make_invitee(f"乡贤{i}") for i in range(3)]
    logged(client, staff_user)
    response = client.post(
        f"/xiangxian/events/{event.pk}/invite/",
        {"ids": f"{people[0].pk}, #{people[1].pk}", "guests": "嘉宾甲, 13911112222"},
    )
    assert response.status_code == 302
    assert Invitation.objects.filter(event=event).count() == 3
    again = client.post(
        f"/xiangxian/events/{event.pk}/invite/", {"everyone_screened": "on", "q": "乡贤"}
    )
    assert again.status_code == 302
    assert Invitation.objects.filter(event=event).count() == 4
    assert Notification.objects.filter(kind="xiangxian.invited").count() == 3
    assert client.post(f"/xiangxian/events/{event.pk}/invite/", {"ids": "abc"}).status_code == 400
    assert (
        client.post(f"/xiangxian/events/{event.pk}/invite/", {"guests": "只有名字"}).status_code
        == 400
    )
    detail = client.get(f"/xiangxian/events/{event.pk}/").content.decode()
    assert "139****2222" in detail and "13911112222" not in detail


def test_the_private_link_works_without_sign_in(client, event, invitation, item, staff_user):
    url = f"/xiangxian/i/{invitation.token}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "徐明远" in page.content.decode() and 'data-testid="accept"' in page.content.decode()
    assert 'data-testid="qr"' not in page.content.decode()  # no check-in code before accepting
    answered = client.post(url, {"answer": "accept"})
    assert answered.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    page = client.get(url).content.decode()
    assert "<svg" in page and 'data-testid="qr"' in page and "欢迎晚宴" in page
    client.post(f"/xiangxian/i/{invitation.token}/reminders/", {"opted_out": "1"})
    invitation.refresh_from_db()
    assert invitation.opted_out


def test_a_bad_token_is_404(client, invitation):
    assert client.get("/xiangxian/i/not-a-token/").status_code == 404
    assert client.post("/xiangxian/i/not-a-token/", {"answer": "accept"}).status_code == 404
    assert client.post("/xiangxian/i/not-a-token/reminders/", {"opted_out": "1"}).status_code == 404
    assert client.get(f"/xiangxian/i/{invitation.token[:-1]}/").status_code == 404


def test_the_private_page_shows_nothing_of_other_invitees(client, event, make_invitee, staff_user):
    sent = invitations_send(
        event=event,
        actor=staff_user,
        xiangxian_ids=[make_invitee("甲某").pk],
        guests=[{"name": "乙嘉宾", "phone": "13911112222"}],
    )
    first, guest = sorted(sent.created, key=lambda i: i.pk)
    invitation_answer(token=guest.token, accept=True)
    programme_item_add(
        event=event,
        actor=staff_user,
        data={
            "starts_at": event.starts_at,
            "ends_at": event.starts_at,
            "place": "A",
            "what": "只给甲的参观",
        },
        audience=[first.pk],
    )
    page = client.get(f"/xiangxian/i/{guest.token}/").content.decode()
    assert "乙嘉宾" in page
    assert "甲某" not in page and "只给甲的参观" not in page and first.token not in page


def test_the_itinerary_marks_a_changed_item_and_the_invitee_is_told_once(
    client, event, invitation, item, staff_user
):
    invitation_answer(token=invitation.token, accept=True)
    logged(client, staff_user)
    data = {name: getattr(item, name) for name in ITEM_FIELDS}
    response = client.post(
        f"/xiangxian/events/programme/{item.pk}/edit/",
        {
            "starts_at": data["starts_at"].astimezone().strftime("%Y-%m-%dT%H:%M"),
            "ends_at": data["ends_at"].astimezone().strftime("%Y-%m-%dT%H:%M"),
            "place": "二楼宴会厅",
            "what": "欢迎晚宴",
            "version": "1",
        },
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(f"/xiangxian/i/{invitation.token}/").content.decode()
    assert 'data-testid="changed"' in page and "二楼宴会厅" in page and "宴会厅" in page
    assert Notification.objects.filter(kind="xiangxian.changed").count() == 1


def test_check_in_by_the_scanned_link_and_twice_is_once(client, event, invitation, staff_user):
    invitation_answer(token=invitation.token, accept=True)
    logged(client, staff_user)
    url = f"/xiangxian/events/{event.pk}/check-in/"
    scanned = client.get(url, {"token": invitation.token})
    assert scanned.status_code == 200 and invitation.token in scanned.content.decode()
    first = client.post(url, {"token": invitation.token})
    assert first.status_code == 200 and 'data-testid="check-in-done"' in first.content.decode()
    again = client.post(url, {"token": invitation.token})
    assert "alert-info" in again.content.decode()
    assert client.post(url, {"token": "nonsense"}).status_code == 400
    invitation.refresh_from_db()
    assert invitation.checked_in_at is not None


def test_a_programme_item_for_one_invitee_via_the_page(client, event, invitation, staff_user):
    logged(client, staff_user)
    response = client.post(
        f"/xiangxian/events/{event.pk}/programme/new/",
        {
            "starts_at": "2027-01-10T09:00",
            "ends_at": "2027-01-10T10:00",
            "place": "会客室",
            "what": "单独会见",
            "audience": [invitation.pk],
        },
    )
    assert response.status_code == 302
    item = event.programme.get()
    assert list(item.audience.all()) == [invitation]
    bad = client.post(
        f"/xiangxian/events/{event.pk}/programme/new/",
        {"starts_at": "2027-01-10T09:00", "ends_at": "2027-01-10T08:00", "place": "x", "what": "y"},
    )
    assert bad.status_code == 400
    stale = client.post(
        f"/xiangxian/events/programme/{item.pk}/edit/",
        {
            "starts_at": "2027-01-10T09:00",
            "ends_at": "2027-01-10T10:00",
            "place": "x",
            "what": "y",
            "version": "7",
        },
    )
    assert stale.status_code == 409


def test_the_event_page_costs_the_same_for_many_invitations(
    client, event, make_invitee, make_person, staff_user
):
    logged(client, staff_user)
    invitations_send(event=event, actor=staff_user, xiangxian_ids=[make_invitee("甲").pk])
    url = f"/xiangxian/events/{event.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    people = [make_person(name=f"乡贤{i}") for i in range(15)]
    sent = invitations_send(
        event=event,
        actor=staff_user,
        xiangxian_ids=[p.pk for p in people],
        guests=[{"name": "嘉宾", "phone": "13911112222"}],
    )
    programme_item_add(
        event=event,
        actor=staff_user,
        data={"starts_at": event.starts_at, "ends_at": event.starts_at, "place": "A", "what": "B"},
        audience=[i.pk for i in sent.created[:5]],
    )
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.content.decode().count('data-testid="invitation-card"') == 17
    # One more query at most: the audience of the programme items, prefetched once.
    assert len(many) <= len(few) + 1, "\n".join(q["sql"][:200] for q in many.captured_queries)
