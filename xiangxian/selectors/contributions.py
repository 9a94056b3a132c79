"""Reads of contributions (反哺)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from portal.models import User
from xiangxian.models import Contribution


def contributions(user: User, *, kind: str = "", year: int | None = None) -> QuerySet[Contribution]:
    rows = Contribution.objects.visible_to(user)
    if kind:
        rows = rows.filter(kind=kind)
    if year is not None:
        rows = rows.filter(made_on__year=year)
    return rows.select_related("xiangxian", "region__parent").order_by("-made_on", "-pk")


def contribution_for(user: User, pk: int) -> Contribution:
    return get_object_or_404(
        Contribution.objects.visible_to(user).select_related(
            "xiangxian", "region__parent", "recorded_by"
        ),
        pk=pk,
    )
