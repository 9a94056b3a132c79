"""On PostgreSQL, indexes that keep the screening list (乡贤通) under 100 ms at 10^5 people
(bench/xiangxian.py). Elsewhere this does nothing.

- ``xiangxian_screen_keys``: the current records' sector, 寓外, key flag, hometown and id, so
  that the paginator's count of a screened list (and the join with tags and regions) is an
  index-only scan of a few MB instead of a scan of the table's rows with their encrypted numbers.
- ``xiangxian_screen_text``: name and id in the list's order with organisation, title and
  honours included, for a text of one or two characters (a given name: 明远), which no trigram
  can match: the count and the page's keys read it index-only.
- ``xiangxian_*_trgm``: trigram indexes for a text of three characters or more; Django's
  ``contains`` is ``LIKE '%…%'`` on ``column::text``, which they answer.

Without the right to create pg_trgm the trigram indexes are skipped: the portal still works, a
long text only scans.
"""

from django.db import migrations

FORWARD = """
CREATE INDEX IF NOT EXISTS xiangxian_screen_keys ON xiangxian_xiangxian
    (sector_id, away, is_key, hometown_id, id) WHERE merged_into_id IS NULL;
CREATE INDEX IF NOT EXISTS xiangxian_screen_text ON xiangxian_xiangxian
    (name, id) INCLUDE (organisation, title, honours) WHERE merged_into_id IS NULL;
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'pg_trgm is not available: the screening''s text search will scan';
END
$$;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX IF NOT EXISTS xiangxian_name_trgm ON xiangxian_xiangxian
            USING gin (name gin_trgm_ops) WHERE merged_into_id IS NULL;
        CREATE INDEX IF NOT EXISTS xiangxian_organisation_trgm ON xiangxian_xiangxian
            USING gin (organisation gin_trgm_ops) WHERE merged_into_id IS NULL;
        CREATE INDEX IF NOT EXISTS xiangxian_title_trgm ON xiangxian_xiangxian
            USING gin (title gin_trgm_ops) WHERE merged_into_id IS NULL;
        CREATE INDEX IF NOT EXISTS xiangxian_honours_trgm ON xiangxian_xiangxian
            USING gin (honours gin_trgm_ops) WHERE merged_into_id IS NULL;
    END IF;
END
$$;
"""
BACKWARD = """
DROP INDEX IF EXISTS xiangxian_screen_keys;
DROP INDEX IF EXISTS xiangxian_screen_text;
DROP INDEX IF EXISTS xiangxian_name_trgm;
DROP INDEX IF EXISTS xiangxian_organisation_trgm;
DROP INDEX IF EXISTS xiangxian_title_trgm;
DROP INDEX IF EXISTS xiangxian_honours_trgm;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("xiangxian", "0005_service_catalogue")]

    operations = [migrations.RunPython(forward, backward)]
