"""Reads for the enterprise directory and memberships."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from enterprises.models import Enterprise, Membership
from portal.models import Region, User
from portal.regions import QUZHOU_CODE, significant_prefix
from portal.validators import USCC_CHARSET, normalize_uscc

SEARCH_LIMIT = 20


def memberships_pending_for(user: User):
    return (
        Membership.objects.visible_to(user)
        .pending()
        .select_related("user", "enterprise", "enterprise__region")
        .order_by("requested_at", "id")
    )


def memberships_of(user: User):
    return Membership.objects.filter(user=user).select_related("enterprise", "enterprise__region")


# --- the directory ----------------------------------------------------------------------------


def counties() -> QuerySet[Region]:
    """Quzhou's county-level divisions (a handful), for filters and the import's vocabulary."""
    return Region.objects.filter(
        level=Region.Level.COUNTY, code__startswith=significant_prefix(QUZHOU_CODE)
    ).order_by("code")


def county_and_township(region: Region | None) -> tuple[Region | None, Region | None]:
    """The county and township an enterprise's region lies in, read from the loaded parents.

    With ``select_related("region__parent__parent")`` this costs no query: a village's county is
    its grandparent, a township's its parent.
    """
    if region is None:
        return None, None
    if region.level == Region.Level.COUNTY:
        return region, None
    if region.level == Region.Level.TOWNSHIP:
        return region.parent, region
    if region.level == Region.Level.VILLAGE and region.parent is not None:
        return region.parent.parent, region.parent
    return None, None


def enterprise_directory(
    user: User,
    *,
    q: str = "",
    county: Region | None = None,
    industry_chain=None,
    size: str = "",
    listing_status: str = "",
) -> QuerySet[Enterprise]:
    """The enterprises ``user`` may see, filtered, with what each list row shows (no per-row query)."""
    qs = Enterprise.objects.visible_to(user).select_related(
        "region__parent__parent", "industry_chain"
    )
    if q:
        qs = qs.filter(_text_match(q))
    if county is not None:
        qs = qs.filter(region__code__startswith=significant_prefix(county.code))
    if industry_chain is not None:
        qs = qs.filter(industry_chain=industry_chain)
    if size:
        qs = qs.filter(size=size)
    if listing_status:
        qs = qs.filter(listing_status=listing_status)
    return qs.order_by("name", "id")


def with_place(enterprises) -> list[Enterprise]:
    """Set ``county`` and ``township`` on each enterprise of a page (from the loaded regions)."""
    enterprises = list(enterprises)
    for enterprise in enterprises:
        enterprise.county, enterprise.township = county_and_township(enterprise.region)
    return enterprises


def _text_match(text: str) -> Q:
    """Name contains the text, or the credit code starts with it (typed in any case/width)."""
    text = text.strip()
    match = Q(name__icontains=text)
    code = normalize_uscc(text)
    if code and len(code) <= 18 and all(char in USCC_CHARSET for char in code):
        match |= Q(uscc__startswith=code)
    return match


def enterprises_matching(user: User, text: str, limit: int = SEARCH_LIMIT) -> tuple[list, bool]:
    """Up to ``limit`` enterprises in ``user``'s scope matching ``text``, and whether there are more."""
    text = text.strip()
    if not text:
        return [], False
    rows = list(
        Enterprise.objects.visible_to(user)
        .filter(_text_match(text))
        .select_related("region__parent__parent")
        .order_by("name", "id")[: limit + 1]
    )
    return with_place(rows[:limit]), len(rows) > limit


def enterprise_for(user: User, pk: int) -> Enterprise:
    """One enterprise in ``user``'s scope, or ``Http404``."""
    enterprise = get_object_or_404(
        Enterprise.objects.visible_to(user).select_related(
            "region__parent__parent", "industry_chain"
        ),
        pk=pk,
    )
    return with_place([enterprise])[0]


def verified_members(enterprise: Enterprise) -> QuerySet[Membership]:
    return (
        Membership.objects.verified()
        .filter(enterprise=enterprise)
        .select_related("user")
        .order_by("decided_at", "id")
    )
