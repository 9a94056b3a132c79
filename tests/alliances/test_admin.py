"""The admin site: regions marked 民族乡/民族村 there; every alliances table has its pages."""

import pytest
from django.urls import reverse

from alliances.models import Activity, Alliance, Base, MakerTeam, TourismFigure, VillageCompany
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(role="admin", is_staff=True, is_superuser=True))
    return client


def test_a_region_is_marked_ethnic_in_its_admin(admin_client, places):
    village = places["js_a"]
    url = reverse("admin:portal_region_change", args=[village.pk])
    assert 'name="is_ethnic"' in admin_client.get(url).content.decode()
    data = {
        "code": village.code,
        "name": village.name,
        "level": village.level,
        "parent": village.parent_id,
        "vintage": village.vintage,
        "is_ethnic": "on",
    }
    assert admin_client.post(url, data).status_code == 302
    village.refresh_from_db()
    assert village.is_ethnic
    listing = admin_client.get(reverse("admin:portal_region_changelist") + "?is_ethnic__exact=1")
    assert village.name in listing.content.decode()


@pytest.mark.parametrize(
    "model", [Alliance, VillageCompany, Base, MakerTeam, Activity, TourismFigure]
)
def test_alliance_admin_pages(admin_client, make_alliance, model):
    alliance = make_alliance()
    meta = model._meta
    assert (
        admin_client.get(
            reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        ).status_code
        == 200
    )
    assert (
        admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code
        == 200
    )
    if model is Alliance:
        change = reverse("admin:alliances_alliance_change", args=[alliance.pk])
        assert admin_client.get(change).status_code == 200
