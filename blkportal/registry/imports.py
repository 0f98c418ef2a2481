"""Import of the centre registry from a spreadsheet: template, dry run, confirmation, application.

Flow: upload -> a Celery job reads the file and checks every row with the same CentreForm the web
page uses (plus region-name matching and the user's scope) without writing anything -> the page
shows how many rows will be created, updated, left unchanged and rejected, with every rejected cell
-> the user confirms -> the job checks the same file again and, only if it is still clean, applies
every row in one transaction through centre_create / centre_update, recorded in history with the
acting user and the file name. Rows are matched by registration code (case-insensitive), so
importing the same file again changes nothing.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blkportal.core import spreadsheets
from blkportal.core.errors import DomainError
from blkportal.core.models import IMPORT_KEEP, ImportJob, ImportStatus
from blkportal.core.months import now as clock_now
from blkportal.core.spreadsheets import Column

from . import access, services
from .access import Perm
from .forms import CentreImportForm
from .models import Centre, HostType, Kejuruan
from .region_names import RegencyMatcher

KIND = "centres"
SHEET = "BLK"
MAX_ROWS = 20_000
MAX_PROBLEMS_KEPT = 1_000
STATUS_ACTIVE, STATUS_INACTIVE = "aktif", "nonaktif"

COLUMNS = [
    Column(gettext_lazy("Kode registrasi"), "reg_code", True, gettext_lazy("Kode unik BLK, mis. BLKK-3204-001")),
    Column(gettext_lazy("Nama BLK"), "name", True),
    Column(gettext_lazy("Nama lembaga induk"), "host_name", True),
    Column(gettext_lazy("Jenis lembaga induk"), "host_type", True, gettext_lazy("Pilih dari daftar")),
    Column(gettext_lazy("Alamat"), "address"),
    Column(gettext_lazy("Kabupaten/kota"), "regency", True, gettext_lazy("Kode (32.04) atau nama resmi")),
    Column(gettext_lazy("Tahun dibangun"), "cohort_year", True),
    Column(gettext_lazy("Tanggal aktif"), "activated_on", True, gettext_lazy("Mis. 17/08/2025")),
    Column(gettext_lazy("Kejuruan"), "kejuruan", False, gettext_lazy("Satu atau lebih, dipisah titik koma")),
    Column(gettext_lazy("Inkubator"), "is_incubator", False, gettext_lazy("Ya atau Tidak")),
    Column(gettext_lazy("Tahun inkubator"), "incubator_year"),
    Column(gettext_lazy("Perguruan tinggi mitra"), "incubator_university"),
    Column(gettext_lazy("Nama kontak"), "contact_name"),
    Column(gettext_lazy("Telepon kontak"), "contact_phone"),
    Column(gettext_lazy("E-mail kontak"), "contact_email"),
    Column(gettext_lazy("Status"), "status", False, gettext_lazy("Aktif atau Nonaktif")),
    Column(gettext_lazy("Tanggal nonaktif"), "deactivated_on", False, gettext_lazy("Wajib bila Nonaktif")),
]
HEADER = {c.field: c.header for c in COLUMNS}
FORM_FIELDS = [
    "reg_code",
    "name",
    "host_name",
    "host_type",
    "address",
    "regency",
    "cohort_year",
    "activated_on",
    "is_incubator",
    "incubator_year",
    "incubator_university",
    "contact_name",
    "contact_phone",
    "contact_email",
]


@dataclass
class RowPlan:
    number: int
    action: str  # create | update | unchanged | rejected
    centre: Centre | None = None
    data: dict = field(default_factory=dict)
    kejuruan: list = field(default_factory=list)


@dataclass
class Plan:
    sheet: str
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)

    def summary(self) -> dict:
        counts = {"create": 0, "update": 0, "unchanged": 0, "rejected": 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts


class _Checker:
    """Checks rows against the registry as it is now; one instance per dry run (lookups loaded once)."""

    def __init__(self, by, codes: list[str]):
        self.by = by
        self.matcher = RegencyMatcher()
        self.scope = set(access.provinces_for(by, Perm.MANAGE_CENTRES).values_list("code", flat=True))
        self.existing = {
            c.code_key: c
            for c in Centre.objects.annotate(code_key=Lower("reg_code"))
            .filter(code_key__in=[c.lower() for c in codes])
            .prefetch_related("kejuruan")
        }
        self.kejuruan = {}
        for k in Kejuruan.objects.all():
            self.kejuruan[_fold(k.name)] = k
            self.kejuruan[_fold(k.code)] = k
        self.kejuruan_by_pk = {str(k.pk): k for k in self.kejuruan.values()}
        self.host_types = {}
        for value, label in HostType.choices:
            self.host_types[_fold(value)] = value
            self.host_types[_fold(str(label))] = value
        self.seen: dict[str, int] = {}

    def check(self, number: int, values: dict, plan: Plan) -> RowPlan:
        problems: list[tuple[str, str]] = []
        form_data = {name: values.get(name, "") for name in FORM_FIELDS}
        code = values.get("reg_code", "").strip()
        existing = self.existing.get(code.lower()) if code else None

        if code and code.lower() in self.seen:
            problems.append(
                (
                    "reg_code",
                    _("Kode ini sudah dipakai di baris %(row)s berkas ini.") % {"row": self.seen[code.lower()]},
                )
            )
        elif code:
            self.seen[code.lower()] = number

        regency = None
        if values.get("regency"):
            match = self.matcher.match(values["regency"])
            if match.regency is None:
                hint = (
                    _(" Mungkin maksud Anda: %(names)s.") % {"names": "; ".join(match.suggestions)}
                    if match.suggestions
                    else ""
                )
                problems.append(("regency", _("Kabupaten/kota tidak dikenali.") + hint))
            else:
                regency = match.regency
                form_data["regency"] = regency.code
        if values.get("host_type"):
            host = self.host_types.get(_fold(values["host_type"]))
            if host is None:
                problems.append(("host_type", _("Jenis lembaga induk tidak dikenal. Pilih dari daftar di templat.")))
            form_data["host_type"] = host or values["host_type"]
        for name in ("cohort_year", "incubator_year"):
            if values.get(name):
                number_value = spreadsheets.parse_number(values[name])
                if number_value is None or number_value != number_value.to_integral_value():
                    problems.append((name, _("Isi tahun dengan angka, mis. 2019.")))
                else:
                    form_data[name] = str(int(number_value))
        for name in ("activated_on", "deactivated_on"):
            if values.get(name):
                day = spreadsheets.parse_date(values[name])
                if day is None:
                    problems.append((name, _("Tanggal tidak dikenali. Tulis mis. 17/08/2025 atau 2025-08-17.")))
                form_data[name] = day.isoformat() if day else ""
        incubator = spreadsheets.parse_yes_no(values.get("is_incubator", ""))
        if incubator is None:
            problems.append(("is_incubator", _("Isi Ya atau Tidak.")))
        form_data["is_incubator"] = "on" if incubator else ""
        kejuruan, unknown = [], []
        for part in re.split(r"[;,\n]", values.get("kejuruan", "")):
            if part.strip():
                found = self.kejuruan.get(_fold(part))
                (kejuruan.append(found) if found else unknown.append(part.strip()))
        if unknown:
            problems.append(("kejuruan", _("Kejuruan tidak dikenal: %(names)s.") % {"names": ", ".join(unknown)}))
        form_data["kejuruan"] = [str(k.pk) for k in kejuruan]
        status = _fold(values.get("status", "")) or STATUS_ACTIVE
        deactivated_on = None
        if status not in (STATUS_ACTIVE, STATUS_INACTIVE):
            problems.append(("status", _("Isi Aktif atau Nonaktif.")))
        elif status == STATUS_INACTIVE:
            deactivated_on = spreadsheets.parse_date(values.get("deactivated_on", ""))
            if deactivated_on is None and not any(f == "deactivated_on" for f, _m in problems):
                problems.append(("deactivated_on", _("BLK nonaktif membutuhkan tanggal nonaktif.")))
        if regency is not None and regency.province_id not in self.scope:
            problems.append(("regency", _("Wilayah ini di luar cakupan Anda; baris ditolak.")))
        if existing is not None and existing.province_id not in self.scope:
            problems.append(("reg_code", _("BLK ini di luar cakupan Anda; baris ditolak.")))

        # The form writes cleaned values onto the instance it validates: compare against a copy.
        before = {name: getattr(existing, name) for name in [*FORM_FIELDS, "deactivated_on"]} if existing else {}
        form = CentreImportForm(
            form_data, instance=existing, regencies=self.matcher.by_code, kejuruan=self.kejuruan_by_pk
        )
        if form.is_valid() and deactivated_on and deactivated_on < form.cleaned_data["activated_on"]:
            problems.append(("deactivated_on", _("Tanggal nonaktif tidak boleh sebelum tanggal aktif.")))
        if not form.is_valid():
            already = {f for f, _m in problems}
            for name, errors in form.errors.items():
                target = name if name in HEADER else "reg_code"
                if target not in already:
                    problems.extend((target, str(e)) for e in errors)

        if problems:
            for name, message in problems:
                plan.problems.append(
                    {
                        "sheet": plan.sheet,
                        "row": number,
                        "column": str(HEADER.get(name, name)),
                        "value": values.get(name, "")[:200],
                        "message": message,
                    }
                )
            return RowPlan(number, "rejected")

        data = {k: v for k, v in form.cleaned_data.items() if k != "kejuruan"}
        data["deactivated_on"] = deactivated_on
        if existing is None:
            return RowPlan(number, "create", None, data, kejuruan)
        changed = any(before[k] != v for k, v in data.items() if k in before) or {k.pk for k in kejuruan} != {
            k.pk for k in existing.kejuruan.all()
        }
        return RowPlan(number, "update" if changed else "unchanged", existing, data, kejuruan)


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", str(text or "").lower())


def _plan(job: ImportJob, *, by, progress=None) -> Plan:
    with job.file.open("rb") as handle:
        table = spreadsheets.read_table(
            handle, columns=COLUMNS, max_rows=MAX_ROWS, sheet_name=SHEET, file_name=job.file_name
        )
    checker = _Checker(by, [values.get("reg_code", "") for _n, values in table.rows])
    plan = Plan(sheet=table.sheet)
    total = max(1, len(table.rows))
    for index, (number, values) in enumerate(table.rows, start=1):
        plan.rows.append(checker.check(number, values, plan))
        if progress and index % 200 == 0:
            progress(int(90 * index / total))
    return plan


# --- services ---------------------------------------------------------------------------------


def centre_import_start(*, by, upload, now=None) -> ImportJob:
    """Keep the uploaded file privately and queue its dry run."""
    access.check(by, Perm.MANAGE_CENTRES)
    if upload is None:
        raise DomainError(_("Pilih berkas .xlsx atau .csv."), field="file")
    if upload.size > spreadsheets.MAX_UPLOAD_BYTES:
        raise DomainError(_("Berkas lebih dari 10 MB. Pecah menjadi beberapa berkas."), field="file")
    now = now or clock_now()
    job = ImportJob(kind=KIND, owner=by, file_name=upload.name[:200], expires_at=now + IMPORT_KEEP, created_at=now)
    job.file.save(f"{KIND}.bin", upload, save=False)
    job.save()
    from .tasks import centre_import_check_task

    transaction.on_commit(lambda: centre_import_check_task.delay(job.pk))
    return job


def centre_import_check(*, job_id: int) -> ImportJob | None:
    """The dry run: read and check every row, write nothing but the job's summary and problems."""
    job = ImportJob.objects.select_related("owner").filter(pk=job_id, kind=KIND).first()
    if job is None or job.status not in (ImportStatus.QUEUED, ImportStatus.CHECKING):
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING, progress=0)

    def progress(percent):
        ImportJob.objects.filter(pk=job.pk).update(progress=percent)

    try:
        plan = _plan(job, by=job.owner, progress=progress)
    except DomainError as exc:
        job.status, job.error_message, job.problems = ImportStatus.FAILED, exc.message, []
        job.summary = {}
    else:
        job.status, job.error_message = ImportStatus.CHECKED, ""
        job.summary = {**plan.summary(), "sheet": plan.sheet}
        job.problems = plan.problems[:MAX_PROBLEMS_KEPT]
    job.progress, job.checked_at = 100, timezone.now()
    job.save(update_fields=["status", "error_message", "summary", "problems", "progress", "checked_at"])
    return job


