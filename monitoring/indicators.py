"""Indicators, defined once: dashboards, rankings, exports and the API all take their numbers from
here.

Each indicator is a numerator and a denominator aggregated in SQL over monitoring facts
(CentreMonth), and a value computed from the two. A figure is never shown without both parts.

    rows = aggregate(facts_qs, group_by=["province_id"], indicators=DASHBOARD)
    figures = evaluate(rows[0])            # {"reporting_rate": Figure(35, 40, 87.5), ...}

Kinds:
    rate     value = 100 × num ÷ den, capped at 100 % (reporting, on-time, completion, ...)
    score    like rate, also shown as 0-5 points (kemandirian: criteria met ÷ criteria assessed)
    growth   value = 100 × num ÷ den, may be negative or above 100 % (omzet growth)
    average  value = factor × num ÷ den (jobs per tenant, sessions per tenant per quarter)

Stock figures (alumni outcomes and kemandirian are the state at the end of a month, not a flow)
must not be summed across months: aggregate them per month, or take each centre's latest month
(rankings do; see monitoring.rankings).

The incubator's tenant-level indicators (survival, stage progression, ...) are defined in
incubator/indicators.py and re-exported here; the facts store their monthly building blocks with
the same definitions (tests compare the two).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from incubator import indicators as incubator_indicators
from incubator.indicators import (  # noqa: F401  (re-exported: the one definition)
    TARGET_PER_CENTRE,
    Ratio,
    active_vs_target,
    centres_meeting_target,
    jobs_created,
    omzet_growth,
    sessions_per_tenant_quarter,
    stage_counts,
    stage_progression,
    survival_12m,
)

KEMANDIRIAN_CRITERIA = 5
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Term:
    """One side of an indicator: a count of fact rows matching `where`, or a sum of `total` over them.

    `data` marks figures that come from a centre's report: in rankings (verified_only) they count
    only for months whose report was verified or approved. The denominator of the reporting rate
    (expected centre-months) is not report data.
    """

    where: Q | None = None
    total: object = None  # a field name or an F() expression summed over the rows
    factor: int = 1
    data: bool = True

    def aggregate(self, verified_only: bool = False):
        cond = self.where
        if verified_only and self.data:
            cond = Q(verified=True) if cond is None else cond & Q(verified=True)
        elif verified_only:
            # A month awaiting verification counts neither for nor against a centre (RULE_RANKING).
            cond = ~PENDING if cond is None else cond & ~PENDING
        if self.total is None:
            return Count("pk", filter=cond)
        expr = F(self.total) if isinstance(self.total, str) else self.total
        return Sum(expr, filter=cond)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    numerator_label: str
    denominator_label: str
    numerator: Term
    denominator: Term
    kind: str = "rate"
    factor: Decimal = Decimal(1)
    stock: bool = False
    description: str = ""
    unit: str = "%"
    # Methodology (shown on /monitoring/metodologi/, in every export's "Metodologi" sheet and in the
    # API schema): what counts, where it comes from, which month a figure belongs to.
    counts: str = ""
    source: str = ""
    period_rule: str = ""

    @property
    def rounding(self) -> str:
        if self.kind == "score":
            return str(ROUNDING_SCORE)
        if self.kind == "average":
            return str(ROUNDING_AVERAGE)
        if self.kind == "growth":
            return str(ROUNDING_GROWTH)
        return str(ROUNDING_RATE)

    @property
    def formula(self) -> str:
        if self.kind == "average":
            return f"{self.numerator_label} ÷ {self.denominator_label}"
        if self.kind == "score":
            return f"100 × {self.numerator_label} ÷ {self.denominator_label} (0-5 poin = nilai × 5 ÷ 100)"
        return f"100 × {self.numerator_label} ÷ {self.denominator_label}"

    @property
    def rankable(self) -> bool:
        """Rankings combine values on a 0-100 scale: only capped rates and scores qualify."""
        return self.kind in ("rate", "score")

    def figure(self, numerator, denominator) -> Figure:
        num = _number(numerator) * self.numerator.factor
        den = _number(denominator) * self.denominator.factor
        return Figure(self, num, den, self.value_of(num, den))

    def value_of(self, num, den) -> Decimal | None:
        if not den:
            return None
        ratio = Decimal(num) / Decimal(den)
        if self.kind in ("rate", "score"):
            value = min(HUNDRED, max(Decimal(0), HUNDRED * ratio))
        elif self.kind == "growth":
            value = HUNDRED * ratio
        else:
            value = self.factor * ratio
        return value  # unrounded: display rounds once (blkportal.core.formatting)


@dataclass(frozen=True)
class Figure:
    """numerator, denominator and value of one indicator for one group of facts."""

    indicator: Indicator
    numerator: int | Decimal
    denominator: int | Decimal
    value: Decimal | None = field(default=None)

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def points(self) -> Decimal | None:
        """Kemandirian as 0-5 points (criteria met per month assessed)."""
        if self.value is None:
            return None
        return self.value * KEMANDIRIAN_CRITERIA / HUNDRED

    def as_dict(self) -> dict:
        return {
            "indicator": self.code,
            "label": str(self.indicator.label),
            "numerator": _json_number(self.numerator),
            "denominator": _json_number(self.denominator),
            "value": None if self.value is None else float(self.value),
        }


def _number(value):
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    return value


def _json_number(value):
    return int(value) if isinstance(value, int) or value == int(value) else float(value)


# --- The definitions -------------------------------------------------------------------------------

ROUNDING_RATE = _(
    "Persen dengan dua desimal, dibulatkan setengah ke atas; dibatasi 0-100 %; kosong (—) bila penyebut 0."
)
ROUNDING_SCORE = _(
    "Persen dengan dua desimal (setengah ke atas), dibatasi 0-100 %; poin 0-5 dengan satu desimal; "
    "kosong bila penyebut 0."
)
ROUNDING_GROWTH = _("Persen dengan dua desimal, dibulatkan setengah ke atas; boleh negatif atau di atas 100 %.")
ROUNDING_AVERAGE = _("Dua desimal, dibulatkan setengah ke atas; kosong bila penyebut 0.")

# The rules every reporting figure shares (the methodology page lists them above the indicators).
RULE_EXPECTED = _(
    "BLK wajib lapor untuk suatu bulan bila aktif sedikitnya satu hari pada bulan itu: tanggal aktif paling "
    "lambat akhir bulan, dan tanggal nonaktif (hari pertama tidak aktif) sesudah tanggal 1. BLK yang "
    "dinonaktifkan tanggal 1 tidak wajib lapor untuk bulan itu. Tidak ada bulan wajib lapor sebelum awal "
    "pemantauan."
)
RULE_REPORTED = _(
    "Dilaporkan = laporan bulan itu pernah diajukan (pengajuan pertama). Laporan yang kemudian dikembalikan "
    "atau dibuka untuk koreksi tetap terhitung dilaporkan; draf yang belum pernah diajukan tidak."
)
RULE_DEADLINE = _(
    "Tenggat: tanggal %(day)s bulan berikutnya pukul 23.59.59 waktu setempat BLK (WIB/WITA/WIT). Tepat waktu "
    "dinilai sekali, pada pengajuan pertama, terhadap tenggat yang berlaku saat itu; tenggat itu disimpan "
    "bersama laporan, sehingga perubahan pengaturan tenggat hanya berlaku untuk pengajuan berikutnya."
)
RULE_IMPORTED = _(
    "Laporan bulan lampau yang diimpor administrator (sejak awal pemantauan) dihitung sebagai laporan yang "
    "disetujui. Tepat waktu dinilai dari tanggal pengajuan aslinya terhadap tenggat yang berlaku untuk bulan itu "
    "(tenggat yang tersimpan pada laporan bulan itu di portal; bila belum ada, pengaturan yang berlaku). Bulan "
    "yang sudah memiliki laporan di portal tidak ditimpa."
)
RULE_STATES = _(
    "Terverifikasi dan disetujui menurut status laporan saat ini (dihitung terpisah). Angka isian laporan "
    "(alumni, pendapatan, kemandirian) diambil dari laporan berstatus diajukan, diverifikasi atau disetujui; "
    "laporan yang sedang dikembalikan atau dikoreksi tidak menyumbang angka sampai diajukan lagi."
)
RULE_KEJURUAN = _(
    "Angka pelatihan (angkatan berjalan, peserta, kelulusan, sertifikasi, peserta perempuan) mengikuti "
    'kejuruan angkatan: filter "Kejuruan angkatan" menghitung hanya angkatan berkejuruan itu, di BLK mana pun '
    "angkatan itu diselenggarakan (angkatan menjahit di BLK yang terdaftar untuk teknik las dihitung di "
    "menjahit). Angka pelaporan, alumni dan inkubator tidak berkejuruan dan tidak disaring olehnya. Filter "
    'terpisah "Kejuruan terdaftar BLK" memilih BLK menurut kejuruan yang terdaftar di registri BLK, untuk '
    "semua angka."
)
RULE_RANKING = _(
    "Peringkat memakai hanya bulan yang laporannya sudah diverifikasi atau disetujui. Komponen tanpa data "
    '(penyebut 0) atau yang bulannya masih menunggu verifikasi ditampilkan "belum ada data / menunggu '
    'verifikasi" dan tidak diberi poin: skor dihitung dari komponen yang berdata, dengan bobotnya dibagi '
    "ulang secara proporsional sehingga totalnya tetap 100. BLK dengan bulan terverifikasi kurang dari syarat "
    "minimal skema tidak diberi peringkat."
)
REPORTED_STATES = ("submitted", "verified", "approved")  # states whose figures count (see RULE_STATES)
HAS_FIGURES = Q(state__in=REPORTED_STATES)
# Submitted (or returned, or reopened for correction) but not verified or approved now.
PENDING = Q(reported=True, verified=False)

EXPECTED = Q(expected=True)
# The denominator of the reporting rates: centre-months expected to report (not report data).
EXPECTED_CENTRES = Term(where=EXPECTED, data=False)
KNOWN_STATUS = F("alumni_bekerja") + F("alumni_wirausaha") + F("alumni_studi") + F("alumni_belum_bekerja")

INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in [
        Indicator(
            "reporting_rate",
            _("Tingkat pelaporan"),
            _("laporan masuk"),
            _("BLK wajib lapor"),
            numerator=Term(where=EXPECTED & Q(reported=True)),
            denominator=EXPECTED_CENTRES,
            source=_("Laporan bulanan BLK (pengajuan pertama, status), fakta BLK-bulan"),
            counts=_(
                "Pembilang: BLK wajib lapor yang laporannya pernah diajukan (tetap terhitung setelah "
                "dikembalikan atau dikoreksi). Penyebut: BLK wajib lapor."
            ),
            period_rule=_("Bulan laporan (periode), bukan bulan pengajuan."),
            description=_(
                "BLK wajib lapor yang laporannya pernah diajukan ÷ BLK wajib lapor (aktif sedikitnya satu hari "
                "pada bulan tersebut)."
            ),
        ),
        Indicator(
            "on_time_rate",
            _("Ketepatan waktu"),
            _("laporan tepat waktu"),
            _("BLK wajib lapor"),
            numerator=Term(where=EXPECTED & Q(on_time=True)),
            denominator=EXPECTED_CENTRES,
            source=_("Laporan bulanan BLK (pengajuan pertama, status), fakta BLK-bulan"),
            counts=_(
                "Pembilang: BLK wajib lapor yang pengajuan pertamanya paling lambat tenggat yang berlaku saat "
                "itu; dinilai sekali. Penyebut: BLK wajib lapor."
            ),
            period_rule=_("Bulan laporan (periode)."),
            description=_(
                "Laporan yang pengajuan pertamanya paling lambat tenggat yang berlaku saat itu (pukul 23.59 waktu "
                "setempat BLK: WIB/WITA/WIT) ÷ BLK wajib lapor."
            ),
        ),
        Indicator(
            "verified_rate",
            _("Tingkat laporan terverifikasi"),
            _("laporan berstatus diverifikasi/disetujui"),
            _("BLK wajib lapor"),
            numerator=Term(where=EXPECTED & Q(verified=True)),
            denominator=EXPECTED_CENTRES,
            source=_("Laporan bulanan BLK (status saat ini), fakta BLK-bulan"),
            counts=_(
                "Pembilang: BLK wajib lapor yang laporannya saat ini berstatus diverifikasi atau disetujui. "
                "Penyebut: BLK wajib lapor."
            ),
            period_rule=_("Bulan laporan (periode)."),
            description=_("Laporan yang saat ini diverifikasi atau disetujui ÷ BLK wajib lapor."),
        ),
        Indicator(
            "approved_rate",
            _("Tingkat laporan disetujui"),
            _("laporan berstatus disetujui"),
            _("BLK wajib lapor"),
            numerator=Term(where=EXPECTED & Q(approved=True)),
            denominator=EXPECTED_CENTRES,
            source=_("Laporan bulanan BLK (status saat ini), fakta BLK-bulan"),
            counts=_(
                "Pembilang: BLK wajib lapor yang laporannya saat ini berstatus disetujui (laporan yang dibuka "
                "untuk koreksi tidak). Penyebut: BLK wajib lapor."
            ),
            period_rule=_("Bulan laporan (periode)."),
            description=_("Laporan yang saat ini disetujui ÷ BLK wajib lapor."),
        ),
        Indicator(
            "completion_rate",
            _("Tingkat kelulusan"),
            _("lulus"),
            _("peserta angkatan selesai"),
            numerator=Term(total="graduated"),
            denominator=Term(total=F("graduated") + F("failed") + F("withdrawn")),
            source=_("Angkatan pelatihan yang dicatat BLK (jumlah peserta dan hasil), fakta BLK-bulan"),
            counts=_("Angkatan yang berakhir pada bulan itu (semua status laporan)."),
            period_rule=_("Bulan tanggal selesai angkatan."),
            description=_("Lulus ÷ (lulus + tidak lulus + mengundurkan diri), angkatan yang selesai pada periode."),
        ),
        Indicator(
            "certification_rate",
            _("Tingkat sertifikasi"),
            _("bersertifikat kompetensi"),
            _("lulus"),
            numerator=Term(total="certified"),
            denominator=Term(total="graduated"),
            source=_("Angkatan pelatihan yang dicatat BLK (jumlah peserta dan hasil), fakta BLK-bulan"),
            counts=_("Angkatan yang berakhir pada bulan itu."),
            period_rule=_("Bulan tanggal selesai angkatan."),
            description=_("Lulusan bersertifikat kompetensi ÷ lulusan, angkatan yang selesai pada periode."),
        ),
        Indicator(
            "female_share",
            _("Peserta perempuan"),
            _("peserta baru perempuan"),
            _("peserta baru"),
            numerator=Term(total="trainees_new_female"),
            denominator=Term(total="trainees_new"),
            source=_("Angkatan pelatihan yang dicatat BLK (jumlah peserta dan hasil), fakta BLK-bulan"),
            counts=_("Angkatan yang dimulai pada bulan itu."),
            period_rule=_("Bulan tanggal mulai angkatan."),
            description=_("Peserta perempuan ÷ seluruh peserta angkatan yang dimulai pada periode."),
        ),
        Indicator(
            "placement_rate",
            _("Tingkat penempatan"),
            _("alumni bekerja/berwirausaha"),
            _("alumni berstatus diketahui"),
            numerator=Term(total=F("alumni_bekerja") + F("alumni_wirausaha")),
            denominator=Term(total=KNOWN_STATUS),
            stock=True,
            source=_("Isian laporan bulanan (bagian B/C) berstatus diajukan, diverifikasi atau disetujui"),
            counts=_("Alumni menurut laporan; laporan draf atau dikembalikan tidak dihitung."),
            period_rule=_("Keadaan akhir bulan laporan (stok, tidak dijumlah antarbulan)."),
            description=_(
                "(Bekerja + berwirausaha) ÷ alumni yang statusnya diketahui (bekerja, berwirausaha, "
                "melanjutkan studi, belum bekerja), menurut laporan akhir bulan."
            ),
        ),
        Indicator(
            "known_status_share",
            _("Alumni terlacak"),
            _("alumni berstatus diketahui"),
            _("seluruh alumni dilaporkan"),
            numerator=Term(total=KNOWN_STATUS),
            denominator=Term(total=KNOWN_STATUS + F("alumni_tidak_terlacak")),
            stock=True,
            source=_("Isian laporan bulanan (bagian B/C) berstatus diajukan, diverifikasi atau disetujui"),
            counts=_("Alumni menurut laporan; laporan draf atau dikembalikan tidak dihitung."),
            period_rule=_("Keadaan akhir bulan laporan (stok)."),
            description=_(
                "Alumni yang statusnya diketahui ÷ seluruh alumni yang dilaporkan (termasuk tidak terlacak)."
            ),
        ),
        Indicator(
            "kemandirian_score",
            _("Skor kemandirian"),
            _("kriteria terpenuhi"),
            _("kriteria dinilai"),
            numerator=Term(where=HAS_FIGURES, total="kemandirian_points"),
            denominator=Term(where=HAS_FIGURES, factor=KEMANDIRIAN_CRITERIA),
            kind="score",
            stock=True,
            source=_("Isian laporan bulanan (bagian B/C) berstatus diajukan, diverifikasi atau disetujui"),
            counts=_(
                "BLK-bulan dengan laporan berstatus diajukan, diverifikasi atau disetujui; 5 kriteria per laporan."
            ),
            period_rule=_("Keadaan akhir bulan laporan (stok)."),
            description=_(
                "Satu poin per kriteria peta jalan (0-5) menurut laporan: instruktur bersertifikat; izin "
                "operasional/akreditasi berlaku; pendapatan mandiri; basis data alumni (≥ 50 % alumni "
                "terlacak); kemitraan dengan pemerintah atau DUDI. 0-2 tumbuh, 3-4 berkembang, 5 mandiri."
            ),
        ),
        Indicator(
            "tenant_target",
            _("Capaian target wirausaha"),
            _("wirausaha aktif"),
            _("target (10 per BLK inkubator)"),
            numerator=Term(total="tenants_active"),
            denominator=Term(where=Q(is_incubator=True, expected=True), factor=TARGET_PER_CENTRE, data=False),
            stock=True,
            source=_("Data inkubator: wirausaha binaan, riwayat tahap dan laporan perkembangan"),
            counts=_("Wirausaha yang belum gugur pada akhir bulan; target 10 per BLK inkubator wajib lapor."),
            period_rule=_("Keadaan akhir bulan (stok)."),
            description=_("Wirausaha binaan aktif (belum gugur) ÷ 10 × BLK inkubator."),
        ),
        Indicator(
            "jobs_created",
            _("Rata-rata lapangan kerja tercipta per wirausaha"),
            _("tenaga kerja baru"),
            _("wirausaha melapor"),
            numerator=Term(total=F("tenant_workers") - F("tenant_baseline_workers")),
            denominator=Term(total="tenants_reporting"),
            kind="average",
            stock=True,
            unit="",
            source=_("Data inkubator: wirausaha binaan, riwayat tahap dan laporan perkembangan"),
            counts=_("Wirausaha aktif yang sudah pernah melapor perkembangan (laporan terakhir sampai bulan itu)."),
            period_rule=_("Keadaan akhir bulan (stok)."),
            description=_(
                "Σ (tenaga kerja pada laporan perkembangan terakhir − tenaga kerja awal) ÷ wirausaha aktif "
                "yang sudah melapor perkembangan."
            ),
        ),
        Indicator(
            "omzet_growth",
            _("Pertumbuhan omzet wirausaha"),
            _("kenaikan omzet (Rp)"),
            _("omzet awal (Rp)"),
            numerator=Term(total=F("tenant_omzet") - F("tenant_baseline_omzet")),
            denominator=Term(total="tenant_baseline_omzet"),
            kind="growth",
            stock=True,
            source=_("Data inkubator: wirausaha binaan, riwayat tahap dan laporan perkembangan"),
            counts=_("Wirausaha aktif yang sudah pernah melapor perkembangan (laporan terakhir sampai bulan itu)."),
            period_rule=_("Keadaan akhir bulan (stok)."),
            description=_("(Σ omzet bulanan terakhir − Σ omzet awal) ÷ Σ omzet awal, wirausaha aktif yang melapor."),
        ),
    ]
}

# Groups used by the pages.
REPORTING = ["reporting_rate", "on_time_rate", "verified_rate", "approved_rate"]
TRAINING = ["completion_rate", "certification_rate", "female_share"]
OUTCOMES = ["placement_rate", "known_status_share", "kemandirian_score"]
INCUBATOR = ["tenant_target", "jobs_created", "omzet_growth"]
DASHBOARD = REPORTING + TRAINING + OUTCOMES + INCUBATOR
RANKABLE = [code for code, ind in INDICATORS.items() if ind.rankable]


def get(code: str) -> Indicator:
    return INDICATORS[code]


def annotations(codes=DASHBOARD, verified_only: bool = False) -> dict:
    """{"<code>__num": aggregate, "<code>__den": aggregate} for .values(...).annotate(**...)."""
    result = {}
    for code in codes:
        ind = INDICATORS[code]
        result[f"{code}__num"] = ind.numerator.aggregate(verified_only)
        result[f"{code}__den"] = ind.denominator.aggregate(verified_only)
    return result


def aggregate(qs, *, group_by=(), codes=DASHBOARD, verified_only: bool = False, extra=None) -> list[dict]:
    """One SQL query: the numerator and denominator of each indicator per group of facts.

    Without `group_by` the result is a one-row list for the whole queryset.
    """
    ann = annotations(codes, verified_only)
    if extra:
        ann.update(extra)
    if group_by:
        return list(qs.order_by().values(*group_by).annotate(**ann))
    return [qs.aggregate(**ann)]


def evaluate(row: dict, codes=DASHBOARD) -> dict[str, Figure]:
    """The Figures of one aggregated row."""
    return {code: INDICATORS[code].figure(row.get(f"{code}__num"), row.get(f"{code}__den")) for code in codes}


# --- Methodology: the same definitions, in words --------------------------------------------------


def methodology_rules(generic: bool = False) -> list[tuple[str, str]]:
    """(title, text) of the rules shared by the indicators, with the settings in force (or, when
    `generic`, naming the settings: docs/methodology.md)."""
    from django.conf import settings

    from blkportal.core.months import month_label

    from .facts import facts_start

    start = "MONITORING_FIRST_MONTH" if generic else month_label(facts_start())
    day = "REPORT_DEADLINE_DAY (10)" if generic else settings.REPORT_DEADLINE_DAY
    return [
        (
            str(_("Awal pemantauan")),
            str(
                _("Bulan pertama yang dipantau: %(month)s. Sebelum bulan itu tidak ada BLK yang wajib lapor.")
                % {"month": start}
            ),
        ),
        (str(_("BLK wajib lapor")), str(RULE_EXPECTED)),
        (str(_("Dilaporkan")), str(RULE_REPORTED)),
        (str(_("Tenggat dan tepat waktu")), str(RULE_DEADLINE % {"day": day})),
        (str(_("Laporan riwayat yang diimpor")), str(RULE_IMPORTED)),
        (str(_("Status dan angka laporan")), str(RULE_STATES)),
        (str(_("Kejuruan")), str(RULE_KEJURUAN)),
        (str(_("Peringkat")), str(RULE_RANKING)),
    ]


def methodology_rows(codes=None) -> list[dict]:
    """One dict per indicator: what the methodology page, export sheets and API schema show."""
    rows = []
    for code in codes or INDICATORS:
        ind = INDICATORS[code]
        rows.append(
            {
                "code": code,
                "label": str(ind.label),
                "formula": ind.formula,
                "description": str(ind.description),
                "counts": str(ind.counts),
                "source": str(ind.source),
                "period": str(ind.period_rule),
                "rounding": ind.rounding,
                "unit": ind.unit,
            }
        )
    return rows


def schema_description(code: str) -> str:
    """The methodology of one indicator in one paragraph (API schema descriptions)."""
    row = methodology_rows([code])[0]
    return (
        f"{row['label']}: {row['formula']}. {row['description']} {row['counts']} "
        f"Sumber: {row['source']}. Bulan: {row['period']} Pembulatan: {row['rounding']}"
    )


def methodology_markdown() -> str:
    """docs/methodology.md, generated from these definitions (a test keeps the file in step)."""
    lines = [
        "# Metodologi indikator monitoring",
        "",
        "Dibuat dari `monitoring/indicators.py` (`python manage.py methodology > docs/methodology.md`); "
        'halaman portal `/monitoring/metodologi/`, lembar "Metodologi" setiap ekspor dan deskripsi skema '
        "API memakai teks yang sama.",
        "",
        "## Aturan bersama",
        "",
    ]
    for title, text in methodology_rules(generic=True):
        lines += [f"- **{title}.** {text}"]
    lines += ["", "## Indikator", ""]
    for row in methodology_rows():
        lines += [
            f"### {row['label']} (`{row['code']}`)",
            "",
            f"- Rumus: {row['formula']}",
            f"- Definisi: {row['description']}",
            f"- Yang dihitung: {row['counts']}",
            f"- Sumber: {row['source']}",
            f"- Bulan: {row['period']}",
            f"- Pembulatan: {row['rounding']}",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def kemandirian_class_for(points) -> str:
    """Map 0-5 roadmap points to Kemnaker's classes: 0-2 tumbuh, 3-4 berkembang, 5 mandiri."""
    if points is None:
        return ""
    if points >= 5:
        return "mandiri"
    if points >= 3:
        return "berkembang"
    return "tumbuh"


__all__ = [
    "INDICATORS",
    "DASHBOARD",
    "RANKABLE",
    "Figure",
    "Indicator",
    "Ratio",
    "Term",
    "aggregate",
    "annotations",
    "evaluate",
    "get",
    "incubator_indicators",
    "kemandirian_class_for",
]
