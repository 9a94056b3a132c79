"""Extensions, memberships and light-up days are portal's "decided request": asked once,
decided once, through ``portal.services.decide``."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises.models import Celebration, Extension, Membership
from portal.exceptions import Conflict
from portal.models import DecidedRequest
from portal.services import decide
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Extension, Membership, Celebration])
def test_each_stands_on_the_portal_base_and_keeps_its_table(model):
    assert issubclass(model, DecidedRequest)
    columns = {f.column for f in model._meta.concrete_fields}
    assert {"status", "decided_by_id", "decided_at", "decision_note", "requested_at"} <= columns
    assert model._meta.db_table == f"enterprises_{model.__name__.lower()}"


def test_the_decisions_are_each_models_own_words():
    assert Extension.decisions() == ["approved", "declined"]
    assert Membership.decisions() == ["verified", "rejected"]
    assert Celebration.decisions() == ["approved", "declined"]
    assert Celebration.pending_value == "requested"


def test_a_membership_is_requested_by_its_user():
    membership = MembershipFactory(status="pending")
    assert membership.requested_by == membership.user


def test_decide_records_who_when_what_and_why_once():
    dispatcher = UserFactory(role="dispatcher")
    membership = MembershipFactory(status="pending")
    with CaptureQueriesContext(connection) as queries:
        decide(membership, by=dispatcher, decision="rejected", note="材料不全")
    if connection.vendor == "postgresql":
        assert any("FOR UPDATE" in q["sql"] for q in queries)
    membership.refresh_from_db()
    assert membership.status == "rejected" and membership.decided_by == dispatcher
    assert membership.decided_at is not None and membership.decision_note == "材料不全"
    with pytest.raises(Conflict):
        decide(membership, by=dispatcher, decision="verified")
    membership.refresh_from_db()
    assert membership.status == "rejected"


def test_a_stale_copy_cannot_decide_again():
    """The row is read again under a lock: a copy loaded before the first decision loses."""
    dispatcher = UserFactory(role="dispatcher")
    membership = MembershipFactory(status="pending")
    stale = Membership.objects.get(pk=membership.pk)
    decide(membership, by=dispatcher, decision="verified")
    with pytest.raises(Conflict):
        decide(stale, by=dispatcher, decision="rejected")
    assert Membership.objects.get(pk=membership.pk).status == "verified"


def test_pending_is_not_a_decision():
    membership = MembershipFactory(status="pending")
    with pytest.raises(ValueError):
        decide(membership, by=UserFactory(role="dispatcher"), decision="pending")
    with pytest.raises(ValueError):
        decide(membership, by=UserFactory(role="dispatcher"), decision="approved")
    assert Membership.objects.get(pk=membership.pk).decided_at is None
