"""Pages of what people give back (反哺): the list, one contribution with its evidence, recording
one from a person's page, correcting it, attaching more evidence."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.forms import copy_errors
from portal.paginator import KeysFirstPaginator
from xiangxian import selectors, services
from xiangxian.forms import AttachmentForm, ContributionFilterForm, ContributionForm
from xiangxian.views._common import PAGE_SIZE, figure_window, require_editor, require_registry


@login_required
@require_GET
def contribution_list(request: HttpRequest) -> HttpResponse:
    require_registry(request)
    form = ContributionFilterForm(request.GET or None)
    kind, year = form.criteria()
    rows, window = figure_window(
        request,
        selectors.contributions(request.user, kind=kind, year=year),
        day="made_on",
        region="xiangxian__hometown",
    )
    page = KeysFirstPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "xiangxian/contributions/list.html",
        {
            "form": form,
            "page": page,
            "figure_window": window,
            "tab": "contributions",
        },
    )


@login_required
@require_GET
def contribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = selectors.contribution_for(request.user, pk)
    return render(
        request,
        "xiangxian/contributions/detail.html",
        {
            "contribution": contribution,
            "can_edit": selectors.can_edit(request.user),
            "attach_form": AttachmentForm(),
        },
    )


def _form_page(request, form, *, person, contribution=None, status=200) -> HttpResponse:
    return render(
        request,
        "xiangxian/contributions/form.html",
        {"form": form, "person": person, "contribution": contribution},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contribution_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what the person ``pk`` gave back, with its evidence."""
    require_editor(request)
    person = selectors.person_for(request.user, pk)
    if request.method == "GET":
        form = ContributionForm(initial={"made_on": timezone.localdate()})
        return _form_page(request, form, person=person)
    form = ContributionForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, form, person=person, status=400)
    try:
        contribution = services.contribution_create(
            actor=request.user,
            xiangxian=person,
            data=form.service_data(),
            files=request.FILES.getlist("files"),
        )
    except ValidationError as exc:
        copy_errors(form, exc)
        return _form_page(request, form, person=person, status=400)
    messages.success(request, _("The contribution is recorded."))
    return redirect("xiangxian:contribution-detail", pk=contribution.pk)


@login_required
@require_http_methods(["GET", "POST"])
def contribution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_editor(request)
    contribution = selectors.contribution_for(request.user, pk)
    person = contribution.xiangxian
    if request.method == "GET":
        initial = {name: getattr(contribution, name) for name in services.contributions.FIELDS}
        form = ContributionForm(initial=initial)
        return _form_page(request, form, person=person, contribution=contribution)
    form = ContributionForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, form, person=person, contribution=contribution, status=400)
    try:
        services.contribution_update(
            actor=request.user,
            contribution=contribution,
            data=form.service_data(),
            files=request.FILES.getlist("files"),
        )
    except ValidationError as exc:
        copy_errors(form, exc)
        return _form_page(request, form, person=person, contribution=contribution, status=400)
    messages.success(request, _("The contribution is saved."))
    return redirect("xiangxian:contribution-detail", pk=contribution.pk)


@login_required
@require_POST
def contribution_attach(request: HttpRequest, pk: int) -> HttpResponse:
    require_editor(request)
    contribution = selectors.contribution_for(request.user, pk)
    try:
        services.contribution_attach(
            actor=request.user, contribution=contribution, files=request.FILES.getlist("files")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The file is attached."))
    return redirect("xiangxian:contribution-detail", pk=contribution.pk)
