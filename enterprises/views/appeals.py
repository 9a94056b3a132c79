"""Pages of the appeal loop for every role.

Every page reads through ``enterprises.selectors`` (so one ``visible_to`` decides who sees what:
outside it is 404) and every change goes through ``enterprises.services`` (so the transition table
decides who may do what: a wrong role is 403, a wrong moment a warning and nothing changed).
Lists run a fixed number of queries whatever their length.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from enterprises import selectors, services
from enterprises.actions import APPEAL_ACTIONS
from enterprises.filters import AppealFilterSet
from enterprises.forms.appeals import ActionForm, AppealForm
from enterprises.lifecycles import APPEAL
from enterprises.models import (
    Appeal,
    AppealCategory,
    AppealEvent,
    Assignment,
    Attachment,
    CoHandling,
    Extension,
    InfoRequest,
    Rating,
    Status,
)
from enterprises.models.appeals import UNANSWERED
from portal.exceptions import Conflict
from portal.files import file_response
from portal.forms import copy_errors
from portal.models import Role
from portal.paginator import KeysFirstPaginator
from portal.workdays import add_working_days, is_working_day, working_days_between

PAGE_SIZE = 25
DEPARTMENT_ROLES = (Role.HANDLER, Role.DEPARTMENT_HEAD)
TRIAGE_ROLES = (Role.DISPATCHER, Role.ADMIN)

# Sort keys of the list page: (ordering, label). Deadlines without a date sort last.
SORTS = {
    "-submitted": (("-submitted_at", "-id"), gettext_lazy("Newest first")),
    "submitted": (("submitted_at", "id"), gettext_lazy("Oldest first")),
    "due": ((F("due_date").asc(nulls_last=True), "id"), gettext_lazy("Deadline, soonest first")),
    "-due": ((F("due_date").desc(nulls_last=True), "-id"), gettext_lazy("Deadline, latest first")),
}

EVENT_ICONS = {
    "submit": ("send", "secondary"),
    "accept": ("check2-circle", "primary"),
    "reject": ("x-circle", "danger"),
    "merge": ("intersect", "secondary"),
    "link": ("link-45deg", "secondary"),
    "assign": ("diagram-3", "primary"),
    "sign": ("pen", "primary"),
    "return": ("arrow-return-left", "warning"),
    "request_info": ("question-circle", "warning"),
    "provide_info": ("chat-left-text", "info"),
    "submit_part": ("box-arrow-in-right", "info"),
    "reply": ("reply-fill", "success"),
    "rate": ("star-fill", "success"),
    "extend": ("calendar-plus", "warning"),
    "approve_extension": ("calendar-check", "success"),
    "decline_extension": ("calendar-x", "danger"),
    "supervise": ("flag-fill", "danger"),
    "auto_close": ("hourglass-bottom", "secondary"),
    "callback": ("telephone", "info"),
    "attach": ("paperclip", "secondary"),
    "instruct": ("megaphone", "primary"),
}


# --- helpers ----------------------------------------------------------------------------------


# The services' names of the due dates, on the forms.
DUE_DATE_FIELDS = {"due_date": "due_at", "co_due_date": "co_due_at"}


def _mark_due(appeals, today: date | None = None) -> None:
    today = today or timezone.localdate()
    for appeal in appeals:
        appeal.due = selectors.due_state(appeal, today)


def _next_url(request: HttpRequest, appeal: Appeal) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return appeal.get_absolute_url()


def _go(request: HttpRequest, url: str) -> HttpResponse:
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _int_param(request: HttpRequest, name: str) -> int | None:
    try:
        value = int(request.GET.get(name, ""))
    except ValueError:
        return None
    return value if 0 < value < 2**63 else None


# --- lists ------------------------------------------------------------------------------------


@login_required
@require_GET
def appeal_list(request: HttpRequest) -> HttpResponse:
    """Every appeal the user may see: filters, search, sorting and 25 per page."""
    user = request.user
    filterset = AppealFilterSet(request.GET or None, queryset=selectors.appeals_for(user))
    sort = request.GET.get("sort", "-submitted")
    if sort not in SORTS:
        sort = "-submitted"
    appeals = filterset.qs.order_by(*SORTS[sort][0])
    paginator = KeysFirstPaginator(appeals, PAGE_SIZE)
    size = selectors.tallied_size(user, request.GET, filterset.filters)
    if size is not None:
        paginator.count = size
    page = paginator.get_page(request.GET.get("page"))
    _mark_due(page.object_list)

    form = filterset.form
    shown = ["q", "category", "source", "submitted_from", "submitted_to"]
    if user.role != Role.ENTREPRENEUR:
        shown[2:2] = ["department", "overdue", "supervised"]
    for name, field in form.fields.items():
        widget = field.widget
        if getattr(widget, "input_type", "") == "select":
            widget.attrs.setdefault("class", "form-select form-select-sm")
        else:
            widget.attrs.setdefault("class", "form-control form-control-sm")
        if name in ("submitted_from", "submitted_to"):
            widget.input_type, widget.format = "date", "%Y-%m-%d"
    return render(
        request,
        "enterprises/appeals/list.html",
        {
            "page": page,
            "filter_form": form,
            "shown_filters": [form[name] for name in shown],
            "status_choices": Status.choices,
            "chosen_statuses": request.GET.getlist("status"),
            "sort": sort,
            "sorts": [(key, label) for key, (_o, label) in SORTS.items()],
            "is_entrepreneur": user.role == Role.ENTREPRENEUR,
            "filtered": any(
                value for key, value in request.GET.items() if key not in ("page", "sort")
            ),
        },
    )


@login_required
@require_GET
def appeal_inbox(request: HttpRequest) -> HttpResponse:
    """The dispatchers' triage queue, or a department's work queue."""
    user = request.user
    if user.has_role(*TRIAGE_ROLES):
        return _dispatcher_inbox(request)
    if user.role in DEPARTMENT_ROLES and user.department_id:
        return _department_inbox(request)
    raise PermissionDenied


def _dispatcher_inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    tab = request.GET.get("tab", "new")
    if tab not in ("new", "route"):
        tab = "new"
    counts = selectors.appeals_for(user).aggregate(
        new=Count("id", filter=Q(status=Status.SUBMITTED)),
        route=Count("id", filter=Q(status=Status.ACCEPTED)),
    )
    appeals = (
        selectors.dispatcher_inbox(user)
        .filter(status=Status.SUBMITTED if tab == "new" else Status.ACCEPTED)
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(returned_at__isnull=False)
                .select_related("department")
                .order_by("-returned_at", "-id"),
                to_attr="returns",
            )
        )
    )
    page = KeysFirstPaginator(appeals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "enterprises/appeals/inbox_dispatcher.html",
        {"page": page, "tab": tab, "counts": counts, "next": request.get_full_path()},
    )


def _department_inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    tab = request.GET.get("tab", "all")
    if tab not in ("all", "sign", "work", "overdue"):
        tab = "all"
    inbox = selectors.department_inbox(user)
    soon = add_working_days(today, 2)
    counts = inbox.order_by().aggregate(
        all=Count("id"),
        sign=Count("id", filter=Q(status=Status.ASSIGNED)),
        work=Count("id", filter=Q(status=Status.IN_PROGRESS)),
        overdue=Count("id", filter=Q(due_date__lt=today)),
        due_soon=Count("id", filter=Q(due_date__gte=today, due_date__lte=soon)),
    )
    appeals = {
        "all": inbox,
        "sign": inbox.filter(status=Status.ASSIGNED),
        "work": inbox.filter(status=Status.IN_PROGRESS),
        "overdue": inbox.filter(due_date__lt=today),
    }[tab].prefetch_related(
        Prefetch(
            "co_handlings",
            queryset=CoHandling.objects.filter(department_id=user.department_id).order_by("-id"),
            to_attr="our_parts",
        )
    )
    paginator = KeysFirstPaginator(appeals, PAGE_SIZE)
    # The tab counts already hold this tab's size: spare the paginator a second COUNT.
    paginator.count = counts[tab]
    page = paginator.get_page(request.GET.get("page"))
    _mark_due(page.object_list, today)
    for appeal in page.object_list:
        appeal.is_lead = appeal.lead_department_id == user.department_id
        appeal.our_part = next(
            (c for c in appeal.our_parts if c.assignment_id == appeal.current_assignment_id),
            None,
        )
    return render(
        request,
        "enterprises/appeals/inbox_department.html",
        {"page": page, "tab": tab, "counts": counts, "next": request.get_full_path()},
    )


@login_required
@require_GET
def extension_list(request: HttpRequest) -> HttpResponse:
    """Extension requests waiting for this department head's (or a dispatcher's) decision."""
    user = request.user
    if not user.has_role(Role.DEPARTMENT_HEAD, *TRIAGE_ROLES):
        raise PermissionDenied
    page = Paginator(selectors.pending_extensions_for(user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    for extension in page.object_list:
        extension.extra_days = working_days_between(
            extension.previous_due_date, extension.requested_due_date
        )
        extension.appeal.due = selectors.due_state(extension.appeal, today)
    return render(
        request,
        "enterprises/appeals/extensions.html",
        {"page": page, "next": request.get_full_path()},
    )


# --- submission -------------------------------------------------------------------------------


@login_required
def appeal_new(request: HttpRequest) -> HttpResponse:
    """An entrepreneur's new appeal, or one a dispatcher records from a call, visit or session."""
    user = request.user
    if not (user.role == Role.ENTREPRENEUR or user.has_role(*TRIAGE_ROLES)):
        raise PermissionDenied
    form = AppealForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        user=user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            appeal = services.appeal_submit(actor=user, **form.service_kwargs())
        except ValidationError as exc:
            copy_errors(form, exc, DUE_DATE_FIELDS)
        else:
            messages.success(
                request,
                _("Appeal %(number)s has been submitted. You can follow its progress here.")
                % {"number": appeal.number},
            )
            return redirect(appeal)
    category = None
    if (category_id := form["category"].value()) and str(category_id).isdigit():
        category = AppealCategory.objects.filter(pk=category_id, is_active=True).first()
    can_submit = form.on_behalf or form.fields["enterprise"].queryset.exists()
    return render(
        request,
        "enterprises/appeals/new.html",
        {"form": form, "category": category, "can_submit": can_submit},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def category_guidance(request: HttpRequest) -> HttpResponse:
    """What to include for a category and how long it takes (htmx, on the submission page)."""
    pk = _int_param(request, "category")
    category = AppealCategory.objects.filter(pk=pk, is_active=True).first() if pk else None
    return render(request, "enterprises/appeals/_category_guidance.html", {"category": category})


@login_required
@require_GET
def deadline_preview(request: HttpRequest) -> HttpResponse:
    """The deadline a triage or extension form would set, in dates and working days (htmx)."""
    user = request.user
    if not user.has_role(*TRIAGE_ROLES, *DEPARTMENT_ROLES):
        raise PermissionDenied
    pk = _int_param(request, "appeal")
    if pk is None:
        raise Http404
    appeal = selectors.appeal_for(user, pk)
    purpose = "extend" if request.GET.get("for") == "extend" else "assign"
    raw = request.GET.get(f"{purpose}-due_at", request.GET.get("due_at", "")).strip()
    return render(
        request,
        "enterprises/appeals/_deadline_preview.html",
        {"preview": _deadline_preview(appeal, purpose, raw)},
    )


def _deadline_preview(appeal: Appeal, purpose: str, raw: str = "") -> dict:
    today = timezone.localdate()
    try:
        chosen = parse_date(raw) if raw else None
    except ValueError:
        chosen = None
    context = {"purpose": purpose, "appeal": appeal, "today": today, "raw": raw}
    if raw and chosen is None:
        return context | {"problem": _("Enter the date as YYYY-MM-DD.")}
    if purpose == "extend":
        if chosen is None:
            return context
        context |= {"date": chosen, "days": working_days_between(today, chosen)}
        if appeal.due_date and chosen <= appeal.due_date:
            context["problem"] = _("The new deadline must be after the current one (%(due)s).") % {
                "due": appeal.due_date.isoformat()
            }
        elif appeal.due_date:
            context["extra_days"] = working_days_between(appeal.due_date, chosen)
    else:
        limit = services.default_due_date(appeal.category, today)
        context["limit"] = limit
        context["limit_days"] = appeal.category.handle_days
        if appeal.due_date is not None:  # routed before: the deadline in force stays
            context["in_force"] = True
            chosen = chosen or appeal.due_date
        else:
            context["default"] = chosen is None
            chosen = chosen or limit
            if chosen > limit:
                context["problem"] = _(
                    "%(category)s allows at most %(days)d working days (until %(limit)s)."
                ) % {
                    "category": appeal.category.name,
                    "days": appeal.category.handle_days,
                    "limit": limit.isoformat(),
                }
        context |= {"date": chosen, "days": working_days_between(today, chosen)}
    if "problem" not in context and chosen < today:
        context["problem"] = _("The deadline cannot be in the past.")
    context["non_working"] = not is_working_day(chosen)
    return context


# --- one appeal -------------------------------------------------------------------------------


def _decorate(events: list[AppealEvent]) -> None:
    ratings = dict(Rating.choices)
    for event in events:
        event.icon, event.tone = EVENT_ICONS.get(event.action, ("dot", "secondary"))
        data = event.data or {}
        details = []
        if event.action == "assign":
            details.append(
                _("Lead department: %(department)s; deadline %(due)s")
                % {"department": data.get("department_name", ""), "due": data.get("due_date", "")}
            )
            if data.get("co_department_names"):
                details.append(
                    _("Co-handling: %(departments)s; their parts are due %(due)s")
                    % {
                        "departments": "、".join(data["co_department_names"]),
                        "due": data.get("co_due_date") or "",
                    }
                )
        elif event.action == "return":
            details.append(
                _("Returned by %(department)s") % {"department": data.get("department_name", "")}
                + (" · " + _("routing dispute: the deadline stays") if data.get("dispute") else "")
            )
        elif event.action in ("rate", "callback") and data.get("rating") in ratings:
            event.rating = data["rating"]
            if data["rating"] == Rating.DISSATISFIED:
                event.details_class = "text-danger"
            details.append(ratings[data["rating"]])
        elif event.action == "extend":
            details.append(
                _("From %(old)s to %(new)s") % {"old": data.get("from"), "new": data.get("to")}
            )
        elif event.action in ("approve_extension", "decline_extension") and data.get("to"):
            details.append(_("Requested deadline %(due)s") % {"due": data["to"]})
        elif event.action in ("merge", "link") and data.get("number"):
            details.append(data["number"])
        elif event.action == "provide_info" and data.get("stopped_days"):
            details.append(
                _("The clock stood still for %(days)d working days; the deadline moved.")
                % {"days": data["stopped_days"]}
            )
        elif event.action == "submit_part" and data.get("department_name"):
            details.append(data["department_name"])
        event.details = details


def _action_forms(appeal: Appeal, user, bound: ActionForm | None = None) -> list[ActionForm]:
    available = set(APPEAL.available(appeal, user))
    forms = []
    for entry in APPEAL_ACTIONS:  # in the order the page offers them
        if entry.name not in available:
            continue
        if bound is not None and bound.action == entry.name:
            forms.append(bound)
        else:
            forms.append(entry.form(appeal=appeal, user=user))
    return forms


def _render_detail(
    request: HttpRequest, appeal: Appeal, bound: ActionForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    events = selectors.timeline(appeal)
    _decorate(events)
    forms = _action_forms(appeal, user, bound)
    open_form = bound.action if bound is not None else (forms[0].action if forms else None)
    submission = next((e for e in events if e.action == "submit"), None)
    candidates = []
    if appeal.status in (Status.SUBMITTED, Status.ACCEPTED) and user.has_role(*TRIAGE_ROLES):
        candidates = list(
            appeal.repeat_candidates.select_related("candidate").order_by("-score", "id")
        )
        merge = next((f for f in forms if f.action == "merge"), None)
        if merge is not None and not merge.is_bound and candidates:
            merge.initial["into"] = candidates[0].candidate.number
    co_handlings = []
    if appeal.current_assignment_id:
        co_handlings = list(
            CoHandling.objects.filter(assignment_id=appeal.current_assignment_id).select_related(
                "department", "submitted_by"
            )
        )
    appeal.due = selectors.due_state(appeal)
    # Linked appeals and those merged into this one, in one query: merging links the two, so
    # the link table finds both through its index (an OR with ``merged_into`` would scan).
    related = list(
        Appeal.objects.visible_to(user)
        .filter(pk__in=appeal.linked.values("pk"))
        .order_by("submitted_at", "id")
    )
    assign = next((f for f in forms if f.action == "assign"), None)
    context = {
        "appeal": appeal,
        "events": events,
        "submission_files": list(submission.attachments.all()) if submission else [],
        "forms": forms,
        "open_form": open_form,
        "candidates": candidates,
        "co_handlings": co_handlings,
        "linked": [other for other in related if other.merged_into_id != appeal.pk],
        "merged": [other for other in related if other.merged_into_id == appeal.pk],
        "question": InfoRequest.objects.filter(appeal=appeal, ended_at__isnull=True)
        .select_related("asked_by")
        .first()
        if appeal.awaiting_info
        else None,
        "extension": Extension.objects.filter(appeal=appeal, status=Extension.Decision.PENDING)
        .select_related("requested_by")
        .first()
        if appeal.status in UNANSWERED and user.role != Role.ENTREPRENEUR
        else None,
        "preview": (
            _deadline_preview(appeal, "assign", assign["due_at"].value() or "")
            if assign is not None
            else None
        ),
        "is_staff_view": user.role != Role.ENTREPRENEUR,
    }
    return render(request, "enterprises/appeals/detail.html", context, status=status)


@login_required
@require_GET
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.appeal_for(request.user, pk))


@login_required
@require_POST
def appeal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step of the loop, posted by the form of that action on the detail or inbox pages."""
    name = action.replace("-", "_")
    entry = APPEAL_ACTIONS.get(name)
    if entry is None:
        raise Http404
    user = request.user
    appeal = selectors.appeal_for(user, pk)
    try:
        APPEAL.check(appeal, user, name)  # PermissionDenied → 403
    except Conflict as exc:
        messages.warning(request, exc.message)
        return _go(request, appeal.get_absolute_url())
    form = entry.form(request.POST, request.FILES, appeal=appeal, user=user)
    if form.is_valid():
        try:
            APPEAL_ACTIONS.run(name, appeal, user, **form.service_kwargs())
        except ValidationError as exc:
            copy_errors(form, exc, DUE_DATE_FIELDS)
        except Conflict as exc:
            messages.warning(request, exc.message)
            return _go(request, appeal.get_absolute_url())
        else:
            messages.success(request, entry.done % {"number": appeal.number})
            return _go(request, _next_url(request, appeal))
    if request.htmx and request.htmx.target == f"action-{name}":
        context = {"form": form, "appeal": appeal, "open_form": name}
        if name == "assign":
            context["preview"] = _deadline_preview(appeal, "assign", form["due_at"].value() or "")
        return render(request, "enterprises/appeals/_action.html", context, status=400)
    return _render_detail(request, appeal, bound=form, status=400)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A file of an appeal the user may see; images and PDFs open in the browser."""
    attachment = get_object_or_404(
        Attachment.objects.visible_to(request.user), pk=attachment_pk, appeal_id=pk
    )
    return file_response(attachment)
