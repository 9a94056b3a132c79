"""Races on PostgreSQL with real connections (threads, one connection each): two colleagues
saving the same alliance from the same version, and adding the same village at once. Each
service is slowed down between its check and its write, so without the row lock (and the
unique open membership) both would succeed."""

import time
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from alliances import services
from alliances.models import Alliance, Membership
from alliances.services import alliances as alliance_services
from portal.exceptions import Conflict
from tests.concurrency import race

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _slow(real):
    def slower(*args, **kwargs):
        time.sleep(0.2)
        return real(*args, **kwargs)

    return slower


def test_two_edits_from_one_version(postgres, make_alliance, office, places):
    alliance = make_alliance()

    def edit(description):
        return lambda: services.alliance_update(
            actor=office,
            alliance=alliance.pk,
            data={
                "name": alliance.name,
                "founded_on": alliance.founded_on,
                "lead_village": alliance.lead_village,
                "kinds": ["industry"],
                "description": description,
            },
            version=1,
        )

    with mock.patch.object(
        alliance_services, "audit_record", _slow(alliance_services.audit_record)
    ):
        results = race(edit("甲"), edit("乙"))
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    saved = Alliance.objects.get()
    assert saved.version == 2 and saved.description in ("甲", "乙")


def test_the_same_village_added_twice_at_once(postgres, make_alliance, office, places):
    alliance = make_alliance()

    def add():
        return services.membership_add(
            actor=office, alliance=alliance, region=places["js_b"], joined_on="2022-01-01"
        )

    with mock.patch.object(
        alliance_services, "audit_record", _slow(alliance_services.audit_record)
    ):
        results = race(add, add)
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert Membership.objects.filter(region=places["js_b"]).count() == 1
