"""Training batches (angkatan pelatihan): one row per batch, its outcomes and completion rate."""

from __future__ import annotations

import calendar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blkportal.core.months import parse_month
from reporting.models import FundingSource, TrainingBatch

from .base import CHUNK_SIZE, Column, Exporter, choice_labels


def _month_end(first):
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


class BatchExporter(Exporter):
    """Batches in scope; with a month range, those running at any time within it."""

    kind = "batches"
    title = gettext_lazy("Angkatan pelatihan")

    def queryset(self):
        qs = self.scoped(TrainingBatch.objects.all())
        if self.params.get("period_from"):
            qs = qs.filter(end_date__gte=parse_month(self.params["period_from"], allow_future=True))
        if self.params.get("period_to"):
            qs = qs.filter(start_date__lte=_month_end(parse_month(self.params["period_to"], allow_future=True)))
        return qs

    def columns(self):
        return [
            Column(_("Kode BLK"), width=16),
            Column(_("Nama BLK"), width=30),
            Column(_("Provinsi"), width=18),
            Column(_("Kabupaten/kota"), width=20),
            Column(_("ID angkatan"), "id", 10),
            Column(_("Kejuruan"), width=22),
            Column(_("Nama program"), width=28),
            Column(_("Sumber dana"), width=16),
            Column(_("Tanggal mulai"), "date", 12),
            Column(_("Tanggal selesai"), "date", 12),
            Column(_("Jam pelatihan (JP)"), "int", 10),
            Column(_("Peserta laki-laki"), "int", 10),
            Column(_("Peserta perempuan"), "int", 10),
            Column(_("Jumlah peserta"), "int", 10),
            Column(_("Lulus"), "int", 8),
            Column(_("Tidak lulus"), "int", 8),
            Column(_("Mengundurkan diri"), "int", 10),
            Column(_("Bersertifikat kompetensi"), "int", 12),
            Column(_("Peserta santri/anggota lembaga"), "int", 12),
            Column(_("Peserta warga umum"), "int", 12),
            Column(_("Tingkat kelulusan"), "percent", 10),
        ]

    def count(self):
        return self.queryset().count()

    def rows(self):
        from monitoring import indicators

        completion = indicators.get("completion_rate")  # the one definition, applied to one batch
        funding = choice_labels(FundingSource)
        qs = (
            self.queryset()
            .order_by("centre__province_id", "centre__reg_code", "start_date", "pk")
            .values_list(
                "centre__reg_code",
                "centre__name",
                "centre__province__name",
                "centre__regency__name",
                "pk",
                "kejuruan__name",
                "program_name",
                "funding_source",
                "start_date",
                "end_date",
                "hours_jp",
                "enrolled_male",
                "enrolled_female",
                "graduated",
                "failed",
                "withdrawn",
                "certified",
                "santri_count",
                "umum_count",
            )
        )
        for row in qs.iterator(chunk_size=CHUNK_SIZE):
            (*head, male, female, graduated, failed, withdrawn, certified, santri, umum) = row
            head[7] = funding.get(head[7], head[7])
            value = completion.value_of(graduated, graduated + failed + withdrawn)
            rate = None if value is None else float(value) / 100
            yield (*head, male, female, male + female, graduated, failed, withdrawn, certified, santri, umum, rate)
