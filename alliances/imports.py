"""The villages' figures as an import kind (``alliances.reports``) of ``portal.imports``.

One village and period per row, under the Chinese headers of ``COLUMNS`` (any order; other
headers can be matched on the mapping page): the village's 12-digit code, the period (2023H1,
2023H2 or 2023) and the two indicators the migration ships, in yuan. A village's reporter
imports their village's rows, a county's staff their county's villages' (a row of another
village refuses the batch at the write, with its name). A row becomes a draft, or replaces the
figures of the draft or returned version under way; a version submitted, checked or approved is
never changed by an import (the row is refused: correct it on its page). The reporter then
submits on the page, as after entering the figures by hand. Indicators an admin adds later are
entered on the page.
"""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliances.models import Indicator, VillageReport
from alliances.periods import Period
from alliances.services.reports import report_import
from portal.exceptions import Conflict
from portal.imports import ImportColumn, ImportKind, WriteCounts, cell_text, refuse, register_import
from portal.models import Region, Role

KIND = "alliances.reports"
INDICATOR_COLUMNS = (
    ("collective_income", "村集体经济收入（元）"),
    ("operating_income", "经营性收入（元）"),
)


def _village(cell, context) -> Region:
    text = cell_text(cell).replace(" ", "")
    if text.endswith(".0"):
        text = text[:-2]
    region = Region.objects.filter(code=text).first() if len(text) == 12 else None
    if region is None or region.level != Region.Level.VILLAGE:
        raise ValidationError(_("Give the village by its 12-digit statistical code."))
    return region


def _period(cell, context) -> Period:
    try:
        return Period.parse(cell_text(cell))
    except ValueError:
        raise ValidationError(
            _("Enter a period as a year or a half year, e.g. 2023H1, 2023H2 or 2023.")
        ) from None


def _amount(cell, context) -> Decimal:
    try:
        value = Decimal(cell_text(cell).replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or value.as_tuple().exponent < -2 or value < 0:
        raise ValidationError(_("Enter an amount in yuan, e.g. 662000 or 12.5."))
    return value


COLUMNS = (
    ImportColumn("village", "村代码", required=True, parse=_village, aliases=("统计代码",)),
    ImportColumn("village_name", "村名"),
    ImportColumn("period", "期间", required=True, parse=_period, aliases=("报送期间",)),
    *(
        ImportColumn(code, header, parse=_amount, aliases=(header.split("（")[0],))
        for code, header in INDICATOR_COLUMNS
    ),
)


def check_row(values: dict, context) -> dict[str, str]:
    period = values.get("period")
    village = values.get("village")
    if period is not None and village is not None:
        locked = (
            VillageReport.objects.filter(village=village, period=period.code)
            .exclude(status__in=["draft", "returned"])
            .exists()
        )
        if (
            locked
            and not VillageReport.objects.filter(
                village=village, period=period.code, status__in=["draft", "returned"]
            ).exists()
        ):
            return {
                "period": _(
                    "The figures of this village for %(period)s are submitted or approved; an "
                    "import does not change them."
                )
                % {"period": period.code}
            }
    return {}


def reports_import_write(rows: list[dict], *, actor, note: str = "", request=None) -> WriteCounts:
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=dict(INDICATOR_COLUMNS))}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for row in rows:
        values = {
            indicators[code]: row.get(code)
            for code, _header in INDICATOR_COLUMNS
            if code in indicators and row.get(code) is not None
        }
        try:
            outcome = report_import(
                actor=actor, village=row["village"], period=row["period"], values=values
            )
        except (PermissionDenied, Conflict) as exc:
            raise refuse(str(getattr(exc, "message", None) or exc)) from None
        counts[outcome] += 1
    return WriteCounts(**counts)


def import_template() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "村级报送"
    sheet.append([column.header for column in COLUMNS])
    sheet.append(["330825212227", "双戴村", "2023H1", 662000, 353000])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in range(2, 1002):
        sheet.cell(row=row, column=1).number_format = "@"  # 12 digits stay text
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


REPORTS = ImportKind(
    label=gettext_lazy("Village figures"),
    columns=COLUMNS,
    write=reports_import_write,
    roles=(Role.VILLAGE_REPORTER, Role.COUNTY_STAFF),
    natural_key=("village", "period"),
    duplicate_message=gettext_lazy("This village and period is in the file twice."),
    check_row=check_row,
    template=import_template,
    template_filename="alliances-report-import-template.xlsx",
)
register_import(KIND, REPORTS)
