"""Units: who sees which (owner, colleague, outsider), the list page and API with filters."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def names(qs):
    return sorted(unit.name for unit in qs)


def test_county_follows_region(units, jiangshan, kecheng):
    assert units["own"].county == jiangshan
    assert units["kecheng"].county == kecheng


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("dispatcher", ["双塔街道", "城北社区", "柯城科技产业园"]),
        ("leader", ["双塔街道", "城北社区", "柯城科技产业园"]),
        ("admin", ["双塔街道", "城北社区", "柯城科技产业园"]),
        ("county", ["双塔街道", "城北社区"]),
        ("other_county", ["柯城科技产业园"]),
        ("lead", ["双塔街道"]),
        ("colleague", ["城北社区"]),
        ("entrepreneur", []),
    ],
)
def test_visible_to(people, units, who, expected):
    from grassroots.models import Unit

    assert names(Unit.objects.visible_to(people[who])) == sorted(expected)


def test_pages_owner_colleague_outsider(people, units):
    client = Client()
    own = reverse("grassroots:unit-detail", args=[units["own"].pk])
    client.force_login(people["lead"])
    assert client.get(own).status_code == 200
    page = client.get(reverse("grassroots:list"))
    assert page.status_code == 200
    assert "双塔街道" in page.text and "城北社区" not in page.text
    client.force_login(people["colleague"])
    assert client.get(own).status_code == 404
    client.force_login(people["other_county"])
    assert client.get(own).status_code == 404
    client.force_login(people["entrepreneur"])
    assert client.get(reverse("grassroots:list")).status_code == 403
    assert client.get(own).status_code == 404


def test_api_list_filters_and_scope(people, units):
    api = APIClient()
    api.force_authenticate(people["dispatcher"])
    url = "/api/v1/grassroots/units/"
    rows = api.get(url).json()["results"]
    assert len(rows) == 3
    assert [r["name"] for r in api.get(url, {"county": "330802"}).json()["results"]] == [
        "柯城科技产业园"
    ]
    assert [r["name"] for r in api.get(url, {"domain": "community"}).json()["results"]] == [
        "城北社区"
    ]
    assert [r["name"] for r in api.get(url, {"q": "双塔"}).json()["results"]] == ["双塔街道"]
    bad = api.get(url, {"county": "999999"})
    assert bad.status_code == 400 and "county" in str(bad.json())
    assert api.get(url, {"domain": "moon"}).status_code == 400
    api.force_authenticate(people["lead"])
    assert [r["name"] for r in api.get(url).json()["results"]] == ["双塔街道"]
    assert api.get(f"{url}{units['colleague'].pk}/").status_code == 404
    api.force_authenticate(people["entrepreneur"])
    assert api.get(url).status_code == 403
    assert api.get(f"{url}{units['own'].pk}/").status_code == 404


def test_me_lists_the_leads_units(people, units):
    api = APIClient()
    api.force_authenticate(people["lead"])
    me = api.get("/api/v1/me/").json()
    assert me["role"] == "unit_lead"
    assert me["roles"] == [
        {"role": "unit_lead", "scope": {"kind": "unit", "id": units["own"].pk, "name": "双塔街道"}}
    ]


def test_list_queries_flat(people, make_unit, django_assert_max_num_queries):
    client = Client()
    client.force_login(people["dispatcher"])
    for i in range(30):
        make_unit(name=f"单位{i}")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("grassroots:list")).status_code == 200
