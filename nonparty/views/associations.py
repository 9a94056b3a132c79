"""Pages of the associations (知联会) and the president's yearly report and review: the
associations, one association with its members and reports, a report (text, entered and
computed figures, review progress, results once closed), the office's actions, and the
member's review page, opened from a one-time link without signing in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nonparty import selectors
from nonparty.forms.associations import (
    AssociationForm,
    CloseForm,
    LeaveForm,
    MemberForm,
    OpenForm,
    ReportForm,
    ReviewForm,
)
from nonparty.models import AssociationMembership, Person, ReportState, ReviewLink, Status
from nonparty.selectors import associations as reads
from nonparty.services import associations as writes
from nonparty.views._common import form_page, require_archive, require_editor
from portal.exceptions import Conflict
from portal.forms import copy_errors


def _joinable(user, association):
    current = association.memberships.filter(left_on__isnull=True).values("person")
    return (
        Person.objects.visible_to(user)
        .exclude(status=Status.WITHDRAWN)
        .exclude(pk__in=current)
        .order_by("name", "pk")
    )


@login_required
@require_GET
def association_list(request: HttpRequest) -> HttpResponse:
    require_archive(request)
    return render(
        request,
        "nonparty/associations/list.html",
        {
            "associations": reads.associations_for(request.user),
            "reports": reads.reports_for(request.user)[:50],
            "can_edit": selectors.can_edit(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def association_create(request: HttpRequest) -> HttpResponse:
    require_editor(request)
    title, back = _("Enter an association"), reverse("nonparty:association-list")
    form = AssociationForm(request.POST or None)
    if request.method == "GET" or not form.is_valid():
        return form_page(request, form, title=title, back=back)
    try:
        association = writes.association_create(actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        copy_errors(form, exc)
        return form_page(request, form, title=title, back=back, status=400)
    return redirect("nonparty:association-detail", pk=association.pk)


@login_required
@require_GET
def association_detail(request: HttpRequest, pk: int) -> HttpResponse:
    association = reads.association_for(request.user, pk)
    can_edit = selectors.can_edit(request.user)
    return render(
        request,
        "nonparty/associations/detail.html",
        {
            "association": association,
            "members": reads.current_members(association, request.user),
            "reports": reads.with_review_counts(association.reports.all()).order_by("-year"),
            "can_edit": can_edit,
            "member_form": (
                MemberForm(
                    people=_joinable(request.user, association),
                    initial={"joined_on": timezone.localdate()},
                )
                if can_edit
                else None
            ),
        },
    )


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_editor(request)
    association = reads.association_for(request.user, pk)
    form = MemberForm(request.POST, people=_joinable(request.user, association))
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
    else:
        try:
            writes.member_add(actor=request.user, association=association, **form.cleaned_data)
        except (ValidationError, Conflict) as exc:
            messages.error(
                request, exc.message if isinstance(exc, Conflict) else " ".join(exc.messages)
            )
        else:
            messages.success(request, _("The member is added."))
    return redirect("nonparty:association-detail", pk=association.pk)


@login_required
@require_POST
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    require_editor(request)
    membership = get_object_or_404(AssociationMembership.objects.visible_to(request.user), pk=pk)
    form = LeaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the day the member left."))
    else:
        try:
            writes.member_leave(actor=request.user, membership=membership, **form.cleaned_data)
        except (ValidationError, Conflict) as exc:
            messages.error(
                request, exc.message if isinstance(exc, Conflict) else " ".join(exc.messages)
            )
        else:
            messages.success(request, _("The member has left."))
    return redirect("nonparty:association-detail", pk=membership.association_id)


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The office records the president's report on their behalf (they have no account)."""
    require_editor(request)
    association = reads.association_for(request.user, pk)
    title = _("Record the president's report of %(name)s") % {"name": association.name}
    back = reverse("nonparty:association-detail", args=[association.pk])
    if request.method == "GET":
        form = ReportForm(initial={"year": timezone.localdate().year})
        return form_page(request, form, title=title, back=back)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return form_page(request, form, title=title, back=back)
    data = dict(form.cleaned_data)
    data.pop("version", None)
    year = data.pop("year")
    try:
        report = writes.report_create(
            actor=request.user, association=association, year=year, data=data
        )
    except ValidationError as exc:
        copy_errors(form, exc)
        return form_page(request, form, title=title, back=back, status=400)
    messages.success(request, _("The report is recorded as a draft."))
    return redirect("nonparty:report-detail", pk=report.pk)


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_editor(request)
    report = reads.report_for(request.user, pk)
    title = _("Edit the report of %(year)s") % {"year": report.year}
    back = reverse("nonparty:report-detail", args=[report.pk])
    if request.method == "GET":
        initial = {name: getattr(report, name) for name in (*writes.REPORT_FIELDS, "year")}
        form = ReportForm(initial={**initial, "version": report.version})
        form.fields["year"].disabled = True
        return form_page(request, form, title=title, back=back)
    form = ReportForm(request.POST, initial={"year": report.year})
    form.fields["year"].disabled = True
    if not form.is_valid():
        return form_page(request, form, title=title, back=back)
    data = {name: form.cleaned_data[name] for name in writes.REPORT_FIELDS}
    try:
        writes.report_update(
            actor=request.user,
            report=report,
            data=data,
            version=form.cleaned_data["version"] or 0,
        )
    except Conflict as exc:
        form.add_error(None, exc.message)
        return form_page(request, form, title=title, back=back, status=409)
    except ValidationError as exc:
        copy_errors(form, exc)
        return form_page(request, form, title=title, back=back, status=400)
    messages.success(request, _("Saved."))
    return redirect(back)


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = reads.report_for(request.user, pk)
    can_edit = selectors.can_edit(request.user)
    closed = report.state == ReportState.CLOSED
    return render(
        request,
        "nonparty/associations/report.html",
        {
            "report": report,
            "growth": reads.growth_figures(report),
            "results": reads.results_of(report) if closed else None,
            # Who has responded: the office's to chase; never what anyone said.
            "progress": reads.progress(report) if can_edit else None,
            "can_edit": can_edit,
            "open_form": OpenForm() if can_edit and report.state == ReportState.DRAFT else None,
            "close_form": (
                CloseForm(initial={"version": report.version})
                if can_edit and report.state == ReportState.OPEN
                else None
            ),
        },
    )


