"""Pages of liaison: linking a cadre to a person, ending a link, the coverage (recognised
people without a current cadre) and a cadre's handover to another."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nonparty import selectors, services
from nonparty.forms import HandoverForm, LiaisonForm
from nonparty.models import Liaison
from nonparty.views._common import PAGE_SIZE, form_page, require_archive, require_editor
from portal.exceptions import Conflict
from portal.forms import copy_errors
from portal.paginator import KeysFirstPaginator


def _error_text(exc) -> str:
    return exc.message if isinstance(exc, Conflict) else " ".join(exc.messages)


@login_required
@require_POST
def liaison_link(request: HttpRequest, pk: int) -> HttpResponse:
    require_editor(request)
    person = selectors.person_for(request.user, pk)
    form = LiaisonForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
    else:
        try:
            services.liaison_link(actor=request.user, person=person, **form.cleaned_data)
        except (Conflict, ValidationError) as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The liaison cadre is linked."))
    return redirect("nonparty:detail", pk=person.pk)


@login_required
@require_POST
def liaison_end(request: HttpRequest, pk: int) -> HttpResponse:
    require_editor(request)
    link = get_object_or_404(Liaison.objects.visible_to(request.user), pk=pk)
    try:
        services.liaison_end(actor=request.user, link=link, ends_on=timezone.localdate())
    except (Conflict, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The link has ended."))
    return redirect("nonparty:detail", pk=link.person_id)


@login_required
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    require_archive(request)
    page = KeysFirstPaginator(selectors.uncovered(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "nonparty/coverage.html",
        {"page": page, "can_edit": selectors.can_edit(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def handover(request: HttpRequest) -> HttpResponse:
    require_editor(request)
    title, back = _("Hand a cadre's people over"), reverse("nonparty:coverage")
    if request.method == "GET":
        form = HandoverForm(initial={"on": timezone.localdate()})
        return form_page(request, form, title=title, back=back)
    form = HandoverForm(request.POST)
    if not form.is_valid():
        return form_page(request, form, title=title, back=back)
    try:
        done = services.liaison_handover(actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        copy_errors(form, exc)
        return form_page(request, form, title=title, back=back, status=400)
    messages.success(
        request,
        _("%(count)d people handed over to %(cadre)s.")
        % {"count": done.people_count, "cadre": done.to_cadre.display_name},
    )
    return redirect("nonparty:list")
