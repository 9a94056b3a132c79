"""Ship Quzhou and its six county-level divisions, so the portal works before `load_regions`.

Codes and names are the National Bureau of Statistics' as of 2023-06-30, the same edition
`load_regions` loads, so a later load finds these rows unchanged.
"""

from django.db import migrations

VINTAGE = 2023
PROVINCE, CITY, COUNTY = 1, 2, 3

ZHEJIANG = ("330000000000", "浙江省")
QUZHOU = ("330800000000", "衢州市")
COUNTIES = [
    ("330802000000", "柯城区"),
    ("330803000000", "衢江区"),
    ("330822000000", "常山县"),
    ("330824000000", "开化县"),
    ("330825000000", "龙游县"),
    ("330881000000", "江山市"),
]


def create_quzhou(apps, schema_editor):
    Region = apps.get_model("portal", "Region")

    def ensure(code, name, level, parent):
        region, _ = Region.objects.get_or_create(
            code=code,
            defaults={"name": name, "level": level, "parent": parent, "vintage": VINTAGE},
        )
        return region

    zhejiang = ensure(*ZHEJIANG, PROVINCE, None)
    quzhou = ensure(*QUZHOU, CITY, zhejiang)
    for code, name in COUNTIES:
        ensure(code, name, COUNTY, quzhou)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    # Reversing keeps the rows: other data may point at them, and they are reference data.
    operations = [migrations.RunPython(create_quzhou, migrations.RunPython.noop)]
