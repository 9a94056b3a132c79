"""Excel (.xlsx) imports: the registry of import kinds, the guard on uploaded workbooks, header
mapping and the check of every row.

An app declares what it imports with ``register_import(kind, ImportKind(...))``: its columns
(header, required, a parser per cell), the natural key that must not repeat within a file, a
row check across columns, the roles that may use it and the writer that upserts the checked rows.
The pages (``portal.views.imports``) and the job (``portal.services.imports``) do the rest the
same way for every kind: upload, mapping remembered per person and kind, a dry run with a
per-row report, then all rows or none, or the valid rows only, and the rejected rows as a file.

Files are a fixed Chinese format (like the exports): headers are Chinese whatever the interface
language. A workbook is read only after ``portal.files.check_upload`` found an .xlsx package by
its content and the guard found it unpacks to a sane size (a zip bomb is refused unread).
"""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.files import CheckedUpload, check_upload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# A 5 MB .xlsx of 20,000 rows unpacks to a few tens of MB; far more is a zip bomb.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# Files with more rows than this are applied by a Celery worker; smaller ones in the request.
IMPORT_JOB_THRESHOLD = 2_000
_XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
# A header this close to a column's (difflib ratio) is offered as its match.
SIMILAR = 0.6


@dataclass(frozen=True)
class ImportColumn:
    """One column of an import kind. ``parse(cell, context)`` turns a non-empty cell (as
    openpyxl read it) into the row's value or raises ``ValidationError`` with the message for
    the user; without it the value is the cell's trimmed text. An empty cell gives ``empty``."""

    key: str
    header: str
    required: bool = False
    parse: Callable[[Any, Any], Any] | None = None
    empty: Any = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class WriteCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class ImportKind:
    """What an app imports and how.

    ``write(rows, *, actor, note, request)`` upserts the checked rows (dicts of column key →
    value) inside the caller's transaction and returns ``WriteCounts``; it may raise
    ``ValidationError`` with a message for the user (nothing of that call is kept).
    ``check_row(values, context)`` checks across columns and may complete ``values``; it returns
    ``{column key: message}``. ``context()`` loads what the parsers look values up in, once per
    run. ``template()`` returns the bytes of a template workbook; ``help_template`` (with
    ``help_context()``) is shown on the upload and mapping pages.
    """

    label: Any
    columns: Sequence[ImportColumn]
    write: Callable[..., WriteCounts]
    roles: tuple[str, ...]
    natural_key: tuple[str, ...] = ()
    duplicate_message: Any = None
    check_row: Callable[[dict, Any], dict[str, str]] | None = None
    context: Callable[[], Any] | None = None
    template: Callable[[], bytes] | None = None
    template_filename: str = "import-template.xlsx"
    help_template: str = ""
    help_context: Callable[[], dict] | None = None
    max_rows: int = MAX_ROWS
    max_bytes: int = MAX_FILE_BYTES

    def allowed(self, user) -> bool:
        return user.is_authenticated and user.has_role(*self.roles)

    def header_of(self, key: str) -> str:
        return next((c.header for c in self.columns if c.key == key), key)


class ImportKindUnknown(LookupError):
    pass


_KINDS: dict[str, ImportKind] = {}


def register_import(kind: str, spec: ImportKind) -> None:
    """Make ``kind`` (namespaced by app: ``<app>.<what>``) importable as ``spec`` says."""
    if "." not in kind:
        raise ValueError(f"An import kind is namespaced by its app: {kind!r}")
    registered = _KINDS.get(kind)
    if registered is not None and registered is not spec:
        raise ValueError(f"The import kind {kind!r} is registered already")
    keys = [column.key for column in spec.columns]
    if len(set(keys)) != len(keys) or not set(spec.natural_key) <= set(keys):
        raise ValueError(f"The columns of {kind!r} repeat a key or miss the natural key")
    _KINDS[kind] = spec


def import_kind(kind: str) -> ImportKind:
    try:
        return _KINDS[kind]
    except KeyError:
        raise ImportKindUnknown(kind) from None


