"""Pages of yearly talk plans: completion per cadre (a cadre sees their own people), putting a
person in a plan, recording a talk."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nonparty import selectors, services
from nonparty.forms import TalkPlanForm, TalkRecordForm
from nonparty.models import Person, Status
from nonparty.views._common import form_page, require_archive, require_editor
from portal.exceptions import Conflict
from portal.forms import copy_errors


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        return today.year
    return year if 2000 <= year <= 2100 else today.year


def _plannable(user):
    return Person.objects.visible_to(user).filter(status=Status.RECOGNISED).order_by("name")


@login_required
@require_GET
def talks(request: HttpRequest) -> HttpResponse:
    require_archive(request)
    year = _year(request)
    can_edit = selectors.can_edit(request.user)
    return render(
        request,
        "nonparty/talks.html",
        {
            "year": year,
            "completion": selectors.talk_completion(request.user, year),
            "plans": selectors.plans_of(request.user, year)[:500],
            "can_edit": can_edit,
            "plan_form": TalkPlanForm(people=_plannable(request.user)) if can_edit else None,
        },
    )


@login_required
@require_POST
def talk_plan_add(request: HttpRequest) -> HttpResponse:
    require_editor(request)
    year = _year(request)
    form = TalkPlanForm(request.POST, people=_plannable(request.user))
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
    else:
        try:
            services.talk_plan_set(actor=request.user, year=year, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The plan is saved."))
    return redirect(reverse("nonparty:talks") + f"?year={year}")


@login_required
@require_http_methods(["GET", "POST"])
def talk_record(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, pk)
    if not (request.user.pk == plan.cadre_id or selectors.can_edit(request.user)):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    title = _("Record a talk with %(name)s") % {"name": plan.person.name}
    back = reverse("nonparty:talks") + f"?year={plan.year}"
    if request.method == "GET":
        form = TalkRecordForm(initial={"held_on": timezone.localdate()})
        return form_page(request, form, title=title, back=back, person=plan.person)
    form = TalkRecordForm(request.POST)
    if not form.is_valid():
        return form_page(request, form, title=title, back=back, person=plan.person)
    try:
        services.talk_record(actor=request.user, plan=plan, data=form.cleaned_data)
    except (Conflict, ValidationError) as exc:
        if isinstance(exc, Conflict):
            form.add_error(None, exc.message)
        else:
            copy_errors(form, exc)
        return form_page(request, form, title=title, back=back, person=plan.person, status=400)
    messages.success(request, _("The talk is recorded."))
    return redirect(back)
