"""Reads of talk plans: completion per cadre and overall for a year, in one query."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from nonparty.models import TalkPlan
from portal.models import User


def completion_rows(plans: QuerySet[TalkPlan], year: int) -> list[dict]:
    """Per cadre: ``planned`` talks (people still in the plan), ``done`` (each person's talks
    this year, counted up to their plan: talking to one person more does not make up for
    another) and ``completion`` (done ÷ planned)."""
    items = (
        plans.in_force()
        .filter(year=year)
        .annotate(held=Count("talks", filter=Q(talks__held_on__year=year)))
        .values("cadre", "cadre__name", "cadre__username", "times", "held")
        .order_by()
    )
    by_cadre: dict[int, dict] = {}
    for item in items:
        row = by_cadre.setdefault(
            item["cadre"],
            {
                "cadre_id": item["cadre"],
                "name": item["cadre__name"] or item["cadre__username"],
                "people": 0,
                "planned": 0,
                "done": 0,
            },
        )
        row["people"] += 1
        row["planned"] += item["times"]
        row["done"] += min(item["held"], item["times"])
    cadres = User.objects.in_bulk(list(by_cadre))
    rows = []
    for cadre_id, row in sorted(by_cadre.items(), key=lambda pair: pair[1]["name"]):
        row["cadre"] = cadres[cadre_id]
        row["completion"] = round(row["done"] / row["planned"], 4) if row["planned"] else None
        rows.append(row)
    return rows


def talk_completion(user: User, year: int) -> dict:
    """The year's completion in ``user``'s scope: ``rows`` per cadre and the ``total``."""
    rows = completion_rows(TalkPlan.objects.visible_to(user), year)
    planned = sum(row["planned"] for row in rows)
    done = sum(row["done"] for row in rows)
    return {
        "year": year,
        "rows": rows,
        "total": {
            "people": sum(row["people"] for row in rows),
            "planned": planned,
            "done": done,
            "completion": round(done / planned, 4) if planned else None,
        },
    }


def plans_of(user: User, year: int, *, cadre: User | None = None) -> QuerySet[TalkPlan]:
    """The year's plan items in ``user``'s scope (a cadre's own, when given), with the talks
    held counted."""
    plans = TalkPlan.objects.visible_to(user).in_force().filter(year=year)
    if cadre is not None:
        plans = plans.filter(cadre=cadre)
    return (
        plans.annotate(held=Count("talks", filter=Q(talks__held_on__year=year)))
        .select_related("person", "cadre")
        .order_by("cadre__name", "person__name", "pk")
    )


def plan_for(user: User, pk) -> TalkPlan:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        TalkPlan.objects.visible_to(user).select_related("person", "cadre"), pk=pk
    )
