"""Pages of the registry: the screening list (乡贤通) with saved searches and its export, a
person's page, entering and editing a person, merging two records and undoing it."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.exceptions import Conflict
from portal.forms import copy_errors
from portal.paginator import KeysFirstPaginator
from portal.services import audit_personal_view
from portal.services.tags import tags_set
from portal.tags import tags_of
from portal.views.exports import export_response
from xiangxian import selectors, services
from xiangxian.exports import KIND as EXPORT_KIND
from xiangxian.forms import SavedSearchForm, ScreeningForm, XiangxianForm
from xiangxian.models import SavedSearch, XiangxianMerge
from xiangxian.services.searches import PARAMS
from xiangxian.views._common import PAGE_SIZE, figure_window
from xiangxian.views._common import as_pk as _as_pk
from xiangxian.views._common import require_editor as _require_editor
from xiangxian.views._common import require_registry as _require_registry


def _screening_query(request: HttpRequest) -> str:
    return urlencode([(k, v) for k in PARAMS for v in request.GET.getlist(k) if v])


# --- the screening ----------------------------------------------------------------------------


@login_required
@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    _require_registry(request)
    form = ScreeningForm(request.GET or None)
    screening = form.screening()
    people, window = figure_window(
        request,
        selectors.screen(request.user, screening),
        day="created_at__date",
        region="hometown",
    )
    page = KeysFirstPaginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_tag_lists(page.object_list)
    return render(
        request,
        "xiangxian/list.html",
        {
            "form": form,
            "page": page,
            "figure_window": window,
            "screening": screening,
            "query": _screening_query(request),
            "saved": selectors.saved_searches(request.user),
            "save_form": SavedSearchForm(),
            "can_edit": selectors.can_edit(request.user),
        },
    )


@login_required
@require_GET
def person_export(request: HttpRequest) -> HttpResponse:
    """The screening's every row as .xlsx, in the same scope and with the same criteria."""
    _require_registry(request)
    return export_response(request, EXPORT_KIND, invalid_detail=_("Check the criteria."))


@login_required
@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    _require_registry(request)
    form = SavedSearchForm(request.POST)
    query = request.POST.get("query", "")
    if form.is_valid():
        try:
            search = services.saved_search_save(
                owner=request.user,
                name=form.cleaned_data["name"],
                params=QueryDict(query),
                shared=form.cleaned_data["shared"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Search “%(name)s” saved.") % {"name": search.name})
    else:
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
    return redirect(reverse("xiangxian:list") + (f"?{query}" if query else ""))


@login_required
@require_GET
def saved_search_open(request: HttpRequest, pk: int) -> HttpResponse:
    search = get_object_or_404(SavedSearch.objects.visible_to(request.user), pk=pk)
    return redirect(reverse("xiangxian:list") + "?" + urlencode(search.params, doseq=True))


@login_required
@require_POST
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    search = get_object_or_404(SavedSearch.objects.visible_to(request.user), pk=pk)
    services.saved_search_delete(search=search, actor=request.user)
    messages.success(request, _("Search “%(name)s” deleted.") % {"name": search.name})
    return redirect("xiangxian:list")


# --- one person -------------------------------------------------------------------------------


@login_required
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_for(request.user, pk)
    can_edit = selectors.can_edit(request.user)
    return render(
        request,
        "xiangxian/detail.html",
        {
            "person": person,
            "tags": tags_of(person),
            "can_edit": can_edit,
            "can_see_numbers": selectors.can_see_numbers(request.user),
            "duplicates": selectors.possible_duplicates(person) if can_edit else [],
            "merges": selectors.merges_of(person),
            "records": selectors.records_of(request.user, person),
        },
    )


@login_required
@require_POST
def person_numbers(request: HttpRequest, pk: int) -> HttpResponse:
    """Phone and ID number in full, for those who may see them; each time audited."""
    person = selectors.person_for(request.user, pk)
    if not selectors.can_see_numbers(request.user):
        raise PermissionDenied
    shown = [name for name in ("phone", "id_number") if getattr(person, name)]
    if shown:
        audit_personal_view(actor=request.user, target=person, fields=shown, request=request)
    return render(request, "xiangxian/_numbers.html", {"person": person})


def _form_page(request, form, *, person=None, duplicates=()) -> HttpResponse:
    return render(
        request,
        "xiangxian/form.html",
        {"form": form, "person": person, "duplicates": duplicates},
        status=200 if not form.errors and not duplicates else 400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    if request.method == "GET":
        return render(request, "xiangxian/form.html", {"form": XiangxianForm()})
    form = XiangxianForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form)
    try:
        person = services.xiangxian_create(
            actor=request.user,
            data=form.service_data(),
            tags=[tag.pk for tag in form.cleaned_data["tags"]],
            confirmed_new=form.cleaned_data["confirmed_new"],
        )
    except services.DuplicateSuspected as exc:
        return _form_page(request, form, duplicates=exc.candidates)
    except ValidationError as exc:
        copy_errors(form, exc)
        return _form_page(request, form)
    messages.success(request, _("%(name)s is in the registry.") % {"name": person.name})
    return redirect("xiangxian:detail", pk=person.pk)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    person = selectors.person_for(request.user, pk)
    if request.method == "GET":
        initial = {
            name: getattr(person, name) for name in services.people.FIELDS if name != "hometown"
        }
        initial.update(
            hometown=person.hometown_id,
            sector=person.sector_id,
            version=person.version,
            tags=[tag.pk for tag in tags_of(person)],
        )
        return render(
            request,
            "xiangxian/form.html",
            {"form": XiangxianForm(initial=initial), "person": person},
        )
    form = XiangxianForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, person=person)
    try:
        person = services.xiangxian_update(
            person=person,
            actor=request.user,
            data=form.service_data(),
            version=form.cleaned_data["version"] or 0,
        )
        tags_set(person, form.cleaned_data["tags"], actor=request.user)
    except Conflict as exc:
        form.add_error(None, exc.message)
        return render(request, "xiangxian/form.html", {"form": form, "person": person}, status=409)
    except ValidationError as exc:
        copy_errors(form, exc)
        return _form_page(request, form, person=person)
    messages.success(request, _("The record of %(name)s is saved.") % {"name": person.name})
    return redirect("xiangxian:detail", pk=person.pk)


# --- merging ----------------------------------------------------------------------------------


@login_required
@require_POST
def person_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Fold the record ``source`` (a possible duplicate shown on this page) into this one."""
    _require_editor(request)
    target = selectors.person_for(request.user, pk)
    source_pk = _as_pk(request.POST.get("source"))
    if not source_pk:
        messages.error(request, _("Choose the record to merge into this one."))
        return redirect("xiangxian:detail", pk=target.pk)
    source = selectors.person_for(request.user, source_pk)
    try:
        services.xiangxian_merge(source=source, target=target, actor=request.user)
    except (Conflict, ValidationError) as exc:
        messages.error(
            request, exc.message if isinstance(exc, Conflict) else " ".join(exc.messages)
        )
    else:
        messages.success(
            request,
            _("Record #%(source)s is merged into this one; the merge can be undone below.")
            % {"source": source.pk},
        )
    return redirect("xiangxian:detail", pk=target.pk)


@login_required
@require_POST
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    merge = get_object_or_404(XiangxianMerge, pk=pk)
    target = selectors.person_for(request.user, merge.target_id)
    try:
        services.xiangxian_merge_undo(merge=merge, actor=request.user)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The merge is undone: record #%(source)s is back.") % {"source": merge.source_id},
        )
    return redirect("xiangxian:detail", pk=target.pk)
