"""The enterprise directory as an import kind (``enterprises.directory``) of ``portal.imports``.

The file is an .xlsx whose first sheet has the Chinese headers of ``COLUMNS`` in row 1 (any
order, extra columns ignored; other headers can be matched on the mapping page) and one
enterprise per row below. A code already in the directory updates that enterprise with the
row's values (``enterprises.services.imports``); a code twice in the same file is an error.
"""

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.models import EnterpriseSize, IndustryChain, ListingStatus
from enterprises.selectors.directory import counties
from enterprises.services.imports import enterprises_import_write
from portal.imports import ImportColumn, ImportKind, cell_text, register_import
from portal.models import Region, Role
from portal.validators import compute_uscc_check, normalize_uscc, validate_uscc

KIND = "enterprises.directory"
IMPORT_ROLES = (Role.DISPATCHER, Role.ADMIN)

USCC = "统一社会信用代码"
NAME = "企业名称"
COUNTY = "所在县(市、区)"
TOWNSHIP = "所在乡镇(街道)"
INDUSTRY_CHAIN = "产业链"
SIZE = "企业规模"
LISTING = "上市情况"

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


class Vocabulary:
    """What the county, township and industry chain cells may say (loaded once per run)."""

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


def _unknown(value: str, allowed) -> ValidationError:
    return ValidationError(
        _("Unknown value “%(value)s”. Allowed values: %(allowed)s.")
        % {"value": value, "allowed": "、".join(allowed)}
    )


def parse_uscc(value, vocabulary) -> str:
    if isinstance(value, float):
        raise ValidationError(
            _("The code was stored as a number, which loses characters; format the column as text.")
        )
    code = normalize_uscc(cell_text(value))
    validate_uscc(code)
    return code


def parse_name(value, vocabulary) -> str:
    name = cell_text(value)
    if len(name) > 200:
        raise ValidationError(
            _("At most 200 characters; this one has %(length)d.") % {"length": len(name)}
        )
    return name


def parse_county(value, vocabulary) -> Region:
    name = cell_text(value)
    if name not in vocabulary.counties:
        raise _unknown(name, vocabulary.counties)
    return vocabulary.counties[name]


def parse_chain(value, vocabulary) -> IndustryChain:
    name = cell_text(value)
    if name not in vocabulary.chains:
        raise _unknown(name, vocabulary.chains)
    return vocabulary.chains[name]


def parse_size(value, vocabulary) -> str:
    text = cell_text(value)
    size = SIZE_VALUES.get(text.removesuffix("企业"))
    if not size:
        raise _unknown(text, SIZE_VALUES)
    return size


def parse_listing(value, vocabulary) -> str:
    text = cell_text(value)
    if text not in LISTING_VALUES:
        raise _unknown(text, LISTING_VALUES)
    return LISTING_VALUES[text]


def check_row(values: dict, vocabulary) -> dict[str, str]:
    """The township lies in the county given; the enterprise is filed under the township, or
    under the county when the cell is empty."""
    county = values.get("county")
    if county is None:
        return {}
    values["region"] = county
    name = values.get("township") or ""
    if not name:
        return {}
    township = vocabulary.townships.get((county.pk, name))
    if township is not None:
        values["region"] = township
        return {}
    allowed = vocabulary.township_names.get(county.pk)
    if allowed:
        return {"township": str(_unknown(name, allowed).messages[0])}
    return {
        "township": _(
            "The townships of %(county)s are not loaded in the portal; leave this "
            "cell empty or ask an administrator to load the region data."
        )
        % {"county": county.name}
    }


# (header, required): the file's vocabulary is Chinese whatever the interface language.
COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn("uscc", USCC, required=True, parse=parse_uscc, aliases=("信用代码",)),
    ImportColumn("name", NAME, required=True, parse=parse_name, aliases=("名称",)),
    ImportColumn("county", COUNTY, required=True, parse=parse_county, aliases=("县(市、区)",)),
    ImportColumn("township", TOWNSHIP, empty="", aliases=("乡镇(街道)",)),
    ImportColumn("industry_chain", INDUSTRY_CHAIN, parse=parse_chain),
    ImportColumn("size", SIZE, parse=parse_size, empty=""),
    ImportColumn("listing_status", LISTING, parse=parse_listing, empty=ListingStatus.UNLISTED),
)


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


def _write(rows, *, actor, note="", request=None):
    return enterprises_import_write(rows, actor=actor, note=note, request=request)


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
    sheet.append([column.header for column in COLUMNS])
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


DIRECTORY = ImportKind(
    label=gettext_lazy("Enterprise directory"),
    columns=COLUMNS,
    write=_write,
    roles=IMPORT_ROLES,
    natural_key=("uscc",),
    duplicate_message=gettext_lazy("The same code is already on row %(row)d."),
    check_row=check_row,
    context=Vocabulary,
    template=import_template,
    template_filename="enterprise-import-template.xlsx",
    help_template="enterprises/directory/_import_help.html",
    help_context=lambda: {"vocabulary": import_vocabulary()},
)
register_import(KIND, DIRECTORY)
