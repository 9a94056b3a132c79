"""On PostgreSQL, trigram indexes make the search boxes (``icontains`` on appeal titles and
enterprise names) use an index instead of scanning 10^6 rows. Elsewhere this does nothing.

Django's ``icontains`` compares ``UPPER(column)``, so the indexes are on that expression.
Without the right to create the extension the portal still works, only slower to search.
"""

from django.db import migrations

FORWARD = """
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'pg_trgm is not available: search boxes will scan';
END
$$;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX IF NOT EXISTS appeal_title_trgm
            ON enterprises_appeal USING gin (UPPER(title) gin_trgm_ops);
        CREATE INDEX IF NOT EXISTS enterprise_name_trgm
            ON enterprises_enterprise USING gin (UPPER(name) gin_trgm_ops);
    END IF;
END
$$;
"""
BACKWARD = """
DROP INDEX IF EXISTS appeal_title_trgm;
DROP INDEX IF EXISTS enterprise_name_trgm;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0004_reference_data")]

    operations = [migrations.RunPython(forward, backward)]
