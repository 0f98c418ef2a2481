"""A report's values as plain JSON, and the difference between two such snapshots.

Used by the correction flow: the approved values are kept when a correction unlocks the report,
and reviewers see exactly which values changed before they approve again.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from blkportal.core.formatting import format_number, format_rupiah

from .fields import BATCH_INPUT_FIELDS, REPORT_INPUT_FIELDS
from .lines import LINE_KINDS
from .models import Report, TrainingBatch

SCALAR_FIELDS = [*REPORT_INPUT_FIELDS, "own_income"]
BATCH_FIELDS = BATCH_INPUT_FIELDS


def _show(value) -> str:
    if value is None or value == "":
        return "—"
    if hasattr(value, "isoformat"):
        return value.strftime("%d-%m-%Y")
    return str(value)


def _display(obj, name) -> str:
    getter = getattr(obj, f"get_{name}_display", None)
    value = getattr(obj, name)
    if getter and value:
        return str(getter())
    if name == "kejuruan":
        return str(value)
    if name in ("operating_cost", "own_income") and value not in (None, ""):
        return format_rupiah(value)
    return _show(value)


def batch_dict(batch: TrainingBatch) -> dict:
    data = {name: _display(batch, name) for name in BATCH_FIELDS}
    data["id"] = batch.pk
    return data


def line_text(kind, line) -> str:
    if kind == "partnerships":
        return f"{line.partner_name} ({line.get_partner_type_display()}, MoU {_show(line.mou_date)})"
    if kind == "income_lines":
        return f"{line.get_source_display()}: {format_rupiah(line.amount)} {line.description}".strip()
    if kind == "products":
        units = format_number(line.units_sold)
        return f"{line.name}: {units} unit, {format_rupiah(line.revenue)}, {line.get_channel_display()}"
    return f"{line.get_category_display()}: {line.description} / {line.support_needed}".strip(" /")


def report_snapshot(report: Report, batches=None) -> dict:
    """Everything a reviewer approves: scalar values, child rows, and the batches of the month."""
    from .rules import batches_in_month

    batches = batches if batches is not None else batches_in_month(report.centre, report.period)
    return {
        "fields": {name: _display(report, name) for name in SCALAR_FIELDS},
        "lines": {
            kind.related: sorted(line_text(kind.related, line) for line in getattr(report, kind.related).all())
            for kind in LINE_KINDS.values()
        },
        "batches": [batch_dict(b) for b in batches],
    }


def field_label(name: str) -> str:
    label = str(Report._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def display_value(name: str, value, centre=None) -> str:
    """A stored value of a Report field as a person reads it (choice label, Rp grouping, date; a
    moment in the centre's own time with its zone, e.g. "02-12-2026 09:05 WIB")."""
    if value is None or value == "":
        return "—"
    field = Report._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if getattr(field, "decimal_places", None) == 0:
        return format_rupiah(value)
    if hasattr(value, "hour"):
        if centre is not None and timezone.is_aware(value):
            local = timezone.localtime(value, centre.tz)
            return f"{local:%d-%m-%Y %H:%M} {centre.province.get_timezone_display()}"
        return value.strftime("%d-%m-%Y %H:%M")
    if hasattr(value, "strftime"):
        return value.strftime("%d-%m-%Y")
    return str(value)


def snapshot_diff(old: dict, new: dict) -> list[dict]:
    """Rows {section, label, old, new} for every value that differs."""
    rows = []
    for name in SCALAR_FIELDS:
        before, after = old.get("fields", {}).get(name, "—"), new.get("fields", {}).get(name, "—")
        if before != after:
            rows.append({"section": _("Isian"), "label": field_label(name), "old": before, "new": after})
    for kind, label in ((k.related, k.label) for k in LINE_KINDS.values()):
        before = set(old.get("lines", {}).get(kind, []))
        after = set(new.get("lines", {}).get(kind, []))
        for text in sorted(before - after):
            rows.append({"section": str(label), "label": _("dihapus"), "old": text, "new": "—"})
        for text in sorted(after - before):
            rows.append({"section": str(label), "label": _("ditambah"), "old": "—", "new": text})
    old_batches = {b["id"]: b for b in old.get("batches", [])}
    new_batches = {b["id"]: b for b in new.get("batches", [])}
    for pk in sorted(set(old_batches) | set(new_batches)):
        before, after = old_batches.get(pk), new_batches.get(pk)
        name = (after or before)["program_name"]
        section = _("Angkatan “%(name)s”") % {"name": name}
        if before is None or after is None:
            rows.append(
                {
                    "section": section,
                    "label": _("angkatan"),
                    "old": "—" if before is None else _("ada"),
                    "new": "—" if after is None else _("ada"),
                }
            )
            continue
        for field in BATCH_FIELDS:
            if before.get(field) != after.get(field):
                verbose = str(TrainingBatch._meta.get_field(field).verbose_name)
                rows.append({"section": section, "label": verbose, "old": before.get(field), "new": after.get(field)})
    return rows
