"""A ranking snapshot with each centre's breakdown, and a "Metodologi" sheet naming the scheme
version, so an exported ranking can be reproduced and explained."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blkportal.core.errors import DomainError
from blkportal.core.months import parse_month
from blkportal.registry.models import Kejuruan
from monitoring import indicators, rankings, selectors
from monitoring.models import RankingComponent, RankingEntry, RankingSnapshot

from .base import CHUNK_SIZE, Column, Exporter, Sheet, methodology_sheet_rows


def _percent(value):
    """Component values and points are on the 0-100 scale of the indicators; Excel wants fractions."""
    return None if value is None else float(value) / 100


def _status_text(part: dict) -> str | None:
    """ "belum ada data / menunggu verifikasi" for a component without a value (RULE_RANKING)."""
    if not part or part.get("value") is not None:
        return None
    return str(_("menunggu verifikasi") if part.get("status") == "pending" else _("belum ada data"))


class RankingExporter(Exporter):
    """Every centre in scope in one snapshot (the default scheme's, for the month asked or the latest,
    frozen snapshots preferred; or the one the ranking page showed), with the ranking page's filters:
    rank, peer group, score and per component numerator, denominator, value, weight and points, read
    back from the snapshot, never recomputed.

    "Jumlah BLK berperingkat di kelompok" is the count of ranked centres in the entry's peer group,
    on unranked rows too; "Kejuruan utama" is the entry's (a scheme comparing by kejuruan) or else
    the centre's main kejuruan as the ranking defines it (rankings.main_kejuruan)."""

    kind = "ranking"
    title = gettext_lazy("Peringkat")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.snapshot = self._snapshot()
        self.components = list(
            RankingComponent.objects.filter(version=self.snapshot.version_id).order_by("position", "pk")
        )

    def _snapshot(self) -> RankingSnapshot:
        qs = RankingSnapshot.objects.select_related("version__scheme")
        if self.params.get("snapshot"):
            qs = qs.filter(pk=self.params["snapshot"])
        else:
            qs = qs.filter(version__scheme__is_default=True)
        if self.params.get("period_to"):
            qs = qs.filter(period=parse_month(self.params["period_to"], allow_future=True))
        snapshot = qs.order_by("-period", "-frozen", "-version__number", "-computed_at").first()
        if snapshot is None:
            raise DomainError(_("Belum ada peringkat yang dihitung untuk bulan tersebut."))
        return snapshot

    def entries(self):
        return selectors.ranking_filter(self.scoped(RankingEntry.objects.filter(snapshot=self.snapshot)), self.params)

    def columns(self):
        cols = [
            Column(_("Kelompok sebaya"), width=26),
            Column(_("Peringkat"), "int", 9),
            Column(_("Jumlah BLK berperingkat di kelompok"), "int", 12),
            Column(_("Skor"), "decimal", 9),
            Column(_("Memenuhi syarat data minimal"), "bool", 12),
            Column(_("Bulan terverifikasi"), "int", 11),
            Column(_("Bulan wajib lapor"), "int", 11),
            Column(_("Bulan menunggu verifikasi"), "int", 11),
            Column(_("Kode BLK"), width=16),
            Column(_("Nama BLK"), width=30),
            Column(_("Provinsi"), width=18),
            Column(_("Tahun dibangun"), "year", 10),
            Column(_("Kejuruan utama"), width=20),
        ]
        for component in self.components:
            label = self._label(component.indicator)
            cols += [
                Column(f"{label}: {_('pembilang')}", "number", 12),
                Column(f"{label}: {_('penyebut')}", "number", 12),
                Column(f"{label}: {_('nilai')}", "percent", 11),
                Column(f"{label}: {_('bobot (%)')}", "number", 10),
                Column(f"{label}: {_('poin')}", "number", 10),
                Column(f"{label}: {_('keterangan')}", width=22),
            ]
        return cols

    @staticmethod
    def _label(code: str) -> str:
        indicator = indicators.INDICATORS.get(code)
        return str(indicator.label) if indicator else code

    def count(self):
        return self.entries().count()

    def _main_kejuruan_names(self) -> dict[int, str]:
        """centre id -> main kejuruan name, for the entries that do not carry one."""
        ids = list(self.entries().filter(kejuruan__isnull=True).values_list("centre_id", flat=True))
        if not ids:
            return {}
        main = rankings.main_kejuruan(ids, *rankings.window(self.snapshot.version, self.snapshot.period))
        names = dict(Kejuruan.objects.filter(pk__in=set(main.values())).values_list("pk", "name"))
        return {cid: names.get(kid) for cid, kid in main.items()}

    def rows(self):
        codes = [c.indicator for c in self.components]
        peer_counts = selectors.ranking_peer_counts(self.snapshot)
        main_kejuruan = self._main_kejuruan_names()
        qs = (
            self.entries()
            .order_by("peer_group", F("rank").asc(nulls_last=True), "-score", "centre__reg_code")
            .values_list(
                "peer_group",
                "rank",
                "score",
                "eligible",
                "verified_months",
                "expected_months",
                "pending_months",
                "centre__reg_code",
                "centre__name",
                "province__name",
                "cohort_year",
                "kejuruan__name",
                "centre_id",
                "components",
            )
        )
        for group, rank, *info, kejuruan, centre_id, parts in qs.iterator(chunk_size=CHUNK_SIZE):
            by_code = {p.get("indicator"): p for p in parts or []}
            tail = []
            for code in codes:
                p = by_code.get(code, {})
                tail += [
                    p.get("numerator"),
                    p.get("denominator"),
                    _percent(p.get("value")),
                    p.get("weight"),
                    p.get("points"),
                    _status_text(p),
                ]
            kejuruan = kejuruan or main_kejuruan.get(centre_id)
            yield (group, rank, peer_counts.get(group, 0), *info, kejuruan, *tail)

    def extra_sheets(self):
        snap, version = self.snapshot, self.snapshot.version
        yes, no = _("Ya"), _("Tidak")
        rows = [
            (_("Skema"), _("Nama"), version.scheme.name, None, None),
            (_("Skema"), _("Versi"), f"v{version.number}", None, version.change_note or None),
            (_("Skema"), _("Uraian metodologi"), version.description or None, None, None),
            (_("Skema"), _("Jendela (bulan)"), version.window_months, None, None),
            (_("Skema"), _("Minimal bulan terverifikasi"), version.min_verified_months, None, None),
            (
                _("Skema"),
                _("Kelompok sebaya menurut tahun dibangun"),
                yes if version.peer_by_cohort else no,
                None,
                None,
            ),
            (
                _("Skema"),
                _("Kelompok sebaya menurut kejuruan utama"),
                yes if version.peer_by_kejuruan else no,
                None,
                None,
            ),
            (_("Snapshot"), _("Periode (bulan terakhir jendela)"), snap.period.strftime("%m/%Y"), None, None),
            (_("Snapshot"), _("Dibekukan"), yes if snap.frozen else no, None, None),
            (
                _("Snapshot"),
                _("Dihitung pada"),
                timezone.localtime(snap.computed_at).strftime("%d/%m/%Y %H:%M WIB"),
                None,
                None,
            ),
            (_("Snapshot"), _("Jumlah BLK / berperingkat"), f"{snap.entry_count} / {snap.ranked_count}", None, None),
            (
                _("Data"),
                _("Sumber"),
                str(indicators.RULE_RANKING),
                None,
                _("Angka dibaca dari snapshot, tidak dihitung ulang saat ekspor."),
            ),
        ]
        for component in self.components:
            indicator = indicators.INDICATORS.get(component.indicator)
            rows.append(
                (
                    _("Komponen"),
                    self._label(component.indicator),
                    f"{indicator.numerator_label} ÷ {indicator.denominator_label}" if indicator else None,
                    component.weight,
                    str(indicator.description) if indicator else None,
                )
            )
        columns = [
            Column(_("Bagian"), width=12),
            Column(_("Butir"), width=30, wrap=True),
            Column(_("Isi"), width=48, wrap=True),
            Column(_("Bobot (%)"), "number", 10),
            Column(_("Keterangan"), width=60, wrap=True),
        ]
        rows += methodology_sheet_rows(codes=[c.indicator for c in self.components])
        return [Sheet(title=str(_("Metodologi")), columns=columns, rows=rows)]

    def methodology_sheet(self):
        return None  # the scheme's own "Metodologi" sheet carries the definitions
