"""Two people of the office acting on one submitted evaluation at once (PostgreSQL row locks):
exactly one step wins, the other gets a ``Conflict``; the grade is stored once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings

from nonparty import services
from nonparty.models import Evaluation, Liaison, Status
from portal.exceptions import Conflict
from tests.concurrency import race
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="row locks need PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_review_and_return_at_once_one_wins(reference_rows, make_person):
    office, colleague = (UserFactory(role="dispatcher", name=n) for n in ("王受理", "李受理"))
    cadre = UserFactory(role="liaison", name="傅联络")
    person = make_person(name="甲", status=Status.RECOGNISED)
    Liaison.objects.create(cadre=cadre, person=person, starts_on=dt.date(2023, 1, 1))
    scheme = services.scheme_save(
        actor=None,
        year=2023,
        dimensions=[("政治表现", 50), ("履职建言", 50)],
        grades=[("优秀", Decimal(90)), ("合格", Decimal(0))],
    )
    evaluation = services.evaluation_save(
        actor=cadre,
        person=person,
        year=2023,
        rows={d.pk: {"score": "95", "comment": "依据"} for d in scheme.dimensions.all()},
        submit=True,
    )
    results = race(
        lambda: services.evaluation_transition(
            evaluation=evaluation, actor=office, action="review"
        ),
        lambda: services.evaluation_transition(
            evaluation=evaluation, actor=colleague, action="return", reason="佐证不足"
        ),
    )
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(conflicts) == 1, results
    stored = Evaluation.objects.get()
    assert stored.state in ("reviewed", "returned")
    if stored.state == "reviewed":
        assert (stored.score, stored.grade) == (Decimal("95.0"), "优秀")
    else:
        assert stored.score is None
