"""Reads of the duties: a unit's list, each item's status, overdue items, the on-time share."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from grassroots.models import (
    DutyItem,
    DutyList,
    DutyRecord,
    Unit,
    item_period,
    item_periods,
    period_label,
)
from portal.models import User


def duty_list_for(unit: Unit) -> DutyList | None:
    """The unit's list: its county's active list for its domain, else the city-wide one."""
    lists = list(
        DutyList.objects.filter(
            Q(county=unit.county_id) | Q(county__isnull=True), domain=unit.domain, active=True
        ).prefetch_related("items")
    )
    own = [duty_list for duty_list in lists if duty_list.county_id]
    return (own or lists or [None])[0]


def duty_lists_by_unit(units: list[Unit]) -> dict[int, DutyList | None]:
    """The list of each of ``units`` (one query for the lists, one for their items)."""
    domains = {unit.domain for unit in units}
    lists = list(DutyList.objects.filter(domain__in=domains, active=True).prefetch_related("items"))
    own = {(dl.domain, dl.county_id): dl for dl in lists if dl.county_id}
    city = {dl.domain: dl for dl in lists if dl.county_id is None}
    return {
        unit.pk: own.get((unit.domain, unit.county_id)) or city.get(unit.domain) for unit in units
    }


@dataclass(frozen=True)
class ItemStatus:
    item: DutyItem
    current: str  # label of the period holding today
    done_now: bool
    last_done: dt.date | None
    overdue_period: str  # label of the last ended period without a record, or ""
    overdue_ends: dt.date | None

    @property
    def overdue(self) -> bool:
        return bool(self.overdue_period)


def item_statuses(
    unit: Unit, duty_list: DutyList | None, records: list[DutyRecord], today: dt.date
) -> list[ItemStatus]:
    """Each item's state today: done in its current period or not, and overdue when the last
    period that has ended (since the list came into force) has no record."""
    if duty_list is None:
        return []
    since = dt.date(duty_list.year, 1, 1)
    by_item: dict[int, list[dt.date]] = {}
    for record in records:
        by_item.setdefault(record.item_id, []).append(record.done_on)
    statuses = []
    for item in duty_list.items.all():
        days = by_item.get(item.pk, [])
        first, last = item_period(item.frequency, today)
        done_now = any(first <= day <= last for day in days)
        previous_first, previous_last = item_period(item.frequency, first - dt.timedelta(days=1))
        overdue = previous_first >= since and not any(
            previous_first <= day <= previous_last for day in days
        )
        statuses.append(
            ItemStatus(
                item=item,
                current=period_label(item.frequency, first),
                done_now=done_now,
                last_done=max(days, default=None),
                overdue_period=period_label(item.frequency, previous_first) if overdue else "",
                overdue_ends=previous_last if overdue else None,
            )
        )
    return statuses


def unit_duties(unit: Unit, today: dt.date | None = None) -> list[ItemStatus]:
    today = today or timezone.localdate()
    duty_list = duty_list_for(unit)
    if duty_list is None:
        return []
    since = dt.date(duty_list.year - 1, 1, 1)
    records = list(unit.duty_records.filter(done_on__gte=since).only("item_id", "done_on"))
    return item_statuses(unit, duty_list, records, today)


def records_for(
    user: User, unit: Unit, *, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[DutyRecord]:
    records = (
        DutyRecord.objects.visible_to(user).filter(unit=unit).select_related("item", "recorded_by")
    )
    if start:
        records = records.filter(done_on__gte=start)
    if end:
        records = records.filter(done_on__lte=end)
    return records


def on_time_share(
    duty_list: DutyList | None, records: list[DutyRecord], start: dt.date, end: dt.date
) -> float | None:
    """Of the item periods that ended within [start, end], the share with a record in them;
    None when none ended (nothing was due)."""
    if duty_list is None:
        return None
    due = done = 0
    by_item: dict[int, list[dt.date]] = {}
    for record in records:
        by_item.setdefault(record.item_id, []).append(record.done_on)
    for item in duty_list.items.all():
        days = by_item.get(item.pk, [])
        for first, last in item_periods(item.frequency, start, end):
            due += 1
            done += any(first <= day <= last for day in days)
    return done / due if due else None