def centre_import_confirm(*, job: ImportJob, by) -> ImportJob:
    """The owner confirms a clean dry run; the application runs as a job."""
    if job.owner_id != by.pk:
        raise DomainError(_("Impor ini milik pengguna lain."), code="forbidden")
    access.check(by, Perm.MANAGE_CENTRES)
    if job.status != ImportStatus.CHECKED:
        raise DomainError(_("Impor ini tidak menunggu konfirmasi (status: %(s)s).") % {"s": job.get_status_display()})
    if job.expires_at <= clock_now():
        raise DomainError(_("Hasil pemeriksaan sudah kedaluwarsa. Unggah berkasnya lagi."))
    if not job.can_confirm:
        raise DomainError(_("Perbaiki semua baris yang ditolak lalu unggah lagi; tidak ada yang diterapkan."))
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.APPLYING, progress=0
    )
    if not updated:
        raise DomainError(_("Impor ini baru saja dikonfirmasi."))
    from .tasks import centre_import_apply_task

    transaction.on_commit(lambda: centre_import_apply_task.delay(job.pk))
    job.refresh_from_db()
    return job


def centre_import_apply(*, job_id: int) -> ImportJob | None:
    """Check the file again and apply every row in one transaction; any problem now applies nothing."""
    job = ImportJob.objects.select_related("owner").filter(pk=job_id, kind=KIND).first()
    if job is None or job.status != ImportStatus.APPLYING:
        return job
    reason = _("Impor berkas %(name)s") % {"name": job.file_name}
    try:
        with transaction.atomic():
            plan = _plan(job, by=job.owner)
            if plan.problems:
                raise DomainError(
                    _("Data berubah sejak pemeriksaan: %(count)s baris kini ditolak. Tidak ada yang diterapkan.")
                    % {"count": plan.summary()["rejected"]}
                )
            if {**plan.summary(), "sheet": plan.sheet} != job.summary:
                # Someone changed the registry meanwhile: what was confirmed is no longer what applies.
                raise DomainError(
                    _("Registri berubah sejak pemeriksaan. Tidak ada yang diterapkan; unggah berkasnya lagi.")
                )
            for row in plan.rows:
                if row.action == "create":
                    services.centre_create(by=job.owner, data=row.data, kejuruan=row.kejuruan, reason=reason)
                elif row.action == "update":
                    services.centre_update(
                        centre=row.centre, by=job.owner, data=row.data, kejuruan=row.kejuruan, reason=reason
                    )
    except DomainError as exc:
        job.status, job.error_message = ImportStatus.FAILED, exc.message
        job.problems = plan.problems[:MAX_PROBLEMS_KEPT] if "plan" in locals() else []
    else:
        job.status, job.error_message, job.applied_at = ImportStatus.APPLIED, "", timezone.now()
        job.summary = {**plan.summary(), "sheet": plan.sheet}
        job.file.delete(save=False)
    job.progress = 100
    job.save()
    return job


