from django.db import migrations


def load(apps, schema_editor):
    from nonparty.universities import load_universities

    load_universities(apps.get_model("nonparty", "University"))


class Migration(migrations.Migration):
    dependencies = [("nonparty", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
