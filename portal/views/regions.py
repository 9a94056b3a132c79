"""The region tree: a JSON list of a region's children (for pickers) and a page to browse it."""

import re

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.models import Region
from portal.regions import QUZHOU_CODE, children_of

# A primary key as the database can hold it; anything longer would overflow, not "not found".
_ID = re.compile(r"[0-9]{1,18}")


def _bad_parent(message: str) -> JsonResponse:
    return JsonResponse(
        {"detail": message, "code": "invalid", "parent": [message]},
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def region_children(request: HttpRequest) -> JsonResponse:
    """``?parent=<id>`` → that region's children ordered by code. Public: divisions are public.

    Two queries at most, however many children: the list (with ``has_children`` as an EXISTS
    subquery), and only when it is empty, whether the parent exists at all.
    """
    raw = request.GET.get("parent", "")
    if not _ID.fullmatch(raw):
        return _bad_parent(_("Give the parent region as a whole number."))
    children = list(children_of(int(raw)).visible_to(request.user))
    if not children and not Region.objects.filter(pk=int(raw)).exists():
        return _bad_parent(_("There is no region with this number."))
    results = [
        {
            "id": child.pk,
            "code": child.code,
            "name": child.name,
            "level": child.level,
            "has_children": child.has_children,
        }
        for child in children
    ]
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})


@login_required
def region_browser(request: HttpRequest) -> HttpResponse:
    """One region with its ancestors and its children (with their numbers of children).

    Starts at Quzhou; ``?region=<id>`` drills down. Query count does not grow with the children.
    """
    raw = request.GET.get("region")
    regions = Region.objects.visible_to(request.user).select_related(
        "parent__parent__parent__parent"
    )
    if raw is None:
        region = regions.filter(code=QUZHOU_CODE).first()
    elif _ID.fullmatch(raw):
        region = regions.filter(pk=int(raw)).first()
    else:
        region = None
    if region is None:
        raise Http404(_("There is no such region."))
    children = (
        Region.objects.visible_to(request.user)
        .filter(parent=region)
        .annotate(child_count=Count("children"))
        .order_by("code")
    )
    return render(
        request,
        "portal/regions/browser.html",
        {
            "region": region,
            "ancestors": region.ancestors(),
            "children": children,
            "is_county": region.level == Region.Level.COUNTY,
            "village_level": Region.Level.VILLAGE,
        },
    )


@require_GET
def region_search(request: HttpRequest) -> JsonResponse:
    """``?q=<name or code>[&min_level=3]`` → up to 20 regions of the whole table, shallow first,
    each with a ``label`` (name, ancestors, code) for a searchable picker. Public like the tree."""
    from portal.widgets import region_label, search_regions

    text = request.GET.get("q", "")[:50]
    level = request.GET.get("min_level", "")
    min_level = int(level) if level.isdigit() and 1 <= int(level) <= 5 else None
    results = (
        [
            {"id": r.pk, "code": r.code, "name": r.name, "level": r.level, "label": region_label(r)}
            for r in search_regions(text, min_level=min_level)
        ]
        if text.strip()
        else []
    )
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
