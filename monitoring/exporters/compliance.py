"""Reporting compliance per centre over a month range, from the monitoring facts and indicators."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blkportal.core.months import parse_month
from blkportal.registry.models import Centre, KemandirianClass
from monitoring import indicators
from monitoring.models import CentreMonth

from .base import CHUNK_SIZE, Column, Exporter, choice_labels

CODES = ["reporting_rate", "on_time_rate"]


def _fraction(figure):
    return None if figure.value is None else float(figure.value) / 100


class ComplianceExporter(Exporter):
    """One row per centre in scope: months expected, reported, on time, verified, and the two rates
    exactly as the dashboards compute them (monitoring.indicators, aggregated in one SQL query)."""

    kind = "compliance"
    title = gettext_lazy("Kepatuhan pelaporan")
    needs_period = True

    def centres(self):
        return self.scoped(Centre.objects.all(), centre_field="")

    def facts(self):
        qs = self.scoped(CentreMonth.objects.all())
        if self.params.get("period_from"):
            qs = qs.filter(month__gte=parse_month(self.params["period_from"], allow_future=True))
        if self.params.get("period_to"):
            qs = qs.filter(month__lte=parse_month(self.params["period_to"], allow_future=True))
        return qs

    def columns(self):
        return [
            Column(_("Kode BLK"), width=16),
            Column(_("Nama BLK"), width=30),
            Column(_("Provinsi"), width=18),
            Column(_("Kabupaten/kota"), width=20),
            Column(_("Tahun dibangun"), "year", 10),
            Column(_("Kelas kemandirian"), width=12),
            Column(_("Inkubator"), "bool", 10),
            Column(_("Bulan wajib lapor"), "int", 10),
            Column(_("Laporan masuk"), "int", 10),
            Column(_("Laporan tepat waktu"), "int", 10),
            Column(_("Terverifikasi/disetujui"), "int", 12),
            Column(_("Tingkat pelaporan"), "percent", 11),
            Column(_("Ketepatan waktu"), "percent", 11),
        ]

    def count(self):
        return self.centres().count()

    def rows(self):
        per_centre = {
            row["centre_id"]: row
            for row in indicators.aggregate(
                self.facts(),
                group_by=["centre_id"],
                codes=CODES,
                extra={"verified_n": Count("pk", filter=Q(expected=True, verified=True))},
            )
        }
        classes = choice_labels(KemandirianClass)
        qs = (
            self.centres()
            .order_by("province_id", "reg_code")
            .values_list(
                "pk",
                "reg_code",
                "name",
                "province__name",
                "regency__name",
                "cohort_year",
                "kemandirian_class",
                "is_incubator",
            )
        )
        for pk, *info in qs.iterator(chunk_size=CHUNK_SIZE):
            info[5] = classes.get(info[5], "") or None
            row = per_centre.get(pk, {})
            figures = indicators.evaluate(row, CODES)
            reporting, on_time = figures["reporting_rate"], figures["on_time_rate"]
            yield (
                *info,
                reporting.denominator,
                reporting.numerator,
                on_time.numerator,
                row.get("verified_n") or 0,
                _fraction(reporting),
                _fraction(on_time),
            )
