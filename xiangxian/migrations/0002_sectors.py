"""The sectors the registry starts with (DESIGN §1); administrators may add, rename or retire."""

from django.db import migrations

SECTORS = ("医卫", "商界", "科教", "文化", "法律", "金融", "其他")


def add_sectors(apps, schema_editor):
    Sector = apps.get_model("xiangxian", "Sector")
    for order, name in enumerate(SECTORS, start=1):
        Sector.objects.get_or_create(name=name, defaults={"sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("xiangxian", "0001_registry")]

    operations = [migrations.RunPython(add_sectors, migrations.RunPython.noop)]
