"""The person form's native place: any county (or finer) of the whole region table, found by
name, code or a suggestion's label; unknown or ambiguous input gets a clear message."""

import pytest
from django.urls import reverse

from portal.models import Region
from portal.widgets import RegionSearchField, region_label

pytestmark = pytest.mark.django_db


@pytest.fixture
def shanghai():
    province = Region.objects.create(code="310000000000", name="上海市", level=1, vintage=2023)
    city = Region.objects.create(
        code="310100000000", name="市辖区", level=2, parent=province, vintage=2023
    )
    huangpu = Region.objects.create(
        code="310101000000", name="黄浦区", level=3, parent=city, vintage=2023
    )
    # Another 黄浦区-like name clash: two counties called 城区.
    for code in ("310102000000", "310103000000"):
        Region.objects.create(code=code, name="城区", level=3, parent=city, vintage=2023)
    return huangpu


def test_by_name_code_label_and_id(shanghai):
    field = RegionSearchField(min_level=Region.Level.COUNTY)
    assert field.clean("黄浦区") == shanghai
    assert field.clean("310101000000") == shanghai
    assert field.clean("310101") == shanghai
    assert field.clean(region_label(shanghai)) == shanghai
    assert region_label(shanghai) == "黄浦区（上海市 市辖区）· 310101000000"
    assert field.clean(str(shanghai.pk)) == shanghai


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("火星区", "No region is called"),
        ("城区", "Several regions are called"),
        ("上海市", "No region is called"),  # a province, above the county level asked for
        ("999999000000", "No region is called"),
    ],
)
def test_unknown_or_ambiguous_input(shanghai, text, message):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        RegionSearchField(min_level=Region.Level.COUNTY).clean(text)
    with translation.override("en"):
        assert message in str(caught.value.messages[0])


def test_the_search_endpoint(shanghai, client):
    data = client.get(reverse("region-search"), {"q": "黄浦", "min_level": 3}).json()
    assert [row["code"] for row in data["results"]] == ["310101000000"]
    assert data["results"][0]["label"].endswith("· 310101000000")
    assert client.get(reverse("region-search"), {"q": ""}).json() == {"results": []}
    assert client.get(reverse("region-search"), {"q": "3101", "min_level": "x"}).status_code == 200


def test_the_person_form_takes_a_place_outside_quzhou(shanghai, people, client):
    client.force_login(people["dispatcher"])
    data = {
        "name": "沪上人士",
        "gender": "female",
        "birth_date": "1990-01-01",
        "ethnicity": "汉族",
        "field": "law",
        "status": "candidate",
        "native_place": region_label(shanghai),
    }
    response = client.post(reverse("nonparty:create"), data)
    assert response.status_code == 302
    from nonparty.models import Person

    assert Person.objects.get(name="沪上人士").native_place == shanghai
    bad = client.post(reverse("nonparty:create"), {**data, "name": "x", "native_place": "火星区"})
    assert bad.status_code == 400 and "火星区" in bad.content.decode()
    page = client.get(reverse("nonparty:create")).content.decode()
    assert "data-region-search" in page and "region-search.js" in page
