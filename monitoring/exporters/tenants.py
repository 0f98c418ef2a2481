"""Tenants (wirausaha binaan) with their latest monthly progress."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incubator.models import LegalForm, MarketChannel, ProblemTag, Sector, Sex, Stage, Tenant, TenantProgress

from .base import CHUNK_SIZE, Column, Exporter, choice_labels


class TenantExporter(Exporter):
    """One row per tenant in scope; the latest TenantProgress row beside it (one query per chunk)."""

    kind = "tenants"
    title = gettext_lazy("Wirausaha binaan")

    def queryset(self):
        latest = TenantProgress.objects.filter(tenant=OuterRef("pk")).order_by("-month").values("pk")[:1]
        return self.scoped(Tenant.objects.all()).annotate(latest_progress_id=Subquery(latest))

    def columns(self):
        return [
            Column(_("Kode BLK"), width=16),
            Column(_("Nama BLK"), width=30),
            Column(_("Provinsi"), width=18),
            Column(_("Kabupaten/kota"), width=20),
            Column(_("ID wirausaha"), "id", 10),
            Column(_("Nama usaha"), width=28),
            Column(_("Nama pemilik"), width=24),
            Column(_("Jenis kelamin"), width=12),
            Column(_("Tahun lahir"), "year", 10),
            Column(_("Alumni BLK"), "bool", 10),
            Column(_("Kejuruan"), width=20),
            Column(_("Bentuk usaha"), width=16),
            Column(_("Sektor"), width=18),
            Column(_("NIB"), "bool", 8),
            Column(_("PIRT"), "bool", 8),
            Column(_("Halal"), "bool", 8),
            Column(_("Tahap"), width=14),
            Column(_("Tahap sejak"), "date", 12),
            Column(_("Tanggal masuk"), "date", 12),
            Column(_("Omzet awal per bulan (Rp)"), "money", 16),
            Column(_("Tenaga kerja awal"), "int", 10),
            Column(_("Bulan perkembangan terakhir"), "month", 12),
            Column(_("Omzet (Rp)"), "money", 16),
            Column(_("Laba (Rp)"), "money", 16),
            Column(_("Tenaga kerja"), "int", 10),
            Column(_("Tenaga kerja baru (terakhir − awal)"), "int", 12),
            Column(_("Membuat pembukuan"), "bool", 10),
            Column(_("Saluran pemasaran"), width=28),
            Column(_("Kendala"), width=28),
        ]

    def count(self):
        return self.scoped(Tenant.objects.all()).count()

    def rows(self):
        sexes, legal, sectors, stages = (
            choice_labels(Sex),
            choice_labels(LegalForm),
            choice_labels(Sector),
            choice_labels(Stage),
        )
        channels, problems = choice_labels(MarketChannel), choice_labels(ProblemTag)
        fields = (
            "centre__reg_code",
            "centre__name",
            "centre__province__name",
            "centre__regency__name",
            "pk",
            "business_name",
            "owner_name",
            "owner_sex",
            "owner_birth_year",
            "is_alumnus",
            "kejuruan__name",
            "legal_form",
            "sector",
            "has_nib",
            "has_pirt",
            "has_halal",
            "stage",
            "stage_since",
            "entry_date",
            "baseline_omzet",
            "baseline_workers",
            "latest_progress_id",
        )
        qs = self.queryset().order_by("centre__province_id", "centre__reg_code", "pk").values_list(*fields)
        chunk: list[tuple] = []
        for row in qs.iterator(chunk_size=CHUNK_SIZE):
            chunk.append(row)
            if len(chunk) >= CHUNK_SIZE:
                yield from self._with_progress(chunk, sexes, legal, sectors, stages, channels, problems)
                chunk = []
        if chunk:
            yield from self._with_progress(chunk, sexes, legal, sectors, stages, channels, problems)

    def _with_progress(self, chunk, sexes, legal, sectors, stages, channels, problems):
        ids = [row[-1] for row in chunk if row[-1] is not None]
        latest = {
            p[0]: p[1:]
            for p in TenantProgress.objects.filter(pk__in=ids).values_list(
                "pk", "month", "omzet", "profit", "workers", "keeps_records", "market_channels", "problem_tags"
            )
        }
        for row in chunk:
            base = list(row[:-1])
            base[7] = sexes.get(base[7], base[7])
            base[11] = legal.get(base[11], base[11])
            base[12] = sectors.get(base[12], base[12])
            base[16] = stages.get(base[16], base[16])
            progress = latest.get(row[-1])
            if progress:
                month, omzet, profit, workers, records, chans, probs = progress
                new_jobs = workers - base[20] if workers is not None and base[20] is not None else None
                extra = [
                    month,
                    omzet,
                    profit,
                    workers,
                    new_jobs,
                    records,
                    ", ".join(channels.get(c, c) for c in chans or []),
                    ", ".join(problems.get(c, c) for c in probs or []),
                ]
            else:
                extra = [None] * 8
            yield tuple(base + extra)
