"""Pages of the 亲清半月谈 dialogue sessions.

Every page reads through ``enterprises.selectors.sessions`` (``DialogueSession.objects.
visible_to``: outside it is 404) and every change goes through ``enterprises.services.sessions``
(its lifecycle, ``lifecycles.SESSION``, decides who may do what: a wrong role is 403, a wrong moment a warning and
nothing changed). The session's appeals are shown cut to what the viewer may see.
"""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enterprises.forms.sessions import (
    AnswerForm,
    ExpertForm,
    InviteForm,
    MinutesForm,
    NeedForm,
    SessionForm,
)
from enterprises.lifecycles import SESSION
from enterprises.models import DialogueSession, InvitationAnswer, SessionExpert
from enterprises.models.sessions import HELD_STATUSES
from enterprises.selectors import sessions as selectors
from enterprises.services import sessions as services
from portal.exceptions import Conflict
from portal.forms import copy_errors
from portal.models import Role
from portal.periods import list_window, window_q

SESSION_ROLES = (Role.DISPATCHER, Role.LEADER, Role.ADMIN, Role.ENTREPRENEUR)
STAFF_ROLES = (Role.DISPATCHER, Role.LEADER, Role.ADMIN)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _is_staff(user) -> bool:
    return user.has_role(*STAFF_ROLES)


# --- lists ------------------------------------------------------------------------------------


