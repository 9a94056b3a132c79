"""Pages of the people: the list with its filters, a person's page (archive, one timeline,
liaison), entering and editing a person, their photo and numbers, education, posts and growth."""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nonparty import selectors, services
from nonparty.forms import (
    EducationForm,
    FilterForm,
    LiaisonForm,
    PersonForm,
    PostForm,
    growth_form_class,
)
from nonparty.models import GROWTH_MODELS, Education
from nonparty.services.people import PERSON_FIELDS, PHOTO_TYPES
from nonparty.views._common import PAGE_SIZE, form_page, require_archive, require_editor
from portal.exceptions import Conflict
from portal.files import file_response
from portal.forms import copy_errors
from portal.paginator import KeysFirstPaginator
from portal.periods import list_county, list_window, window_q
from portal.regions import within_q
from portal.services import audit_personal_view


@login_required
@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    require_archive(request)
    form = FilterForm(request.GET or None)
    filters = form.filters()
    people = selectors.people_for(request.user, filters)
    # Opened from a figure (the cockpit): entered up to a day, native to a county.
    start, end = list_window(request.GET)
    county = list_county(request.GET)
    people = people.filter(window_q("created_at__date", start, end))
    if county is not None:
        people = people.filter(within_q("native_place", [county.code]))
    window = {"window": (start, end), "county": county} if (start or end or county) else None
    page = KeysFirstPaginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "nonparty/list.html",
        {
            "form": form,
            "page": page,
            "filters": filters,
            "figure_window": window,
            "can_edit": selectors.can_edit(request.user),
        },
    )


@login_required
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_for(request.user, pk)
    can_edit = selectors.can_edit(request.user)
    return render(
        request,
        "nonparty/detail.html",
        {
            "person": person,
            "archive": selectors.archive_of(request.user, person),
            "timeline": selectors.timeline_of(request.user, person),
            "can_edit": can_edit,
            "can_record": selectors.can_record_growth(request.user),
            "can_see_numbers": selectors.can_see_numbers(request.user),
            "growth_kinds": [
                (kind, model._meta.verbose_name) for kind, model in GROWTH_MODELS.items()
            ],
            "liaison_form": LiaisonForm() if can_edit else None,
            **_evaluation_context(request.user, person),
        },
    )


@login_required
@require_POST
def person_numbers(request: HttpRequest, pk: int) -> HttpResponse:
    """Phone and ID number in full, for the office; each time audited."""
    person = selectors.person_for(request.user, pk)
    if not selectors.can_see_numbers(request.user):
        raise PermissionDenied
    shown = [name for name in ("phone", "id_number") if getattr(person, name)]
    if shown:
        audit_personal_view(actor=request.user, target=person, fields=shown, request=request)
    return render(request, "nonparty/_numbers.html", {"person": person})


