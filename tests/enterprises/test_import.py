"""Excel import of enterprises (kind ``enterprises.directory`` on the portal's import pages): who
may import, all-or-nothing with a per-row report, update of existing codes, refusal of files that
are not really .xlsx, too big or too long, the template."""

import dataclasses
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from enterprises.imports import COLUMNS, DIRECTORY, KIND
from enterprises.models import Enterprise, IndustryChain
from portal import imports
from portal.models import AuditLog, ImportJob, Region
from portal.services import import_file
from tests.factories import EnterpriseFactory, uscc_for

pytestmark = pytest.mark.django_db

URL = f"/imports/new/?kind={KIND}"
TEMPLATE_URL = f"/imports/template/{KIND}/"
HEADERS = [column.header for column in COLUMNS]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def fushan(db) -> Region:
    return Region.objects.create(
        code="330802001000",
        name="府山街道",
        level=Region.Level.TOWNSHIP,
        parent=Region.objects.get(code="330802000000"),
        vintage=2023,
    )


def row(n: int, **overrides) -> list:
    values = {
        "统一社会信用代码": uscc_for(50_000 + n),
        "企业名称": f"衢州导入企业{n}有限公司",
        "所在县(市、区)": "柯城区",
        "所在乡镇(街道)": "",
        "产业链": "新能源",
        "企业规模": "中型",
        "上市情况": "未上市",
    }
    values.update(overrides)
    return [values[name] for name in HEADERS]


def xlsx(rows: list[list], headers: list | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS if headers is None else headers)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "enterprises.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


@dataclasses.dataclass
class Result:
    job: ImportJob
    errors: list

    @property
    def ok(self) -> bool:
        return not self.errors

    def __getattr__(self, name):
        if name == "rows":
            return self.job.rows_total
        return getattr(self.job, name)


def enterprises_import(*, actor, file) -> Result:
    """The whole import in one call, all rows or none (``portal.services.import_file``)."""
    return Result(*import_file(KIND, actor=actor, file=file))


def post(client, content: bytes, name: str = "enterprises.xlsx", mode: str = "all"):
    """Through the pages: upload, check with the suggested mapping and, when every row is
    valid, import. The response of the last step (the form, the dry run's report, or the
    redirect to the finished job)."""
    response = client.post("/imports/new/", {"kind": KIND, "file": upload(content, name)})
    if response.status_code != 302:
        return response
    job = ImportJob.objects.latest("pk")
    fields = {
        f"column_{i}": job.mapping.get(h, "") for i, h in enumerate(h for h in job.headers if h)
    }
    response = client.post(f"/imports/{job.pk}/check/", fields)
    if response.status_code != 302:
        return response
    job.refresh_from_db()
    if job.rejected:
        return client.get(f"/imports/{job.pk}/")
    return client.post(f"/imports/{job.pk}/apply/", {"mode": mode})


def reported(response) -> list[tuple[str, str]]:
    """The (row, column) pairs of the page's error report."""
    import re

    html = response.content.decode()
    return re.findall(
        r'data-testid="error-row">(\d+)</td><td data-testid="error-column">([^<]+)</td>', html
    )


# --- access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["dispatcher", "admin"])
def test_dispatchers_and_admins_may_import(client, make_user, role):
    client.force_login(make_user(role=role))
    response = client.get(URL)
    assert response.status_code == 200
    assert b'data-testid="rule-existing"' in response.content
    assert client.get(TEMPLATE_URL).status_code == 200


@pytest.mark.parametrize("role", ["leader", "handler", "department_head"])
def test_other_staff_may_not_import(client, make_user, department, role):
    client.force_login(make_user(role=role, department=department))
    assert client.get(URL).status_code == 403
    assert client.get(TEMPLATE_URL).status_code == 403
    assert post(client, xlsx([row(1)])).status_code == 403
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize("who", ["entrepreneur", "colleague", "outsider"])
def test_entrepreneurs_may_not_import(client, request, who):
    client.force_login(request.getfixturevalue(who))
    before = Enterprise.objects.count()
    assert client.get(URL).status_code == 403
    assert post(client, xlsx([row(1)])).status_code == 403
    assert Enterprise.objects.count() == before


