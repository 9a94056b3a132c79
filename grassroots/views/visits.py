"""Supervision visits: the list (cards on a phone), a visit's page with its follow-up items,
the form (the county's units as checkboxes, follow-up rows), closing an item, and the office's
page of leaders' ties to counties."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.forms.visits import (
    CloseForm,
    CountyForm,
    FollowUpFormSet,
    TieForm,
    VisitFilterForm,
    VisitForm,
)
from grassroots.models import VISIT_OFFICE, LeaderTie
from grassroots.selectors import visits as selectors
from grassroots.selectors.units import counties
from grassroots.services import visits as services
from grassroots.views._common import PAGE_SIZE
from portal.exceptions import Conflict
from portal.paginator import KeysFirstPaginator


def _require_readers(request: HttpRequest) -> None:
    if not selectors.can_see_visits(request.user):
        raise PermissionDenied


def _require_recorders(request: HttpRequest) -> None:
    if not selectors.can_record_visits(request.user):
        raise PermissionDenied


def _put_errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


@login_required
@require_GET
def visit_list(request: HttpRequest) -> HttpResponse:
    _require_readers(request)
    form = VisitFilterForm(request.GET or None)
    filters = form.filters()
    page = KeysFirstPaginator(selectors.visits_for(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "filters": filters,
        "can_record": selectors.can_record_visits(request.user),
        **selectors.home_context(request.user),
    }
    return render(request, "grassroots/visits/list.html", context)


def _county_for_new(request: HttpRequest):
    raw = request.GET.get("county") or request.POST.get("county")
    if raw:
        form = CountyForm({"county": raw})
        if form.is_valid():
            return form.cleaned_data["county"]
    tie = selectors.current_tie(request.user)
    return tie.county if tie else None


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest) -> HttpResponse:
    """A new visit: the county first (the leader's own by default), then its units as
    checkboxes, the findings and up to ten follow-up rows."""
    _require_recorders(request)
    county = _county_for_new(request)
    county_form = CountyForm(initial={"county": county})
    office = request.user.has_role(*VISIT_OFFICE)
    form = formset = None
    if county is not None:
        form = VisitForm(request.POST or None, county=county, leader_choice=office)
        formset = FollowUpFormSet(request.POST or None, prefix="fu")
        if request.method == "POST" and form.is_valid() and formset.is_valid():
            try:
                visit = services.visit_record(
                    actor=request.user,
                    county=county,
                    visited_on=form.cleaned_data["visited_on"],
                    findings=form.cleaned_data["findings"],
                    units=form.cleaned_data["units"],
                    follow_ups=[item for f in formset if (item := f.item()) is not None],
                    leader=form.cleaned_data.get("leader"),
                )
            except ValidationError as error:
                _put_errors(form, error)
            else:
                messages.success(request, _("The visit is recorded."))
                return redirect("grassroots:visit-detail", visit.pk)
    return render(
        request,
        "grassroots/visits/form.html",
        {"county": county, "county_form": county_form, "form": form, "formset": formset},
    )


@login_required
@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for(request.user, pk)
    items = list(visit.follow_ups.all())
    for item in items:
        item.may_close = item.closed_at is None and services.can_close(request.user, item)
    return render(
        request,
        "grassroots/visits/detail.html",
        {
            "visit": visit,
            "items": items,
            "close_form": CloseForm(),
            "can_edit": services.can_edit_visit(request.user, visit),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for(request.user, pk)
    if not services.can_edit_visit(request.user, visit):
        raise PermissionDenied
    initial = {
        "visited_on": visit.visited_on,
        "findings": visit.findings,
        "units": list(visit.units.all()),
        "version": visit.version,
    }
    form = VisitForm(request.POST or None, initial=initial, county=visit.county)
    formset = FollowUpFormSet(request.POST or None, prefix="fu")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.visit_update(
                actor=request.user,
                visit=visit,
                version=form.cleaned_data["version"] or 0,
                visited_on=form.cleaned_data["visited_on"],
                findings=form.cleaned_data["findings"],
                units=form.cleaned_data["units"],
                follow_ups=[item for f in formset if (item := f.item()) is not None],
            )
        except ValidationError as error:
            _put_errors(form, error)
        except Conflict as conflict:
            messages.error(request, conflict.message)
        else:
            messages.success(request, _("The visit is saved."))
            return redirect("grassroots:visit-detail", visit.pk)
    return render(
        request,
        "grassroots/visits/form.html",
        {"county": visit.county, "form": form, "formset": formset, "visit": visit},
    )


@login_required
@require_POST
def follow_up_close(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.follow_up_for(request.user, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how the item was settled."))
        return redirect("grassroots:visit-detail", item.visit_id)
    try:
        services.follow_up_close(actor=request.user, item=item, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except Conflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, _("The follow-up item is closed."))
    return redirect("grassroots:visit-detail", item.visit_id)


@login_required
@require_http_methods(["GET", "POST"])
def ties(request: HttpRequest) -> HttpResponse:
    """The leaders' ties to counties; the office sets them (leaders read)."""
    if not request.user.has_role(*VISIT_OFFICE, "leader"):
        raise PermissionDenied
    office = request.user.has_role(*VISIT_OFFICE)
    form = TieForm(request.POST or None) if office else None
    if request.method == "POST":
        if not office:
            raise PermissionDenied
        end = request.POST.get("end")
        if end:
            tie = get_object_or_404(LeaderTie, pk=end) if end.isdigit() else None
            if tie is None:
                messages.error(request, _("No such tie."))
                return redirect("grassroots:ties")
            try:
                services.tie_end(
                    actor=request.user,
                    tie=tie,
                    ends_on=timezone.localdate(),
                )
            except (ValidationError, Conflict) as problem:
                messages.error(
                    request, getattr(problem, "message", None) or " ".join(problem.messages)
                )
            return redirect("grassroots:ties")
        if form.is_valid():
            try:
                services.tie_set(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _put_errors(form, error)
            else:
                messages.success(request, _("The leader is tied to the county."))
                return redirect("grassroots:ties")
    return render(
        request,
        "grassroots/visits/ties.html",
        {"ties": selectors.ties(), "form": form, "counties": counties()},
    )
