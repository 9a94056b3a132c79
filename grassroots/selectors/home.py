"""The home panel: for the office the periods' state; for a unit lead their units' overdue
duties."""

from django.utils import timezone

from grassroots.models import Period, Unit
from grassroots.selectors.access import is_office
from grassroots.selectors.duties import duty_lists_by_unit, item_statuses
from portal.models import User


def home_figures(user: User) -> dict:
    today = timezone.localdate()
    figures: dict = {"periods": [], "units": []}
    if is_office(user):
        figures["periods"] = list(Period.objects.order_by("-starts_on")[:4])
        figures["unit_count"] = Unit.objects.active().count()
        return figures
    units = list(Unit.objects.visible_to(user).active().order_by("name")[:10])
    lists = duty_lists_by_unit(units)
    records: dict[int, list] = {}
    from grassroots.models import DutyRecord

    for record in DutyRecord.objects.filter(
        unit__in=units, done_on__gte=today.replace(year=today.year - 1, month=1, day=1)
    ).only("unit_id", "item_id", "done_on"):
        records.setdefault(record.unit_id, []).append(record)
    for unit in units:
        statuses = item_statuses(unit, lists[unit.pk], records.get(unit.pk, []), today)
        figures["units"].append(
            {"unit": unit, "overdue": [status for status in statuses if status.overdue]}
        )
    return figures
