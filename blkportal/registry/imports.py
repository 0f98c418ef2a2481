"""Import of the centre registry from a spreadsheet (the first kind of import; the flow is
blkportal/core/imports.py): template, dry run, confirmation, application.

Every row is checked with the same CentreForm the web page uses (plus region-name matching and the
user's scope); the application goes through centre_create / centre_update, recorded in each centre's
history with the acting user and the file name. Rows are matched by registration code
(case-insensitive), so importing the same file again changes nothing.

The accounts import (blkportal/registry/imports_accounts.py) is the registry's other kind; it is
imported at the end of this module, which is the one Django's autodiscovery finds.
"""

from __future__ import annotations

import re

from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blkportal.core import imports, spreadsheets
from blkportal.core.models import ImportJob
from blkportal.core.spreadsheets import Column

from . import access, services
from .access import Perm
from .forms import CentreImportForm
from .models import Centre, HostType, Kejuruan
from .region_names import RegencyMatcher

KIND = "centres"
SHEET = "BLK"
MAX_ROWS = 20_000
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


class CentreChecker(imports.Checker):
    """Checks rows against the registry as it is now; one instance per dry run (lookups loaded once)."""

    def prepare(self, rows):
        by = self.by
        codes = [values.get("reg_code", "") for _n, values in rows]
        self.matcher = RegencyMatcher()
        self.scope = set(access.provinces_for(by, Perm.MANAGE_CENTRES).values_list("code", flat=True))
        self.existing = {
            c.code_key: c
            for c in Centre.objects.annotate(code_key=Lower("reg_code"))
            .filter(code_key__in=[c.lower() for c in codes])
            .prefetch_related("kejuruan")
        }
        self.kejuruan = imports.fold_index(Kejuruan.objects.all(), "name", "code")
        self.kejuruan_by_pk = {str(k.pk): k for k in self.kejuruan.values()}
        self.host_types = imports.fold_choices(HostType.choices)

    def check(self, number: int, values: dict) -> imports.Row:
        problems: list[tuple[str, str]] = []
        form_data = {name: values.get(name, "") for name in FORM_FIELDS}
        code = values.get("reg_code", "").strip()
        existing = self.existing.get(code.lower()) if code else None

        earlier = self.earlier_row(code.lower(), number) if code else None
        if earlier:
            problems.append(("reg_code", _("Kode ini sudah dipakai di baris %(row)s berkas ini.") % {"row": earlier}))

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
            host = self.host_types.get(imports.fold(values["host_type"]))
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
                found = self.kejuruan.get(imports.fold(part))
                (kejuruan.append(found) if found else unknown.append(part.strip()))
        if unknown:
            problems.append(("kejuruan", _("Kejuruan tidak dikenal: %(names)s.") % {"names": ", ".join(unknown)}))
        form_data["kejuruan"] = [str(k.pk) for k in kejuruan]
        status = imports.fold(values.get("status", "")) or STATUS_ACTIVE
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
            return imports.Row(number, problems=problems)

        data = {k: v for k, v in form.cleaned_data.items() if k != "kejuruan"}
        data["deactivated_on"] = deactivated_on
        data["kejuruan"] = kejuruan
        if existing is None:
            return imports.Row(number, imports.CREATE, data=data)
        kejuruan_before = sorted(k.pk for k in existing.kejuruan.all())
        changed = (
            any(before[k] != v for k, v in data.items() if k in before)
            or sorted(k.pk for k in kejuruan) != kejuruan_before
        )
        basis = [[k, before[k]] for k in sorted(before)] + [["kejuruan", kejuruan_before]]
        return imports.Row(
            number, imports.UPDATE if changed else imports.UNCHANGED, target=existing, data=data, basis=basis
        )


