"""A report's values as comparable items, on the server and in an uploaded file.

An item is what an upload changes as one piece, with the key the marker's digests use:
"f.<field>" for each value of sections B and C, "l.<kind>" for each line section as a whole
(its rows, in any order) and "b.<id>" for the counts of each training batch. Values are compared as
canonical text, so "2500000", Decimal("2500000") and 2500000 are the same and a file read back
unchanged changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ..fields import BATCH_COUNT_FIELDS, REPORT_INPUT_FIELDS
from ..lines import LINE_KINDS
from ..models import TrainingBatch
from ..snapshot import display_value, line_text


def canon(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
        return str(int(number)) if number == number.to_integral_value() else format(number.normalize(), "f")
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def digest(value) -> str:
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def line_row(kind: str, values) -> list[str]:
    """One line as canonical text per field; `values` is a model instance or a dict."""
    get = values.get if isinstance(values, dict) else lambda name: getattr(values, name)
    return [canon(get(name)) for name in LINE_KINDS[kind].fields]


def batch_item(batch: TrainingBatch) -> list[str]:
    return [canon(getattr(batch, name)) for name in BATCH_COUNT_FIELDS]


def server_items(report, batches: Iterable[TrainingBatch]) -> dict[str, object]:
    items: dict[str, object] = {f"f.{name}": canon(getattr(report, name)) for name in REPORT_INPUT_FIELDS}
    for kind in LINE_KINDS.values():
        items[f"l.{kind.key}"] = sorted(line_row(kind.key, line) for line in getattr(report, kind.related).all())
    for batch in batches:
        items[f"b.{batch.pk}"] = batch_item(batch)
    return items


@dataclass(frozen=True)
class Change:
    """One item that differs between the portal and the file, for the manager to choose."""

    key: str
    label: str
    server: list[str]
    file: list[str]
    file_changed: bool  # the file changed it too since it was downloaded (else only the portal did)
    ref: str  # where it is in the file


def _batch_texts(values: list[str], other: list[str]) -> list[str]:
    """The counts of a batch that differ from `other`, as "Lulus: 14"."""
    texts = []
    for name, value, then in zip(BATCH_COUNT_FIELDS, values, other, strict=True):
        if value != then:
            label = str(TrainingBatch._meta.get_field(name).verbose_name)
            texts.append(f"{label[:1].upper()}{label[1:]}: {value or '—'}")
    return texts


def _describe(key: str, report, reading, batches: dict[int, TrainingBatch], side: str) -> list[str]:
    kind, _dot, name = key.partition(".")
    if kind == "f":
        value = getattr(report, name) if side == "server" else reading.fields.get(name)
        return [display_value(name, value)]
    if kind == "l":
        line_kind = LINE_KINDS[name]
        if side == "server":
            rows = list(getattr(report, line_kind.related).all())
        else:
            rows = [line_kind.model(**cleaned) for _row, cleaned in reading.lines.get(name, [])]
        return [line_text(line_kind.related, row) for row in rows] or [_("(tidak ada baris)")]
    server, file = batch_item(batches[int(name)]), reading.items[key]
    return _batch_texts(server, file) if side == "server" else _batch_texts(file, server)


def _label(key: str, reading, batches) -> str:
    from .layout import column_for

    kind, _dot, name = key.partition(".")
    if kind == "f":
        from ..forms import ReportForm

        return column_for(name, ReportForm().fields[name]).label
    if kind == "l":
        return str(LINE_KINDS[name].label)
    return _("Angkatan “%(name)s”") % {"name": batches[int(name)].program_name}


def batches_of(report, reading) -> dict[int, TrainingBatch]:
    """The batches the file lists, as the portal has them now (only the centre's own)."""
    qs = TrainingBatch.objects.filter(centre_id=report.centre_id, pk__in=list(reading.batches))
    return {b.pk: b for b in qs.select_related("kejuruan")}


def portal_now(report, reading) -> tuple[dict[int, TrainingBatch], dict[str, object]]:
    """The batches the file lists and every item, as the portal has them now: read once per upload
    and passed to conflicts_between, changed_items and fingerprint."""
    batches = batches_of(report, reading)
    return batches, server_items(report, batches.values())


def conflicts_between(reading, report, batches: dict[int, TrainingBatch], server: dict[str, object]) -> list[Change]:
    """Items someone changed on the portal since the file was downloaded, where the file now says
    something else. Items only the file changed are not conflicts: they simply apply. `batches` and
    `server` come from portal_now."""
    found = []
    for key, value in reading.items.items():
        now = server.get(key)
        if now == value:
            continue
        then = reading.marker.digests.get(key)
        if then is not None and digest(now) == then:
            continue
        found.append(
            Change(
                key=key,
                label=_label(key, reading, batches),
                server=_describe(key, report, reading, batches, "server"),
                file=_describe(key, report, reading, batches, "file"),
                file_changed=then is None or digest(value) != then,
                ref=reading.refs.get(key, ""),
            )
        )
    return found


def changed_items(reading, server: dict[str, object]) -> set[str]:
    """Keys whose value in the file differs from the portal's now (`server`, from portal_now)."""
    return {key for key, value in reading.items.items() if server.get(key) != value}


def fingerprint(changes: list[Change], server: dict[str, object]) -> str:
    """What the manager chose between: the conflicting items and the portal's values of them
    (`server`, from portal_now). If it differs when the choice comes back, the portal changed again
    meanwhile."""
    return digest([[c.key, digest(server.get(c.key))] for c in changes])