def _links_page(request, report, issued, status=200):
    links = [
        {
            "person": item.person,
            "url": request.build_absolute_uri(reverse("nonparty:review", args=[item.token])),
        }
        for item in issued
    ]
    return render(
        request,
        "nonparty/associations/links.html",
        {"report": report, "links": links},
        status=status,
    )


@login_required
@require_POST
def report_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open for review; the links are shown on this answer only (their tokens are not kept)."""
    require_editor(request)
    report = reads.report_for(request.user, pk)
    form = OpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the day the review closes."))
        return redirect("nonparty:report-detail", pk=report.pk)
    try:
        issued = writes.report_open(actor=request.user, report=report, **form.cleaned_data)
    except (ValidationError, Conflict) as exc:
        messages.error(
            request, exc.message if isinstance(exc, Conflict) else " ".join(exc.messages)
        )
        return redirect("nonparty:report-detail", pk=report.pk)
    response = _links_page(request, report, issued)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def link_reissue(request: HttpRequest, pk: int) -> HttpResponse:
    require_editor(request)
    link = get_object_or_404(ReviewLink.objects.visible_to(request.user), pk=pk)
    try:
        issued = writes.link_reissue(actor=request.user, link=link)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("nonparty:report-detail", pk=link.report_id)
    response = _links_page(request, link.report, [issued])
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def report_close(request: HttpRequest, pk: int) -> HttpResponse:
    require_editor(request)
    report = reads.report_for(request.user, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the summary before closing."))
        return redirect("nonparty:report-detail", pk=report.pk)
    try:
        writes.report_close(
            actor=request.user,
            report=report,
            summary=form.cleaned_data["summary"],
            version=form.cleaned_data["version"],
        )
    except (ValidationError, Conflict) as exc:
        messages.error(
            request, exc.message if isinstance(exc, Conflict) else " ".join(exc.messages)
        )
    else:
        messages.success(request, _("The review is closed."))
    return redirect("nonparty:report-detail", pk=report.pk)


UNUSABLE = {
    "used": (409, _("This link has been used already: your review is counted, nothing changed.")),
    "closed": (410, _("The review of this report is closed.")),
    "expired": (410, _("This link expired when the review closed.")),
}


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, token: str) -> HttpResponse:
    """The member's page: no sign-in, the unguessable token is the key; it scores once."""
    link = writes.link_for_token(token)
    if link is None:
        raise Http404(_("This review link is not valid."))
    report = link.report
    context = {"report": report, "growth": reads.growth_figures(report)}
    try:
        writes.link_check(link)
    except writes.LinkUnusable as exc:
        status, message = UNUSABLE[exc.reason]
        return render(
            request,
            "nonparty/associations/review.html",
            {**context, "message": message},
            status=status,
        )
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                writes.review_submit(token=token, data=form.cleaned_data)
            except writes.LinkUnusable as exc:
                status, message = UNUSABLE.get(exc.reason, UNUSABLE["used"])
                return render(
                    request,
                    "nonparty/associations/review.html",
                    {**context, "message": message},
                    status=status,
                )
            return render(
                request,
                "nonparty/associations/review.html",
                {**context, "thanks": True},
            )
        return render(
            request, "nonparty/associations/review.html", {**context, "form": form}, status=400
        )
    return render(request, "nonparty/associations/review.html", {**context, "form": form})