@login_required
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    """Every session the user may see with its figures; staff see the overall figures too."""
    user = request.user
    if not user.has_role(*SESSION_ROLES):
        raise PermissionDenied
    sessions = selectors.sessions_for(user)
    # Opened from a figure (the cockpit): the sessions held from … to ….
    start, end = list_window(request.GET)
    held_only = request.GET.get("held") == "1"
    filtered = bool(start or end or held_only)
    sessions = sessions.filter(window_q("held_on", start, end))
    if held_only:
        sessions = sessions.filter(status__in=HELD_STATUSES)
    figures = None
    if _is_staff(user):
        figures = selectors.session_figures(
            DialogueSession.objects.filter(window_q("held_on", start, end))
        )
    sessions = list(sessions)
    for session in sessions:
        session.closure_rate_display = percent(selectors.closure_rate(session))
    if figures is not None:
        figures["closure_rate_display"] = percent(figures["closure_rate"])
    return render(
        request,
        "enterprises/sessions/list.html",
        {
            "sessions": sessions,
            "figures": figures,
            "is_staff_view": _is_staff(user),
            "can_plan": SESSION.allowed(user, "edit"),
            "pending": selectors.pending_invitations_for(user),
            "filtered": filtered,
            "window": (start, end),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest) -> HttpResponse:
    if not SESSION.allowed(request.user, "edit"):
        raise PermissionDenied
    form = SessionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            messages.success(
                request,
                _("Session %(number)d is planned. Invite the entrepreneurs next.")
                % {"number": session.number},
            )
            return redirect(session)
    return render(
        request,
        "enterprises/sessions/form.html",
        {"form": form, "session": None},
        status=400 if request.method == "POST" else 200,
    )


# --- one session ------------------------------------------------------------------------------


def _render_detail(
    request: HttpRequest,
    session: DialogueSession,
    *,
    bound: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    bound = bound or {}
    steps = set(SESSION.available(session, user))
    rows = selectors.session_appeal_rows(session, user)
    is_staff = _is_staff(user)
    invitation = selectors.invitation_of(session, user)
    context = {
        "session": session,
        "steps": steps,
        "is_staff_view": is_staff,
        "hosts": selectors.hosts_of(session),
        "experts": selectors.experts_of(session),
        # Who else was invited is the organisers' business; a guest sees their own invitation.
        "invitations": selectors.invitations_of(session) if is_staff else [],
        "invitation": invitation,
        "rows": rows,
        "summary": selectors.progress_summary(rows),
        "closure_rate_display": percent(selectors.closure_rate(session)),
        "invite_form": bound.get("invite") or InviteForm(user=user),
        "expert_form": bound.get("expert") or ExpertForm(),
        "minutes_form": bound.get("minutes") or MinutesForm(initial={"minutes": session.minutes}),
        "answer_form": bound.get("answer") or AnswerForm(),
        "can_answer": invitation is not None and "answer" in steps,
        "can_export": is_staff,
        "today": timezone.localdate(),
    }
    return render(request, "enterprises/sessions/detail.html", context, status=status)


@login_required
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.session_for(request.user, pk))


def _step(request: HttpRequest, session: DialogueSession, step: str) -> bool:
    """Check the step before reading the form: 403 for a wrong role, a warning for a wrong
    moment (returns False)."""
    try:
        SESSION.check(session, request.user, step)
    except Conflict as exc:
        messages.warning(request, exc.message)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for(request.user, pk)
    if not _step(request, session, "edit"):
        return redirect(session)
    form = SessionForm(request.POST if request.method == "POST" else None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(session=session, actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            copy_errors(form, exc)
        except Conflict as exc:
            messages.warning(request, exc.message)
            return redirect(session)
        else:
            messages.success(request, _("The session was saved."))
            return redirect(session)
    return render(
        request,
        "enterprises/sessions/form.html",
        {"form": form, "session": session},
        status=400 if request.method == "POST" else 200,
    )


def _post_step(request, pk: int, step: str, form_class, key: str, run, done: str, **form_kwargs):
    """The shape of every small form on the session page: check, validate, call the service,
    then go back to the page (or show it again with the form's errors, changing nothing)."""
    session = selectors.session_for(request.user, pk)
    if not _step(request, session, step):
        return redirect(session)
    form = form_class(request.POST, request.FILES, **form_kwargs)
    if form.is_valid():
        try:
            run(session, form)
        except ValidationError as exc:
            copy_errors(form, exc)
        except Conflict as exc:
            messages.warning(request, exc.message)
            return redirect(session)
        else:
            messages.success(request, done)
            return redirect(f"{session.get_absolute_url()}#{key}")
    return _render_detail(request, session, bound={key: form}, status=400)


@login_required
@require_POST
def session_invite(request: HttpRequest, pk: int) -> HttpResponse:
    def run(session, form):
        services.session_invite(session=session, actor=request.user, **form.service_kwargs())

    return _post_step(
        request,
        pk,
        "invite",
        InviteForm,
        "invite",
        run,
        _("The invitation was sent."),
        user=request.user,
    )


@login_required
@require_POST
def session_answer(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for(request.user, pk)
    invitation = selectors.invitation_of(session, request.user)
    if invitation is None:
        raise PermissionDenied

    def run(session, form):
        services.session_answer(
            invitation=invitation,
            actor=request.user,
            answer=form.cleaned_data["answer"],
            note=form.cleaned_data["note"],
        )

    answer = request.POST.get("answer")
    done = (
        _("Thank you: we look forward to seeing you.")
        if answer == InvitationAnswer.ACCEPTED
        else _("Thank you for letting us know.")
    )
    return _post_step(request, pk, "answer", AnswerForm, "answer", run, done)


@login_required
@require_POST
def expert_add(request: HttpRequest, pk: int) -> HttpResponse:
    def run(session, form):
        services.session_add_expert(session=session, actor=request.user, **form.cleaned_data)

    return _post_step(request, pk, "experts", ExpertForm, "expert", run, _("The expert was added."))


@login_required
@require_POST
def expert_remove(request: HttpRequest, pk: int, expert_pk: int) -> HttpResponse:
    session = selectors.session_for(request.user, pk)
    expert = get_object_or_404(SessionExpert, pk=expert_pk, session=session)
    if _step(request, session, "experts"):
        try:
            services.session_remove_expert(expert=expert, actor=request.user)
        except Conflict as exc:
            messages.warning(request, exc.message)
        else:
            messages.success(request, _("The expert was removed."))
    return redirect(session)


@login_required
@require_POST
def session_hold(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for(request.user, pk)
    if _step(request, session, "hold"):
        try:
            services.session_hold(session=session, actor=request.user)
        except Conflict as exc:
            messages.warning(request, exc.message)
        else:
            messages.success(
                request, _("The session is marked held: record the needs raised at it.")
            )
    return redirect(session)


@login_required
@require_POST
def session_summarise(request: HttpRequest, pk: int) -> HttpResponse:
    def run(session, form):
        services.session_summarise(
            session=session, actor=request.user, minutes=form.cleaned_data["minutes"]
        )

    return _post_step(
        request,
        pk,
        "summarise",
        MinutesForm,
        "minutes",
        run,
        _("The minutes are on record: the session is summarised."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a need raised at the session: it becomes an appeal in the loop."""
    session = selectors.session_for(request.user, pk)
    if not _step(request, session, "record_need"):
        return redirect(session)
    form = NeedForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        session=session,
    )
    if request.method == "POST" and form.is_valid():
        try:
            appeal = services.session_record_need(
                session=session, actor=request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            copy_errors(form, exc)
        except Conflict as exc:
            messages.warning(request, exc.message)
            return redirect(session)
        else:
            messages.success(
                request,
                _(
                    "Appeal %(number)s was recorded from session %(session)d; accept and route it next."
                )
                % {"number": appeal.number, "session": session.number},
            )
            return redirect(f"{session.get_absolute_url()}#appeals")
    return render(
        request,
        "enterprises/sessions/need_form.html",
        {"form": form, "session": session},
        status=400 if request.method == "POST" else 200,
    )


# --- the one-page summary in Excel ------------------------------------------------------------

# The sheet's vocabulary is Chinese whatever the interface language (like the import's).
ANSWERS = {"pending": "未回复", "accepted": "参加", "declined": "不参加"}
STATUS_ZH = {
    "planned": "筹备中",
    "held": "已召开",
    "summarised": "已形成纪要",
}
APPEAL_STATUS_ZH = {
    "submitted": "待受理",
    "accepted": "已受理",
    "rejected": "不予受理",
    "assigned": "已交办",
    "in_progress": "办理中",
    "replied": "已答复",
    "closed": "已办结",
}


@login_required
@require_GET
def session_export(request: HttpRequest, pk: int) -> HttpResponse:
    """One session on one printed page: facts, participants, figures and its appeals."""
    session = selectors.session_for(request.user, pk)
    if not _is_staff(request.user):
        raise PermissionDenied
    content = summary_workbook(session, request.user)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    filename = f"session-{session.number}-summary.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def summary_workbook(session: DialogueSession, user) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.properties import PageSetupProperties

    rows = selectors.session_appeal_rows(session, user)
    invitations = selectors.invitations_of(session)
    hosts = selectors.hosts_of(session)
    experts = selectors.experts_of(session)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"第{session.number}期"
    bold = Font(bold=True)
    thin = Side(style="thin", color="999999")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_fill = PatternFill("solid", fgColor="F2DCDB")
    wrap = Alignment(wrap_text=True, vertical="top")
    width = 8

    def line(*values, font=None, fill=None, border=None):
        sheet.append(list(values))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # what people typed stays text, never a formula
            cell.alignment = wrap
            if font:
                cell.font = font
            if fill and cell.value is not None:
                cell.fill = fill
            if border and cell.value is not None:
                cell.border = border

    title = f"亲清半月谈第{session.number}期：{session.theme}"
    line(title, font=Font(bold=True, size=14))
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    when = session.held_on.isoformat()
    if session.start_time:
        when += f" {session.start_time:%H:%M}"
    for label, value in (
        ("时间", when),
        ("地点", session.venue),
        ("状态", STATUS_ZH.get(session.status, session.status)),
        ("主持领导", "、".join(h.display_name for h in hosts) or "—"),
        (
            "特邀专家",
            "；".join(
                "，".join(part for part in (e.name, e.organisation, e.field) if part)
                for e in experts
            )
            or "—",
        ),
    ):
        line(label, value, font=None)
        sheet.cell(row=sheet.max_row, column=1).font = bold
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=2, end_row=sheet.max_row, end_column=width
        )

    line()
    line(
        "邀请企业家",
        "收集诉求",
        "已受理",
        "已办结",
        "办结率",
        font=bold,
        fill=header_fill,
        border=box,
    )
    line(
        session.invited_count,
        session.appeal_count,
        session.accepted_count,
        session.closed_count,
        percent(selectors.closure_rate(session)),
        border=box,
    )

    line()
    line("参会企业家", font=bold)
    line("序号", "姓名", "企业", "回复", font=bold, fill=header_fill, border=box)
    for n, invitation in enumerate(invitations, 1):
        line(
            n,
            invitation.user.display_name,
            invitation.enterprise.name,
            ANSWERS.get(invitation.answer, invitation.answer),
            border=box,
        )

    line()
    line("诉求办理情况", font=bold)
    line(
        "序号",
        "编号",
        "企业",
        "诉求",
        "交办意见",
        "承办部门",
        "状态",
        "办结日期",
        font=bold,
        fill=header_fill,
        border=box,
    )
    for n, row in enumerate(rows, 1):
        line(
            n,
            row.number,
            row.enterprise,
            row.title,
            row.instruction,
            row.department or "—",
            APPEAL_STATUS_ZH.get(row.status, row.status_label),
            row.closed_on.isoformat() if row.closed_on else "",
            border=box,
        )

    for letter, size in zip("ABCDEFGH", (10, 16, 28, 30, 30, 16, 10, 12), strict=True):
        sheet.column_dimensions[letter].width = size
    # One printed page: landscape A4, everything fitted to a single sheet of paper.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1
    sheet.print_title_rows = "1:1"
    sheet.oddFooter.center.text = f"衢州市委统战部 · 导出于 {timezone.localdate().isoformat()}"

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
