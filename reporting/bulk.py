"""Fast inserts for demo data at national scale (seed_demo --centres 2127 --months 60).

bulk_create spends most of its time preparing values field by field through model instances; for
hundreds of thousands of demo rows this goes straight to executemany with each column's adapter
chosen once. Only for trusted, generated rows: no validation, no signals, no history.
"""

from __future__ import annotations

from django.db import connection, models
from django.utils import timezone

CHUNK = 5000


def _adapter(field):
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return lambda v: None if v is None else ops.adapt_datetimefield_value(v)
    if isinstance(field, models.DateField):
        return lambda v: None if v is None else ops.adapt_datefield_value(v)
    if isinstance(field, models.DecimalField):
        return lambda v: None if v is None else ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
    if isinstance(field, models.JSONField):
        return lambda v: field.get_db_prep_save(v, connection)
    return None


def insert_rows(model, rows: list[dict]) -> int:
    """Insert dicts keyed by attname (e.g. "centre_id"); missing columns take the field default."""
    if not rows:
        return 0
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    plan = []
    for field in fields:
        adapt = _adapter(field)
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            default = now
        elif field.has_default():
            default = field.get_default()
        else:
            default = None if field.null else ("" if isinstance(field, (models.CharField, models.TextField)) else None)
        default = adapt(default) if adapt else default
        plan.append((field.attname, adapt, default))
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    params = []
    for row in rows:
        values = []
        for name, adapt, default in plan:
            if name in row:
                value = row[name]
                values.append(adapt(value) if adapt else value)
            else:
                values.append(default)
        params.append(values)
    with connection.cursor() as cursor:
        for start in range(0, len(params), CHUNK):
            cursor.executemany(sql, params[start : start + CHUNK])
    return len(params)
