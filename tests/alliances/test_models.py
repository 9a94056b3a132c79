"""The rules the database keeps: named constraints of the alliances' tables."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from alliances.models import AllianceKind, MakerTeam, Membership, TourismFigure

pytestmark = pytest.mark.django_db


def _broken(name, create):
    # SQLite names a broken CHECK, but only the columns of a broken UNIQUE.
    with pytest.raises(IntegrityError, match=f"{name}|UNIQUE"), transaction.atomic():
        create()


def test_one_open_membership_per_village_but_rejoining_is_fine(make_alliance, places):
    alliance = make_alliance()
    lead = alliance.memberships.get()
    assert lead.role == "lead" and lead.region == places["shuangdai"]
    _broken(
        "al_member_one_open_per_village",
        lambda: Membership.objects.create(
            alliance=alliance, region=places["shuangdai"], joined_on=dt.date(2022, 1, 1)
        ),
    )
    lead.left_on = dt.date(2022, 1, 1)
    lead.save()
    Membership.objects.create(
        alliance=alliance, region=places["shuangdai"], joined_on=dt.date(2022, 6, 1)
    )


def test_leaving_before_joining_is_refused(make_alliance, places):
    alliance = make_alliance()
    _broken(
        "al_member_leaves_after_joining",
        lambda: Membership.objects.create(
            alliance=alliance,
            region=places["js_a"],
            joined_on=dt.date(2022, 1, 2),
            left_on=dt.date(2022, 1, 1),
        ),
    )


def test_kinds_once_and_known(make_alliance):
    alliance = make_alliance(kinds=("industry", "culture"))
    assert alliance.kind_values == ["culture", "industry"]
    _broken(
        "al_kind_once_per_alliance",
        lambda: AllianceKind.objects.create(alliance=alliance, kind="industry"),
    )
    _broken("al_kind_known", lambda: AllianceKind.objects.create(alliance=alliance, kind="x"))


def test_tourism_period_code_and_once_per_period(make_alliance):
    alliance = make_alliance()
    TourismFigure.objects.create(
        alliance=alliance, period="2023H1", visitors=27000, consumption_yuan=Decimal("8400000")
    )
    _broken(
        "al_tourism_once_per_period",
        lambda: TourismFigure.objects.create(
            alliance=alliance, period="2023H1", visitors=1, consumption_yuan=1
        ),
    )
    _broken(
        "al_tourism_period_code",
        lambda: TourismFigure.objects.create(
            alliance=alliance, period="2023Q1", visitors=1, consumption_yuan=1
        ),
    )


def test_maker_team_names_unique_per_alliance(make_alliance):
    alliance = make_alliance()
    MakerTeam.objects.create(alliance=alliance, name="茶艺")
    _broken(
        "al_maker_team_name_unique",
        lambda: MakerTeam.objects.create(alliance=alliance, name="茶艺"),
    )
