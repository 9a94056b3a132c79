"""The screening as an export kind (``xiangxian.people``), registered at start-up.

The rows are the screening list's: its scope (``Xiangxian.objects.visible_to``) and criteria
(``ScreeningForm``), read as plain values in chunks with one query of tags per chunk. Phone
numbers are masked in the file whoever exports it: a spreadsheet travels.
"""

from itertools import islice

from django.contrib.contenttypes.models import ContentType

from portal.exports import Column, Export, ExportParamsInvalid, Sheet, register_export
from portal.masking import mask_mobile
from portal.models import TaggedItem
from xiangxian.models import Gender, Referral, Xiangxian
from xiangxian.models.people import residence_text

KIND = "xiangxian.people"
CHUNK_SIZE = 2_000
YES = "是"

COLUMNS = (
    Column("姓名", 12),
    Column("性别", 6),
    Column("出生年份", 9, "number"),
    Column("籍贯", 24),
    Column("现居地", 20),
    Column("寓外", 6),
    Column("领域", 8),
    Column("单位", 30),
    Column("职务", 16),
    Column("荣誉", 16),
    Column("手机号", 14),
    Column("推荐来源", 10),
    Column("重点人士", 8),
    Column("标签", 30),
)
FIELDS = (
    "pk",
    "name",
    "gender",
    "birth_year",
    "hometown__name",
    "hometown__parent__name",
    "residence_province",
    "residence_city",
    "abroad",
    "away",
    "sector__name",
    "organisation",
    "title",
    "honours",
    "phone",
    "referral",
    "is_key",
)


def screened(params, user):
    from xiangxian.forms import ScreeningForm
    from xiangxian.selectors import screen

    form = ScreeningForm(params or None)
    if form.is_bound and not form.is_valid():
        raise ExportParamsInvalid("Check the criteria.")
    return screen(user, form.screening())


def _tags(pks: list[int]) -> dict[int, str]:
    items = (
        TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Xiangxian),
            object_id__in=[str(pk) for pk in pks],
        )
        .order_by("tag__category__order", "tag__name")
        .values_list("object_id", "tag__name")
    )
    names: dict[int, list[str]] = {}
    for object_id, name in items:
        names.setdefault(int(object_id), []).append(name)
    return {pk: "、".join(tags) for pk, tags in names.items()}


def rows(queryset):
    genders = {value: str(label) for value, label in Gender.choices}
    referrals = {value: str(label) for value, label in Referral.choices}
    values = queryset.values_list(*FIELDS).iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(values, CHUNK_SIZE)):
        tags = _tags([row[0] for row in chunk])
        for (
            pk,
            name,
            gender,
            birth_year,
            hometown,
            hometown_parent,
            province,
            city,
            abroad,
            away,
            sector,
            organisation,
            title,
            honours,
            phone,
            referral,
            is_key,
        ) in chunk:
            yield (
                name,
                genders.get(gender, ""),
                birth_year,
                f"{hometown_parent or ''}{hometown}",
                residence_text(province, city, abroad),
                YES if away else "",
                sector,
                organisation,
                title,
                honours,
                mask_mobile(phone),
                referrals.get(referral, ""),
                YES if is_key else "",
                tags.get(pk, ""),
            )


def people_export(params, user) -> Export:
    queryset = screened(params, user)
    return Export("新乡贤名录.xlsx", [Sheet("新乡贤", COLUMNS, rows(queryset))], queryset.count())


register_export(KIND, people_export)