def test_import_needs_a_login(client):
    assert client.get(URL).status_code == 302
    assert client.post("/imports/new/").status_code == 302


# --- the template ---------------------------------------------------------------------------------


def test_template_opens_with_openpyxl_and_its_example_row_imports(client, dispatcher, fushan):
    client.force_login(dispatcher)
    response = client.get(TEMPLATE_URL)
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    values = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert list(values[0]) == HEADERS
    assert values[1][2] == "柯城区" and values[1][3] == "府山街道"
    # The example is a valid row: importing the template as it is creates one enterprise.
    response = post(client, response.content, "template.xlsx")
    assert response.status_code == 302
    enterprise = Enterprise.objects.get()
    assert enterprise.region == fushan


# --- good files -----------------------------------------------------------------------------------


def test_a_good_file_creates_every_row(client, dispatcher, fushan):
    client.force_login(dispatcher)
    rows = [row(n) for n in range(30)]
    rows[0] = row(0, **{"所在乡镇(街道)": "府山街道", "企业规模": "大型企业", "上市情况": "已上市"})
    rows[1] = row(1, **{"产业链": "", "企业规模": "", "上市情况": ""})
    response = post(client, xlsx(rows))
    assert response.status_code == 302
    assert Enterprise.objects.count() == 30
    first = Enterprise.objects.get(uscc=uscc_for(50_000))
    assert (first.region, first.size, first.listing_status) == (fushan, "large", "listed")
    assert first.industry_chain == IndustryChain.objects.get(name="新能源")
    second = Enterprise.objects.get(uscc=uscc_for(50_001))
    assert (second.industry_chain, second.size, second.listing_status) == (None, "", "unlisted")
    assert second.region.name == "柯城区"
    assert (
        AuditLog.objects.filter(action="create", target_type="enterprises.enterprise").count() == 30
    )
    # …and one row for the import with its counts.
    assert AuditLog.objects.filter(actor=dispatcher).count() == 31
    assert AuditLog.objects.get(action="import").note.count("30") == 2
    page = client.get(response["Location"])
    assert b"30" in page.content  # the job page gives the counts


def test_existing_codes_are_updated_and_unchanged_ones_left_alone(dispatcher):
    changed = EnterpriseFactory(uscc=uscc_for(50_000), name="旧名称")
    same_values = row(1)
    same = EnterpriseFactory(
        uscc=same_values[0],
        name=same_values[1],
        region=Region.objects.get(code="330802000000"),
        industry_chain=IndustryChain.objects.get(name="新能源"),
        size="medium",
        listing_status="unlisted",
    )
    result = enterprises_import(actor=dispatcher, file=upload(xlsx([row(0), row(1), row(2)])))
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    changed.refresh_from_db()
    assert changed.name == "衢州导入企业0有限公司"
    entry = AuditLog.objects.get(action="update", target_id=str(changed.pk))
    assert set(entry.fields) == {"name", "region", "industry_chain", "size"}
    assert not AuditLog.objects.filter(
        target_type="enterprises.enterprise", target_id=str(same.pk)
    ).exists()


def test_cells_typed_with_a_chinese_input_method_are_normalised(dispatcher):
    code = uscc_for(50_000)
    headers = [h.replace("(", "（").replace(")", "）") for h in HEADERS]  # full-width brackets
    content = xlsx([row(0, **{"统一社会信用代码": f" {code.lower()} "})], headers=headers)
    result = enterprises_import(actor=dispatcher, file=upload(content))
    assert result.ok and Enterprise.objects.filter(uscc=code).exists()


def test_blank_rows_are_skipped(dispatcher):
    content = xlsx([row(0), [None] * 7, ["", " ", None, None, None, None, None], row(1)])
    result = enterprises_import(actor=dispatcher, file=upload(content))
    assert (result.rows, result.created) == (2, 2)


