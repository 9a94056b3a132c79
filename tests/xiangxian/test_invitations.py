"""Invitations of events: sent in bulk and once, answered through the private link with a
waitlist promoted in order, and checked in once."""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.exceptions import Conflict
from portal.models import AuditLog, Notification
from xiangxian.models import Invitation, Xiangxian
from xiangxian.services import (
    invitation_answer,
    invitation_check_in,
    invitations_send,
)

pytestmark = pytest.mark.django_db


def _invite(event, people, actor, guests=()):
    return invitations_send(
        event=event, actor=actor, xiangxian_ids=[p.pk for p in people], guests=guests
    )


def test_inviting_creates_one_invitation_and_one_notification_each(
    make_event, make_invitee, make_person, staff_user
):
    event = make_event()
    people = [make_invitee(f"乡贤{i}") for i in range(3)]
    no_account = make_person(name="无账号")
    sent = _invite(
        event,
        [*people, no_account],
        staff_user,
        guests=[{"name": "嘉宾甲", "phone": "13911112222"}],
    )
    assert len(sent.created) == 5
    # Three accounts notified, the guest texted (see test_texts); the person with neither an
    # account nor a mobile number is reached through nothing but the private link.
    assert sent.notified == 4
    notes = Notification.objects.filter(kind="xiangxian.invited")
    assert notes.count() == 3
    assert {n.recipient_id for n in notes} == {p.account_id for p in people}
    note = notes.first()
    invitation = Invitation.objects.get(pk=note.target_id)
    assert note.url == f"/xiangxian/i/{invitation.token}/"
    assert AuditLog.objects.filter(target_id=str(event.pk), fields=["invitations"]).exists()


def test_inviting_again_sends_nothing_twice(make_event, make_invitee, staff_user):
    event = make_event()
    people = [make_invitee(f"乡贤{i}") for i in range(2)]
    guest = {"name": "嘉宾甲", "phone": "+86 13911112222"}
    _invite(event, people, staff_user, guests=[guest])
    later = make_invitee("后来者")
    again = _invite(event, [*people, later], staff_user, guests=[{**guest, "phone": "13911112222"}])
    assert [i.xiangxian_id for i in again.created] == [later.pk]
    assert again.already == 3
    assert Invitation.objects.filter(event=event).count() == 4
    assert Notification.objects.filter(kind="xiangxian.invited").count() == 3


def test_guests_are_checked_and_their_phone_is_encrypted(make_event, staff_user):
    event = make_event()
    with pytest.raises(ValidationError) as caught:
        _invite(
            event,
            [],
            staff_user,
            guests=[{"name": "", "phone": "13911112222"}, {"name": "乙", "phone": "123"}],
        )
    assert len(caught.value.message_dict["guests"]) == 2
    _invite(event, [], staff_user, guests=[{"name": "嘉宾甲", "phone": "13911112222"}])
    guest = Invitation.objects.get(event=event)
    assert guest.masked_guest_phone == "139****2222"
    with connection.cursor() as cursor:
        cursor.execute("SELECT guest_phone FROM xiangxian_invitation WHERE id = %s", [guest.pk])
        assert "13911112222" not in cursor.fetchone()[0]


def test_inviting_a_thousand_takes_a_fixed_number_of_queries(
    monkeypatch, make_event, jiangshan, medicine, staff_user
):
    # Django batches SQLite inserts by a 999-variable limit SQLite 3.32+ no longer has.
    if connection.vendor == "sqlite":
        monkeypatch.setattr(connection.features, "max_query_params", 32766)
    from portal.models import User

    def crowd(n, prefix):
        users = User.objects.bulk_create(
            [User(username=f"{prefix}{i}", role="entrepreneur") for i in range(n)]
        )
        return Xiangxian.objects.bulk_create(
            [
                Xiangxian(
                    name=f"{prefix}{i}",
                    hometown=jiangshan,
                    sector=medicine,
                    residence_province="上海市",
                    residence_city="上海市",
                    account=user,
                )
                for i, user in enumerate(users)
            ]
        )

    small, large = make_event(), make_event(capacity=2000)
    few_people, many_people = crowd(10, "few"), crowd(1000, "many")
    _invite(make_event(), few_people[:1], staff_user)  # warm the content-type cache
    with CaptureQueriesContext(connection) as few:
        _invite(small, few_people, staff_user)
    with CaptureQueriesContext(connection) as many:
        sent = _invite(large, many_people, staff_user)
    assert len(sent.created) == 1000 and sent.notified == 1000
    assert Invitation.objects.filter(event=large).count() == 1000
    assert (
        Notification.objects.filter(
            kind="xiangxian.invited", target_id__in=[i.pk for i in sent.created]
        ).count()
        == 1000
    )
    listing = "\n".join(q["sql"][:200] for q in many.captured_queries)
    assert len(many) == len(few), listing
    assert len(many) <= 15, listing


# --- answering --------------------------------------------------------------------------------


@pytest.fixture
def small_event(make_event, make_invitee, staff_user):
    event = make_event(capacity=2)
    people = [make_invitee(f"乡贤{i}") for i in range(5)]
    sent = _invite(event, people, staff_user)
    return event, sorted(sent.created, key=lambda i: i.pk)


def _fresh(invitation):
    invitation.refresh_from_db()
    return invitation


def test_accepting_when_full_puts_people_on_the_waitlist_in_order(small_event):
    _event, invitations = small_event
    answered = [invitation_answer(token=i.token, accept=True) for i in invitations]
    assert [a.status for a in answered] == [
        "accepted",
        "accepted",
        "waitlisted",
        "waitlisted",
        "waitlisted",
    ]
    assert [a.waitlist_position for a in answered[2:]] == [1, 2, 3]


