"""Roles with a scope: several grants per user, scoping that reads them, /me/, the audited admin."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from enterprises.models import Appeal, Assignment, Enterprise
from portal.models import AuditLog, Region, RoleGrant, User
from portal.scoping import ScopedQuerySet, any_of
from portal.services import role_grant, role_revoke
from tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    MembershipFactory,
    UserFactory,
    appeal_in,
)
from xiangxian.models import Sector, Xiangxian

JIANGSHAN, KECHENG, LONGYOU = "330881000000", "330802000000", "330825000000"


@pytest.fixture
def region():
    return lambda code: Region.objects.get(code=code)


@pytest.fixture
def village(region):
    township = Region.objects.create(
        code="330881101000", name="峡口镇", level=Region.Level.TOWNSHIP,
        parent=region(JIANGSHAN), vintage=2023,
    )  # fmt: skip
    return Region.objects.create(
        code="330881101201", name="峡口村", level=Region.Level.VILLAGE, parent=township,
        vintage=2023,
    )  # fmt: skip


def county_staff(county: Region, **fields) -> User:
    user = UserFactory(role="county_staff", **fields)
    role_grant(user=user, role="county_staff", region=county, actor=None)
    return User.objects.get(pk=user.pk)


# --- the grants themselves --------------------------------------------------------------------


def test_a_grant_takes_the_scope_its_role_needs(db, region, village):
    user = UserFactory(role="dispatcher")
    department = DepartmentFactory()
    with pytest.raises(ValidationError) as error:
        role_grant(user=user, role="handler", actor=None)
    assert "department" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        role_grant(user=user, role="county_staff", region=village, actor=None)
    assert "region" in error.value.message_dict  # a village is no county
    with pytest.raises(ValidationError) as error:
        role_grant(user=user, role="leader", department=department, actor=None)
    assert "role" in error.value.message_dict
    assert not RoleGrant.objects.exists()
    assert not AuditLog.objects.exists()


def test_granting_twice_is_refused_and_changes_nothing(db, region):
    user = UserFactory(role="leader")
    role_grant(user=user, role="county_staff", region=region(JIANGSHAN), actor=None)
    with pytest.raises(ValidationError):
        role_grant(user=user, role="county_staff", region=region(JIANGSHAN), actor=None)
    assert RoleGrant.objects.count() == 1
    assert AuditLog.objects.filter(action="grant").count() == 1


def test_the_database_refuses_a_grant_without_its_scope(db):
    user = UserFactory(role="dispatcher")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=user, role="handler")


def test_grant_and_revoke_are_audited(db, region, admin_user):
    user = UserFactory(role="leader")
    grant = role_grant(user=user, role="county_staff", region=region(JIANGSHAN), actor=admin_user)
    role_revoke(grant=grant, actor=admin_user)
    rows = list(AuditLog.objects.order_by("id").values_list("action", "actor", "target_id"))
    assert rows == [("grant", admin_user.pk, str(user.pk)), ("revoke", admin_user.pk, str(user.pk))]
    assert "江山市" in AuditLog.objects.get(action="revoke").note
    assert not RoleGrant.objects.exists()


def test_a_user_holds_the_primary_role_and_every_grant(db, region):
    first, second = DepartmentFactory(), DepartmentFactory()
    user = UserFactory(role="handler", department=first)
    role_grant(user=user, role="handler", department=second, actor=None)
    role_grant(user=user, role="county_staff", region=region(KECHENG), actor=None)
    user = User.objects.get(pk=user.pk)
    assert user.department_ids("handler") == {first.pk, second.pk}
    assert user.region_codes("county_staff") == [KECHENG]
    assert user.has_role("county_staff") and not user.has_role("dispatcher")


# --- the base queryset ------------------------------------------------------------------------


class _Rows(ScopedQuerySet):
    def scope_q(self, user):
        return any_of(None, None)


def test_the_base_handles_anonymous_superuser_and_the_city_wide_roles(db, client):
    from django.contrib.auth.models import AnonymousUser

    rows = _Rows(model=Region)
    assert not rows.visible_to(AnonymousUser()).exists()
    assert rows.visible_to(UserFactory(role="entrepreneur", is_superuser=True)).count() == (
        Region.objects.count()
    )
    for role in ("dispatcher", "leader", "admin"):
        assert rows.visible_to(UserFactory(role=role)).count() == Region.objects.count()
    # Everyone else gets what the model's own rule gives: here nothing.
    assert not rows.visible_to(UserFactory(role="entrepreneur")).exists()


# --- scoping reads the grants -----------------------------------------------------------------


def test_a_second_department_grant_shows_that_departments_appeals(db, dispatcher):
    owner_dept, colleague_dept = DepartmentFactory(), DepartmentFactory()
    owner = UserFactory(role="handler", department=owner_dept)
    colleague = UserFactory(role="handler", department=colleague_dept)
    entrepreneur = UserFactory(role="entrepreneur")
    entrepreneur.enterprise = EnterpriseFactory()
    MembershipFactory(user=entrepreneur, enterprise=entrepreneur.enterprise, status="verified")
    mine = appeal_in("assigned", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=owner)
    theirs = appeal_in(
        "assigned", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=colleague
    )
    assert set(Appeal.objects.visible_to(owner)) == {mine}
    assert set(Assignment.objects.visible_to(owner).values_list("appeal", flat=True)) == {mine.pk}

    role_grant(user=owner, role="handler", department=colleague_dept, actor=None)
    owner = User.objects.get(pk=owner.pk)
    assert set(Appeal.objects.visible_to(owner)) == {mine, theirs}
    assert Appeal.objects.visible_to(owner).count() == 2  # no row twice
    assert set(Assignment.objects.visible_to(owner).values_list("appeal", flat=True)) == {
        mine.pk,
        theirs.pk,
    }
    outsider = UserFactory(role="handler", department=DepartmentFactory())
    assert not Appeal.objects.visible_to(outsider).exists()
    assert not Assignment.objects.visible_to(outsider).exists()


def test_county_staff_see_their_county_enterprises_and_appeals(db, region, village):
    in_county = EnterpriseFactory(region=village)
    elsewhere = EnterpriseFactory(region=region(KECHENG))
    entrepreneur = UserFactory(role="entrepreneur")
    MembershipFactory(user=entrepreneur, enterprise=in_county, status="verified")
    MembershipFactory(user=entrepreneur, enterprise=elsewhere, status="verified")
    entrepreneur.enterprise = in_county
    mine = appeal_in("submitted", entrepreneur=entrepreneur)
    entrepreneur.enterprise = elsewhere
    appeal_in("submitted", entrepreneur=entrepreneur)

    owner = county_staff(region(JIANGSHAN))
    colleague = county_staff(region(JIANGSHAN))
    outsider = county_staff(region(LONGYOU))
    for user in (owner, colleague):
        assert set(Enterprise.objects.visible_to(user)) == {in_county}
        assert set(Appeal.objects.visible_to(user)) == {mine}
    assert not Enterprise.objects.visible_to(outsider).exists()
    assert not Appeal.objects.visible_to(outsider).exists()
    # A county role without its grant row sees nothing.
    assert not Appeal.objects.visible_to(UserFactory(role="county_staff")).exists()


def test_a_village_reporter_sees_no_appeal(db, region, village, entrepreneur):
    appeal_in("submitted", entrepreneur=entrepreneur)
    reporter = UserFactory(role="village_reporter")
    role_grant(user=reporter, role="village_reporter", region=village, actor=None)
    assert not Appeal.objects.visible_to(User.objects.get(pk=reporter.pk)).exists()


def test_county_staff_see_only_their_county_people_in_the_registry(db, region, village):
    sector = Sector.objects.get(name="医卫")
    home = Xiangxian.objects.create(name="本县人", hometown=village, sector=sector)
    away = Xiangxian.objects.create(name="外县人", hometown=region(KECHENG), sector=sector)
    owner, colleague = county_staff(region(JIANGSHAN)), county_staff(region(JIANGSHAN))
    outsider = county_staff(region(LONGYOU))
    assert set(Xiangxian.objects.visible_to(owner)) == {home}
    assert set(Xiangxian.objects.visible_to(colleague)) == {home}
    assert not Xiangxian.objects.visible_to(outsider).exists()
    assert set(Xiangxian.objects.visible_to(UserFactory(role="dispatcher"))) == {home, away}


def test_one_query_reads_the_grants_whatever_is_scoped(db, region, django_assert_num_queries):
    user = User.objects.get(pk=county_staff(region(JIANGSHAN)).pk)
    with django_assert_num_queries(1):
        user.region_codes()
        user.has_role("handler")
        user.department_ids()
    # The office's scoping stops at the primary role: no query for the grants.
    dispatcher = User.objects.get(pk=UserFactory(role="dispatcher").pk)
    with django_assert_num_queries(0):
        Appeal.objects.visible_to(dispatcher)


# --- /api/v1/me/ ------------------------------------------------------------------------------


def me(user) -> dict:
    api = APIClient()
    api.force_authenticate(user)
    response = api.get("/api/v1/me/")
    assert response.status_code == 200
    return response.json()


def test_me_lists_every_grant_with_its_scope(db, region, village):
    first, second = DepartmentFactory(name="市经信局"), DepartmentFactory(name="市商务局")
    user = UserFactory(role="handler", department=first)
    role_grant(user=user, role="handler", department=second, actor=None)
    role_grant(user=user, role="county_staff", region=region(JIANGSHAN), actor=None)
    body = me(User.objects.get(pk=user.pk))
    assert body["role"] == "handler"
    assert body["roles"] == [
        {"role": "handler", "scope": {"kind": "department", "id": first.pk, "name": "市经信局"}},
        {
            "role": "county_staff",
            "scope": {"kind": "county", "code": "330881", "name": "江山市"},
        },
        {"role": "handler", "scope": {"kind": "department", "id": second.pk, "name": "市商务局"}},
    ]

    reporter = UserFactory(role="village_reporter")
    role_grant(user=reporter, role="village_reporter", region=village, actor=None)
    assert me(reporter)["roles"] == [
        {
            "role": "village_reporter",
            "scope": {"kind": "village", "code": village.code, "name": village.name},
        }
    ]
    assert me(UserFactory(role="leader"))["roles"] == [{"role": "leader", "scope": None}]


def test_me_gives_an_entrepreneur_one_grant_per_verified_enterprise(db, entrepreneur):
    MembershipFactory(user=entrepreneur, status="pending")
    assert me(entrepreneur)["roles"] == [
        {
            "role": "entrepreneur",
            "scope": {
                "kind": "enterprise",
                "id": entrepreneur.enterprise.pk,
                "name": entrepreneur.enterprise.name,
            },
        }
    ]
    assert me(UserFactory(role="entrepreneur"))["roles"] == [
        {"role": "entrepreneur", "scope": None}
    ]


# --- the admin --------------------------------------------------------------------------------


def _inline_post(user: User, rows: list[dict], existing: list[RoleGrant] = ()) -> dict:
    prefix = "role_grants"
    data = {
        "username": user.username,
        "name": user.name,
        "email": "",
        "mobile": "",
        "role": user.role,
        "department": user.department_id or "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        f"{prefix}-TOTAL_FORMS": str(len(existing) + len(rows)),
        f"{prefix}-INITIAL_FORMS": str(len(existing)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for n, grant in enumerate(existing):
        data[f"{prefix}-{n}-id"] = str(grant.pk)
        data[f"{prefix}-{n}-user"] = str(user.pk)
        data[f"{prefix}-{n}-DELETE"] = "on"
    for n, row in enumerate(rows, start=len(existing)):
        for key, value in row.items():
            data[f"{prefix}-{n}-{key}"] = value
        data[f"{prefix}-{n}-user"] = str(user.pk)
    return data


def test_an_administrator_grants_and_revokes_in_the_admin_audited(db, client, admin_user, region):
    user = UserFactory(role="leader")
    client.force_login(admin_user)
    url = f"/admin/portal/user/{user.pk}/change/"
    county = region(JIANGSHAN)

    response = client.post(url, _inline_post(user, [{"role": "county_staff", "region": county.pk}]))
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    grant = RoleGrant.objects.get(user=user)
    assert (grant.role, grant.region, grant.granted_by) == ("county_staff", county, admin_user)
    assert AuditLog.objects.filter(action="grant", actor=admin_user).count() == 1

    response = client.post(url, _inline_post(user, [], existing=[grant]))
    assert response.status_code == 302
    assert not RoleGrant.objects.exists()
    assert AuditLog.objects.filter(action="revoke", actor=admin_user).count() == 1


def test_the_admin_refuses_a_grant_without_its_scope(db, client, admin_user):
    user = UserFactory(role="leader")
    client.force_login(admin_user)
    response = client.post(
        f"/admin/portal/user/{user.pk}/change/",
        _inline_post(user, [{"role": "county_staff", "region": ""}]),
    )
    assert response.status_code == 200
    assert "该角色须指定所辖区域。" in response.content.decode()
    assert not RoleGrant.objects.exists()
    assert not AuditLog.objects.filter(action="grant").exists()


def test_others_cannot_reach_the_grants(db, client, dispatcher):
    client.force_login(dispatcher)
    assert client.get("/admin/portal/rolegrant/").status_code in (302, 403, 404)
