"""The registry's section of the cockpit and the yearly report (``portal.registry``): people in
the registry and living away at the period's end, the value of the services and the
contributions in the period — one aggregate per table for every period asked."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.regions import within_q
from portal.registry import Figure
from xiangxian.models import Contribution, ServiceRecord, Xiangxian
from xiangxian.selectors.people import can_see_registry

DEFINITIONS = {
    "xiangxian.people": _(
        "Xiangxian in the registry at the end of the period (merged records counted once)."
    ),
    "xiangxian.away": _("Of those, the people living outside the city (寓外)."),
    "xiangxian.services_value": _("Value in yuan of the services given in the period."),
    "xiangxian.contributions": _("Contributions (反哺) made in the period."),
}


def _url(name: str, params: dict) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def cockpit_history(user, periods, county) -> list[list[Figure]]:
    """The section for each of ``periods`` in ``county`` (the people's hometown)."""
    if not can_see_registry(user):
        return [[] for _period in periods]
    today = timezone.localdate()
    people = Xiangxian.objects.visible_to(user).order_by()
    services = ServiceRecord.objects.visible_to(user).order_by()
    given = Contribution.objects.visible_to(user).order_by()
    if county is not None:
        people = people.filter(within_q("hometown", [county.code]))
        services = services.filter(within_q("xiangxian__hometown", [county.code]))
        given = given.filter(within_q("xiangxian__hometown", [county.code]))
    cuts = [p.cut_at(today) for p in periods]
    counts = people.aggregate(
        **{f"n{i}": Count("pk", filter=Q(created_at__date__lte=cut)) for i, cut in enumerate(cuts)},
        **{
            f"a{i}": Count("pk", filter=Q(created_at__date__lte=cut, away=True))
            for i, cut in enumerate(cuts)
        },
    )
    values = services.aggregate(
        **{
            f"v{i}": Sum("value_yuan", filter=Q(served_on__gte=p.start, served_on__lte=p.end))
            for i, p in enumerate(periods)
        }
    )
    made = given.aggregate(
        **{
            f"c{i}": Count("pk", filter=Q(made_on__gte=p.start, made_on__lte=p.end))
            for i, p in enumerate(periods)
        }
    )
    scope = {"county": county.code} if county is not None else {}
    result = []
    for i, period in enumerate(periods):
        until = {**scope, "to": cuts[i].isoformat()}
        during = {**scope, "from": period.start.isoformat(), "to": period.end.isoformat()}
        value = values[f"v{i}"]
        result.append(
            [
                Figure(
                    "xiangxian.people",
                    _("Xiangxian in the registry"),
                    counts[f"n{i}"],
                    "",
                    _url("xiangxian:list", until),
                    cumulative=True,
                ),
                Figure(
                    "xiangxian.away",
                    _("Living outside the city"),
                    counts[f"a{i}"],
                    "",
                    _url("xiangxian:list", {**until, "away": "true"}),
                    cumulative=True,
                ),
                Figure(
                    "xiangxian.services_value",
                    _("Value of services"),
                    round(float(value), 2) if value is not None else 0,
                    _("yuan"),
                    _url("xiangxian:service-list", during),
                ),
                Figure(
                    "xiangxian.contributions",
                    _("Contributions"),
                    made[f"c{i}"],
                    "",
                    _url("xiangxian:contribution-list", during),
                ),
            ]
        )
    return result
