"""Import of past monthly reports (the history import; the flow is blkportal/core/imports.py).

Administrators only (Perm.IMPORT_HISTORY). The sheet has the columns of the reports export's main
sheet (exporters.reports.report_columns), so an export of another installation, or of the sheet
kept before the portal, comes in as it is; the template shows only the columns that are read:

- Kode BLK, Bulan laporan, Pertama diajukan (the original submission date: on time is judged from
  it), the values of sections B and C, and Pendapatan mandiri (kept as one income line);
- Status, when given, must be Disetujui: only approved reports are history;
- every other export column (ids, users, timestamps the portal sets itself) is accepted and not read.

Each row is checked with the report form's fields (ReportForm), the hard rules of submission
without those about batches recorded in the portal, and reporting's history rules. A centre-month
that already has a report in the portal is rejected, not overwritten (re-importing the same file:
rows already imported with the same values are unchanged). Months before the monitoring start
(settings.MONITORING_FIRST_MONTH) or not yet over are rejected. The application
(reporting.services.reports_import_history) creates the reports approved and marked imported; the
facts of their centre-months are refreshed through the outbox (monitoring.signals).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blkportal.core import imports, spreadsheets
from blkportal.core.forms import RupiahField
from blkportal.core.months import add_months, current_month, month_label
from blkportal.core.spreadsheets import Column
from blkportal.registry import access
from blkportal.registry.access import Perm
from blkportal.registry.models import Centre
from reporting import rules
from reporting.fields import REPORT_INPUT_FIELDS
from reporting.forms import ReportForm
from reporting.models import PermitStatus, Report
from reporting.services import HistoryReport, history_problems, history_report_issues, reports_import_history

from . import facts
from .exporters.reports import ReportExporter, report_columns

KIND = "history"
MAX_ROWS = 20_000
READ = ["centre__reg_code", "period", "status", "first_submitted_at", *REPORT_INPUT_FIELDS, "own_income"]
REQUIRED = {"centre__reg_code", "period", "first_submitted_at", *rules.REQUIRED_FIELDS}
HELP = {
    "centre__reg_code": gettext_lazy("Kode registrasi BLK"),
    "period": gettext_lazy("Mis. 03/2025 atau Maret 2025"),
    "status": gettext_lazy("Kosong atau Disetujui"),
    "first_submitted_at": gettext_lazy(
        "Tanggal pengajuan asli, mis. 08/04/2025 (jam boleh ditambah: 08/04/2025 10.15)"
    ),
    "permit_status": gettext_lazy("Pilih dari daftar"),
    "own_income": gettext_lazy("Dicatat sebagai satu baris pendapatan"),
}
APPROVED = {imports.fold(Report.Status.APPROVED.value), imports.fold("Disetujui")}


def history_columns() -> list[Column]:
    """Every column of the reports export; the ones read are described, the others "not read"."""
    return [
        Column(header, key, key in REQUIRED, HELP.get(key, "") if key in READ else _("Tidak dibaca"))
        for key, header in report_columns()
    ]


class HistoryChecker(imports.Checker):
    """Checks rows against the registry and the reports as they are now (loaded once)."""

    def prepare(self, rows):
        codes = {values.get("centre__reg_code", "").strip().lower() for _n, values in rows} - {""}
        self.centres = {
            c.code_key: c
            for c in Centre.objects.annotate(code_key=Lower("reg_code"))
            .filter(code_key__in=codes)
            .select_related("province")
        }
        self.reports = {
            (r.centre_id, r.period): r
            for r in Report.objects.filter(centre__in=list(self.centres.values())).only(
                "centre_id", "period", "status", "imported_at", "first_submitted_at", "own_income", *REPORT_INPUT_FIELDS
            )
        }
        self.scope = access.scope_for(self.by, Perm.IMPORT_HISTORY)
        self.first_month = facts.facts_start()
        self.this_month = current_month(self.now)
        self.permits = imports.fold_choices(PermitStatus.choices)
        self.rupiah = RupiahField(required=False)

    def check(self, number: int, values: dict) -> imports.Row:
        problems: list[tuple[str, str]] = []
        code = values.get("centre__reg_code", "").strip()
        centre = self.centres.get(code.lower()) if code else None
        if not code:
            problems.append(("centre__reg_code", _("Isi kode BLK.")))
        elif centre is None:
            problems.append(("centre__reg_code", _("BLK dengan kode ini tidak ada di registri.")))
        elif not self.scope.covers_centre(centre):
            problems.append(("centre__reg_code", _("BLK ini di luar cakupan Anda; baris ditolak.")))
        period = spreadsheets.parse_month(values.get("period", ""))
        if not values.get("period"):
            problems.append(("period", _("Isi bulan laporan.")))
        elif period is None:
            problems.append(("period", _("Bulan tidak dikenali. Tulis mis. 03/2025, 2025-03 atau Maret 2025.")))
        elif period < self.first_month:
            problems.append(
                (
                    "period",
                    _("%(month)s sebelum awal pemantauan (%(start)s); riwayat sebelum itu tidak diimpor.")
                    % {"month": month_label(period), "start": month_label(self.first_month)},
                )
            )
        elif period > self.this_month:
            problems.append(("period", _("%(month)s masih di masa depan.") % {"month": month_label(period)}))
        if imports.fold(values.get("status", "")) not in APPROVED | {""}:
            problems.append(
                ("status", _("Hanya laporan yang sudah disetujui yang diimpor sebagai riwayat; baris ditolak."))
            )
        submitted_at = None
        if values.get("first_submitted_at"):
            parsed = spreadsheets.parse_datetime(values["first_submitted_at"])
            if parsed is None:
                problems.append(
                    ("first_submitted_at", _("Tanggal tidak dikenali. Tulis mis. 08/04/2025 atau 2025-04-08."))
                )
            elif centre is not None:
                # Typed in the centre's own time; a date alone counts as midday (on the deadline day: on time).
                submitted_at = dt.datetime.combine(parsed[0], parsed[1] or dt.time(12), centre.tz)

        form_data = {name: values.get(name, "") for name in REPORT_INPUT_FIELDS}
        if values.get("permit_status"):
            permit = self.permits.get(imports.fold(values["permit_status"]))
            if permit is None:
                problems.append(("permit_status", _("Status izin tidak dikenal. Pilih dari daftar di templat.")))
            form_data["permit_status"] = permit or ""
        if values.get("permit_expiry"):
            day = spreadsheets.parse_date(values["permit_expiry"])
            if day is None:
                problems.append(("permit_expiry", _("Tanggal tidak dikenali. Tulis mis. 17/08/2025 atau 2025-08-17.")))
            form_data["permit_expiry"] = day.isoformat() if day else ""
        for name in REPORT_INPUT_FIELDS:
            if name.endswith("_count") or name.startswith("alumni_") or name == "instructors_certified":
                number_value = spreadsheets.parse_number(form_data[name]) if form_data[name] else None
                if number_value is not None and number_value == number_value.to_integral_value():
                    form_data[name] = str(int(number_value))
        form = ReportForm(form_data)
        already = {f for f, _m in problems}
        if not form.is_valid():
            for name, errors in form.errors.items():
                target = name if name in REPORT_INPUT_FIELDS else "centre__reg_code"
                if target not in already:
                    problems.extend((target, str(e)) for e in errors)
        own_income = None
        try:
            own_income = self.rupiah.clean(values.get("own_income", ""))
        except ValidationError as exc:
            problems.append(("own_income", " ".join(exc.messages)))
        if values.get("first_submitted_at", "") == "":
            problems.append(("first_submitted_at", _("Isi tanggal pengajuan asli laporan ini.")))

        if problems:
            return imports.Row(number, problems=problems)

        item = HistoryReport(
            centre=centre,
            period=period,
            values={name: form.cleaned_data.get(name) for name in REPORT_INPUT_FIELDS},
            own_income=own_income,
            submitted_at=submitted_at,
        )
        for name in ("permit_number", "notes"):
            item.values[name] = item.values[name] or ""
        problems += [(p.field, p.message) for p in history_problems(centre, period, submitted_at, self.now)]
        problems += [(i.field, i.message) for i in history_report_issues(item)]
        earlier = self.earlier_row((centre.pk, period), number)
        if earlier:
            problems.append(
                ("period", _("BLK dan bulan ini sudah ada di baris %(row)s berkas ini.") % {"row": earlier})
            )
        existing = self.reports.get((centre.pk, period))
        if existing is not None and not problems:
            if existing.imported_at and self._same(existing, item):
                return imports.Row(number, imports.UNCHANGED, target=existing, basis=str(existing.imported_at))
            problems.append(
                (
                    "period",
                    _(
                        "BLK ini sudah memiliki laporan %(month)s di portal (%(status)s); riwayat tidak "
                        "menimpanya. Baris ditolak."
                    )
                    % {"month": month_label(period), "status": existing.get_status_display().lower()},
                )
            )
        if problems:
            return imports.Row(number, problems=problems)
        return imports.Row(number, imports.CREATE, data={"item": item})

    @staticmethod
    def _same(report: Report, item: HistoryReport) -> bool:
        values = {name: getattr(report, name) for name in REPORT_INPUT_FIELDS}
        return (
            values == item.values
            and report.own_income == (item.own_income or 0)
            and report.first_submitted_at == item.submitted_at
        )


@imports.register
class HistoryImport(imports.ImportKind):
    name = KIND
    order = 40
    description = gettext_lazy(
        "Laporan bulanan lama (kolom ekspor laporan), dicatat disetujui dan diimpor; bulan yang sudah ada di portal "
        "tidak ditimpa."
    )
    max_rows = MAX_ROWS
    checker = HistoryChecker
    fallback_field = "centre__reg_code"
    title = gettext_lazy("Impor riwayat laporan bulanan dari Excel")
    template_filename = "templat-riwayat-laporan.xlsx"
    labels = {
        imports.CREATE: gettext_lazy("Laporan baru"),
        imports.UNCHANGED: gettext_lazy("Sudah diimpor"),
        imports.REJECTED: gettext_lazy("Ditolak"),
    }
    changed_message = gettext_lazy(
        "Laporan berubah sejak pemeriksaan (laporan baru masuk untuk BLK dan bulan yang sama). Tidak ada yang "
        "diterapkan; unggah berkasnya lagi."
    )
    nothing_message = gettext_lazy("Tidak ada yang perlu diimpor: semua laporan di berkas ini sudah ada.")

    @property
    def sheet(self):
        return str(ReportExporter.title)[:31]

    @property
    def columns(self):
        return history_columns()

    def check_access(self, by, params):
        access.check(by, Perm.IMPORT_HISTORY, message=_("Hanya administrator yang dapat mengimpor riwayat laporan."))

    def apply(self, plan, *, job, by, reason, now):
        items = [row.data["item"] for row in plan.rows if row.action == imports.CREATE]
        reports_import_history(items=items, by=by, reason=reason, now=now)

    example_key = ("centre__reg_code", "permit_number")

    def example(self):
        first = facts.facts_start()
        return {
            "centre__reg_code": "BLKK-0000-001",
            "period": f"{first:%m/%Y}",
            "status": str(Report.Status.APPROVED.label),
            "first_submitted_at": f"{add_months(first, 1).replace(day=8):%d/%m/%Y}",
            "alumni_bekerja": 3,
            "alumni_wirausaha": 1,
            "alumni_studi": 0,
            "alumni_belum_bekerja": 2,
            "alumni_tidak_terlacak": 4,
            "permit_status": str(PermitStatus.PERMIT.label),
            "permit_number": "503/123/2024",
            "managers_count": 2,
            "instructors_count": 4,
            "instructors_certified": 2,
            "own_income": "Rp 2.500.000",
            "operating_cost": "Rp 1.500.000",
        }

    def template_xlsx(self, *, by, params):
        columns = [c for c in self.columns if c.field in READ]
        return imports.template_workbook(
            self,
            columns=columns,
            lists=[
                imports.TemplateList("status", _("Status"), [str(Report.Status.APPROVED.label)]),
                imports.TemplateList(
                    "permit_status", _("Status izin"), [str(label) for _v, label in PermitStatus.choices]
                ),
            ],
            title=_("Petunjuk impor riwayat laporan bulanan"),
            instructions=[
                _("Isi satu baris per BLK per bulan di lembar %(sheet)s, mulai baris 2. Hapus baris contoh.")
                % {"sheet": self.sheet},
                _(
                    "Berkas ekspor laporan bulanan dari portal juga dapat diunggah apa adanya; kolom yang tidak "
                    "ada di templat ini tidak dibaca."
                ),
                _(
                    "Hanya bulan sejak awal pemantauan (%(start)s) yang sudah berakhir. Bulan yang sudah memiliki "
                    "laporan di portal ditolak, tidak ditimpa."
                )
                % {"start": month_label(facts.facts_start())},
                _(
                    "Pertama diajukan: tanggal laporan itu dulu diajukan. Tepat waktu dinilai dari tanggal ini "
                    "terhadap tenggat yang berlaku untuk bulannya."
                ),
                _("Laporan yang diimpor tercatat disetujui dan dihitung di dasbor dan peringkat."),
                *imports.COMMON_INSTRUCTIONS,
            ],
        )

    def upload_url(self, params):
        return reverse("monitoring:history_import")

    def template_url(self, params):
        return reverse("monitoring:history_import_template")

    def crumbs(self, params):
        return [(_("Impor data"), reverse("registry:import_list"))]

    def steps(self, params):
        return [
            _(
                "Isi satu baris per BLK per bulan, dengan tanggal pengajuan aslinya. Berkas ekspor laporan bulanan "
                "juga dapat dipakai."
            ),
            _(
                "Unggah berkasnya. Portal memeriksa setiap baris dulu; tidak ada yang disimpan sebelum Anda "
                "konfirmasi. Laporan yang sudah ada di portal tidak ditimpa."
            ),
        ]

    def confirm_text(self, summary):
        return _(
            "Menerapkan impor ini menambahkan %(c)s laporan bulanan lama sebagai laporan yang disetujui, ditandai "
            "diimpor, atas nama Anda. Dasbor dan peringkat dihitung ulang untuk bulan-bulan itu."
        ) % {"c": summary.get(imports.CREATE, 0)}
