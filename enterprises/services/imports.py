"""Excel import of the enterprise directory: all rows or none.

The file is an .xlsx whose first sheet has the Chinese headers of ``COLUMNS`` in row 1 (any
order, extra columns ignored) and one enterprise per row below. Every row is validated before
anything is written; a single bad row means nothing is written and the caller gets the full
per-row error report. A code already in the directory updates that enterprise with the row's
values (the row is the whole record: an empty optional cell clears that value); a code twice in
the same file is an error.
"""

import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, EnterpriseSize, IndustryChain, ListingStatus
from enterprises.selectors.directory import counties
from enterprises.services.stats import mark_enterprises
from portal.models import AuditLog, Region, User
from portal.services import audit_record
from portal.validators import compute_uscc_check, normalize_uscc, validate_uscc

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# A 5 MB .xlsx of 20,000 rows unpacks to a few tens of MB; far more is a zip bomb.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
BATCH_SIZE = 500

USCC = "统一社会信用代码"
NAME = "企业名称"
COUNTY = "所在县(市、区)"
TOWNSHIP = "所在乡镇(街道)"
INDUSTRY_CHAIN = "产业链"
SIZE = "企业规模"
LISTING = "上市情况"

# (header, required): the file's vocabulary is Chinese whatever the interface language.
COLUMNS: tuple[tuple[str, bool], ...] = (
    (USCC, True),
    (NAME, True),
    (COUNTY, True),
    (TOWNSHIP, False),
    (INDUSTRY_CHAIN, False),
    (SIZE, False),
    (LISTING, False),
)
SIZE_VALUES = {
    "大型": EnterpriseSize.LARGE,
    "中型": EnterpriseSize.MEDIUM,
    "小型": EnterpriseSize.SMALL,
    "微型": EnterpriseSize.MICRO,
}
LISTING_VALUES = {
    "未上市": ListingStatus.UNLISTED,
    "拟上市": ListingStatus.PREPARING,
    "已上市": ListingStatus.LISTED,
}
UPDATED_FIELDS = ("name", "region", "industry_chain", "size", "listing_status")
_XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


