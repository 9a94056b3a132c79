"""Events and their programme: checked fields, edits without lost updates, a changed item told
once per change to those it concerns and shown on their itinerary, the counts, the scope."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from portal.exceptions import Conflict
from portal.models import AuditLog, Notification
from tests.factories import DepartmentFactory, UserFactory
from xiangxian import selectors
from xiangxian.models import Event, Invitation, ItineraryChange
from xiangxian.services import (
    event_update,
    invitation_answer,
    invitation_check_in,
    invitation_itinerary_update,
    invitations_send,
    programme_item_add,
    programme_item_update,
)
from xiangxian.services.events import EVENT_FIELDS, ITEM_FIELDS

pytestmark = pytest.mark.django_db


def test_an_event_is_checked_and_audited(make_event, staff_user):
    event = make_event()
    assert AuditLog.objects.filter(target_id=str(event.pk), action="create").exists()
    with pytest.raises(ValidationError) as caught:
        make_event(
            title="", capacity=0, kind="party", ends_at=event.starts_at - dt.timedelta(hours=1)
        )
    assert set(caught.value.message_dict) == {"title", "capacity", "kind", "ends_at"}


def test_the_database_refuses_an_event_ending_before_it_starts(make_event):
    event = make_event()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(ends_at=event.starts_at - dt.timedelta(hours=1))


def test_an_invitation_is_a_person_or_a_guest_never_both(make_event, make_person):
    event = make_event()
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(event=event, xiangxian=make_person(), guest_name="嘉宾")
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(event=event)


def test_an_edit_based_on_an_old_version_is_refused(make_event, staff_user):
    event = make_event()
    data = {name: getattr(event, name) for name in EVENT_FIELDS}
    event_update(event=event, actor=staff_user, data={**data, "venue": "新会场"}, version=1)
    with pytest.raises(Conflict):
        event_update(event=event, actor=staff_user, data={**data, "title": "别的"}, version=1)
    event.refresh_from_db()
    assert (event.venue, event.version) == ("新会场", 2)


@pytest.fixture
def programme(make_event, make_invitee, make_person, staff_user):
    """An event with three accepted invitees (one without an account), one declined, and two
    items: a dinner for everyone and a visit for the first invitee only."""
    event = make_event()
    people = [make_invitee(f"乡贤{i}") for i in range(3)] + [make_person(name="无账号")]
    invitations = sorted(
        invitations_send(
            event=event, actor=staff_user, xiangxian_ids=[p.pk for p in people]
        ).created,
        key=lambda i: i.pk,
    )
    for i in (invitations[0], invitations[1], invitations[3]):
        invitation_answer(token=i.token, accept=True)
    invitation_answer(token=invitations[2].token, accept=False)
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
    visit = programme_item_add(
        event=event,
        actor=staff_user,
        data={
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=2),
            "place": "衢州学院",
            "what": "参观",
        },
        audience=[invitations[0].pk],
    )
    return event, invitations, dinner, visit


def _data(item, **changes):
    return {**{name: getattr(item, name) for name in ITEM_FIELDS}, **changes}


def test_a_changed_item_tells_each_accepted_invitee_it_concerns_once(programme, staff_user):
    _event, invitations, dinner, visit = programme
    change = programme_item_update(
        item=dinner, actor=staff_user, data=_data(dinner, place="二楼宴会厅"), version=1
    )
    assert change.fields == ["place"] and change.before == {"place": "宴会厅"}
    told = Notification.objects.filter(kind="xiangxian.changed")
    # The two accepted invitees with accounts; not the decliner; the guest-like one without an
    # account sees it on the itinerary only.
    assert sorted(told.values_list("recipient", flat=True)) == sorted(
        [invitations[0].xiangxian.account_id, invitations[1].xiangxian.account_id]
    )
    # Saving the same again is no change and tells nobody.
    assert (
        programme_item_update(
            item=dinner, actor=staff_user, data=_data(dinner, place="二楼宴会厅"), version=2
        )
        is None
    )
    programme_item_update(
        item=visit, actor=staff_user, data=_data(visit, what="参观实验室"), version=1
    )
    assert told.count() == 3
    assert told.filter(recipient=invitations[0].xiangxian.account_id).count() == 2
    # A second change is a second notification.
    dinner.refresh_from_db()
    programme_item_update(
        item=dinner, actor=staff_user, data=_data(dinner, place="三楼"), version=dinner.version
    )
    assert told.count() == 5


def test_the_itinerary_shows_only_what_concerns_the_invitee_and_marks_changes(
    programme, staff_user
):
    _event, invitations, dinner, visit = programme
    programme_item_update(
        item=dinner, actor=staff_user, data=_data(dinner, place="二楼"), version=1
    )
    first, _own = selectors.itinerary_of(invitations[0])
    second, _own = selectors.itinerary_of(invitations[1])
    assert [(e.item.what, e.changed) for e in first] == [("欢迎晚宴", True), ("参观", False)]
    assert [(e.item.what, e.changed) for e in second] == [("欢迎晚宴", True)]


def test_a_changed_hotel_is_told_to_that_invitee_only(programme, staff_user):
    _event, invitations, _dinner, _visit = programme
    change = invitation_itinerary_update(
        invitation=invitations[0],
        actor=staff_user,
        hotel="衢州宾馆",
        transport="高铁 G7301",
        seat="A-12",
    )
    assert change.fields == ["hotel", "transport", "seat"]
    assert list(
        Notification.objects.filter(kind="xiangxian.changed").values_list("recipient", flat=True)
    ) == [invitations[0].xiangxian.account_id]
    _items, own = selectors.itinerary_of(invitations[0])
    assert own == [change]
    assert selectors.itinerary_of(invitations[1])[1] == []
    assert ItineraryChange.objects.count() == 1


def test_event_counts_in_one_query(programme, staff_user):
    event, invitations, _dinner, _visit = programme
    invitation_check_in(event=event, token=invitations[0].token, actor=staff_user)
    with CaptureQueriesContext(connection) as queries:
        counts = selectors.event_counts(event)
    assert len(queries) == 1
    assert counts == {
        "capacity": 100,
        "invited": 4,
        "accepted": 3,
        "waitlisted": 0,
        "declined": 1,
        "checked_in": 1,
    }
    listed = selectors.with_counts(Event.objects.filter(pk=event.pk)).get()
    assert (listed.invited, listed.accepted, listed.checked_in) == (4, 3, 1)


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("dispatcher", True),
        ("leader", True),
        ("admin", True),
        ("entrepreneur", False),
        ("handler", False),
        ("department_head", False),
    ],
)
def test_events_are_seen_by_the_registry_roles_only(make_event, role, sees):
    event = make_event()
    department = DepartmentFactory() if role in ("handler", "department_head") else None
    user = UserFactory(role=role, department=department)
    assert list(Event.objects.visible_to(user)) == ([event] if sees else [])
