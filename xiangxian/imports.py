"""The registry's people as an import kind (``xiangxian.people``) of ``portal.imports``.

One person per row, under the Chinese headers of ``COLUMNS`` (any order; other headers can be
matched on the mapping page). Each row is checked as the form checks a person
(``xiangxian_clean``), and is refused when it may repeat a person already in the registry or a
row above it (same ID number, same mobile number, or same name, year of birth and hometown):
the reason names the record or row. The checked rows are entered through ``xiangxian_create``,
so hashes, audit rows and tags are the same as when entered on the page. Nothing is updated: a
person already there is changed on their page.
"""

from __future__ import annotations

import io
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.imports import ImportColumn, ImportKind, WriteCounts, cell_text, refuse, register_import
from portal.models import Region, Tag
from xiangxian.models import PROVINCES, Gender, Referral, Sector
from xiangxian.models.people import HOME_CITY_NAMES, HOME_PROVINCE
from xiangxian.selectors import EDITOR_ROLES
from xiangxian.services import DuplicateSuspected, duplicates_of, xiangxian_clean, xiangxian_create

KIND = "xiangxian.people"

GENDER_VALUES = {"男": Gender.MALE, "女": Gender.FEMALE}
REFERRAL_VALUES = {
    "商会": Referral.CHAMBER,
    "乡贤会": Referral.ASSOCIATION,
    "村": Referral.VILLAGE,
    "自荐": Referral.SELF,
    "线上": Referral.ONLINE,
}
YES_VALUES = {"是", "y", "yes", "true", "1", "√", "重点"}
NO_VALUES = {"否", "n", "no", "false", "0", ""}
# What a hometown or tag cell may separate its parts with.
SEPARATORS = re.compile(r"[\s/\\>|,，、;；·\-]+")
TAG_SEPARATORS = re.compile(r"[,，、;；\n]+")


class Vocabulary:
    """What the coded cells may say, loaded once per run, and the people seen so far in the
    file (so a person twice in one file is found on the second row)."""

    def __init__(self):
        self.sectors = {sector.name: sector for sector in Sector.objects.filter(is_active=True)}
        self.tags: dict[str, list[Tag]] = {}
        for tag in Tag.objects.select_related("category"):
            self.tags.setdefault(tag.name, []).append(tag)
            self.tags.setdefault(f"{tag.category.name}:{tag.name}", []).append(tag)
        self.regions: dict[str, Region | ValidationError] = {}
        self.seen: dict[tuple, str] = {}


def _unknown(value: str, allowed) -> ValidationError:
    return ValidationError(
        _("Unknown value “%(value)s”. Allowed values: %(allowed)s.")
        % {"value": value, "allowed": "、".join(allowed)}
    )


def _text(value) -> str:
    # A whole number typed into a cell Excel keeps as a number (a year, a phone) reads as
    # digits, not as "1968.0".
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return cell_text(value)


def parse_gender(value, vocabulary) -> str:
    text = _text(value)
    if text in GENDER_VALUES:
        return GENDER_VALUES[text]
    if text.lower() in Gender.values:
        return text.lower()
    raise _unknown(text, GENDER_VALUES)


def parse_birth_year(value, vocabulary) -> str:
    text = _text(value).removesuffix("年")
    if not re.fullmatch(r"[0-9]{4}", text):
        raise ValidationError(_("Enter the year of birth as four digits, e.g. 1968."))
    return text


def _path_of(region: Region) -> list[str]:
    names = []
    while region is not None:
        names.append(region.name)
        region = region.parent
    return names[::-1]


def _region_by_names(text: str) -> Region:
    """The region a name path points at: its own name, preceded by as many of its ancestors'
    names as the cell gives (衢州市江山市, 江山市, 浙江省/衢州市/江山市 …)."""
    joined = "".join(SEPARATORS.split(text))
    suffixes = {joined[start:] for start in range(len(joined))}
    candidates = (
        Region.objects.filter(name__in=suffixes)
        .select_related("parent__parent__parent__parent")
        .order_by("level", "code")[:50]
    )
    matches = []
    for region in candidates:
        path = _path_of(region)
        if any("".join(path[start:]) == joined for start in range(len(path))):
            matches.append(region)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise ValidationError(
            _(
                "No region is called “%(value)s”. Write the county, township or village with the "
                "names above it (e.g. 江山市大陈乡), or give its 12-digit statistical code."
            )
            % {"value": text}
        )
    raise ValidationError(
        _("“%(value)s” names more than one region (%(codes)s); give its 12-digit code.")
        % {"value": text, "codes": "、".join(region.code for region in matches[:5])}
    )


def parse_hometown(value, vocabulary) -> Region:
    """A region's statistical code (12 digits, or 6 for a county), or its name path."""
    text = _text(value)
    if text not in vocabulary.regions:
        try:
            if text.isdigit():
                code = text.ljust(12, "0") if len(text) in (6, 9) else text
                region = Region.objects.filter(code=code).first()
                if region is None:
                    raise ValidationError(_("No region has the code %(code)s.") % {"code": text})
            else:
                region = _region_by_names(text)
            if region.level < Region.Level.COUNTY:
                raise ValidationError(
                    _("Give the hometown down to the county at least (e.g. 江山市).")
                )
            vocabulary.regions[text] = region
        except ValidationError as exc:
            vocabulary.regions[text] = exc
    found = vocabulary.regions[text]
    if isinstance(found, ValidationError):
        raise found
    return found