@imports.register
class CentreImport(imports.ImportKind):
    name = KIND
    order = 10
    description = gettext_lazy("Mendaftarkan BLK baru dan memperbarui data BLK, dicocokkan dengan kode registrasi.")
    sheet = SHEET
    columns = COLUMNS
    checker = CentreChecker
    fallback_field = "reg_code"
    title = gettext_lazy("Impor registri BLK dari Excel")
    template_filename = "templat-registri-blk.xlsx"
    changed_message = gettext_lazy(
        "Registri berubah sejak pemeriksaan. Tidak ada yang diterapkan; unggah berkasnya lagi."
    )
    nothing_message = gettext_lazy("Tidak ada yang perlu diubah: semua baris sudah sama dengan registri.")

    @property
    def max_rows(self):
        return MAX_ROWS

    def check_access(self, by, params):
        access.check(by, Perm.MANAGE_CENTRES)

    def apply(self, plan, *, job, by, reason, now):
        for row in plan.rows:
            data = dict(row.data)
            kejuruan = data.pop("kejuruan", [])
            if row.action == imports.CREATE:
                services.centre_create(by=by, data=data, kejuruan=kejuruan, reason=reason)
            elif row.action == imports.UPDATE:
                services.centre_update(centre=row.target, by=by, data=data, kejuruan=kejuruan, reason=reason)

    example_key = ("reg_code", "name")

    def example(self):
        return dict(
            zip(
                [c.field for c in self.columns],
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
                ],
                strict=True,
            )
        )

    def template_xlsx(self, *, by, params):
        return centre_template_xlsx()

    def upload_url(self, params):
        return reverse("registry:centre_import")

    def template_url(self, params):
        return reverse("registry:centre_import_template")

    def crumbs(self, params):
        return [(_("Registri BLK"), reverse("registry:centre_list"))]

    def steps(self, params):
        return [
            _(
                "Isi satu baris per BLK. BLK dicocokkan dengan kode registrasi: kode yang ada diperbarui, "
                "kode baru didaftarkan."
            ),
            _(
                "Unggah berkasnya. Portal memeriksa setiap baris dulu dan menampilkan hasilnya; tidak ada yang "
                "disimpan sebelum Anda konfirmasi."
            ),
        ]

    def confirm_text(self, summary):
        return _(
            "Menerapkan impor ini mendaftarkan %(c)s BLK baru dan memperbarui %(u)s BLK. Perubahan tercatat di "
            "riwayat setiap BLK atas nama Anda."
        ) % {"c": summary.get("create", 0), "u": summary.get("update", 0)}


# --- services (the registry's names for the generic flow; the bench and older callers use them) ----


def centre_import_start(*, by, upload, now=None) -> ImportJob:
    """Keep the uploaded file privately and queue its dry run."""
    return imports.import_start(kind=KIND, by=by, upload=upload, now=now)


def centre_import_check(*, job_id: int) -> ImportJob | None:
    return imports.import_check(job_id=job_id)


def centre_import_confirm(*, job: ImportJob, by) -> ImportJob:
    return imports.import_confirm(job=job, by=by)


def centre_import_apply(*, job_id: int) -> ImportJob | None:
    return imports.import_apply(job_id=job_id)


# --- the template -----------------------------------------------------------------------------


def centre_template_xlsx() -> bytes:
    """The empty registry sheet: header row, one example row, drop-down lists, instructions."""
    from .models import Regency

    regencies = list(Regency.objects.order_by("code").values_list("name", flat=True))
    kejuruan = list(Kejuruan.objects.filter(is_active=True).order_by("name").values_list("name", flat=True))
    year = (2017, 2100, _("Isi tahun dengan angka, mis. 2019."))
    return imports.template_workbook(
        imports.get_kind(KIND),
        lists=[
            imports.TemplateList("regency", _("Kabupaten/kota"), regencies),
            # Several kejuruan go in one cell, so that list only suggests and warns.
            imports.TemplateList("kejuruan", _("Kejuruan"), kejuruan, strict=False),
            imports.TemplateList("host_type", _("Jenis lembaga induk"), [str(label) for _v, label in HostType.choices]),
            imports.TemplateList("status", _("Status"), [_("Aktif"), _("Nonaktif")]),
            imports.TemplateList("is_incubator", "", ["Ya", "Tidak"]),
        ],
        whole_numbers={"cohort_year": year, "incubator_year": year},
        title=_("Petunjuk impor registri BLK Komunitas"),
        instructions=[
            _("Isi satu baris per BLK di lembar %(sheet)s, mulai baris 2. Hapus baris contoh.") % {"sheet": SHEET},
            _("BLK dicocokkan dengan kode registrasi: kode yang sudah ada diperbarui, kode baru didaftarkan."),
            _("Kabupaten/kota: pilih dari daftar, atau tulis kode resmi (mis. 32.04) atau namanya."),
            *imports.COMMON_INSTRUCTIONS,
        ],
    )


from . import imports_accounts  # noqa: E402, F401 - registers the accounts import
