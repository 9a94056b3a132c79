"""Figures other apps read through ``portal.registry.register_metric`` (never our models):
the appeals of a region's enterprises closed on time, for the grassroots index."""

import datetime as dt
from urllib.parse import urlencode

from django.db.models import F
from django.urls import reverse

from enterprises.models import Appeal
from enterprises.models.appeals import Status
from portal.models import Region
from portal.regions import significant_prefix, within_q


def _closed_on_time(region_code: str, start: dt.date, end: dt.date):
    return Appeal.objects.filter(
        within_q("enterprise__region", [region_code]),
        status=Status.CLOSED,
        replied_at__date__gte=start,
        replied_at__date__lte=end,
    ).filter(replied_at__date__lte=F("due_date"))


def appeals_closed_on_time(*, region_code: str, start: dt.date, end: dt.date, **_scope) -> int:
    """Appeals of enterprises at or below ``region_code`` closed with the department's reply
    between ``start`` and ``end`` and on or before the deadline in force."""
    return _closed_on_time(region_code, start, end).count()


def appeals_closed_url(*, region_code: str, start: dt.date, end: dt.date, **_scope) -> str:
    """The appeals list with the filters that show those closed appeals (by county)."""
    county = Region.objects.filter(
        code=significant_prefix(region_code)[:6].ljust(12, "0"), level=Region.Level.COUNTY
    ).first()
    params = {"status": Status.CLOSED, "accepted_from": start, "accepted_to": end}
    if county is not None:
        params["county"] = county.pk
    return f"{reverse('appeals:list')}?{urlencode(params)}"
