"""Excel import of people (kind ``xiangxian.people`` on the portal's import pages): the mapping
remembered, the dry run, bad rows with their reasons in the file of rejected rows, duplicates in
the registry and in the file, all rows or none, and the valid rows only."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from portal.models import AuditLog, ImportJob, ImportMapping, Region, Tag, TagCategory
from portal.tags import tags_of
from tests.factories import UserFactory
from tests.xiangxian.conftest import ID_A, ID_B
from xiangxian.imports import COLUMNS, KIND
from xiangxian.models import Xiangxian

pytestmark = pytest.mark.django_db

HEADERS = [column.header for column in COLUMNS]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff():
    return UserFactory(role="dispatcher")


@pytest.fixture
def dachen(jiangshan):
    return Region.objects.create(
        code="330881101000",
        name="大陈乡",
        level=Region.Level.TOWNSHIP,
        parent=jiangshan,
        vintage=2023,
    )


@pytest.fixture
def doctor_tag():
    return Tag.objects.create(category=TagCategory.objects.create(name="专长"), name="名医")


def person(n: int, **overrides) -> list:
    values = {
        "姓名": f"导入乡贤{n}",
        "性别": "男",
        "出生年份": 1960 + n,
        "籍贯": "江山市",
        "现居省份": "上海",
        "现居城市": "上海市",
        "海外国家或地区": "",
        "领域": "医卫",
        "单位": "上海某医院",
        "职务": "主任医师",
        "荣誉": "",
        "手机号": f"1390000{n:04d}",
        "身份证号": "",
        "推荐来源": "乡贤会",
        "重点人士": "否",
        "标签": "",
        "备注": "",
    }
    values.update(overrides)
    return [values[name] for name in HEADERS]


def xlsx(rows: list[list], headers: list | None = None) -> bytes:
    workbook = Workbook()
    workbook.active.append(HEADERS if headers is None else headers)
    for values in rows:
        workbook.active.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def mapping_fields(job: ImportJob, **chosen) -> dict:
    headers = [h for h in job.headers if h]
    return {f"column_{i}": chosen.get(h, job.mapping.get(h, "")) for i, h in enumerate(headers)}


def checked(client, content: bytes, **chosen) -> ImportJob:
    response = client.post(
        "/imports/new/", {"kind": KIND, "file": SimpleUploadedFile("乡贤.xlsx", content)}
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    job = ImportJob.objects.latest("pk")
    response = client.post(f"/imports/{job.pk}/check/", mapping_fields(job, **chosen))
    assert response.status_code == 302, response.content.decode()[-2000:]
    job.refresh_from_db()
    return job


def errors_of(job: ImportJob) -> dict[int, dict[str, str]]:
    return {
        entry["row"]: {e["column"]: e["message"] for e in entry["errors"]} for entry in job.report
    }


def test_only_editors_may_import(client):
    for role, status in (("leader", 403), ("entrepreneur", 403), ("admin", 200)):
        client.force_login(UserFactory(role=role))
        assert client.get(f"/imports/new/?kind={KIND}").status_code == status, role


def test_a_good_file_enters_everyone_as_the_page_does(client, staff, dachen, doctor_tag):
    client.force_login(staff)
    job = checked(
        client,
        xlsx(
            [
                person(1, 籍贯="衢州市江山市大陈乡", 标签="名医", 重点人士="是", 身份证号=ID_A),
                person(2, 籍贯="330802000000", 现居省份="", 现居城市="", 海外国家或地区="美国"),
            ]
        ),
    )
    assert (job.rows_total, job.rejected) == (2, 0)
    assert client.post(f"/imports/{job.pk}/apply/", {"mode": "all"}).status_code == 302
    job.refresh_from_db()
    assert (job.status, job.created) == ("done", 2)
    first = Xiangxian.objects.get(name="导入乡贤1")
    assert (first.hometown, first.is_key, first.away, first.created_by) == (
        dachen,
        True,
        True,
        staff,
    )
    assert first.id_number == ID_A and first.id_number_hash and first.phone_hash
    assert [tag.pk for tag in tags_of(first)] == [doctor_tag.pk]
    second = Xiangxian.objects.get(name="导入乡贤2")
    assert (second.hometown.code, second.abroad, second.residence_province) == (
        "330802000000",
        "美国",
        "",
    )
    created = AuditLog.objects.filter(action="create", target_type="xiangxian.xiangxian")
    assert created.count() == 2
    assert AuditLog.objects.filter(action="import").count() == 1


def test_the_second_import_maps_itself_from_the_first_choice(client, staff):
    client.force_login(staff)
    headers = ["名字", "家乡", "行业", "省"]
    rows = [["甲", "江山市", "医卫", "上海市"]]
    first = checked(client, xlsx(rows, headers), 行业="sector", 省="residence_province")
    assert first.mapping["行业"] == "sector" and first.mapping["名字"] == "name"
    saved = ImportMapping.objects.get(user=staff, kind=KIND).mapping
    assert saved["行业"] == "sector" and saved["省"] == "residence_province"
    client.post(
        "/imports/new/",
        {"kind": KIND, "file": SimpleUploadedFile("again.xlsx", xlsx(rows, headers))},
    )
    second = ImportJob.objects.latest("pk")
    assert second.pk != first.pk
    assert second.mapping == {
        "名字": "name",
        "家乡": "hometown",
        "行业": "sector",
        "省": "residence_province",
    }


BAD_ROWS = [
    person(1),
    person(2, 籍贯="火星村", 领域="航天"),  # row 3
    person(3, 出生年份="六八", 手机号="12345", 性别="未知"),  # row 4
    person(4, 现居省份="", 现居城市=""),  # row 5: neither a province nor abroad
    person(5, 身份证号=330881196803120011),  # row 6: a number, and a wrong check digit anyway
    person(6),
]


def test_the_dry_run_reports_every_bad_row_in_chinese_and_writes_nothing(client, staff):
    client.force_login(staff)
    job = checked(client, xlsx(BAD_ROWS))
    assert (job.status, job.rows_total, job.rejected) == ("checked", 6, 4)
    errors = errors_of(job)
    assert set(errors) == {3, 4, 5, 6}
    assert set(errors[3]) == {"籍贯", "领域"}
    assert "火星村" in errors[3]["籍贯"] and "医卫" in errors[3]["领域"]
    assert set(errors[4]) == {"性别", "出生年份", "手机号"}
    assert errors[4]["出生年份"] == "请用四位数字填写出生年份，例如 1968。"
    assert "现居省份" in errors[5]
    assert "文本" in errors[6]["身份证号"]
    assert not Xiangxian.objects.exists()
    assert not AuditLog.objects.filter(action__in=["create", "import"]).exists()


def test_the_rejected_rows_file_gives_each_rows_reasons(client, staff):
    client.force_login(staff)
    job = checked(client, xlsx(BAD_ROWS))
    response = client.get(f"/imports/{job.pk}/rejected/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == [*HEADERS, "拒绝原因"]
    assert [row[0] for row in rows[1:]] == ["导入乡贤2", "导入乡贤3", "导入乡贤4", "导入乡贤5"]
    assert rows[1][-1].startswith("籍贯：") and "领域：" in rows[1][-1]


def test_a_person_already_in_the_registry_or_twice_in_the_file_is_found(
    client, staff, make_person, jiangshan
):
    existing = make_person(name="徐明远", birth_year=1968, id_number=ID_A, phone="13900001111")
    client.force_login(staff)
    job = checked(
        client,
        xlsx(
            [
                person(1, 身份证号=ID_A),  # row 2: the same ID number
                person(2, 手机号="13900001111"),  # row 3: the same mobile number
                person(3, 姓名="徐明远", 出生年份=1968, 手机号=""),  # row 4: name, year, hometown
                person(4, 身份证号=ID_B),  # row 5: new
                person(5, 身份证号=ID_B, 手机号=""),  # row 6: the same as row 5
            ]
        ),
    )
    errors = errors_of(job)
    assert set(errors) == {2, 3, 4, 6}
    assert f"#{existing.pk} 徐明远" in errors[2]["身份证号"]
    assert "身份证号相同" in errors[2]["身份证号"] and "已在名录中" in errors[2]["身份证号"]
    assert f"#{existing.pk}" in errors[3]["手机号"]
    assert f"#{existing.pk}" in errors[4]["姓名"]
    assert "导入乡贤4" in errors[6]["身份证号"]
    assert not Xiangxian.objects.exclude(pk=existing.pk).exists()


def test_all_or_nothing_with_a_bad_row_writes_nothing(client, staff):
    client.force_login(staff)
    job = checked(client, xlsx(BAD_ROWS))
    assert client.post(f"/imports/{job.pk}/apply/", {"mode": "all"}).status_code == 302
    job.refresh_from_db()
    assert (job.status, job.created, job.rejected) == ("failed", 0, 4)
    assert not Xiangxian.objects.exists()
    assert not AuditLog.objects.filter(action__in=["create", "import"]).exists()


def test_valid_rows_only_enters_the_good_ones(client, staff):
    client.force_login(staff)
    job = checked(client, xlsx(BAD_ROWS))
    assert client.post(f"/imports/{job.pk}/apply/", {"mode": "valid"}).status_code == 302
    job.refresh_from_db()
    assert (job.status, job.created, job.rejected) == ("done", 2, 4)
    assert sorted(Xiangxian.objects.values_list("name", flat=True)) == ["导入乡贤1", "导入乡贤6"]
    assert AuditLog.objects.filter(action="create").count() == 2


def test_someone_entered_between_the_dry_run_and_the_import_is_found_again(
    client, staff, make_person
):
    client.force_login(staff)
    job = checked(client, xlsx([person(1), person(2)]))
    assert job.rejected == 0
    other = make_person(name="同事录入", phone="13900000002")  # a colleague, meanwhile
    client.post(f"/imports/{job.pk}/apply/", {"mode": "all"})
    job.refresh_from_db()
    assert (job.status, job.rejected) == ("failed", 1)
    assert f"#{other.pk}" in errors_of(job)[3]["手机号"]
    assert not Xiangxian.objects.filter(name__startswith="导入").exists()


def test_the_template_imports_as_it_is(client, staff):
    client.force_login(staff)
    response = client.get(f"/imports/template/{KIND}/")
    assert response.status_code == 200
    job = checked(client, response.content)
    assert job.rejected == 0, job.report


def test_a_rejected_row_is_not_one_that_later_rows_repeat(client, staff):
    client.force_login(staff)
    job = checked(client, xlsx([person(1, 标签="没有的标签"), person(2, 手机号="13900000001")]))
    errors = errors_of(job)
    assert set(errors) == {2} and set(errors[2]) == {"标签"}
    assert "没有的标签" in errors[2]["标签"]