def import_expire_old(*, now=None) -> int:
    """Delete the files of dry runs nobody confirmed in time."""
    now = now or clock_now()
    count = 0
    for job in ImportJob.objects.filter(expires_at__lte=now).exclude(
        status__in=[ImportStatus.APPLIED, ImportStatus.EXPIRED, ImportStatus.APPLYING]
    ):
        if job.file:
            job.file.delete(save=False)
        job.status = ImportStatus.EXPIRED
        job.save(update_fields=["status", "file"])
        count += 1
    return count


# --- the template -----------------------------------------------------------------------------


def centre_template_xlsx() -> bytes:
    """The empty registry sheet: header row, one example row, drop-down lists, instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    from .models import Regency

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    refs = book.create_sheet(_("Referensi"))
    guide = book.create_sheet(_("Petunjuk"))

    headers = [str(c.header) + (" *" if c.required else "") for c in COLUMNS]
    sheet.append(headers)
    bold = Font(bold=True, color="FFFFFF")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.alignment = bold, Alignment(wrap_text=True, vertical="top")
        cell.fill = PatternFill("solid", fgColor="1F4E79" if column.required else "5B7FA6")
        sheet.column_dimensions[get_column_letter(index)].width = max(14, min(40, len(headers[index - 1]) + 6))
    sheet.freeze_panes = "A2"
    sheet.append(
        [
            "BLKK-0000-001",
            "BLK Komunitas Contoh",
            "Pondok Pesantren Contoh",
            str(HostType.PESANTREN.label),
            "Jl. Contoh No. 1",
            "Kabupaten Bandung",
            2019,
            "01/07/2019",
            "Teknik Las; Teknik Informatika",
            "Tidak",
            None,
            None,
            "Budi",
            "081234567890",
            "blk@contoh.id",
            "Aktif",
            None,
        ]
    )

    regencies = list(Regency.objects.order_by("code").values_list("name", flat=True))
    kejuruan = list(Kejuruan.objects.filter(is_active=True).order_by("name").values_list("name", flat=True))
    host_types = [str(label) for _v, label in HostType.choices]
    lists = {"A": regencies, "B": kejuruan, "C": host_types, "D": [_("Aktif"), _("Nonaktif")], "E": ["Ya", "Tidak"]}
    titles = {"A": _("Kabupaten/kota"), "B": _("Kejuruan"), "C": _("Jenis lembaga induk"), "D": _("Status"), "E": ""}
    for letter, values in lists.items():
        refs[f"{letter}1"] = titles[letter]
        for row, value in enumerate(values, start=2):
            refs[f"{letter}{row}"] = value
    refs.sheet_state = "hidden"

    def validate(field_name: str, letter: str, strict: bool = True):
        column = get_column_letter(next(i for i, c in enumerate(COLUMNS, start=1) if c.field == field_name))
        source = f"{quote_sheetname(refs.title)}!${letter}$2:${letter}${len(lists[letter]) + 1}"
        rule = DataValidation(type="list", formula1=source, allow_blank=True)
        # Several kejuruan go in one cell, so that list only suggests and warns.
        rule.errorStyle = "stop" if strict else "information"
        rule.error = _("Pilih dari daftar.")
        sheet.add_data_validation(rule)
        rule.add(f"{column}2:{column}{MAX_ROWS + 1}")

    validate("regency", "A")
    validate("kejuruan", "B", strict=False)
    validate("host_type", "C")
    validate("status", "D")
    validate("is_incubator", "E")
    for field_name in ("cohort_year", "incubator_year"):
        column = get_column_letter(next(i for i, c in enumerate(COLUMNS, start=1) if c.field == field_name))
        rule = DataValidation(type="whole", operator="between", formula1="2017", formula2="2100", allow_blank=True)
        rule.error = _("Isi tahun dengan angka, mis. 2019.")
        sheet.add_data_validation(rule)
        rule.add(f"{column}2:{column}{MAX_ROWS + 1}")

    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 90
    guide.append([_("Petunjuk impor registri BLK Komunitas")])
    guide["A1"].font = Font(bold=True, size=14)
    instructions = [
        _("Isi satu baris per BLK di lembar %(sheet)s, mulai baris 2. Hapus baris contoh.") % {"sheet": SHEET},
        _("Kolom bertanda * wajib diisi. Jangan ubah, hapus atau gabungkan judul kolom."),
        _("BLK dicocokkan dengan kode registrasi: kode yang sudah ada diperbarui, kode baru didaftarkan."),
        _("Kabupaten/kota: pilih dari daftar, atau tulis kode resmi (mis. 32.04) atau namanya."),
        _("Tanggal: 17/08/2025, 2025-08-17 atau 17 Agustus 2025."),
        _("Jangan memakai rumus; tempel sebagai nilai. Berkas paling besar 10 MB."),
        _(
            "Setelah diunggah, portal menampilkan hasil pemeriksaan dulu; tidak ada yang disimpan "
            "sebelum Anda konfirmasi."
        ),
    ]
    for number, text in enumerate(instructions, start=1):
        guide.append([str(number), text])
    guide.append([])
    guide.append([_("Kolom"), _("Keterangan")])
    for column in COLUMNS:
        guide.append([str(column.header) + (" *" if column.required else ""), str(column.help)])
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
