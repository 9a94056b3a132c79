"""``GET /api/v1/xiangxian/events/`` and ``/{id}/``: capacity and invitations by answer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from portal.models import Region, User
from portal.services import role_grant
from tests.factories import DepartmentFactory, UserFactory
from xiangxian.services import invitation_answer, invitations_send

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/xiangxian/events/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def conference(make_event, make_invitee, staff_user):
    event = make_event(title="寓外名医恳谈会", capacity=2)
    people = [make_invitee(name=f"受邀{n}") for n in range(4)]
    sent = invitations_send(event=event, actor=staff_user, xiangxian_ids=[p.pk for p in people])
    by_person = {i.xiangxian_id: i for i in sent.created}
    for person in people[:3]:  # two accepted, the third waits
        invitation_answer(token=by_person[person.pk].token, accept=True)
    return event


def test_an_event_counts_its_invitations_from_the_rows(conference, staff_user):
    response = api(staff_user).get(f"{EVENTS}{conference.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "寓外名医恳谈会"
    assert {
        k: body[k] for k in ("capacity", "invited", "accepted", "waitlisted", "checked_in")
    } == {
        "capacity": 2,
        "invited": 4,
        "accepted": 2,
        "waitlisted": 1,
        "checked_in": 0,
    }


def test_the_list_is_paginated_and_flat_in_rows(make_event, staff_user):
    make_event(title="第一场")
    client = api(staff_user)
    client.get(EVENTS)
    with CaptureQueriesContext(connection) as few:
        assert client.get(EVENTS).json()["count"] == 1
    for n in range(10):
        make_event(title=f"第{n}场")
    with CaptureQueriesContext(connection) as many:
        body = client.get(EVENTS).json()
    assert body["count"] == 11 and len(body["results"]) == 11
    assert len(few) == len(many)


@pytest.mark.parametrize("role", ["dispatcher", "leader", "admin", "county_staff"])
def test_the_registry_roles_read_events(conference, role):
    user = UserFactory(role=role)
    if role == "county_staff":
        role_grant(user=user, role=role, region=Region.objects.get(code="330881000000"), actor=None)
        user = User.objects.get(pk=user.pk)
    assert api(user).get(EVENTS).status_code == 200
    assert api(user).get(f"{EVENTS}{conference.pk}/").status_code == 200


@pytest.mark.parametrize("role", ["entrepreneur", "handler", "department_head"])
def test_others_get_403_on_the_list_and_404_on_an_event(conference, role):
    department = None if role == "entrepreneur" else DepartmentFactory()
    user = UserFactory(role=role, department=department)
    assert api(user).get(EVENTS).status_code == 403
    assert api(user).get(f"{EVENTS}{conference.pk}/").status_code == 404


def test_anonymous_gets_401_and_a_write_405(conference, staff_user):
    assert APIClient().get(EVENTS).status_code == 401
    assert api(staff_user).post(EVENTS, {}).status_code == 405
