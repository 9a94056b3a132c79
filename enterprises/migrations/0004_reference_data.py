"""Default industry chains and appeal categories (admins edit them later), and, on PostgreSQL,
a trigger that keeps the appeal timeline append-only even against raw SQL."""

from django.db import migrations

from enterprises.reference import ensure_reference_data

APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION enterprises_appealevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'appeal events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER enterprises_appealevent_append_only
    BEFORE UPDATE OR DELETE ON enterprises_appealevent
    FOR EACH ROW EXECUTE FUNCTION enterprises_appealevent_append_only();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS enterprises_appealevent_append_only ON enterprises_appealevent;
DROP FUNCTION IF EXISTS enterprises_appealevent_append_only();
"""


def seed(apps, schema_editor):
    ensure_reference_data(
        apps.get_model("enterprises", "IndustryChain"),
        apps.get_model("enterprises", "AppealCategory"),
    )


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL)


def drop_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0003_appeals")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(append_only, drop_append_only),
    ]