# --- bad rows: nothing is created, every problem is reported --------------------------------------


def test_one_bad_row_creates_nothing_and_reports_row_and_column(client, dispatcher):
    client.force_login(dispatcher)
    rows = [row(n) for n in range(10)]
    bad = list(rows[6])
    bad[0] = bad[0][:17] + ("0" if bad[0][17] != "0" else "1")  # wrong check character
    rows[6] = bad
    response = post(client, xlsx(rows))
    assert response.status_code == 200
    assert not Enterprise.objects.exists()
    assert not AuditLog.objects.exists()
    assert b'data-testid="import-errors"' in response.content
    assert reported(response) == [("8", "统一社会信用代码")]  # header is row 1, data from row 2


def test_every_kind_of_bad_cell_is_reported(dispatcher, fushan):
    existing_code = uscc_for(50_000)
    rows = [
        row(0),
        row(1, **{"统一社会信用代码": existing_code}),  # duplicate within the file
        row(2, **{"统一社会信用代码": ""}),
        row(3, **{"企业名称": ""}),
        row(4, **{"所在县(市、区)": "杭州市"}),
        row(5, **{"所在乡镇(街道)": "不存在街道"}),
        row(6, **{"产业链": "房地产"}),
        row(7, **{"企业规模": "巨型"}),
        row(8, **{"上市情况": "退市"}),
        row(9, **{"所在县(市、区)": ""}),
        row(10, **{"企业名称": "名" * 201}),
        row(11, **{"统一社会信用代码": 9.13308e17}),
    ]
    result = enterprises_import(actor=dispatcher, file=upload(xlsx(rows)))
    assert not result.ok
    got = [(error.row, error.column) for error in result.errors]
    assert got == [
        (3, "统一社会信用代码"),
        (4, "统一社会信用代码"),
        (5, "企业名称"),
        (6, "所在县(市、区)"),
        (7, "所在乡镇(街道)"),
        (8, "产业链"),
        (9, "企业规模"),
        (10, "上市情况"),
        (11, "所在县(市、区)"),
        (12, "企业名称"),
        (13, "统一社会信用代码"),
    ]
    messages = {error.column: error.message for error in result.errors}
    assert "2" in result.errors[0].message  # names the row of the first occurrence
    for allowed in ("柯城区", "衢江区", "江山市"):
        assert allowed in messages["所在县(市、区)"] or allowed in result.errors[3].message
    assert "府山街道" in messages["所在乡镇(街道)"]
    assert "新能源" in messages["产业链"] and "化工新材料" in messages["产业链"]
    assert "大型" in messages["企业规模"] and "微型" in messages["企业规模"]
    assert "已上市" in messages["上市情况"]
    assert not Enterprise.objects.exists()


def test_townships_must_lie_in_the_county(dispatcher, fushan):
    content = xlsx([row(0, **{"所在县(市、区)": "衢江区", "所在乡镇(街道)": "府山街道"})])
    result = enterprises_import(actor=dispatcher, file=upload(content))
    assert [(e.row, e.column) for e in result.errors] == [(2, "所在乡镇(街道)")]


def test_an_inactive_industry_chain_is_refused(dispatcher):
    IndustryChain.objects.filter(name="特种纸").update(is_active=False)
    content = xlsx([row(0, **{"产业链": "特种纸"})])
    result = enterprises_import(actor=dispatcher, file=upload(content))
    assert [e.column for e in result.errors] == ["产业链"]


def test_the_report_shows_at_most_200_errors_and_the_total(client, dispatcher):
    client.force_login(dispatcher)
    rows = [row(n, **{"企业规模": "巨型"}) for n in range(250)]
    response = post(client, xlsx(rows))
    assert len(reported(response)) == 200
    assert b'data-testid="import-errors-more"' in response.content
    assert b"250" in response.content


