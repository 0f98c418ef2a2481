"""Import of one centre's training batches from a spreadsheet (the flow is blkportal/core/imports.py).

Run from the centre's batch page by whoever may edit its reports. Each row is checked with the batch
form's fields (BatchImportForm), every batch rule of reporting/rules.py and the month's lock (a batch
belongs to the report of the month it ends in, which must still be open); the application goes
through batch_create / batch_update, recorded in each batch's history with the user and the file.

Rows are matched to the centre's batches by "ID angkatan" when given (the batches export has it),
else by programme name (case and spacing ignored), start date and kejuruan, so importing the same
file again changes nothing. The export's own columns (Kode BLK, Nama BLK, ...) may stay in the file:
a row whose Kode BLK names another centre is rejected; the others are not read.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blkportal.core import imports, spreadsheets
from blkportal.core.errors import DomainError
from blkportal.core.months import add_months, first_of_month, today
from blkportal.core.spreadsheets import Column
from blkportal.registry import access
from blkportal.registry.access import Perm
from blkportal.registry.models import Centre, Kejuruan

from . import rules, services
from .fields import BATCH_COUNT_FIELDS, BATCH_INPUT_FIELDS
from .forms import BatchImportForm
from .models import FundingSource, TrainingBatch
from .policy import batch_month_block_reason

KIND = "batches"
SHEET = "Angkatan"
MAX_ROWS = 2_000

COLUMNS = [
    Column(gettext_lazy("ID angkatan"), "batch_id", False, gettext_lazy("Kosong untuk angkatan baru")),
    Column(gettext_lazy("Kejuruan"), "kejuruan", True, gettext_lazy("Pilih dari daftar")),
    Column(gettext_lazy("Nama program"), "program_name", True),
    Column(gettext_lazy("Sumber dana"), "funding_source", True, gettext_lazy("Pilih dari daftar")),
    Column(gettext_lazy("Tanggal mulai"), "start_date", True, gettext_lazy("Mis. 17/08/2025")),
    Column(gettext_lazy("Tanggal selesai"), "end_date", True, gettext_lazy("Mis. 30/09/2025")),
    Column(gettext_lazy("Jam pelatihan (JP)"), "hours_jp", True, gettext_lazy("1 JP = 45 menit")),
    Column(gettext_lazy("Peserta laki-laki"), "enrolled_male", True, gettext_lazy("Kosong = 0")),
    Column(gettext_lazy("Peserta perempuan"), "enrolled_female", True, gettext_lazy("Kosong = 0")),
    Column(gettext_lazy("Lulus"), "graduated", False, gettext_lazy("Isi setelah angkatan selesai; kosong = 0")),
    Column(gettext_lazy("Tidak lulus"), "failed", False, gettext_lazy("Kosong = 0")),
    Column(gettext_lazy("Mengundurkan diri"), "withdrawn", False, gettext_lazy("Kosong = 0")),
    Column(gettext_lazy("Bersertifikat kompetensi"), "certified", False, gettext_lazy("Kosong = 0")),
    Column(gettext_lazy("Peserta santri/anggota lembaga"), "santri_count", False, gettext_lazy("Kosong = 0")),
    Column(gettext_lazy("Peserta warga umum"), "umum_count", False, gettext_lazy("Kosong = 0")),
    # Columns of the batches export, accepted so an export can come back: the code is checked,
    # the rest is not read.
    Column(gettext_lazy("Kode BLK"), "centre_code", False, gettext_lazy("Boleh kosong; bila diisi harus BLK ini")),
    Column(gettext_lazy("Nama BLK"), "centre_name", False, gettext_lazy("Tidak dibaca")),
    Column(gettext_lazy("Provinsi"), "province_name", False, gettext_lazy("Tidak dibaca")),
    Column(gettext_lazy("Kabupaten/kota"), "regency_name", False, gettext_lazy("Tidak dibaca")),
    Column(gettext_lazy("Jumlah peserta"), "enrolled_total", False, gettext_lazy("Tidak dibaca")),
    Column(gettext_lazy("Tingkat kelulusan"), "completion_rate", False, gettext_lazy("Tidak dibaca")),
]
TEMPLATE_COLUMNS = 15  # the template shows the batch's own columns only


def _stored(batch: TrainingBatch, name: str):
    """A batch's value of `name` as stored (the kejuruan by id: no query)."""
    return batch.kejuruan_id if name == "kejuruan" else getattr(batch, name)