def parse_province(value, vocabulary) -> str:
    text = _text(value)
    if text in PROVINCES:
        return text
    # 上海 → 上海市, 广西 → 广西壮族自治区: a province named without its suffix.
    matches = [name for name in PROVINCES if name.startswith(text)] if len(text) >= 2 else []
    if len(matches) == 1:
        return matches[0]
    raise ValidationError(
        _("Unknown province “%(value)s”. Write it as 上海市, 广东省 or 广西壮族自治区.")
        % {"value": text}
    )


def parse_sector(value, vocabulary) -> Sector:
    text = _text(value)
    if text not in vocabulary.sectors:
        raise _unknown(text, vocabulary.sectors)
    return vocabulary.sectors[text]


def parse_phone(value, vocabulary) -> str:
    return _text(value)


def parse_id_number(value, vocabulary) -> str:
    if isinstance(value, float | int):
        raise ValidationError(
            _(
                "The ID number was stored as a number, which loses digits; format the column "
                "as text."
            )
        )
    return _text(value)


def parse_referral(value, vocabulary) -> str:
    text = _text(value)
    if text in REFERRAL_VALUES:
        return REFERRAL_VALUES[text]
    if text in Referral.values:
        return text
    raise _unknown(text, REFERRAL_VALUES)


def parse_flag(value, vocabulary) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in YES_VALUES:
        return True
    if text in NO_VALUES:
        return False
    raise _unknown(_text(value), ("是", "否"))


def parse_tags(value, vocabulary) -> list[int]:
    ids, unknown, ambiguous = [], [], []
    for name in (part.strip() for part in TAG_SEPARATORS.split(_text(value))):
        if not name:
            continue
        name = re.sub(r"\s*[:：]\s*", ":", name)
        tags = vocabulary.tags.get(name, [])
        if not tags:
            unknown.append(name)
        elif len(tags) > 1:
            ambiguous.append(name)
        elif tags[0].pk not in ids:
            ids.append(tags[0].pk)
    if unknown:
        raise ValidationError(
            _("Unknown tags: %(tags)s. Use the tags kept in the portal.")
            % {"tags": "、".join(unknown)}
        )
    if ambiguous:
        raise ValidationError(
            _("The tags %(tags)s are in more than one category; write them as category:tag.")
            % {"tags": "、".join(ambiguous)}
        )
    return ids


def _dedup_keys(cleaned: dict) -> list[tuple]:
    keys = []
    if cleaned["id_number"]:
        keys.append(("id_number", cleaned["id_number"]))
    if cleaned["phone"]:
        keys.append(("phone", cleaned["phone"]))
    if cleaned["birth_year"] and cleaned["hometown"]:
        keys.append(("person", cleaned["name"], cleaned["birth_year"], cleaned["hometown"].pk))
    return keys


def check_row(values: dict, vocabulary) -> dict[str, str]:
    """The row as a person's record (every field's problem at once), then the people it may
    repeat: in the registry (naming the record) or on a row above."""
    data = {key: value for key, value in values.items() if key != "tags"}
    if any(data.get(key) is None for key in ("hometown", "sector")):
        return {}  # the cell's own error is reported; the rest would only repeat it
    try:
        cleaned = xiangxian_clean(data=data)
    except ValidationError as exc:
        return {key: " ".join(messages) for key, messages in exc.message_dict.items()}
    values.update(cleaned)
    duplicates = duplicates_of(
        name=cleaned["name"],
        birth_year=cleaned["birth_year"],
        hometown=cleaned["hometown"],
        phone=cleaned["phone"],
        id_number=cleaned["id_number"],
    )
    if duplicates:
        first = duplicates[0]
        column = (
            "id_number"
            if _("same ID number") in first.reasons
            else "phone"
            if _("same mobile number") in first.reasons
            else "name"
        )
        return {
            column: _(
                "May already be in the registry as #%(id)s %(name)s (%(hometown)s, "
                "%(reasons)s); open that record instead of importing this row."
            )
            % {
                "id": first.person.pk,
                "name": first.person.name,
                "hometown": first.person.hometown.name,
                "reasons": "、".join(first.reasons),
            }
            + (
                _(" Also possible: %(others)s.")
                % {"others": "、".join(f"#{d.person.pk} {d.person.name}" for d in duplicates[1:])}
                if len(duplicates) > 1
                else ""
            )
        }
    keys = _dedup_keys(cleaned)
    for key in keys:
        if key in vocabulary.seen:
            return {
                {"id_number": "id_number", "phone": "phone"}.get(key[0], "name"): _(
                    "Repeats %(name)s on a row above (the same %(what)s)."
                )
                % {
                    "name": vocabulary.seen[key],
                    "what": {"id_number": _("ID number"), "phone": _("mobile number")}.get(
                        key[0], _("name, year of birth and hometown")
                    ),
                }
            }
    # Only a row without a bad cell is one that later rows can repeat.
    if all(column.key in values for column in COLUMNS):
        for key in keys:
            vocabulary.seen[key] = cleaned["name"]
    return {}


