"""Monthly reports for a period range, every field of the report (section totals included)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blkportal.core.months import parse_month
from reporting.lines import LINE_KINDS
from reporting.models import EvidenceFile, Report

from .base import CHUNK_SIZE, Column, Exporter, Sheet, to_local

# Kept out on purpose: the submitted copy of section A (exported in full by the "batches" kind)
# and the optimistic-locking counter, which means nothing to a reader.
SKIP_FIELDS = {"batches_snapshot", "version"}
CENTRE_COLUMNS = [
    ("centre__reg_code", gettext_lazy("Kode BLK"), 16),
    ("centre__name", gettext_lazy("Nama BLK"), 30),
    ("centre__province__name", gettext_lazy("Provinsi"), 18),
    ("centre__regency__name", gettext_lazy("Kabupaten/kota"), 20),
    ("centre__cohort_year", gettext_lazy("Tahun dibangun"), 10),
]


def _field_spec(field: models.Field):
    """(lookup, Column, converter kind) for one concrete field of Report."""
    header = str(field.verbose_name)
    header = header[:1].upper() + header[1:]
    if isinstance(field, models.ForeignKey):
        if field.related_model._meta.label == settings.AUTH_USER_MODEL:
            return f"{field.name}__username", Column(f"{header} ({_('pengguna')})", "text", 16), "text"
        return None  # the centre is expanded into CENTRE_COLUMNS
    if field.primary_key:
        return field.attname, Column(_("ID laporan"), "id", 10), "int"
    if field.choices:
        return field.attname, Column(header, "text", 14), "choice"
    if isinstance(field, models.JSONField):
        return field.attname, Column(header, "text", 30), "json"
    if isinstance(field, models.DateTimeField):
        return field.attname, Column(header, "datetime", 17), "datetime"
    if isinstance(field, models.DateField):
        kind = "month" if field.name == "period" else "date"
        return field.attname, Column(header, kind, 12), kind
    if isinstance(field, models.DecimalField):
        kind = "money" if field.decimal_places == 0 else "decimal"
        return field.attname, Column(header, kind, 16), kind
    if isinstance(field, models.BooleanField):
        return field.attname, Column(header, "bool", 10), "bool"
    if isinstance(field, (models.IntegerField,)):
        return field.attname, Column(header, "int", 10), "int"
    return field.attname, Column(header, "text", 24 if isinstance(field, models.TextField) else 16), "text"


class ReportExporter(Exporter):
    """Every report in scope whose month lies in [period_from, period_to]; one row per report, and
    one sheet per repeating section (partnerships, income lines, products, problems, evidence).

    Every concrete field of Report and of its sections is a column (new fields appear on their
    own); users are shown by username, choices by their label, timestamps in the centre's local time.
    """

    kind = "reports"
    title = gettext_lazy("Laporan bulanan")
    needs_period = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.specs = _specs(Report, SKIP_FIELDS)

    def queryset(self):
        return self._in_range(self.scoped(Report.objects.all()), "period")

    def _in_range(self, qs, field):
        if self.params.get("period_from"):
            qs = qs.filter(**{f"{field}__gte": parse_month(self.params["period_from"], allow_future=True)})
        if self.params.get("period_to"):
            qs = qs.filter(**{f"{field}__lte": parse_month(self.params["period_to"], allow_future=True)})
        return qs

    def columns(self):
        return [Column(str(h), "year" if k.endswith("year") else "text", w) for k, h, w in CENTRE_COLUMNS] + [
            s[1] for s in self.specs
        ]

    def count(self):
        return self.queryset().count()

    def lookups(self) -> list[str]:
        return [k for k, _h, _w in CENTRE_COLUMNS] + [s[0] for s in self.specs] + ["centre__province__timezone"]

    def ordered_values(self):
        order = ("period", "centre__province_id", "centre__reg_code")
        return self.queryset().order_by(*order).values_list(*self.lookups())

    def rows(self):
        return _converted(self.ordered_values(), self.specs, len(CENTRE_COLUMNS))

    def year_of(self):
        """Rows come ordered by month: a national export of many years is split by year."""
        index = self.lookups().index("period")
        return lambda row: row[index].year

    # The repeating sections ---------------------------------------------------------------------
    def sections(self):
        """(title, columns, specs, ordered values queryset) per repeating section of the report."""
        result = []
        for model, title, skip in SECTIONS:
            specs = _specs(model, skip | {"id", "report"})
            qs = self._in_range(self.scoped(model.objects.all(), centre_field="report__centre"), "report__period")
            qs = qs.order_by("report__period", "report__centre__province_id", "report__centre__reg_code", "pk")
            lookups = [k for k, _h, _kind, _w in SECTION_KEYS] + [s[0] for s in specs]
            columns = [Column(str(h), kind, w) for _k, h, kind, w in SECTION_KEYS]
            result.append(
                (
                    str(title),
                    columns + [s[1] for s in specs],
                    specs,
                    qs.values_list(*lookups, "report__centre__province__timezone"),
                )
            )
        return result

    def extra_sheets(self):
        return [
            Sheet(title=title, columns=columns, rows=_converted(qs, specs, len(SECTION_KEYS)))
            for title, columns, specs, qs in self.sections()
        ]


SECTION_KEYS = [
    ("report_id", gettext_lazy("ID laporan"), "id", 10),
    ("report__centre__reg_code", gettext_lazy("Kode BLK"), "text", 16),
    ("report__period", gettext_lazy("Bulan laporan"), "month", 12),
]
SECTIONS = [
    *((kind.model, kind.label, set()) for kind in LINE_KINDS.values()),
    # The file itself stays in the portal (scoped download); its description is exported.
    (EvidenceFile, gettext_lazy("Bukti"), {"file", "sha256"}),
]


def report_columns() -> list[tuple[str, str]]:
    """(lookup, header) of every column of the reports export's main sheet, in order: the centre's
    columns, then every exported field of Report. The history import (monitoring/imports.py) reads
    files with these columns."""
    return [(k, str(h)) for k, h, _w in CENTRE_COLUMNS] + [
        (s[0], str(s[1].header)) for s in _specs(Report, SKIP_FIELDS)
    ]


def _specs(model, skip) -> list[tuple]:
    """(lookup, Column, kind, field) for each exported concrete field of `model`."""
    return [(*spec, f) for f in model._meta.concrete_fields if f.name not in skip if (spec := _field_spec(f))]


def _converted(qs, specs, offset):
    """Stream `qs` (values_list whose last item is the centre's time zone) as cells: labels for
    choices, local wall-clock time for timestamps, text for JSON."""
    choice_cols = [
        (offset + i, {value: str(label) for value, label in field.flatchoices})
        for i, (_lookup, _col, kind, field) in enumerate(specs)
        if kind == "choice"
    ]
    datetime_cols = [offset + i for i, s in enumerate(specs) if s[2] == "datetime"]
    json_cols = [offset + i for i, s in enumerate(specs) if s[2] == "json"]
    for row in qs.iterator(chunk_size=CHUNK_SIZE):
        out = list(row[:-1])
        tz = row[-1]
        for i, mapping in choice_cols:
            value = out[i]
            out[i] = mapping.get(value, value) if value else None
        for i in datetime_cols:
            out[i] = to_local(out[i], tz)
        for i in json_cols:
            out[i] = _json_text(out[i])
        yield tuple(out)


def _json_text(value) -> str | None:
    """Soft-rule warnings (a list of strings or of {"message": ...}) as one readable cell."""
    if not value:
        return None
    if isinstance(value, list):
        parts = [str(v.get("message", v)) if isinstance(v, dict) else str(v) for v in value]
        return "; ".join(parts)
    return str(value)