def import_kinds_for(user) -> list[tuple[str, ImportKind]]:
    """The kinds ``user`` may import, by label."""
    return sorted(
        ((kind, spec) for kind, spec in _KINDS.items() if spec.allowed(user)),
        key=lambda item: str(item[1].label),
    )


# --- the workbook --------------------------------------------------------------------------------


def refuse(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def cell_text(value) -> str:
    """A cell as trimmed half-width text (full-width brackets typed in Chinese → ASCII)."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def normalise_header(value) -> str:
    return "".join(cell_text(value).split())


def check_workbook(
    upload, *, max_bytes: int = MAX_FILE_BYTES, max_unpacked: int = MAX_UNPACKED_BYTES
) -> CheckedUpload:
    """Refuse (``ValidationError({"file": …})``) what is not an .xlsx by its content, is over
    ``max_bytes``, or unpacks past ``max_unpacked`` (a zip bomb): before openpyxl reads it."""
    try:
        checked = check_upload(upload, max_bytes=max_bytes, allowed={"xlsx": XLSX})
    except ValidationError as exc:
        raise refuse(" ".join(exc.messages)) from None
    guard_package(upload, max_unpacked=max_unpacked)
    return checked


def guard_package(file: IO[bytes], *, max_unpacked: int = MAX_UNPACKED_BYTES) -> None:
    """The package holds a workbook and its parts declare a sane unpacked size. (Python's zip
    reader never inflates a part past its declared size, so the sum bounds the work.)"""
    not_xlsx = _("The file is not an Excel workbook (.xlsx). Save it as .xlsx and try again.")
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refuse(not_xlsx) from None
    finally:
        file.seek(0)
    names = {info.filename for info in infos}
    if not all(part in names for part in _XLSX_PARTS):
        raise refuse(not_xlsx)
    if sum(info.file_size for info in infos) > max_unpacked:
        raise refuse(_("The workbook unpacks to far more data than an import needs."))


@dataclass
class SheetData:
    """The first sheet: its normalised headers (row 1, by position) and the non-empty rows
    below, each with its Excel row number (the header is row 1)."""

    headers: list[str]
    rows: list[tuple[int, tuple]] = field(default_factory=list)


def read_sheet(
    file: IO[bytes], *, max_rows: int = MAX_ROWS, require_rows: bool = True
) -> SheetData:
    """The first sheet of a guarded workbook; refuses a damaged one, one of more than
    ``max_rows`` rows and (``require_rows``) one without rows below its headers."""
    from openpyxl import load_workbook

    guard_package(file)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged package
        raise refuse(
            _("The workbook could not be read. Open it in Excel, save it again and retry.")
        ) from None
    try:
        if not workbook.worksheets:
            raise refuse(_("The workbook has no sheet."))
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None) or ()
        sheet = SheetData(headers=[normalise_header(cell) for cell in header])
        for number, values in enumerate(rows, start=2):
            if all(cell_text(value) == "" for value in values):
                continue
            if len(sheet.rows) == max_rows:
                raise refuse(
                    _("The file has more than %(limit)s rows; split it into smaller files.")
                    % {"limit": f"{max_rows:,}"}
                )
            sheet.rows.append((number, tuple(values)))
    except ValidationError:
        raise
    except Exception:
        raise refuse(
            _("The workbook could not be read. Open it in Excel, save it again and retry.")
        ) from None
    finally:
        workbook.close()
    while sheet.headers and not sheet.headers[-1]:
        sheet.headers.pop()
    if require_rows and not sheet.rows:
        raise no_rows()
    return sheet


def no_rows() -> ValidationError:
    return refuse(_("The file has no rows below the headers."))


def json_cell(value):
    """A cell as JSON keeps it (for the report and the file of rejected rows)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value)


# --- mapping -------------------------------------------------------------------------------------


