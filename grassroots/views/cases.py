"""The typical-case library: the list with its search box and domain filter (cards on a
phone), a case's page (photos, units, people), the form, the steps, a photo (scoped)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.forms.cases import CaseFilterForm, CaseForm
from grassroots.models import TypicalCase
from grassroots.selectors import cases as selectors
from grassroots.selectors.units import counties
from grassroots.services import cases as services
from grassroots.views._common import PAGE_SIZE
from portal.exceptions import Conflict
from portal.files import file_response
from portal.models import Role
from portal.paginator import KeysFirstPaginator


def _require_readers(request: HttpRequest) -> None:
    if not selectors.can_see_cases(request.user):
        raise PermissionDenied


def _region_choices(user):
    if services.is_case_office(user):
        return counties()
    return counties().filter(code__in=user.region_codes(Role.COUNTY_STAFF))


def _put_errors(form, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    _require_readers(request)
    form = CaseFilterForm(request.GET or None)
    filters = form.filters()
    page = KeysFirstPaginator(selectors.cases_for(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "grassroots/cases/list.html",
        {
            "form": form,
            "page": page,
            "filters": filters,
            "can_draft": services.can_draft(request.user),
        },
    )


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    return render(
        request,
        "grassroots/cases/detail.html",
        {
            "case": case,
            "people": selectors.people_of(case),
            "steps": services.available_steps(request.user, case),
            "can_edit": services.can_edit_case(request.user, case),
        },
    )


def _save(request: HttpRequest, form: CaseForm, case: TypicalCase | None):
    photos = request.FILES.getlist("photos")
    try:
        if case is None:
            return services.case_create(
                actor=request.user, data=form.data_for_service(), photos=photos
            )
        return services.case_update(
            actor=request.user,
            case=case,
            version=form.cleaned_data["version"] or 0,
            data=form.data_for_service(),
            photos=photos,
        )
    except ValidationError as error:
        _put_errors(form, error)
    except Conflict as conflict:
        messages.error(request, conflict.message)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    if not services.can_draft(request.user):
        raise PermissionDenied
    form = CaseForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        region_choices=_region_choices(request.user),
    )
    if request.method == "POST" and form.is_valid():
        case = _save(request, form, None)
        if case is not None:
            messages.success(request, _("The case is saved as a draft."))
            return redirect("grassroots:case-detail", case.pk)
    return render(request, "grassroots/cases/form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    if not services.can_edit_case(request.user, case):
        raise PermissionDenied
    people = "\n".join(f"{ref.kind}:{ref.ref_id}" for ref in case.references.all())
    initial = {
        "title": case.title,
        "domain": case.domain,
        "region": case.county,
        "summary": case.summary,
        "body": case.body,
        "tags": ", ".join(case.tags),
        "units": list(case.units.all()),
        "people": people,
        "version": case.version,
    }
    form = CaseForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        user=request.user,
        region_choices=_region_choices(request.user),
    )
    if request.method == "POST" and form.is_valid() and _save(request, form, case) is not None:
        messages.success(request, _("The case is saved."))
        return redirect("grassroots:case-detail", case.pk)
    return render(request, "grassroots/cases/form.html", {"form": form, "case": case})


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    try:
        services.case_step(actor=request.user, case=case, step=action)
    except Conflict as conflict:
        messages.error(request, conflict.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": services.STEPS[action].label})
    return redirect("grassroots:case-detail", case.pk)


@login_required
@require_GET
def case_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    return file_response(selectors.photo_for(request.user, pk, photo_pk))
