"""Pages of the alliances: the list, one alliance with everything it holds, entering and editing
one, and its member villages joining and leaving."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alliances import selectors, services
from alliances.cockpit import in_force
from alliances.forms import (
    ActivityForm,
    AllianceForm,
    MakerTeamForm,
    MemberAddForm,
    MemberLeaveForm,
    TourismForm,
    VillageRecordForm,
)
from alliances.models import Alliance, Membership
from alliances.views._common import PAGE_SIZE, as_pk, require_editor, require_reader
from portal.exceptions import Conflict
from portal.forms import copy_errors
from portal.periods import list_county, list_window
from portal.regions import within_q


@login_required
@require_GET
def alliance_list(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    rows = selectors.alliances(request.user)
    # Opened from a figure (the cockpit): the alliances in force on a day, in a county.
    day = list_window({"from": request.GET.get("on", "")})[0]
    county = list_county(request.GET)
    window = None
    if day or county:
        members = Membership.objects.filter(in_force(day or timezone.localdate()))
        if county is not None:
            members = members.filter(within_q("region", [county.code]))
        rows = rows.filter(pk__in=members.values("alliance_id"))
        window = {"window": (None, day), "county": county}
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "alliances/list.html",
        {
            "page": page,
            "can_edit": selectors.can_edit(request.user),
            "tab": "alliances",
            "figure_window": window,
        },
    )


def _detail(request, alliance: Alliance, *, forms=None, status=200) -> HttpResponse:
    today = timezone.localdate()
    forms = forms or {}
    parts = selectors.parts(alliance)
    parts["maker_teams"] = list(parts["maker_teams"])
    context = {
        "alliance": alliance,
        "members": selectors.members(alliance),
        **parts,
        "maker_totals": selectors.maker_totals(parts["maker_teams"]),
        "can_edit": selectors.can_edit(request.user),
        "today": today,
        "tab": "alliances",
        "member_form": forms.get("member") or MemberAddForm(initial={"joined_on": today}),
        "leave_form": MemberLeaveForm(initial={"left_on": today}),
        "company_form": forms.get("company") or VillageRecordForm(prefix="company"),
        "base_form": forms.get("base") or VillageRecordForm(prefix="base"),
        "team_form": forms.get("team") or MakerTeamForm(prefix="team"),
        "activity_form": forms.get("activity")
        or ActivityForm(prefix="activity", initial={"held_on": today}),
        "tourism_form": forms.get("tourism") or TourismForm(prefix="tourism"),
        "open_form": next(iter(forms), ""),
    }
    return render(request, "alliances/detail.html", context, status=status)


@login_required
@require_GET
def alliance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.alliance_for(request.user, pk))


def _form_page(request, form, *, alliance=None, status=200) -> HttpResponse:
    return render(
        request,
        "alliances/form.html",
        {"form": form, "alliance": alliance, "tab": "alliances"},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def alliance_create(request: HttpRequest) -> HttpResponse:
    require_editor(request)
    if request.method == "GET":
        return _form_page(request, AllianceForm(initial={"status": Alliance.Status.ACTIVE}))
    form = AllianceForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    try:
        alliance = services.alliance_create(actor=request.user, data=form.cleaned_data)
    except ValidationError as exc:
        copy_errors(form, exc)
        return _form_page(request, form, status=400)
    messages.success(request, _("%(name)s is recorded.") % {"name": alliance.name})
    return redirect("alliances:detail", pk=alliance.pk)


@login_required
@require_http_methods(["GET", "POST"])
def alliance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_editor(request)
    alliance = selectors.alliance_for(request.user, pk)
    if request.method == "GET":
        initial = {name: getattr(alliance, name) for name in services.alliances.FIELDS}
        initial |= {"kinds": alliance.kind_values, "version": alliance.version}
        return _form_page(request, AllianceForm(initial=initial), alliance=alliance)
    form = AllianceForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, alliance=alliance, status=400)
    try:
        alliance = services.alliance_update(
            actor=request.user,
            alliance=alliance,
            data=form.cleaned_data,
            version=form.cleaned_data["version"] or 0,
        )
    except ValidationError as exc:
        copy_errors(form, exc)
        return _form_page(request, form, alliance=alliance, status=400)
    except Conflict as exc:
        form.add_error(None, exc.message)
        return _form_page(request, form, alliance=alliance, status=409)
    messages.success(request, _("%(name)s is saved.") % {"name": alliance.name})
    return redirect("alliances:detail", pk=alliance.pk)


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_editor(request)
    alliance = selectors.alliance_for(request.user, pk)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            membership = services.membership_add(
                actor=request.user, alliance=alliance, **form.cleaned_data
            )
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s is a member now.") % {"name": membership.region.name}
            )
            return redirect("alliances:detail", pk=alliance.pk)
    return _detail(request, alliance, forms={"member": form}, status=400)


@login_required
@require_POST
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    require_editor(request)
    membership = get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("region"), pk=as_pk(pk)
    )
    form = MemberLeaveForm(request.POST)
    problem = None
    if form.is_valid():
        try:
            services.membership_leave(
                actor=request.user, membership=membership, left_on=form.cleaned_data["left_on"]
            )
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        except Conflict as exc:
            problem = str(exc.message)
    else:
        problem = _("Enter the day the village left as YYYY-MM-DD.")
    if problem:
        messages.error(request, problem)
    else:
        messages.success(
            request, _("%(name)s has left the alliance.") % {"name": membership.region.name}
        )
    return redirect("alliances:detail", pk=membership.alliance_id)


def _record_add(request, pk, *, key, form_class, save, label_field="name"):
    """Add one record to an alliance from a form on its page (shown again with its errors)."""
    require_editor(request)
    alliance = selectors.alliance_for(request.user, pk)
    form = form_class(request.POST, prefix=key)
    if form.is_valid():
        try:
            record = save(alliance, form.cleaned_data)
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s is recorded.") % {"name": getattr(record, label_field)}
            )
            return redirect("alliances:detail", pk=alliance.pk)
    return _detail(request, alliance, forms={key: form}, status=400)


@login_required
@require_POST
def company_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_add(
        request,
        pk,
        key="company",
        form_class=VillageRecordForm,
        save=lambda alliance, data: services.company_save(
            actor=request.user, data={**data, "alliance": alliance}
        ),
    )


@login_required
@require_POST
def base_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_add(
        request,
        pk,
        key="base",
        form_class=VillageRecordForm,
        save=lambda alliance, data: services.base_save(
            actor=request.user, data={**data, "alliance": alliance}
        ),
    )


@login_required
@require_POST
def maker_team_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_add(
        request,
        pk,
        key="team",
        form_class=MakerTeamForm,
        save=lambda alliance, data: services.maker_team_save(
            actor=request.user, alliance=alliance, data=data
        ),
    )


@login_required
@require_POST
def activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_add(
        request,
        pk,
        key="activity",
        form_class=ActivityForm,
        save=lambda alliance, data: services.activity_save(
            actor=request.user, alliance=alliance, data=data
        ),
        label_field="title",
    )


@login_required
@require_POST
def tourism_set(request: HttpRequest, pk: int) -> HttpResponse:
    return _record_add(
        request,
        pk,
        key="tourism",
        form_class=TourismForm,
        save=lambda alliance, data: services.tourism_figure_set(
            actor=request.user, alliance=alliance, data=data
        ),
        label_field="period",
    )