def _key(program_name: str, start_date, kejuruan_id) -> tuple:
    return (imports.fold(program_name), start_date, kejuruan_id)


class BatchChecker(imports.Checker):
    """Checks rows against the centre's batches and reports as they are now (loaded once)."""

    def prepare(self, rows):
        self.centre = Centre.objects.select_related("province").get(pk=self.params["centre_id"])
        self.today = today(self.now)
        self.batches = {b.pk: b for b in TrainingBatch.objects.filter(centre=self.centre)}
        self.by_key = {_key(b.program_name, b.start_date, b.kejuruan_id): b for b in self.batches.values()}
        self.kejuruan: dict[str, Kejuruan] = imports.fold_index(Kejuruan.objects.all(), "name", "code")
        self.kejuruan_by_pk = {str(k.pk): k for k in self.kejuruan.values()}
        self.funding = imports.fold_choices(FundingSource.choices)
        self.block_reasons: dict = {}

    def _blocked(self, end_date) -> str | None:
        month = first_of_month(end_date)
        if month not in self.block_reasons:
            self.block_reasons[month] = batch_month_block_reason(self.centre, month, self.now)
        return self.block_reasons[month]

    def check(self, number: int, values: dict) -> imports.Row:
        problems: list[tuple[str, str]] = []
        centre = self.centre
        code = values.get("centre_code", "").strip()
        if code and code.lower() != centre.reg_code.lower():
            problems.append(
                (
                    "centre_code",
                    _("Baris ini untuk BLK lain; impor ini hanya untuk %(centre)s (%(code)s). Baris ditolak.")
                    % {"centre": centre.name, "code": centre.reg_code},
                )
            )
        existing = None
        if values.get("batch_id"):
            number_value = spreadsheets.parse_number(values["batch_id"])
            existing = self.batches.get(int(number_value)) if number_value is not None else None
            if existing is None:
                problems.append(("batch_id", _("Angkatan dengan ID ini tidak ada di BLK ini.")))

        form_data = {"program_name": values.get("program_name", "")}
        kejuruan = self.kejuruan.get(imports.fold(values.get("kejuruan", "")))
        if values.get("kejuruan") and kejuruan is None:
            problems.append(("kejuruan", _("Kejuruan tidak dikenal. Pilih dari daftar di templat.")))
        form_data["kejuruan"] = str(kejuruan.pk) if kejuruan else ""
        funding = self.funding.get(imports.fold(values.get("funding_source", "")))
        if values.get("funding_source") and funding is None:
            problems.append(("funding_source", _("Sumber dana tidak dikenal. Pilih dari daftar di templat.")))
        form_data["funding_source"] = funding or ""
        for name in ("start_date", "end_date"):
            day = spreadsheets.parse_date(values.get(name, ""))
            if values.get(name) and day is None:
                problems.append((name, _("Tanggal tidak dikenali. Tulis mis. 17/08/2025 atau 2025-08-17.")))
            form_data[name] = day.isoformat() if day else ""
        for name in BATCH_COUNT_FIELDS:
            text = values.get(name, "")
            number_value = spreadsheets.parse_number(text) if text else None
            if not text:
                form_data[name] = "0"
            elif number_value is not None and number_value == number_value.to_integral_value():
                form_data[name] = str(int(number_value))
            else:
                form_data[name] = text  # the form says what is wrong with it

        form = BatchImportForm(form_data, instance=TrainingBatch(centre=centre), kejuruan=self.kejuruan_by_pk)
        if not form.is_valid():
            already = {f for f, _m in problems}
            for name, errors in form.errors.items():
                target = name if name in BATCH_INPUT_FIELDS else "program_name"
                if target not in already:
                    problems.extend((target, str(e)) for e in errors)
            return imports.Row(number, problems=problems)

        data = {name: form.cleaned_data[name] for name in BATCH_INPUT_FIELDS}
        probe = TrainingBatch(centre=centre, **data)
        for problem in rules.batch_problems(probe, today=self.today):
            problems.append((problem.field if problem.field in BATCH_INPUT_FIELDS else "program_name", problem.message))
        key = _key(data["program_name"], data["start_date"], data["kejuruan"].pk)
        existing = existing or self.by_key.get(key)
        earlier = self.earlier_row(("batch", existing.pk) if existing else key, number)
        if earlier:
            problems.append(
                ("program_name", _("Angkatan ini sudah ada di baris %(row)s berkas ini.") % {"row": earlier})
            )
        changed = existing is None or any(_stored(existing, name) != _stored(probe, name) for name in data)
        if changed:
            ends = {data["end_date"]} | ({existing.end_date} if existing else set())
            for end_date in sorted(ends):
                reason = self._blocked(end_date)
                if reason:
                    problems.append(("end_date", reason))
                    break
        if problems:
            return imports.Row(number, problems=problems)
        if existing is None:
            return imports.Row(number, imports.CREATE, data=data)
        basis = [[name, _stored(existing, name)] for name in BATCH_INPUT_FIELDS]
        return imports.Row(
            number, imports.UPDATE if changed else imports.UNCHANGED, target=existing, data=data, basis=basis
        )


