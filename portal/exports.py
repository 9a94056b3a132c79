"""Excel (.xlsx) exports that stream, and the registry of export kinds that run as jobs.

Workbooks are written by XlsxWriter in ``constant_memory`` mode: each row goes to a temporary
file as it comes, so memory stays flat however many rows there are (bench/export.py: 10^5 appeal
rows in a fraction of openpyxl's time). Text is always written as text — never as a formula,
number or link — and text starting with ``=``, ``+``, ``-`` or ``@`` carries Excel's quote
prefix, so editing the cell does not turn it into a formula either.

The exports are a fixed Chinese format (like the import template): headers are Chinese whatever
the interface language, and times are in Asia/Shanghai.

Apps register what can be exported with ``register_export(kind, builder)``; a builder takes the
export's parameters (a ``QueryDict``) and the user, scopes its rows with the model's
``visible_to(user)`` and returns an ``Export``. Small exports are sent at once
(``xlsx_response``); larger ones run as an ``ExportJob`` (``portal.services.exports``).
"""

from __future__ import annotations

import datetime as dt
import decimal
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import xlsxwriter
from django.http import FileResponse, QueryDict
from django.utils import timezone, translation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = "#F2DCDB"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.0%"
FORMATS = {"datetime": DATETIME_FORMAT, "date": DATE_FORMAT, "percent": PERCENT_FORMAT}
# Text Excel (or a CSV reader after it) would read as a formula when typed in.
FORMULA_PREFIXES = ("=", "+", "-", "@")
# Exports with more rows than this run as a job; smaller ones are sent at once.
EXPORT_JOB_THRESHOLD = 10_000
PROGRESS_EVERY = 2_000


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


@dataclass(frozen=True)
class Export:
    """What a builder returns: the file's name, its sheets, and how many data rows they hold
    (``total``, for the choice between streaming and a job and for the job's progress)."""

    filename: str
    sheets: Sequence[Sheet]
    total: int


class ExportParamsInvalid(ValueError):
    """A builder refuses these parameters; the message says why, for the user."""


Builder = Callable[[QueryDict, object], Export]
_BUILDERS: dict[str, Builder] = {}


def register_export(kind: str, builder: Builder) -> None:
    """Make ``kind`` (namespaced by app: ``<app>.<what>``) exportable with ``builder``."""
    if "." not in kind:
        raise ValueError(f"An export kind is namespaced by its app: {kind!r}")
    registered = _BUILDERS.get(kind)
    if registered is not None and registered is not builder:
        raise ValueError(f"The export kind {kind!r} is registered already")
    _BUILDERS[kind] = builder


def export_kinds() -> list[str]:
    return sorted(_BUILDERS)


def params_to_json(params: QueryDict) -> dict[str, list[str]]:
    """A query string's parameters as JSON that keeps repeated keys (``status=a&status=b``)."""
    return {key: params.getlist(key) for key in params}


def params_from_json(params: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in (params or {}).items():
        query.setlist(key, [str(v) for v in (values if isinstance(values, list) else [values])])
    query._mutable = False
    return query


def build_export(kind: str, params: QueryDict | dict, user) -> Export:
    """The registered builder's export for ``user``; raises ``ExportParamsInvalid`` for an
    unknown kind or parameters the builder refuses."""
    try:
        builder = _BUILDERS[kind]
    except KeyError:
        raise ExportParamsInvalid(f"Unknown export kind {kind!r}") from None
    if not isinstance(params, QueryDict):
        params = params_from_json(params)
    return builder(params, user)


def local(value: dt.datetime | None) -> dt.datetime | None:
    """An aware time as the naive Asia/Shanghai time Excel shows (Excel has no time zones)."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None)


def write_workbook(
    sheets: Iterable[Sheet],
    target,
    *,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Write ``sheets`` into ``target`` (a path or a binary file open for writing; seekable);
    returns the number of data rows. ``on_progress(rows)`` is called every few thousand rows."""
    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    header_format = workbook.add_format(
        {"bold": True, "bg_color": HEADER_FILL, "valign": "vcenter"}
    )
    text_format = workbook.add_format({"quote_prefix": True})
    kind_formats = {kind: workbook.add_format({"num_format": f}) for kind, f in FORMATS.items()}
    written = 0
    zone = timezone.get_current_timezone()  # once, not per cell
    with translation.override("zh-hans"):
        for spec in sheets:
            sheet = workbook.add_worksheet(spec.title[:31])
            formats = []
            for index, column in enumerate(spec.columns):
                sheet.set_column(index, index, column.width)
                formats.append(kind_formats.get(column.kind))
                sheet.write_string(0, index, str(column.header), header_format)
            sheet.freeze_panes(1, 0)
            width = len(formats)
            # The unchecked writers under XlsxWriter's public ones (pinned 3.3.1): the public
            # ones only parse "A1" notation first, a tenth of the time of a 10^5-row export.
            write_string, write_number = sheet._write_string, sheet._write_number
            write_datetime = sheet._write_datetime
            datetime_format, date_format = kind_formats["datetime"], kind_formats["date"]
            number = 0
            for number, row in enumerate(spec.rows, start=1):
                if len(row) != width:
                    raise ValueError(f"Row {number} of {spec.title!r} has {len(row)} cells")
                for index, value in enumerate(row):
                    kind = type(value)
                    if value is None:
                        continue
                    if kind is str:
                        if value.startswith(FORMULA_PREFIXES):
                            write_string(number, index, value, text_format)
                        elif value:
                            write_string(number, index, value)
                    elif kind is int or kind is float or kind is decimal.Decimal:
                        write_number(number, index, value, formats[index])
                    elif kind is dt.datetime:
                        if value.tzinfo is not None:
                            value = value.astimezone(zone).replace(tzinfo=None)
                        write_datetime(number, index, value, formats[index] or datetime_format)
                    elif kind is dt.date:
                        write_datetime(number, index, value, formats[index] or date_format)
                    elif kind is bool:
                        sheet._write_boolean(number, index, value)
                    else:
                        write_string(number, index, str(value))
                if on_progress is not None and number % PROGRESS_EVERY == 0:
                    on_progress(written + number)
            written += number
    workbook.close()
    if on_progress is not None:
        on_progress(written)
    return written


def xlsx_response(filename: str, sheets: Iterable[Sheet]) -> FileResponse:
    """The workbook as a download, built in a temporary file that is removed when sent."""
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    write_workbook(sheets, target)
    target.seek(0)
    response = FileResponse(target, as_attachment=True, filename=filename, content_type=XLSX)
    response["Cache-Control"] = "private, no-store"
    return response