def suggest_mapping(spec: ImportKind, headers: Iterable[str], saved: dict | None) -> dict:
    """Sheet header → column key ("" to ignore) for every non-empty header: what the person
    chose before for that header, else the column of that header (or alias), else the most
    similar one. No column is given to two headers."""
    keys = {column.key for column in spec.columns}
    saved = saved or {}
    headers = list(dict.fromkeys(h for h in headers if h))
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        choice = saved.get(header)
        if choice == "" or (choice in keys and choice not in taken):
            mapping[header] = choice
            taken.add(choice)
    names = {
        normalise_header(name): column.key
        for column in spec.columns
        for name in (column.header, *column.aliases)
    }
    for header in headers:
        if header not in mapping and names.get(header) and names[header] not in taken:
            mapping[header] = names[header]
            taken.add(names[header])
    for header in headers:
        if header in mapping:
            continue
        best, score = "", SIMILAR
        for name, key in names.items():
            if key in taken:
                continue
            ratio = difflib.SequenceMatcher(None, header, name).ratio()
            if ratio > score or (score == SIMILAR and (header in name or name in header)):
                best, score = key, max(ratio, score)
        mapping[header] = best
        if best:
            taken.add(best)
    return mapping


def mapping_problems(spec: ImportKind, mapping: dict) -> list[str]:
    """What keeps ``mapping`` from being used: a column chosen twice, a required one missing."""
    problems = []
    chosen = [key for key in mapping.values() if key]
    twice = sorted({key for key in chosen if chosen.count(key) > 1})
    if twice:
        problems.append(
            _("Each field may be chosen for one sheet column only: %(fields)s.")
            % {"fields": "、".join(spec.header_of(key) for key in twice)}
        )
    missing = [c.header for c in spec.columns if c.required and c.key not in chosen]
    if missing:
        problems.append(
            _("Choose a sheet column for each required field; missing: %(missing)s.")
            % {"missing": "、".join(missing)}
        )
    return problems


# --- the rows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int  # as Excel numbers it: the header is row 1
    column: str
    message: str


@dataclass
class CheckedRow:
    number: int
    cells: tuple
    values: dict
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


def check_rows(
    spec: ImportKind,
    sheet: SheetData,
    mapping: dict,
    *,
    context=None,
    on_progress: Callable[[int], None] | None = None,
) -> list[CheckedRow]:
    """Every row of ``sheet`` checked against ``spec`` through ``mapping``; each row's errors
    in the order of the kind's columns."""
    positions: dict[str, int] = {}
    for header, key in mapping.items():
        if key and header in sheet.headers and key not in positions:
            positions[key] = sheet.headers.index(header)
    order = {column.key: index for index, column in enumerate(spec.columns)}
    by_header = {column.header: order[column.key] for column in spec.columns}
    duplicate = spec.duplicate_message or _("The same value is already on row %(row)d.")
    seen: dict[tuple, int] = {}
    checked = []
    for count, (number, cells) in enumerate(sheet.rows, start=1):
        errors: list[RowError] = []
        values: dict[str, Any] = {}
        for column in spec.columns:
            index = positions.get(column.key)
            raw = cells[index] if index is not None and index < len(cells) else None
            if cell_text(raw) == "":
                if column.required:
                    errors.append(RowError(number, column.header, _("This cell is required.")))
                else:
                    values[column.key] = column.empty
                continue
            try:
                values[column.key] = column.parse(raw, context) if column.parse else cell_text(raw)
            except ValidationError as exc:
                errors.append(RowError(number, column.header, " ".join(exc.messages)))
        if spec.natural_key and all(key in values for key in spec.natural_key):
            natural = tuple(values[key] for key in spec.natural_key)
            if natural in seen:
                errors.append(
                    RowError(
                        number,
                        spec.header_of(spec.natural_key[0]),
                        str(duplicate) % {"row": seen[natural]},
                    )
                )
            else:
                seen[natural] = number
        if spec.check_row is not None:
            for key, message in (spec.check_row(values, context) or {}).items():
                errors.append(RowError(number, spec.header_of(key), str(message)))
        errors.sort(key=lambda error: by_header.get(error.column, len(order)))
        checked.append(CheckedRow(number, cells, values, errors))
        if on_progress is not None and count % 500 == 0:
            on_progress(count)
    return checked


def report_of(rows: Iterable[CheckedRow]) -> list[dict]:
    """The rejected rows as the job keeps them: number, original cells, errors."""
    return [
        {
            "row": row.number,
            "cells": [json_cell(cell) for cell in row.cells],
            "errors": [{"column": e.column, "message": e.message} for e in row.errors],
        }
        for row in rows
        if row.errors
    ]
