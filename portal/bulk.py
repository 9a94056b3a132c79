"""Writing many rows at once where the ORM's per-value work costs more than the database's.

``bulk_create`` prepares every value of every row through its field, which for tens of
thousands of rows (the deadline sweep's notifications, deliveries and reminders) takes longer
than PostgreSQL takes to insert them. ``insert_rows`` sends plain values for the column types
the driver adapts itself and prepares only the others (JSON, encrypted text). Elsewhere it is
``bulk_create``.
"""

from collections.abc import Sequence

from django.db import connection, models

ROWS_PER_STATEMENT = 1000
# Fields whose Python value psycopg2 adapts as it is.
PLAIN = (
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.CharField,
    models.DateField,  # DateTimeField too (a subclass)
    models.ForeignKey,
    models.IntegerField,  # the small, big and positive ones too
    models.TextField,
)


def is_plain(field: models.Field) -> bool:
    """A value the driver adapts as it is: one of Django's own simple fields. A project's field
    built on them (an encrypted text field) always goes through its own preparation."""
    return isinstance(field, PLAIN) and type(field).__module__.startswith("django.db.models.")


def insert_rows(
    objs: Sequence[models.Model], *, skip_conflicts: bool = False, returning: Sequence[str] = ()
) -> list[tuple]:
    """INSERT ``objs`` (all of one model, primary keys unset) and return the ``returning``
    columns of the rows inserted, in order (rows skipped on a conflict return nothing).

    Default values must already be on the objects (this does not call ``pre_save``).
    """
    if not objs:
        return []
    model = type(objs[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, ignore_conflicts=skip_conflicts)
        if not returning or skip_conflicts:
            return []
        return [tuple(getattr(obj, name) for name in returning) for obj in objs]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = " ON CONFLICT DO NOTHING" if skip_conflicts else ""
    if returning:
        tail += " RETURNING " + ", ".join(quote(model._meta.get_field(n).column) for n in returning)
    getters = [
        (lambda obj, a=f.attname: getattr(obj, a))
        if is_plain(f)
        else (lambda obj, f=f: f.get_db_prep_save(getattr(obj, f.attname), connection))
        for f in fields
    ]
    table = quote(model._meta.db_table)
    returned: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(objs), ROWS_PER_STATEMENT):
            chunk = objs[start : start + ROWS_PER_STATEMENT]
            params = [get(obj) for obj in chunk for get in getters]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(chunk))}{tail}",
                params,
            )
            if returning:
                returned.extend(cursor.fetchall())
    return returned
