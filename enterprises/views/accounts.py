"""Pages for entrepreneurs' registration and memberships, and their verification by dispatchers."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises import selectors, services
from enterprises.forms import MembershipRejectForm, MembershipRequestForm, RegisterForm
from enterprises.models import Membership
from portal.exceptions import Conflict
from portal.forms import copy_errors
from portal.masking import mask_mobile
from portal.models import Role
from portal.services import audit_personal_view

VERIFIER_ROLES = (Role.DISPATCHER, Role.ADMIN)


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.entrepreneur_register(
                username=data["username"],
                password=data["password1"],
                name=data["name"],
                mobile=data["mobile"],
                uscc=data["uscc"],
                enterprise_name=data["enterprise_name"],
                region=data["region"],
            )
        except ValidationError as exc:
            copy_errors(form, exc, {"password": "password1"})
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome! A dispatcher will verify your membership of the enterprise soon."),
            )
            return redirect("home")
    return render(request, "enterprises/register.html", {"form": form})


@login_required
def my_enterprises(request: HttpRequest) -> HttpResponse:
    if request.user.role != Role.ENTREPRENEUR:
        raise PermissionDenied
    form = MembershipRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_request(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            messages.success(request, _("Your request has been sent for verification."))
            return redirect("enterprises:my-enterprises")
    memberships = selectors.memberships_of(request.user)
    return render(
        request, "enterprises/my_enterprises.html", {"form": form, "memberships": memberships}
    )


def _require_verifier(request: HttpRequest) -> None:
    if not request.user.has_role(*VERIFIER_ROLES, Role.LEADER):
        raise PermissionDenied


@login_required
def membership_list(request: HttpRequest) -> HttpResponse:
    _require_verifier(request)
    status = request.GET.get("status", Membership.Status.PENDING)
    if status not in Membership.Status.values:
        status = Membership.Status.PENDING
    memberships = (
        Membership.objects.visible_to(request.user)
        .filter(status=status)
        .select_related("user", "enterprise", "enterprise__region", "decided_by")
        .order_by("requested_at" if status == Membership.Status.PENDING else "-decided_at")
    )
    page = Paginator(memberships, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "enterprises/membership_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Membership.Status.choices,
            "can_decide": request.user.has_role(*VERIFIER_ROLES),
            "reject_form": MembershipRejectForm(),
        },
    )


def _membership_for(request: HttpRequest, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("user", "enterprise"), pk=pk
    )


@login_required
@require_POST
def membership_verify(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_role(*VERIFIER_ROLES):
        raise PermissionDenied
    membership = _membership_for(request, pk)
    try:
        services.membership_verify(membership=membership, actor=request.user)
    except Conflict as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(
            request,
            _("%(name)s can now act for %(enterprise)s.")
            % {"name": membership.user.display_name, "enterprise": membership.enterprise.name},
        )
    return redirect("enterprises:membership-list")


@login_required
@require_POST
def membership_reject(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_role(*VERIFIER_ROLES):
        raise PermissionDenied
    membership = _membership_for(request, pk)
    form = MembershipRejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for the rejection."))
        return redirect("enterprises:membership-list")
    try:
        services.membership_reject(
            membership=membership, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except Conflict as exc:
        messages.warning(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The request has been rejected."))
    return redirect("enterprises:membership-list")


@login_required
@require_POST
def membership_mobile(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a verifier the applicant's full mobile number (to call them back), and audit it."""
    if not request.user.has_role(*VERIFIER_ROLES):
        raise PermissionDenied
    membership = _membership_for(request, pk)
    audit_personal_view(
        actor=request.user, target=membership.user, fields=["mobile"], request=request
    )
    return render(
        request,
        "enterprises/_mobile_revealed.html",
        {"mobile": membership.user.mobile, "masked": mask_mobile(membership.user.mobile)},
    )
