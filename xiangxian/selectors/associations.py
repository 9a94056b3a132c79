"""Reads of the associations (联谊会): the list, officers and members."""

from __future__ import annotations

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from portal.models import User
from xiangxian.models import (
    Association,
    AssociationMembership,
    AssociationOfficer,
    Post,
    Xiangxian,
)


def associations(user: User) -> QuerySet[Association]:
    """The associations ``user`` sees with their number of (visible) members."""
    return (
        Association.objects.visible_to(user)
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__xiangxian__in=Xiangxian.objects.visible_to(user)),
            )
        )
        .order_by("name", "pk")
    )


def association_for(user: User, pk: int) -> Association:
    return get_object_or_404(Association.objects.visible_to(user), pk=pk)


def association_officers(user: User, association: Association) -> QuerySet[AssociationOfficer]:
    """Officers with their terms: current ones first, then by post and latest term."""
    return (
        AssociationOfficer.objects.visible_to(user)
        .filter(association=association)
        .select_related("xiangxian")
        .annotate(
            rank=Case(
                *(When(post=post, then=Value(n)) for n, post in enumerate(Post.values)),
                output_field=IntegerField(),
            )
        )
        .order_by(F("term_end").desc(nulls_first=True), "rank", "-term_start", "pk")
    )


def association_members(user: User, association: Association) -> QuerySet[AssociationMembership]:
    return (
        AssociationMembership.objects.visible_to(user)
        .filter(association=association)
        .select_related("xiangxian__sector")
        .order_by("joined_on", "pk")
    )


def membership_for(user: User, pk: int) -> AssociationMembership:
    return get_object_or_404(
        AssociationMembership.objects.visible_to(user).select_related("association", "xiangxian"),
        pk=pk,
    )