@login_required
@require_GET
def person_photo(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_for(request.user, pk)
    if not person.photo:
        raise Http404
    name = person.photo.name.rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower()
    # The shape ``file_response`` reads from a stored file.
    stored = SimpleNamespace(
        file=person.photo,
        name=name,
        content_type=PHOTO_TYPES.get(extension, "application/octet-stream"),
    )
    return file_response(stored)


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    require_editor(request)
    title = _("Enter a person")
    back = reverse("nonparty:list")
    if request.method == "GET":
        return form_page(request, PersonForm(), title=title, back=back, multipart=True)
    form = PersonForm(request.POST, request.FILES)
    if not form.is_valid():
        return form_page(request, form, title=title, back=back, multipart=True)
    try:
        person = services.person_create(
            actor=request.user,
            data=form.service_data(),
            photo=form.cleaned_data.get("photo_upload"),
        )
    except ValidationError as exc:
        copy_errors(form, exc, aliases={"photo": "photo_upload"})
        return form_page(request, form, title=title, back=back, status=400, multipart=True)
    messages.success(request, _("%(name)s is in the archive.") % {"name": person.name})
    return redirect("nonparty:detail", pk=person.pk)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_editor(request)
    person = selectors.person_for(request.user, pk)
    title = _("Edit %(name)s") % {"name": person.name}
    back = reverse("nonparty:detail", args=[person.pk])
    if request.method == "GET":
        initial = {name: getattr(person, name) for name in PERSON_FIELDS}
        initial.update(native_place=person.native_place_id, version=person.version)
        form = PersonForm(initial=initial)
        return form_page(request, form, title=title, back=back, person=person, multipart=True)
    form = PersonForm(request.POST, request.FILES)
    if not form.is_valid():
        return form_page(request, form, title=title, back=back, person=person, multipart=True)
    try:
        person = services.person_update(
            person=person,
            actor=request.user,
            data=form.service_data(),
            version=form.cleaned_data["version"] or 0,
            photo=form.cleaned_data.get("photo_upload"),
        )
    except Conflict as exc:
        form.add_error(None, exc.message)
        return form_page(
            request, form, title=title, back=back, person=person, status=409, multipart=True
        )
    except ValidationError as exc:
        copy_errors(form, exc, aliases={"photo": "photo_upload"})
        return form_page(
            request, form, title=title, back=back, person=person, status=400, multipart=True
        )
    messages.success(request, _("The record of %(name)s is saved.") % {"name": person.name})
    return redirect("nonparty:detail", pk=person.pk)


def _person_child_form(request, pk, form_class, service, title, **service_kwargs):
    person = selectors.person_for(request.user, pk)
    back = reverse("nonparty:detail", args=[person.pk])
    if request.method == "GET":
        return form_page(request, form_class(), title=title, back=back, person=person)
    form = form_class(request.POST)
    if not form.is_valid():
        return form_page(request, form, title=title, back=back, person=person)
    try:
        service(actor=request.user, person=person, data=form.cleaned_data, **service_kwargs)
    except ValidationError as exc:
        copy_errors(form, exc)
        return form_page(request, form, title=title, back=back, person=person, status=400)
    messages.success(request, _("Saved."))
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def education_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_editor(request)
    return _person_child_form(
        request, pk, EducationForm, services.education_add, _("Add education")
    )


@login_required
@require_POST
def education_remove(request: HttpRequest, pk: int) -> HttpResponse:
    require_editor(request)
    education = get_object_or_404(Education.objects.visible_to(request.user), pk=pk)
    services.education_remove(actor=request.user, education=education)
    messages.success(request, _("Education removed."))
    return redirect("nonparty:detail", pk=education.person_id)


@login_required
@require_http_methods(["GET", "POST"])
def post_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_editor(request)
    return _person_child_form(request, pk, PostForm, services.post_add, _("Add a post"))


@login_required
@require_http_methods(["GET", "POST"])
def growth_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in GROWTH_MODELS:
        raise Http404
    if not selectors.can_record_growth(request.user):
        raise PermissionDenied
    title = _("Record: %(kind)s") % {"kind": GROWTH_MODELS[kind]._meta.verbose_name}
    return _person_child_form(
        request, pk, growth_form_class(kind), services.growth_record_add, title, kind=kind
    )


def _evaluation_context(user, person) -> dict:
    """The person's evaluations by year, and whether their cadre may score the latest year."""
    from nonparty.models import Status
    from nonparty.selectors import evaluation as ev

    year = ev.default_year()
    return {
        "evaluations": ev.person_evaluations(user, person),
        "evaluation_year": year,
        "can_score_evaluation": person.status == Status.RECOGNISED
        and ev.scheme_in_force(year) is not None
        and ev.is_cadre_of(user, person),
    }


@login_required
@require_GET
def person_export(request: HttpRequest) -> HttpResponse:
    """The list as filtered, as .xlsx (through the portal's exports: a job when large)."""
    from nonparty.exports import KIND
    from portal.views.exports import export_response

    require_archive(request)
    return export_response(request, KIND, invalid_detail=_("Check the criteria."))


@login_required
@require_GET
def person_export_csv(request: HttpRequest) -> HttpResponse:
    from nonparty.exports import csv_response
    from portal.exports import ExportParamsInvalid

    require_archive(request)
    try:
        return csv_response(request.GET, request.user, request=request)
    except ExportParamsInvalid:
        return render(request, "400.html", {"detail": _("Check the criteria.")}, status=400)
