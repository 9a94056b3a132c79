"""The non-party archive's section of the cockpit and the yearly report (``portal.registry``):
people in the archive at the period's end, the latest batch recognised by then, and the talks of
the year's plans held — a fixed number of queries for every period asked."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nonparty.models import Batch, Person, TalkPlan
from nonparty.selectors.access import can_see_archive
from portal.regions import within_q
from portal.registry import Figure

DEFINITIONS = {
    "nonparty.people": _("Non-party people in the archive at the end of the period."),
    "nonparty.latest_batch": _("People of the latest batch recognised by the end of the period."),
    "nonparty.talks_done": _(
        "Talks held in the period's year, each person's counted up to their plan."
    ),
}


def _url(name: str, params: dict) -> str:
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def talks_done(user, years) -> dict[int, int]:
    """As ``talk_completion``'s total ``done`` for each of ``years``: one query."""
    plans = (
        TalkPlan.objects.visible_to(user)
        .in_force()
        .filter(year__in=list(years))
        .annotate(held=Count("talks", filter=Q(talks__held_on__year=F("year"))))
        .values_list("year", "times", "held")
        .order_by()
    )
    done = dict.fromkeys(years, 0)
    for year, times, held in plans:
        done[year] += min(held, times)
    return done


def cockpit_history(user, periods, county) -> list[list[Figure]]:
    """The section for each of ``periods`` in ``county`` (the people's native place): four
    queries whatever the number of periods."""
    if not can_see_archive(user):
        return [[] for _period in periods]
    today = timezone.localdate()
    cuts = [p.cut_at(today) for p in periods]
    people = Person.objects.visible_to(user).order_by()
    if county is not None:
        people = people.filter(within_q("native_place", [county.code]))
    batches = list(
        Batch.objects.visible_to(user)
        .filter(recognised_on__lte=max(cuts))
        .order_by("-recognised_on", "-pk")
        .values_list("pk", "recognised_on")
    )
    latest = [next((pk for pk, day in batches if day <= cut), None) for cut in cuts]
    counts = people.aggregate(
        **{f"n{i}": Count("pk", filter=Q(created_at__date__lte=c)) for i, c in enumerate(cuts)},
        **{
            f"b{i}": Count("pk", filter=Q(batch_memberships__batch_id=pk), distinct=True)
            for i, pk in enumerate(latest)
            if pk is not None
        },
    )
    done = talks_done(user, {p.end.year for p in periods})
    scope = {"county": county.code} if county is not None else {}
    result = []
    for i, period in enumerate(periods):
        batch = latest[i]
        result.append(
            [
                Figure(
                    "nonparty.people",
                    _("Non-party people"),
                    counts[f"n{i}"],
                    "",
                    _url("nonparty:list", {**scope, "to": cuts[i].isoformat()}),
                    cumulative=True,
                ),
                Figure(
                    "nonparty.latest_batch",
                    _("Latest batch"),
                    counts[f"b{i}"] if batch is not None else 0,
                    "",
                    _url("nonparty:list", {**scope, "batch": batch}) if batch else "",
                    cumulative=True,
                ),
                Figure(
                    "nonparty.talks_done",
                    _("Talks held"),
                    done[period.end.year],
                    "",
                    _url("nonparty:talks", {"year": period.end.year}),
                ),
            ]
        )
    return result