def people_import_write(rows: list[dict], *, actor, note: str = "", request=None) -> WriteCounts:
    """Enter every checked row through ``xiangxian_create`` (hashes, audit rows and tags as on
    the page). A person a colleague entered since the check refuses the batch (nothing of it
    is kept) with the person's name."""
    for row in rows:
        data = {key: value for key, value in row.items() if key != "tags"}
        try:
            xiangxian_create(actor=actor, data=data, tags=row.get("tags") or ())
        except DuplicateSuspected as exc:
            raise refuse(
                _(
                    "%(name)s was entered by someone else while the file was being imported "
                    "(#%(id)s). Check the rows again and import them once more."
                )
                % {"name": row["name"], "id": exc.candidates[0].person.pk}
            ) from None
        except ValidationError as exc:
            raise refuse(
                _("%(name)s could not be entered: %(reason)s")
                % {"name": row["name"], "reason": " ".join(exc.messages)}
            ) from None
    return WriteCounts(created=len(rows))


COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn("name", "姓名", required=True, aliases=("名字",)),
    ImportColumn("gender", "性别", parse=parse_gender, empty=""),
    ImportColumn("birth_year", "出生年份", parse=parse_birth_year, aliases=("出生年",)),
    ImportColumn("hometown", "籍贯", required=True, parse=parse_hometown, aliases=("家乡",)),
    ImportColumn(
        "residence_province", "现居省份", parse=parse_province, empty="", aliases=("居住省份",)
    ),
    ImportColumn("residence_city", "现居城市", empty="", aliases=("居住城市",)),
    ImportColumn("abroad", "海外国家或地区", empty="", aliases=("海外", "国外")),
    ImportColumn("sector", "领域", required=True, parse=parse_sector),
    ImportColumn("organisation", "单位", empty="", aliases=("工作单位",)),
    ImportColumn("title", "职务", empty="", aliases=("职称",)),
    ImportColumn("honours", "荣誉", empty="", aliases=("荣誉称号",)),
    ImportColumn("phone", "手机号", parse=parse_phone, empty="", aliases=("手机", "电话")),
    ImportColumn("id_number", "身份证号", parse=parse_id_number, empty="", aliases=("身份证",)),
    ImportColumn("referral", "推荐来源", parse=parse_referral, empty="", aliases=("来源",)),
    ImportColumn("is_key", "重点人士", parse=parse_flag, empty=False, aliases=("重点",)),
    ImportColumn("tags", "标签", parse=parse_tags, empty=()),
    ImportColumn("notes", "备注", empty=""),
)


def import_vocabulary() -> dict[str, list[str]]:
    """The allowed values of the coded columns, for the import page and the template."""
    return {
        "领域": list(Sector.objects.filter(is_active=True).values_list("name", flat=True)),
        "性别": list(GENDER_VALUES),
        "推荐来源": list(REFERRAL_VALUES),
        "重点人士": ["是", "否"],
        "现居省份": list(PROVINCES),
    }


def import_template() -> bytes:
    """An .xlsx with the headers, one example row and a sheet of the allowed values."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    vocabulary = import_vocabulary()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "新乡贤"
    sheet.append([column.header for column in COLUMNS])
    sheet.append(
        [
            "徐示例",
            "男",
            1968,
            "衢州市江山市",
            "上海市",
            "上海市",
            "",
            (vocabulary["领域"] or [""])[0],
            "示例医院",
            "主任医师",
            "",
            "",
            "",
            "乡贤会",
            "否",
            "",
            "",
        ]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    # Phone and ID numbers must stay text: Excel would round an 18-digit number.
    for row in range(2, 1002):
        for column in (12, 13):
            sheet.cell(row=row, column=column).number_format = "@"
    sheet.freeze_panes = "A2"
    allowed = workbook.create_sheet("可选值")
    allowed.append(list(vocabulary))
    longest = max(len(values) for values in vocabulary.values())
    for index in range(longest):
        allowed.append(
            [values[index] if index < len(values) else None for values in vocabulary.values()]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _help_context() -> dict:
    return {
        "vocabulary": {k: v for k, v in import_vocabulary().items() if k != "现居省份"},
        "home": f"{HOME_PROVINCE}{HOME_CITY_NAMES[0]}",
    }


PEOPLE = ImportKind(
    label=gettext_lazy("Xiangxian (新乡贤)"),
    columns=COLUMNS,
    write=people_import_write,
    roles=EDITOR_ROLES,
    check_row=check_row,
    context=Vocabulary,
    template=import_template,
    template_filename="xiangxian-import-template.xlsx",
    help_template="xiangxian/_import_help.html",
    help_context=_help_context,
)
register_import(KIND, PEOPLE)
