"""Invitees without an account are told by text message: guests (name and mobile) and people of
the registry who have a mobile number but no portal account. Each text goes once — the
invitation, a waitlist promotion, each change of their itinerary, each reminder — never to a
decliner or someone who opted out, and it reaches the SMS gateway through the outbox."""

import datetime as dt

import pytest

from portal.models import Delivery, Notification
from portal.services import deliveries_send
from xiangxian.models import ProgrammeItem
from xiangxian.services import (
    event_reminders_sweep,
    invitation_answer,
    invitation_itinerary_update,
    invitation_opt_out,
    invitations_send,
    programme_item_add,
    programme_item_update,
)

pytestmark = pytest.mark.django_db

GUEST = "13911112222"
REGISTRY_MOBILE = "13700001111"


@pytest.fixture(autouse=True)
def texts_on(settings):
    settings.SMS_BACKEND = "console"
    settings.PORTAL_BASE_URL = "https://tongxin.example.gov.cn"


def texts_to(phone):
    return [d for d in Delivery.objects.filter(channel="sms").order_by("pk") if d.phone == phone]


@pytest.fixture
def invited(make_event, make_invitee, make_person, staff_user):
    """An event with one registry person with an account, one with only a mobile, one with a
    landline only, and a guest."""
    event = make_event(capacity=10)
    with_account = make_invitee("有账号", phone="13600002222")
    mobile_only = make_person(name="只有手机", phone=REGISTRY_MOBILE)
    landline = make_person(name="只有座机", phone="0570-1234567")
    sent = invitations_send(
        event=event,
        actor=staff_user,
        xiangxian_ids=[with_account.pk, mobile_only.pk, landline.pk],
        guests=[{"name": "嘉宾甲", "phone": GUEST}],
    )
    by_name = {i.display_name: i for i in sent.created}
    return event, sent, by_name


def test_the_invitation_is_texted_to_the_guest_and_to_a_registry_mobile(invited):
    _event, sent, by_name = invited

    (guest_text,) = texts_to(GUEST)
    (registry_text,) = texts_to(REGISTRY_MOBILE)
    assert guest_text.text.startswith("【同心】诚邀您参加：寓外名医恳谈会 ")
    assert guest_text.text.endswith(
        f"https://tongxin.example.gov.cn/xiangxian/i/{by_name['嘉宾甲'].token}/"
    )
    assert registry_text.text.endswith(f"/xiangxian/i/{by_name['只有手机'].token}/")
    # The account holder is notified in the portal, not texted; the landline takes no text.
    assert Delivery.objects.filter(channel="sms").count() == 2
    assert Notification.objects.filter(kind="xiangxian.invited").count() == 1
    assert sent.notified == 3


def test_inviting_again_texts_nobody_twice(invited, staff_user):
    event, _sent, by_name = invited

    again = invitations_send(
        event=event,
        actor=staff_user,
        xiangxian_ids=[by_name["只有手机"].xiangxian_id],
        guests=[{"name": "嘉宾甲", "phone": "+86 " + GUEST}],
    )

    assert again.created == [] and again.already == 2
    assert Delivery.objects.filter(channel="sms").count() == 2


def test_with_texts_off_guests_are_invited_and_texted_nothing(settings, make_event, staff_user):
    settings.SMS_BACKEND = "off"
    sent = invitations_send(
        event=make_event(), actor=staff_user, guests=[{"name": "嘉宾乙", "phone": GUEST}]
    )
    assert len(sent.created) == 1
    assert not Delivery.objects.exists()


def test_a_guest_promoted_from_the_waitlist_is_texted(make_event, make_invitee, staff_user):
    event = make_event(capacity=1)
    first = make_invitee("先到者")
    sent = invitations_send(
        event=event,
        actor=staff_user,
        xiangxian_ids=[first.pk],
        guests=[{"name": "嘉宾甲", "phone": GUEST}],
    )
    mine, guest = sorted(sent.created, key=lambda i: i.is_guest)
    invitation_answer(token=mine.token, accept=True)
    assert invitation_answer(token=guest.token, accept=True).status == "waitlisted"

    invitation_answer(token=mine.token, accept=False)

    invitation, promotion = texts_to(GUEST)
    assert "名额" in promotion.subject
    assert promotion.text.endswith(f"/xiangxian/i/{guest.token}/")


def test_each_change_of_a_guests_itinerary_is_texted_once(invited, staff_user):
    event, _sent, by_name = invited
    guest = by_name["嘉宾甲"]
    invitation_answer(token=guest.token, accept=True)
    start = event.starts_at
    dinner = programme_item_add(
        event=event,
        actor=staff_user,
        data={
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=1),
            "place": "宴会厅",
            "what": "欢迎晚宴",
        },
    )
    data = {"starts_at": start, "ends_at": dinner.ends_at, "what": "欢迎晚宴"}

    programme_item_update(item=dinner, actor=staff_user, data={**data, "place": "二楼"}, version=1)
    programme_item_update(
        item=dinner, actor=staff_user, data={**data, "place": "二楼"}, version=2
    )  # the same again: no change
    invitation_itinerary_update(
        invitation=guest, actor=staff_user, hotel="衢州宾馆", transport="", seat="A1"
    )

    _invitation, item_text, hotel_text = texts_to(GUEST)
    assert "欢迎晚宴" in item_text.subject
    assert hotel_text.text.endswith(f"/xiangxian/i/{guest.token}/")
    # The registry person who did not accept is told nothing of the dinner.
    assert len(texts_to(REGISTRY_MOBILE)) == 1
    assert ProgrammeItem.objects.get(pk=dinner.pk).version == 2


def test_reminders_are_texted_once_to_guests_who_accepted_not_to_decliners_or_opt_outs(
    invited,
):
    event, _sent, by_name = invited
    invitation_answer(token=by_name["嘉宾甲"].token, accept=True)
    invitation_answer(token=by_name["只有手机"].token, accept=True)
    invitation_opt_out(token=by_name["只有手机"].token, opted_out=True)
    invitation_answer(token=by_name["有账号"].token, accept=False)
    day_before = event.starts_at - dt.timedelta(hours=23)

    assert event_reminders_sweep(now=day_before) == 1
    assert event_reminders_sweep(now=day_before) == 0
    assert event_reminders_sweep(now=event.starts_at - dt.timedelta(minutes=90)) == 1

    _invitation, day, two_hours = texts_to(GUEST)
    assert "提醒" in day.subject and "两小时" in two_hours.subject
    assert len(texts_to(REGISTRY_MOBILE)) == 1  # the invitation only: opted out
    assert not Notification.objects.filter(kind="xiangxian.reminder").exists()


def test_the_guests_invitation_reaches_the_gateway_once(
    sms_gateway, make_event, staff_user, django_capture_on_commit_callbacks
):
    sent = invitations_send(
        event=make_event(), actor=staff_user, guests=[{"name": "嘉宾甲", "phone": GUEST}]
    )
    (delivery,) = Delivery.objects.filter(channel="sms")

    assert deliveries_send([delivery.pk]) == {"sent": 1}
    assert deliveries_send([delivery.pk]) == {"skipped": 1}

    (received,) = sms_gateway.received
    assert received.body["phone"] == GUEST
    assert received.body["text"].endswith(f"/xiangxian/i/{sent.created[0].token}/")