@dataclass(frozen=True)
class RowError:
    row: int  # as Excel numbers it: the header is row 1
    column: str
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(value) -> str:
    """A cell as trimmed half-width text (full-width brackets typed in Chinese → ASCII)."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def _open_workbook(file: IO[bytes]):
    """The workbook, after checking size and that the content really is an .xlsx package."""
    name = getattr(file, "name", "") or ""
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
    if size > MAX_FILE_BYTES:
        raise _refuse(
            _("The file is larger than %(limit)d MB; split it into smaller files.")
            % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
        )
    not_xlsx = _("The file is not an Excel workbook (.xlsx). Save it as .xlsx and try again.")
    if not name.lower().endswith(".xlsx"):
        raise _refuse(not_xlsx)
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as package:
            infos = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse(not_xlsx) from None
    names = {info.filename for info in infos}
    if not all(part in names for part in _XLSX_PARTS):
        raise _refuse(not_xlsx)
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise _refuse(_("The workbook unpacks to far more data than a directory needs."))

    from openpyxl import load_workbook

    file.seek(0)
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged package
        raise _refuse(
            _("The workbook could not be read. Open it in Excel, save it again and retry.")
        ) from None


def _read_rows(workbook) -> tuple[dict[str, int], list[tuple[int, tuple]]]:
    """The header positions and the non-empty data rows (with their Excel row numbers)."""
    if not workbook.worksheets:
        raise _refuse(_("The workbook has no sheet."))
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    header = next(rows, None) or ()
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        text = "".join(_text(cell).split())
        if text and text not in positions:
            positions[text] = index
    missing = [name for name, _required in COLUMNS if name not in positions]
    if missing:
        raise _refuse(
            _(
                "Row 1 of the first sheet must hold the headers %(expected)s; missing: "
                "%(missing)s. Start from the template."
            )
            % {"expected": "、".join(n for n, _r in COLUMNS), "missing": "、".join(missing)}
        )
    data = []
    for number, values in enumerate(rows, start=2):
        if all(_text(value) == "" for value in values):
            continue
        if len(data) == MAX_ROWS:
            raise _refuse(
                _("The file has more than %(limit)s enterprise rows; split it into smaller files.")
                % {"limit": f"{MAX_ROWS:,}"}
            )
        data.append((number, values))
    if not data:
        raise _refuse(_("The file has no enterprise rows below the headers."))
    return positions, data


class _Vocabulary:
    """What the county, township, industry chain, size and listing cells may say."""

    def __init__(self):
        self.counties = {region.name: region for region in counties()}
        self.townships: dict[tuple[int, str], Region] = {}
        self.township_names: dict[int, list[str]] = {}
        for township in Region.objects.filter(
            parent__in=list(self.counties.values()), level=Region.Level.TOWNSHIP
        ).order_by("code"):
            self.townships[(township.parent_id, township.name)] = township
            self.township_names.setdefault(township.parent_id, []).append(township.name)
        self.chains = {chain.name: chain for chain in IndustryChain.objects.filter(is_active=True)}


def _unknown(value: str, allowed) -> str:
    return _("Unknown value “%(value)s”. Allowed values: %(allowed)s.") % {
        "value": value,
        "allowed": "、".join(allowed),
    }


def _parse_row(number, values, positions, vocabulary, seen, errors) -> Enterprise | None:
    """The row as an unsaved Enterprise, or None after adding its errors to ``errors``."""

    def cell(column: str):
        index = positions[column]
        return values[index] if index < len(values) else None

    def error(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    before = len(errors)
    raw_code = cell(USCC)
    code = ""
    if isinstance(raw_code, float):
        error(
            USCC,
            _(
                "The code was stored as a number, which loses characters; format the column as text."
            ),
        )
    elif _text(raw_code) == "":
        error(USCC, _("This cell is required."))
    else:
        code = normalize_uscc(_text(raw_code))
        try:
            validate_uscc(code)
        except ValidationError as exc:
            error(USCC, " ".join(exc.messages))
            code = ""
        else:
            if code in seen:
                error(USCC, _("The same code is already on row %(row)d.") % {"row": seen[code]})
            else:
                seen[code] = number

    name = _text(cell(NAME))
    if not name:
        error(NAME, _("This cell is required."))
    elif len(name) > 200:
        error(NAME, _("At most 200 characters; this one has %(length)d.") % {"length": len(name)})

    region = None
    county_name = _text(cell(COUNTY))
    if not county_name:
        error(COUNTY, _("This cell is required."))
    elif county_name not in vocabulary.counties:
        error(COUNTY, _unknown(county_name, vocabulary.counties))
    else:
        region = vocabulary.counties[county_name]
        township_name = _text(cell(TOWNSHIP))
        if township_name:
            township = vocabulary.townships.get((region.pk, township_name))
            allowed = vocabulary.township_names.get(region.pk)
            if township is not None:
                region = township
            elif allowed:
                error(TOWNSHIP, _unknown(township_name, allowed))
            else:
                error(
                    TOWNSHIP,
                    _(
                        "The townships of %(county)s are not loaded in the portal; leave this "
                        "cell empty or ask an administrator to load the region data."
                    )
                    % {"county": county_name},
                )

    chain = None
    chain_name = _text(cell(INDUSTRY_CHAIN))
    if chain_name:
        chain = vocabulary.chains.get(chain_name)
        if chain is None:
            error(INDUSTRY_CHAIN, _unknown(chain_name, vocabulary.chains))

    size = ""
    size_text = _text(cell(SIZE))
    if size_text:
        size = SIZE_VALUES.get(size_text.removesuffix("企业"), "")
        if not size:
            error(SIZE, _unknown(size_text, SIZE_VALUES))

    listing = ListingStatus.UNLISTED
    listing_text = _text(cell(LISTING))
    if listing_text:
        listing = LISTING_VALUES.get(listing_text, "")
        if not listing:
            error(LISTING, _unknown(listing_text, LISTING_VALUES))

    if len(errors) > before:
        return None
    return Enterprise(
        uscc=code,
        name=name,
        region=region,
        industry_chain=chain,
        size=size,
        listing_status=listing,
    )


def _existing(codes: list[str]) -> dict[str, Enterprise]:
    found: dict[str, Enterprise] = {}
    for start in range(0, len(codes), BATCH_SIZE):
        chunk = codes[start : start + BATCH_SIZE]
        for enterprise in Enterprise.objects.select_for_update().filter(uscc__in=chunk):
            found[enterprise.uscc] = enterprise
    return found


def enterprises_import(*, actor: User, file: IO[bytes], request=None) -> ImportResult:
    """Create or update every enterprise of the .xlsx ``file``, or none of them.

    Raises ``ValidationError({"file": …})`` when the file itself is unusable (not an .xlsx, over
    5 MB, over 20,000 rows, headers missing). Otherwise returns an ``ImportResult``: with
    ``errors`` (row, column, message) and nothing written when any row is bad; else the counts of
    enterprises created, updated and unchanged, all written in one transaction, each change
    recorded in the audit log.
    """
    workbook = _open_workbook(file)
    try:
        positions, data = _read_rows(workbook)
    finally:
        workbook.close()

    vocabulary = _Vocabulary()
    result = ImportResult(rows=len(data))
    seen: dict[str, int] = {}
    parsed = [
        _parse_row(number, values, positions, vocabulary, seen, result.errors)
        for number, values in data
    ]
    if result.errors:
        return result

    note = _("Excel import: %(file)s") % {"file": (getattr(file, "name", "") or "")[:100]}
    try:
        with transaction.atomic():
            existing = _existing([row.uscc for row in parsed])
            new, changed = [], []
            for row in parsed:
                current = existing.get(row.uscc)
                if current is None:
                    new.append(row)
                    continue
                fields = [f for f in UPDATED_FIELDS if getattr(current, f) != getattr(row, f)]
                if fields:
                    for name in fields:
                        setattr(current, name, getattr(row, name))
                    changed.append((current, fields))
                else:
                    result.unchanged += 1
            Enterprise.objects.bulk_create(new, batch_size=BATCH_SIZE)
            Enterprise.objects.bulk_update(
                [enterprise for enterprise, _fields in changed],
                UPDATED_FIELDS,
                batch_size=BATCH_SIZE,
            )
            # A moved enterprise moves its appeals to another county in the figures.
            moved = [e.pk for e, fields in changed if "region" in fields or "region_id" in fields]
            if moved:
                mark_enterprises(moved)
            if any(enterprise.pk is None for enterprise in new):  # backends without RETURNING
                ids = dict(
                    Enterprise.objects.filter(uscc__in=[e.uscc for e in new]).values_list(
                        "uscc", "pk"
                    )
                )
                for enterprise in new:
                    enterprise.pk = ids[enterprise.uscc]
            for enterprise in new:
                audit_record(
                    actor=actor,
                    action=AuditLog.Action.CREATE,
                    target=enterprise,
                    fields=UPDATED_FIELDS,
                    note=note,
                    request=request,
                )
            for enterprise, fields in changed:
                audit_record(
                    actor=actor,
                    action=AuditLog.Action.UPDATE,
                    target=enterprise,
                    fields=fields,
                    note=note,
                    request=request,
                )
    except IntegrityError:
        # Someone registered one of these codes between our check and our insert.
        raise _refuse(
            _(
                "The directory changed while the file was being imported, so nothing was "
                "imported. Please try again."
            )
        ) from None
    result.created = len(new)
    result.updated = len(changed)
    return result


# --- what the page and the template file show -------------------------------------------------


def import_vocabulary() -> dict[str, list[str]]:
    """The allowed values of the coded columns, for the import page."""
    return {
        COUNTY: list(counties().values_list("name", flat=True)),
        INDUSTRY_CHAIN: list(
            IndustryChain.objects.filter(is_active=True).values_list("name", flat=True)
        ),
        SIZE: list(SIZE_VALUES),
        LISTING: list(LISTING_VALUES),
    }


EXAMPLE_FIRST17 = "91330802MA2DXK1P0"


def import_template() -> bytes:
    """An .xlsx with the headers, one example row and a sheet of the allowed values."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    vocabulary = import_vocabulary()
    county = counties().first()
    township = (
        Region.objects.filter(parent=county, level=Region.Level.TOWNSHIP).order_by("code").first()
        if county
        else None
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Enterprises")[:31]
    sheet.append([name for name, _required in COLUMNS])
    sheet.append(
        [
            EXAMPLE_FIRST17 + compute_uscc_check(EXAMPLE_FIRST17),
            "衢州示例新材料有限公司",
            county.name if county else "",
            township.name if township else "",
            (vocabulary[INDUSTRY_CHAIN] or [""])[0],
            "中型",
            "未上市",
        ]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", (24, 36, 16, 18, 14, 10, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    # Codes must stay text: Excel would turn an all-digit code into a rounded number.
    for row in range(2, 1002):
        sheet.cell(row=row, column=1).number_format = "@"
    sheet.freeze_panes = "A2"

    allowed = workbook.create_sheet(_("Allowed values")[:31])
    allowed.append(list(vocabulary))
    for cell in allowed[1]:
        cell.font = Font(bold=True)
    longest = max(len(values) for values in vocabulary.values())
    for index in range(longest):
        allowed.append(
            [values[index] if index < len(values) else None for values in vocabulary.values()]
        )

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