def test_scripts_in_cells_are_shown_escaped(client, dispatcher):
    client.force_login(dispatcher)
    response = post(client, xlsx([row(0, **{"产业链": "<script>alert(1)</script>"})]))
    assert b"<script>alert(1)" not in response.content
    assert not Enterprise.objects.exists()


# --- bad files --------------------------------------------------------------------------------------


def file_error(response) -> bool:
    return response.status_code == 200 and b"invalid-feedback" in response.content


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"%PDF-1.7 not a workbook", "enterprises.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500, "enterprises.xlsx"),  # old .xls
        (b"uscc,name\n1,2\n", "enterprises.xlsx"),
        (b"PK\x03\x04 truncated zip", "enterprises.xlsx"),
    ],
)
def test_content_that_is_not_xlsx_is_refused(client, dispatcher, content, name):
    client.force_login(dispatcher)
    assert file_error(post(client, content, name))
    assert not Enterprise.objects.exists()


def test_a_zip_that_is_not_a_workbook_is_refused(client, dispatcher):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    client.force_login(dispatcher)
    assert file_error(post(client, buffer.getvalue()))


def test_a_real_workbook_under_another_name_is_refused(client, dispatcher):
    client.force_login(dispatcher)
    assert file_error(post(client, xlsx([row(0)]), "enterprises.csv"))
    assert not Enterprise.objects.exists()


def test_a_file_over_5_mb_is_refused(client, dispatcher):
    client.force_login(dispatcher)
    response = post(client, b"PK" + b"\0" * (5 * 1024 * 1024), "big.xlsx")
    assert file_error(response)
    with pytest.raises(ValidationError) as raised:
        enterprises_import(actor=dispatcher, file=upload(b"PK" + b"\0" * (5 * 1024 * 1024)))
    assert "5" in raised.value.message_dict["file"][0]


def test_too_many_rows_are_refused(dispatcher, monkeypatch):
    monkeypatch.setitem(imports._KINDS, KIND, dataclasses.replace(DIRECTORY, max_rows=3))
    with pytest.raises(ValidationError) as raised:
        enterprises_import(actor=dispatcher, file=upload(xlsx([row(n) for n in range(4)])))
    assert "file" in raised.value.message_dict
    assert not Enterprise.objects.exists()
    assert enterprises_import(actor=dispatcher, file=upload(xlsx([row(n) for n in range(3)]))).ok


def test_missing_headers_are_refused_naming_them(dispatcher):
    headers = [h for h in HEADERS if h != "所在县(市、区)"]
    with pytest.raises(ValidationError) as raised:
        enterprises_import(actor=dispatcher, file=upload(xlsx([], headers=headers)))
    assert "所在县(市、区)" in raised.value.message_dict["file"][0]


def test_a_file_without_rows_is_refused(dispatcher):
    with pytest.raises(ValidationError):
        enterprises_import(actor=dispatcher, file=upload(xlsx([])))


def test_no_file_is_an_error_next_to_the_field(client, dispatcher):
    client.force_login(dispatcher)
    assert file_error(client.post("/imports/new/", {"kind": KIND}))


def test_moving_an_enterprise_to_another_county_marks_its_appeals_days(dispatcher, handler):
    """The figures by county count the moved enterprise's appeals live until the roll-up is
    rebuilt (enterprises.services.stats)."""
    from enterprises.models import AppealStatsMark
    from tests.factories import MembershipFactory, UserFactory, appeal_in

    member = UserFactory(role="entrepreneur")
    member.enterprise = EnterpriseFactory(
        uscc=uscc_for(50_000), region=Region.objects.get(code="330803000000")
    )
    MembershipFactory(user=member, enterprise=member.enterprise, status="verified")
    appeal = appeal_in("accepted", entrepreneur=member, dispatcher=dispatcher)
    AppealStatsMark.objects.all().delete()
    enterprises_import(actor=dispatcher, file=upload(xlsx([row(0)])))  # 衢江区 → 柯城区
    days = set(AppealStatsMark.objects.values_list("day", flat=True))
    assert timezone.localdate(appeal.accepted_at) in days
