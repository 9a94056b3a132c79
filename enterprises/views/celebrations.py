"""Pages of the light-up days (企业亮灯日): requests, decisions, and an enterprise's celebrations.

Reads go through ``Celebration.objects.visible_to`` (outside it is 404); changes through
``enterprises.services.celebrations`` (a wrong role is 403; a decision someone else already
took, or a screen that filled up meanwhile, a warning with nothing changed).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enterprises.forms.celebrations import ApproveForm, CelebrationForm, DeclineForm
from enterprises.lifecycles import CELEBRATION
from enterprises.models import Celebration, CelebrationStatus, Enterprise
from enterprises.selectors import celebrations as selectors
from enterprises.selectors.directory import enterprise_for
from enterprises.selectors.stats import county_q
from enterprises.services import celebrations as services
from portal.exceptions import Conflict
from portal.forms import copy_errors
from portal.models import Role
from portal.periods import list_county, list_window, window_q

PAGE_SIZE = 25


def can_request(user) -> bool:
    return user.has_role(*services.REQUESTERS) or (
        user.role == Role.ENTREPRENEUR and Enterprise.objects.visible_to(user).exists()
    )


def can_decide(user) -> bool:
    return CELEBRATION.allowed(user, "approve")


@login_required
@require_GET
def celebration_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    status = request.GET.get("status", "")
    if status not in CelebrationStatus.values:
        status = ""
    celebrations = selectors.celebrations_for(user)
    if status:
        celebrations = celebrations.filter(status=status)
    # Opened from a figure (the cockpit): starting from … to …, in one county.
    start, end = list_window(request.GET)
    county = list_county(request.GET)
    celebrations = celebrations.filter(window_q("starts_on", start, end))
    if county is not None:
        celebrations = celebrations.filter(county_q(county))
    page = Paginator(celebrations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "enterprises/celebrations/list.html",
        {
            "page": page,
            "status": status,
            "statuses": CelebrationStatus.choices,
            "counts": selectors.status_counts(user),
            "can_request": can_request(user),
            "screens": selectors.active_screens(),
            "filtered": bool(start or end or county),
            "window": (start, end),
            "county": county,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def celebration_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_request(user):
        raise PermissionDenied
    form = CelebrationForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        user=user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            celebration = services.celebration_request(actor=user, **form.service_kwargs())
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            messages.success(
                request,
                _("The light-up day was requested; a dispatcher or leader will decide on it."),
            )
            return redirect(celebration)
    return render(
        request,
        "enterprises/celebrations/form.html",
        {"form": form, "capacity": services.capacity()},
        status=400 if request.method == "POST" else 200,
    )


def _render_detail(
    request: HttpRequest,
    celebration: Celebration,
    *,
    approve_form=None,
    decline_form=None,
    status: int = 200,
) -> HttpResponse:
    decidable = can_decide(request.user) and celebration.status == CelebrationStatus.REQUESTED
    return render(
        request,
        "enterprises/celebrations/detail.html",
        {
            "celebration": celebration,
            "decidable": decidable,
            "approve_form": approve_form or ApproveForm(),
            "decline_form": decline_form or DeclineForm(),
            "screens": list(celebration.screens.all()),
        },
        status=status,
    )


@login_required
@require_GET
def celebration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.celebration_for(request.user, pk))


def _decide(request: HttpRequest, pk: int, form_class, decide, done: str) -> HttpResponse:
    user = request.user
    celebration = selectors.celebration_for(user, pk)
    if not can_decide(user):
        raise PermissionDenied
    form = form_class(request.POST)
    if form.is_valid():
        try:
            decide(celebration, form.cleaned_data)
        except ValidationError as exc:
            copy_errors(form, exc)
        except Conflict as exc:
            messages.warning(request, exc.message)
            return redirect(celebration)
        else:
            messages.success(request, done)
            return redirect(celebration)
    key = "approve_form" if form_class is ApproveForm else "decline_form"
    return _render_detail(request, celebration, status=400, **{key: form})


@login_required
@require_POST
def celebration_approve(request: HttpRequest, pk: int) -> HttpResponse:
    def decide(celebration, data):
        services.celebration_approve(celebration=celebration, actor=request.user, **data)

    return _decide(request, pk, ApproveForm, decide, _("The light-up day was approved."))


@login_required
@require_POST
def celebration_decline(request: HttpRequest, pk: int) -> HttpResponse:
    def decide(celebration, data):
        services.celebration_decline(celebration=celebration, actor=request.user, **data)

    return _decide(request, pk, DeclineForm, decide, _("The light-up day was declined."))


def image_response(celebration: Celebration, *, public: bool) -> FileResponse:
    if not celebration.image:
        raise Http404
    try:
        handle = celebration.image.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=celebration.image_type)
    response["X-Content-Type-Options"] = "nosniff"
    # An approved image is public (it is on the street); anything else stays private.
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-store"
    return response


@login_required
@require_GET
def celebration_image(request: HttpRequest, pk: int) -> FileResponse:
    celebration = selectors.celebration_for(request.user, pk)
    return image_response(celebration, public=False)


@login_required
@require_GET
def enterprise_celebrations(request: HttpRequest, pk: int) -> HttpResponse:
    """The celebrations on an enterprise's page (an htmx fragment, scoped like the page)."""
    enterprise = enterprise_for(request.user, pk)
    return render(
        request,
        "enterprises/celebrations/_enterprise.html",
        {
            "enterprise": enterprise,
            "celebrations": selectors.celebrations_of(request.user, enterprise),
            "can_request": can_request(request.user),
        },
    )
