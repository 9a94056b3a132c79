"""Excel (.xlsx) exports that stream: openpyxl's write-only mode writes each row to a temporary
file as it comes, so memory stays flat however many rows there are; the finished workbook is
sent from a temporary file on disk.

The exports are a fixed Chinese format (like the import template): headers are Chinese whatever
the interface language, and times are in Asia/Shanghai.
"""

import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.http import FileResponse
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.0%"


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 12
    kind: str = ""  # "", "datetime", "date", "percent", "number"


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]


def local(value: dt.datetime | None) -> dt.datetime | None:
    """An aware time as the naive Asia/Shanghai time Excel shows (Excel has no time zones)."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None)


def _cell(sheet, value, column: Column):
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = local(value)
    if isinstance(value, str) and value.startswith("="):
        # openpyxl writes such text as a formula, which Excel would run: keep what people typed
        # (a title, an enterprise's name) as text.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    if value is None or not column.kind or column.kind == "number":
        return value  # a plain value: no cell object to build
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = FORMATS[column.kind]
    return cell


FORMATS = {"datetime": DATETIME_FORMAT, "date": DATE_FORMAT, "percent": PERCENT_FORMAT}


def write_workbook(sheets: Iterable[Sheet], target) -> int:
    """Write ``sheets`` into ``target`` (a binary file); returns the number of data rows."""
    workbook = Workbook(write_only=True)
    written = 0
    with translation.override("zh-hans"):
        for spec in sheets:
            sheet = workbook.create_sheet(title=spec.title[:31])
            for index, column in enumerate(spec.columns):
                letter = _letter(index)
                sheet.column_dimensions[letter].width = column.width
            sheet.freeze_panes = "A2"
            header = []
            for column in spec.columns:
                cell = WriteOnlyCell(sheet, value=column.header)
                cell.font, cell.fill = HEADER_FONT, HEADER_FILL
                cell.alignment = Alignment(vertical="center")
                header.append(cell)
            sheet.append(header)
            for row in spec.rows:
                sheet.append([_cell(sheet, v, c) for v, c in zip(row, spec.columns, strict=True)])
                written += 1
        workbook.save(target)
    return written


def xlsx_response(filename: str, sheets: Iterable[Sheet]) -> FileResponse:
    """The workbook as a download, built in a temporary file that is removed when sent."""
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    write_workbook(sheets, target)
    target.seek(0)
    response = FileResponse(target, as_attachment=True, filename=filename, content_type=XLSX)
    response["Cache-Control"] = "private, no-store"
    return response


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
