"""The index pages: the ranking, the periods with their flow, a unit's scores."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from grassroots import selectors
from grassroots.forms.duties import ScoreForm
from grassroots.models import Domain, PeriodStatus, RuleKind
from grassroots.services.index import (
    ACTION_LABELS,
    CORRECTOR_ROLES,
    SCORER_ROLES,
    TRANSITIONS,
    available_actions,
    period_step,
    score_correct,
    score_set,
)
from grassroots.views._common import require_units
from portal.exceptions import Conflict

RANKING_PAGE = 50


@login_required
@require_GET
def index_ranking(request: HttpRequest) -> HttpResponse:
    require_units(request)
    periods = list(selectors.periods())
    key = request.GET.get("period") or (periods[0].key if periods else "")
    period = next((p for p in periods if p.key == key), None)
    domain = request.GET.get("domain", "")
    if domain not in Domain.values:
        domain = ""
    group_by = "county" if request.GET.get("group_by") == "county" else "unit"
    county = request.GET.get("county", "")
    county_id = int(county) if county.isdigit() and len(county) < 10 else None
    rows = (
        selectors.ranking(
            request.user, period, group_by=group_by, domain=domain, county_id=county_id
        )
        if period
        else []
    )
    # The page shows a page of rows (the API gives them all).
    page = Paginator(rows, RANKING_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "grassroots/index/ranking.html",
        {
            "page": page,
            "periods": periods,
            "period": period,
            "domains": Domain.choices,
            "domain": domain,
            "group_by": group_by,
            "rows": rows,
            "unknown_period": bool(request.GET.get("period")) and period is None,
        },
    )


@login_required
@require_GET
def period_list(request: HttpRequest) -> HttpResponse:
    require_units(request)
    return render(request, "grassroots/index/periods.html", {"periods": selectors.periods()})


@login_required
@require_GET
def period_detail(request: HttpRequest, key: str) -> HttpResponse:
    require_units(request)
    period = selectors.period_by_key(key)
    return render(
        request,
        "grassroots/index/period.html",
        {
            "period": period,
            "actions": [(a, ACTION_LABELS[a]) for a in available_actions(period, request.user)],
            "rows": selectors.ranking(request.user, period)[:20],
            "statuses": PeriodStatus.choices,
        },
    )


@login_required
@require_POST
def period_action(request: HttpRequest, key: str, action: str) -> HttpResponse:
    require_units(request)
    period = selectors.period_by_key(key)
    if action not in TRANSITIONS:
        raise PermissionDenied
    try:
        period_step(period=period, action=action, actor=request.user)
    except Conflict as exc:
        messages.error(request, str(exc))
        return redirect("grassroots:period", key=key)
    messages.success(
        request,
        _("Done: %(action)s (%(period)s).") % {"action": ACTION_LABELS[action], "period": key},
    )
    return redirect("grassroots:period", key=key)


@login_required
@require_GET
def unit_score(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    period = selectors.period_by_key(key)
    unit = selectors.unit_for(request.user, pk)
    lines, total = selectors.score_lines(request.user, period, unit)
    user = request.user
    can_score = period.status == PeriodStatus.REVIEW and user.has_role(*SCORER_ROLES)
    can_correct = period.status == PeriodStatus.LOCKED and selectors.can_edit_units(user)
    return render(
        request,
        "grassroots/index/unit_score.html",
        {
            "period": period,
            "unit": unit,
            "lines": lines,
            "total": total,
            "can_score": can_score,
            "can_correct": can_correct,
            "scored": RuleKind.SCORED,
        },
    )


@login_required
@require_POST
def unit_score_save(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    period = selectors.period_by_key(key)
    unit = selectors.unit_for(request.user, pk)
    roles = CORRECTOR_ROLES if period.status == PeriodStatus.LOCKED else SCORER_ROLES
    if not request.user.has_role(*roles):
        raise PermissionDenied
    form = ScoreForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label or field}：{error}")
        return redirect("grassroots:unit-score", key=key, pk=pk)
    data = form.cleaned_data
    try:
        if period.status == PeriodStatus.LOCKED:
            score_correct(
                period=period,
                unit=unit,
                indicator_id=data["indicator"],
                score=data["score"],
                reason=data["reason"],
                actor=request.user,
            )
            messages.success(request, _("The correction is saved as a new version."))
        else:
            score_set(
                period=period,
                unit=unit,
                indicator_id=data["indicator"],
                score=data["score"],
                evidence=data["evidence"],
                actor=request.user,
            )
            messages.success(request, _("The score is saved."))
    except Conflict as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    return redirect("grassroots:unit-score", key=key, pk=pk)
