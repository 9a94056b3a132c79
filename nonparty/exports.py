"""The people list as an export kind (``nonparty.people``), registered at start-up, and the same
rows as CSV.

The rows are the list's: its scope (``Person.objects.visible_to``) and criteria
(``FilterForm``). Phones and ID numbers are masked unless the exporter is the office or an
administrator (``can_see_numbers``); then each person exported in full is audited, one row
per person, written per chunk.
"""

import csv
from itertools import islice

from django.http import QueryDict, StreamingHttpResponse

from nonparty.models import Degree, Field, Gender, Status
from portal.exports import (
    FORMULA_PREFIXES,
    Column,
    Export,
    ExportParamsInvalid,
    Sheet,
    register_export,
)
from portal.masking import mask_mobile, mask_resident_id

KIND = "nonparty.people"
CHUNK_SIZE = 2_000

COLUMNS = (
    Column("姓名", 12),
    Column("性别", 6),
    Column("出生日期", 12, "date"),
    Column("籍贯", 20),
    Column("单位", 30),
    Column("职务", 16),
    Column("职称", 12),
    Column("领域", 14),
    Column("最高学历", 10),
    Column("全日制", 8),
    Column("双一流", 8),
    Column("批次", 30),
    Column("联络干部", 10),
    Column("状态", 10),
    Column("手机号", 14),
    Column("身份证号", 20),
)


def listed(params: QueryDict, user):
    from nonparty.forms import FilterForm
    from nonparty.selectors import can_see_archive, people_for

    if not can_see_archive(user):
        raise ExportParamsInvalid("The non-party archive is not yours to export.")
    form = FilterForm(params or None)
    if form.is_bound and not form.is_valid():
        raise ExportParamsInvalid("Check the criteria.")
    return people_for(user, form.filters())


def rows(people, user, *, request=None):
    from nonparty.selectors import can_see_numbers
    from portal.services import audit_personal_views

    full = can_see_numbers(user)
    labels = {
        "gender": dict(Gender.choices),
        "field": dict(Field.choices),
        "degree": dict(Degree.choices),
        "status": dict(Status.choices),
    }
    iterator = people.iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(iterator, CHUNK_SIZE)):
        if full:
            audit_personal_views(
                actor=user,
                shown=[
                    (p, [n for n in ("phone", "id_number") if getattr(p, n)])
                    for p in chunk
                    if p.phone or p.id_number
                ],
                request=request,
            )
        for p in chunk:
            place = p.native_place
            yield (
                p.name,
                str(labels["gender"].get(p.gender, "")),
                p.birth_date,
                place.name if place else "",
                p.employer,
                p.position,
                p.professional_title,
                str(labels["field"].get(p.field, "")),
                str(labels["degree"].get(p.highest_degree, "")) if p.highest_degree else "",
                ("是" if p.highest_full_time else "否") if p.highest_degree else "",
                "是" if p.double_first_class else "",
                p.batch_name or "",
                p.cadre_name or "",
                str(labels["status"].get(p.status, "")),
                p.phone if full else mask_mobile(p.phone),
                p.id_number if full else (mask_resident_id(p.id_number) if p.id_number else ""),
            )


def people_export(params, user) -> Export:
    people = listed(params, user)
    return Export(
        "无党派人士名录.xlsx", [Sheet("无党派人士", COLUMNS, rows(people, user))], people.count()
    )


register_export(KIND, people_export)


class _Echo:
    def write(self, value):
        return value


def _cell(value) -> str:
    text = (
        "" if value is None else (value.isoformat() if hasattr(value, "isoformat") else str(value))
    )
    # A spreadsheet opening the file would read these as formulas.
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_response(params, user, request=None) -> StreamingHttpResponse:
    """The same rows as CSV (UTF-8 with a byte-order mark, for Excel), streamed."""
    people = listed(params, user)
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow([c.header for c in COLUMNS])
        for row in rows(people, user, request=request):
            yield writer.writerow([_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E6%97%A0%E5%85%9A%E6%B4%BE%E4%BA%BA%E5%A3%AB.csv"
    )
    response["Cache-Control"] = "private, no-store"
    return response
