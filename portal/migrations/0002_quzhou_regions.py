"""Ship Zhejiang, Quzhou and its six county-level divisions, so the portal works before
`load_regions`. Codes and names are the National Bureau of Statistics' as of 2023-06-30, the same
edition `load_regions` loads, so a later load finds these rows unchanged.
"""

from django.db import migrations


def create_quzhou(apps, schema_editor):
    from portal.regions import ensure_built_in_regions

    ensure_built_in_regions(apps.get_model("portal", "Region"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    # Reversing keeps the rows: other data may point at them, and they are reference data.
    operations = [migrations.RunPython(create_quzhou, migrations.RunPython.noop)]
