"""The demo: units in the six domains across the six counties, 江山's 1241 list, records with
some duties overdue, 2023 locked and 2024 in review; a second run changes nothing."""

import pytest

from grassroots.models import Domain, DutyList, DutyRecord, Period, Unit, UnitTotal
from portal import registry

pytestmark = pytest.mark.django_db


def run() -> dict:
    context: dict = {"password": "tongxin-demo"}
    for seeder in registry.seeders():
        if seeder.name in ("portal", "grassroots"):
            context.update(seeder.seed(context) or {})
    return context


def test_demo_is_complete_and_idempotent():
    run()
    counts = (Unit.objects.count(), DutyRecord.objects.count(), UnitTotal.objects.count())
    assert set(Unit.objects.values_list("domain", flat=True)) == set(Domain.values)
    assert Unit.objects.values("county").distinct().count() == 6
    assert DutyList.objects.get(county__code="330881000000").items.count() == 7
    assert dict(Period.objects.values_list("key", "status")) == {"2023": "locked", "2024": "review"}
    lead = Unit.objects.filter(in_charge__username="unitlead1")
    assert lead.count() == 2
    run()
    assert counts == (
        Unit.objects.count(),
        DutyRecord.objects.count(),
        UnitTotal.objects.count(),
    )
