"""Pages of recognition batches: the list, entering a batch, a batch's page with its profile
(the frozen figures beside today's), adding candidates and approving it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nonparty import selectors, services
from nonparty.forms import ApproveForm, BatchForm, BatchPeopleForm
from nonparty.models import BatchMembership, Person, Status
from nonparty.views._common import PAGE_SIZE, form_page, require_archive, require_editor
from portal.exceptions import Conflict
from portal.forms import copy_errors
from portal.paginator import KeysFirstPaginator


def _candidates(user):
    return (
        Person.objects.visible_to(user)
        .filter(status=Status.CANDIDATE)
        .exclude(pk__in=BatchMembership.objects.values("person"))
        .order_by("name", "pk")
    )


@login_required
@require_GET
def batch_list(request: HttpRequest) -> HttpResponse:
    require_archive(request)
    batches = list(selectors.batches_for(request.user))
    live = selectors.batch_profiles(batches)
    for batch in batches:
        batch.shown = batch.profile if batch.frozen else live[batch.pk]
    return render(
        request,
        "nonparty/batches/list.html",
        {"batches": batches, "can_edit": selectors.can_edit(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch_create(request: HttpRequest) -> HttpResponse:
    require_editor(request)
    title, back = _("Enter a batch"), reverse("nonparty:batch-list")
    if request.method == "GET":
        return form_page(request, BatchForm(), title=title, back=back)
    form = BatchForm(request.POST)
    if not form.is_valid():
        return form_page(request, form, title=title, back=back)
    try:
        batch = services.batch_create(actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        copy_errors(form, exc)
        return form_page(request, form, title=title, back=back, status=400)
    return redirect("nonparty:batch-detail", pk=batch.pk)


@login_required
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_for(request.user, pk)
    live = selectors.batch_profile(batch)
    can_edit = selectors.can_edit(request.user)
    page = KeysFirstPaginator(selectors.batch_people(request.user, batch), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    add_form = None
    if can_edit and not batch.frozen:
        add_form = BatchPeopleForm(queryset=_candidates(request.user))
    return render(
        request,
        "nonparty/batches/detail.html",
        {
            "batch": batch,
            "live": live,
            "frozen": batch.profile,
            "live_genders": selectors.gender_mix(live),
            "live_fields": selectors.field_mix(live),
            "frozen_genders": selectors.gender_mix(batch.profile),
            "frozen_fields": selectors.field_mix(batch.profile),
            "page": page,
            "can_edit": can_edit,
            "add_form": add_form,
            "approve_form": ApproveForm(initial={"version": batch.version}),
        },
    )


@login_required
@require_POST
def batch_add_people(request: HttpRequest, pk: int) -> HttpResponse:
    require_editor(request)
    batch = selectors.batch_for(request.user, pk)
    form = BatchPeopleForm(request.POST, queryset=_candidates(request.user))
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect("nonparty:batch-detail", pk=batch.pk)
    try:
        added = services.batch_add_people(
            actor=request.user, batch=batch, people=form.cleaned_data["people"]
        )
    except (Conflict, ValidationError) as exc:
        messages.error(
            request, exc.message if isinstance(exc, Conflict) else " ".join(exc.messages)
        )
    else:
        messages.success(request, _("%(count)d people added.") % {"count": added})
    return redirect("nonparty:batch-detail", pk=batch.pk)


@login_required
@require_POST
def batch_approve(request: HttpRequest, pk: int) -> HttpResponse:
    require_editor(request)
    batch = selectors.batch_for(request.user, pk)
    form = ApproveForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        services.batch_approve(actor=request.user, batch=batch, version=version)
    except (Conflict, ValidationError) as exc:
        messages.error(
            request, exc.message if isinstance(exc, Conflict) else " ".join(exc.messages)
        )
    else:
        messages.success(request, _("The batch is approved; its profile is frozen."))
    return redirect("nonparty:batch-detail", pk=batch.pk)
