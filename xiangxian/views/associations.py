"""Pages of the associations (联谊会): the list, one association with its officers by term and
its members, entering and editing one, adding and removing members, setting officers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.forms import copy_errors
from xiangxian import selectors, services
from xiangxian.forms import AssociationForm, MemberAddForm, OfficerForm
from xiangxian.models import Association, Xiangxian
from xiangxian.views._common import require_office_editor, require_registry


@login_required
@require_GET
def association_list(request: HttpRequest) -> HttpResponse:
    require_registry(request)
    return render(
        request,
        "xiangxian/associations/list.html",
        {
            "associations": selectors.associations(request.user),
            "can_edit": selectors.can_edit_city_records(request.user),
            "tab": "associations",
        },
    )


def _members(request: HttpRequest, association: Association):
    return Xiangxian.objects.visible_to(request.user).filter(
        association_memberships__association=association
    )


def _detail(request, association, *, member_form=None, officer_form=None, status=200):
    today = timezone.localdate()
    return render(
        request,
        "xiangxian/associations/detail.html",
        {
            "association": association,
            "officers": selectors.association_officers(request.user, association),
            "members": selectors.association_members(request.user, association),
            "can_edit": selectors.can_edit_city_records(request.user),
            "member_form": member_form or MemberAddForm(initial={"joined_on": today}),
            "officer_form": officer_form
            or OfficerForm(members=_members(request, association), initial={"term_start": today}),
            "tab": "associations",
        },
        status=status,
    )


@login_required
@require_GET
def association_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.association_for(request.user, pk))


def _form_page(request, form, *, association=None, status=200) -> HttpResponse:
    return render(
        request,
        "xiangxian/associations/form.html",
        {"form": form, "association": association},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def association_create(request: HttpRequest) -> HttpResponse:
    require_office_editor(request)
    if request.method == "GET":
        return _form_page(request, AssociationForm())
    form = AssociationForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    try:
        association = services.association_create(actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        copy_errors(form, exc)
        return _form_page(request, form, status=400)
    messages.success(request, _("%(name)s is recorded.") % {"name": association.name})
    return redirect("xiangxian:association-detail", pk=association.pk)


@login_required
@require_http_methods(["GET", "POST"])
def association_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_office_editor(request)
    association = selectors.association_for(request.user, pk)
    if request.method == "GET":
        initial = {name: getattr(association, name) for name in services.associations.FIELDS}
        return _form_page(request, AssociationForm(initial=initial), association=association)
    form = AssociationForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, association=association, status=400)
    try:
        association = services.association_update(
            actor=request.user, association=association, **form.cleaned_data
        )
    except ValidationError as exc:
        copy_errors(form, exc)
        return _form_page(request, form, association=association, status=400)
    messages.success(request, _("%(name)s is saved.") % {"name": association.name})
    return redirect("xiangxian:association-detail", pk=association.pk)


@login_required
@require_POST
def association_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_office_editor(request)
    association = selectors.association_for(request.user, pk)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        person = (
            Xiangxian.objects.visible_to(request.user)
            .filter(pk=form.cleaned_data["xiangxian"])
            .first()
        )
        if person is None:
            form.add_error("xiangxian", _("No one in the registry has this number."))
        else:
            try:
                services.association_member_add(
                    actor=request.user,
                    association=association,
                    xiangxian=person,
                    joined_on=form.cleaned_data["joined_on"],
                )
            except ValidationError as exc:
                copy_errors(form, exc)
            else:
                messages.success(request, _("%(name)s is a member now.") % {"name": person.name})
                return redirect("xiangxian:association-detail", pk=association.pk)
    return _detail(request, association, member_form=form, status=400)


@login_required
@require_POST
def association_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    require_office_editor(request)
    membership = selectors.membership_for(request.user, pk)
    services.association_member_remove(actor=request.user, membership=membership)
    messages.success(
        request, _("%(name)s is no longer a member.") % {"name": membership.xiangxian.name}
    )
    return redirect("xiangxian:association-detail", pk=membership.association_id)


@login_required
@require_POST
def association_officer_set(request: HttpRequest, pk: int) -> HttpResponse:
    require_office_editor(request)
    association = selectors.association_for(request.user, pk)
    form = OfficerForm(request.POST, members=_members(request, association))
    if form.is_valid():
        try:
            services.association_officer_set(
                actor=request.user, association=association, **form.cleaned_data
            )
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            messages.success(request, _("The post is set."))
            return redirect("xiangxian:association-detail", pk=association.pk)
    return _detail(request, association, officer_form=form, status=400)