@imports.register
class BatchImport(imports.ImportKind):
    name = KIND
    order = 30
    description = gettext_lazy(
        "Angkatan pelatihan satu BLK, diperiksa dengan aturan angkatan yang sama dengan formulir."
    )
    sheet = SHEET
    columns = COLUMNS
    max_rows = MAX_ROWS
    checker = BatchChecker
    fallback_field = "program_name"
    title = gettext_lazy("Impor angkatan pelatihan dari Excel")
    template_filename = "templat-angkatan.xlsx"
    labels = {**imports.ImportKind.labels, imports.CREATE: gettext_lazy("Angkatan baru")}
    changed_message = gettext_lazy(
        "Data angkatan atau laporan BLK ini berubah sejak pemeriksaan. Tidak ada yang diterapkan; unggah berkasnya "
        "lagi."
    )
    nothing_message = gettext_lazy("Tidak ada yang perlu diubah: semua angkatan sudah sama dengan data di portal.")

    def _centre(self, params) -> Centre | None:
        centre_id = params.get("centre_id")
        return Centre.objects.select_related("province").filter(pk=centre_id).first() if centre_id else None

    def check_access(self, by, params):
        centre = self._centre(params)
        if centre is None:
            raise DomainError(_("Anda tidak berwenang melakukan tindakan ini."), code="forbidden")
        access.check(by, Perm.EDIT_REPORTS, centre)

    def params_for(self, user, **url_kwargs):
        centre = access.get_centre_or_404(user, Perm.EDIT_REPORTS, url_kwargs.get("centre_id"))
        return {"centre_id": centre.pk}

    def apply(self, plan, *, job, by, reason, now):
        centre = self._centre(job.params)
        for row in plan.rows:
            if row.action == imports.CREATE:
                services.batch_create(centre=centre, by=by, data=row.data, now=now, reason=reason)
            elif row.action == imports.UPDATE:
                services.batch_update(batch=row.target, by=by, data=row.data, now=now, reason=reason)

    example_key = ("kejuruan", "program_name")

    def example(self):
        kejuruan = Kejuruan.objects.filter(is_active=True).order_by("name").values_list("name", flat=True).first()
        # An example that passes as it is: a batch that started last month and is still open.
        start = add_months(first_of_month(today()), -1)
        values = [
            None,
            kejuruan or "",
            "Pelatihan Las Dasar Angkatan 1",
            str(FundingSource.APBN.label),
            f"{start:%d/%m/%Y}",
            f"{start + dt.timedelta(days=44):%d/%m/%Y}",
            240,
            12,
            4,
            None,
            None,
            None,
            None,
            10,
            6,
        ]
        return dict(zip([c.field for c in COLUMNS[:TEMPLATE_COLUMNS]], values, strict=True))

    def template_xlsx(self, *, by, params):
        kejuruan = list(Kejuruan.objects.filter(is_active=True).order_by("name").values_list("name", flat=True))
        count = (0, rules.BATCH_MAX_COUNT, _("Isi dengan angka bulat, misalnya 12."))
        return imports.template_workbook(
            self,
            columns=COLUMNS[:TEMPLATE_COLUMNS],
            lists=[
                imports.TemplateList("kejuruan", _("Kejuruan"), kejuruan),
                imports.TemplateList(
                    "funding_source", _("Sumber dana"), [str(label) for _v, label in FundingSource.choices]
                ),
            ],
            whole_numbers=dict.fromkeys(BATCH_COUNT_FIELDS, count),
            title=_("Petunjuk impor angkatan pelatihan"),
            instructions=[
                _("Isi satu baris per angkatan di lembar %(sheet)s, mulai baris 2. Hapus baris contoh.")
                % {"sheet": SHEET},
                _(
                    "Angkatan dicocokkan dengan ID angkatan bila diisi, selain itu dengan nama program, tanggal "
                    "mulai dan kejuruan: yang cocok diperbarui, yang lain ditambahkan."
                ),
                _(
                    "Angkatan dicatat pada laporan bulan selesainya: laporan bulan itu harus masih terbuka "
                    "(belum diverifikasi dan belum lewat batas pengisian)."
                ),
                _("Jumlah peserta yang kosong dibaca 0."),
                *imports.COMMON_INSTRUCTIONS,
            ],
        )

    def upload_url(self, params):
        return reverse("reporting:batch_import", args=[params["centre_id"]])

    def template_url(self, params):
        return reverse("reporting:batch_import_template", args=[params["centre_id"]])

    def crumbs(self, params):
        centre = self._centre(params)
        return [
            (centre.name, reverse("reporting:centre_reports", args=[centre.pk])),
            (_("Angkatan"), reverse("reporting:batch_list", args=[centre.pk])),
        ]

    def steps(self, params):
        return [
            _(
                "Isi satu baris per angkatan. Angkatan yang sudah ada (ID angkatan, atau nama program, tanggal "
                "mulai dan kejuruan yang sama) diperbarui; yang lain ditambahkan."
            ),
            _(
                "Unggah berkasnya. Portal memeriksa setiap baris dengan aturan angkatan dulu; tidak ada yang "
                "disimpan sebelum Anda konfirmasi."
            ),
        ]

    def confirm_text(self, summary):
        return _(
            "Menerapkan impor ini menambahkan %(c)s angkatan dan memperbarui %(u)s angkatan. Perubahan tercatat "
            "di riwayat setiap angkatan atas nama Anda."
        ) % {"c": summary.get(imports.CREATE, 0), "u": summary.get(imports.UPDATE, 0)}

    def hub_links(self, user):
        centres = list(access.centres_for(user, Perm.EDIT_REPORTS).order_by("name")[:6])
        if len(centres) <= 5:
            return [
                (_("Angkatan %(centre)s") % {"centre": centre.name}, self.upload_url({"centre_id": centre.pk}))
                for centre in centres
            ]
        return [
            (_("Pilih BLK di registri, lalu Angkatan pelatihan → Impor dari Excel"), reverse("registry:centre_list"))
        ]