def test_accepting_twice_changes_nothing(small_event):
    _event, invitations = small_event
    first = invitation_answer(token=invitations[0].token, accept=True)
    again = invitation_answer(token=invitations[0].token, accept=True)
    assert again.status == "accepted" and again.answered_at == first.answered_at
    for i in invitations[1:3]:
        invitation_answer(token=i.token, accept=True)
    waiting = invitation_answer(token=invitations[2].token, accept=True)
    assert waiting.status == "waitlisted" and waiting.waitlist_position == 1


def test_a_decline_promotes_the_first_on_the_waitlist_and_tells_them(small_event):
    _event, invitations = small_event
    for i in invitations[:4]:
        invitation_answer(token=i.token, accept=True)
    invitation_answer(token=invitations[0].token, accept=False)
    assert _fresh(invitations[0]).status == "declined"
    promoted = _fresh(invitations[2])
    assert promoted.status == "accepted" and promoted.waitlist_position is None
    assert _fresh(invitations[3]).status == "waitlisted"
    told = Notification.objects.filter(kind="xiangxian.promoted")
    assert [n.recipient_id for n in told] == [promoted.xiangxian.account_id]
    # A decline of someone who was only waiting frees no place.
    invitation_answer(token=invitations[3].token, accept=False)
    assert Notification.objects.filter(kind="xiangxian.promoted").count() == 1
    # Declining twice is once.
    invitation_answer(token=invitations[0].token, accept=False)
    assert Invitation.objects.filter(status="accepted").count() == 2


def test_a_declined_guest_may_accept_later_if_a_place_is_free(small_event):
    _event, invitations = small_event
    invitation_answer(token=invitations[0].token, accept=False)
    assert invitation_answer(token=invitations[0].token, accept=True).status == "accepted"


def test_a_larger_capacity_admits_the_waitlist(small_event, staff_user):
    from xiangxian.services import event_update
    from xiangxian.services.events import EVENT_FIELDS

    event, invitations = small_event
    for i in invitations:
        invitation_answer(token=i.token, accept=True)
    data = {name: getattr(event, name) for name in EVENT_FIELDS}
    event_update(event=event, actor=staff_user, data={**data, "capacity": 4}, version=event.version)
    assert [_fresh(i).status for i in invitations] == ["accepted"] * 4 + ["waitlisted"]
    assert _fresh(invitations[4]).waitlist_position == 3


def test_an_unknown_token_and_a_finished_event(make_event, make_invitee, staff_user):
    with pytest.raises(Invitation.DoesNotExist):
        invitation_answer(token="nothing", accept=True)
    start = timezone.now() - dt.timedelta(days=2)
    event = make_event(starts_at=start, ends_at=start + dt.timedelta(hours=2))
    invitation = _invite(event, [make_invitee()], staff_user).created[0]
    with pytest.raises(Conflict):
        invitation_answer(token=invitation.token, accept=True)


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="row locks need PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_two_declines_at_once_promote_two_different_people(
    reference_rows, make_event, make_invitee, staff_user
):
    event = make_event(capacity=2)
    people = [make_invitee(f"乡贤{i}") for i in range(4)]
    invitations = sorted(_invite(event, people, staff_user).created, key=lambda i: i.pk)
    for i in invitations:
        invitation_answer(token=i.token, accept=True)

    def decline(token):
        try:
            invitation_answer(token=token, accept=False)
        finally:
            connection.close()

    threads = [threading.Thread(target=decline, args=(i.token,)) for i in invitations[:2]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [_fresh(i).status for i in invitations] == [
        "declined",
        "declined",
        "accepted",
        "accepted",
    ]
    assert Notification.objects.filter(kind="xiangxian.promoted").count() == 2


# --- check-in ---------------------------------------------------------------------------------


def test_check_in_is_once_and_only_for_those_who_accepted(small_event, staff_user):
    event, invitations = small_event
    with pytest.raises(ValidationError):
        invitation_check_in(event=event, token=invitations[0].token, actor=staff_user)
    invitation_answer(token=invitations[0].token, accept=True)
    first = invitation_check_in(event=event, token=invitations[0].token, actor=staff_user)
    again = invitation_check_in(event=event, token=invitations[0].token, actor=staff_user)
    assert first.first_time and not again.first_time
    assert again.invitation.checked_in_at == first.invitation.checked_in_at
    assert (
        AuditLog.objects.filter(target_id=str(invitations[0].pk), fields=["checked_in_at"]).count()
        == 1
    )
    with pytest.raises(Conflict):
        invitation_answer(token=invitations[0].token, accept=False)
    with pytest.raises(ValidationError):
        invitation_check_in(event=event, token="nothing", actor=staff_user)


def test_a_merge_moves_invitations_and_refuses_two_of_one_event(
    make_event, make_invitee, make_person, staff_user
):
    from xiangxian.services import xiangxian_merge

    kept, repeat, third = make_person(name="甲"), make_person(name="甲"), make_person(name="甲")
    event, other = make_event(), make_event()
    _invite(event, [kept, repeat], staff_user)
    _invite(other, [third], staff_user)
    with pytest.raises(Conflict):
        xiangxian_merge(source=repeat, target=kept, actor=staff_user)
    xiangxian_merge(source=third, target=kept, actor=staff_user)
    assert Invitation.objects.get(event=other).xiangxian == kept
    # Undone, the invitation goes back to the record it was made for.
    from xiangxian.models import XiangxianMerge
    from xiangxian.services import xiangxian_merge_undo

    xiangxian_merge_undo(merge=XiangxianMerge.objects.get(source=third), actor=staff_user)
    assert Invitation.objects.get(event=other).xiangxian == third
