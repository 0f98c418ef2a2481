"""Imports from a spreadsheet: one flow, each kind of import a small declaration.

The flow (docs/architecture.md, "Imports"):

1. `import_start`: the kind's permission is checked, the upload is kept privately on a
   `core.ImportJob` and its dry run is recorded in the outbox, in one transaction.
2. `import_check` (Celery, `core.import_check`): the file is read safely (blkportal.core.spreadsheets:
   size, zip bomb, password, formulas, merged headers, columns, dates and numbers as typed) and every
   row is checked by the kind's checker. Nothing is written but the job: its progress, the summary
   (rows to create, update, leave unchanged, rejected), every rejected cell (sheet, row, column,
   value, Indonesian message) and a digest of what each row would do and what it saw.
3. The page shows the result; the owner confirms (`import_confirm`) while it has not expired.
4. `import_apply` (Celery, `core.import_apply`): inside one transaction the same file is checked
   again; only when nothing is rejected and the digest is the same (nobody changed the data the rows
   touch since the dry run) does the kind's `apply` write every row through the app's services,
   each change recorded with the user and the file name. Otherwise nothing is applied.
5. An unconfirmed dry run expires after IMPORT_KEEP; its file is deleted (`import_expire_old`,
   hourly beat).

A kind lives in `<app>/imports.py`, subclasses `ImportKind` and is marked with `@register`; the
modules are found like the contributions (Django's autodiscover_modules), so the core imports no app.
Its declaration: the sheet's `columns`, a `Checker` (loads its lookups once per file, then
`check(number, values)` returns a `Row` found with the app's own forms and rules), `check_access`
(the permission its services demand), `apply`, a template and the words and links of its pages.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import outbox, spreadsheets
from .errors import DomainError
from .models import IMPORT_KEEP, ImportJob, ImportStatus
from .months import now as clock_now
from .spreadsheets import Column

logger = logging.getLogger(__name__)

CREATE, UPDATE, UNCHANGED, REJECTED = "create", "update", "unchanged", "rejected"
EXAMPLE_ROW = gettext_lazy("Ini baris contoh dari templat: hapus baris ini, lalu unggah lagi.")
ACTIONS = (CREATE, UPDATE, UNCHANGED, REJECTED)
MAX_PROBLEMS_KEPT = 1_000
PROGRESS_EVERY = 200


# --- what a kind declares ------------------------------------------------------------------------


@dataclass
class Row:
    """What one data row of the file would do."""

    number: int
    action: str = REJECTED
    # The existing object the row changes (None when it creates one).
    target: Any = None
    # What the kind's apply needs (cleaned values).
    data: dict = field(default_factory=dict)
    # JSON-able: what the dry run saw of the data the row touches. Part of the digest, so a change
    # between the dry run and the confirmation makes the application refuse.
    basis: Any = None
    # (field, message) for each rejected cell; any problem rejects the row.
    problems: list[tuple[str, str]] = field(default_factory=list)


class Checker:
    """Checks the rows of one file against the data as it is now. One instance per dry run: load
    lookups once in `prepare` (no query per row where it can be helped)."""

    def __init__(self, *, kind: ImportKind, by, params: dict, rows: list[tuple[int, dict]], now):
        self.kind, self.by, self.params, self.now = kind, by, params, now
        self._seen: dict = {}
        self.prepare(rows)

    def prepare(self, rows: list[tuple[int, dict]]) -> None:
        """Load what checking `rows` needs (rows: (row number, {field: text}))."""

    def check(self, number: int, values: dict[str, str]) -> Row:
        raise NotImplementedError

    def earlier_row(self, key, number: int) -> int | None:
        """The number of an earlier row of this file with the same `key` (a duplicate), or None
        (and this row is remembered)."""
        if key in self._seen:
            return self._seen[key]
        self._seen[key] = number
        return None


class ImportKind:
    """One kind of import: its sheet, its checker, its permission, how it applies, its pages."""

    name = ""
    # Place in the list of imports (registry:import_list), and what it is for there.
    order = 100
    description = ""
    sheet = ""
    columns: list[Column] = []
    max_rows = 20_000
    checker: type[Checker] = Checker
    # Field whose column shows a problem that belongs to no column of the sheet.
    fallback_field = ""
    title = ""
    template_filename = "templat.xlsx"
    labels = {
        CREATE: gettext_lazy("Baru"),
        UPDATE: gettext_lazy("Diperbarui"),
        UNCHANGED: gettext_lazy("Tidak berubah"),
        REJECTED: gettext_lazy("Ditolak"),
    }
    changed_message = gettext_lazy("Data berubah sejak pemeriksaan. Tidak ada yang diterapkan; unggah berkasnya lagi.")
    nothing_message = gettext_lazy("Tidak ada yang perlu diubah: semua baris sudah sama dengan data di portal.")

    # Permission ---------------------------------------------------------------------------------
    # The fields that recognise the template's example row (example()) in an upload: a file sent back
    # with the example still in it gets that row rejected with a clear reason, never applied (a
    # "BLK Komunitas Contoh" in the national registry).
    example_key: tuple[str, ...] = ()

    def example(self) -> dict:
        """The template's example row, {field: value}."""
        return {}

    def check_access(self, by, params: dict) -> None:
        """Raise DomainError (code "forbidden") unless `by` may run this import with `params`."""
        raise NotImplementedError

    def allowed(self, user, params: dict) -> bool:
        try:
            self.check_access(user, params)
        except DomainError:
            return False
        return True

    def params_for(self, user, **url_kwargs) -> dict:
        """The job's params from the page's URL; 404 when `user` may not import there."""
        if url_kwargs or not self.allowed(user, {}):
            raise Http404
        return {}

    # Application ----------------------------------------------------------------------------------
    def apply(self, plan: Plan, *, job: ImportJob, by, reason: str, now) -> None:
        """Write every row of a clean plan through the app's services (inside the transaction)."""
        raise NotImplementedError

    # Pages --------------------------------------------------------------------------------------
    def template_xlsx(self, *, by, params: dict) -> bytes:
        raise NotImplementedError

    def upload_url(self, params: dict) -> str:
        raise NotImplementedError

    def template_url(self, params: dict) -> str:
        raise NotImplementedError

    def crumbs(self, params: dict) -> list[tuple[str, str]]:
        """(label, url) of the pages above the upload page."""
        return []

    def steps(self, params: dict) -> list[str]:
        """What to do, shown beside the upload field (after "download the template")."""
        return []

    def confirm_text(self, summary: dict) -> str:
        return _("Menerapkan impor ini membuat %(c)s data baru dan memperbarui %(u)s data, atas nama Anda.") % {
            "c": summary.get(CREATE, 0),
            "u": summary.get(UPDATE, 0),
        }

    def hub_links(self, user) -> list[tuple[str, str]]:
        """(label, url) for the list of imports (registry:import_list): where `user` may run it."""
        return [(str(self.title), self.upload_url({}))] if self.allowed(user, {}) else []

    def jobs_of(self, user, params: dict):
        """The user's recent jobs of this kind (for these params)."""
        qs = ImportJob.objects.filter(owner=user, kind=self.name)
        for key, value in params.items():
            qs = qs.filter(**{f"params__{key}": value})
        return qs.order_by("-created_at", "-pk")[:10]

    # Helpers --------------------------------------------------------------------------------------
    def cards(self) -> list[tuple[str, str]]:
        """(action, label) of the summary's counts, in order."""
        return [(action, str(self.labels[action])) for action in ACTIONS if action in self.labels]


_KINDS: dict[str, ImportKind] = {}
_discovered = False


def register(cls: type[ImportKind]) -> type[ImportKind]:
    """Class decorator: make `cls` an import kind (one instance, by its name)."""
    _KINDS[cls.name] = cls()
    return cls


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("imports")
        _discovered = True


def get_kind(name: str) -> ImportKind | None:
    _discover()
    return _KINDS.get(name)


def all_kinds() -> list[ImportKind]:
    _discover()
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.name))


# --- the plan of one file ------------------------------------------------------------------------


@dataclass
class Plan:
    sheet: str
    # {field: column header} of the kind's columns, worked out once per file (a kind's columns may be
    # computed, and a file can have thousands of rejected cells).
    headers: dict[str, str] = field(default_factory=dict)
    # Field whose column shows a problem that belongs to no column of the sheet (the kind's fallback_field).
    fallback: str = ""
    rows: list[Row] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)

    def header(self, field_name: str) -> str:
        """The column header a problem of `field_name` is shown under."""
        if field_name in self.headers:
            return self.headers[field_name]
        return self.headers.get(self.fallback, self.fallback or field_name)

    def add(self, row: Row, values: dict) -> None:
        if row.problems:
            row.action = REJECTED
            for name, message in row.problems:
                self.problems.append(
                    {
                        "sheet": self.sheet,
                        "row": row.number,
                        "column": self.header(name),
                        "value": str(values.get(name, ""))[:200],
                        "message": str(message),
                    }
                )
        self.rows.append(row)

    def summary(self) -> dict:
        counts = dict.fromkeys(ACTIONS, 0)
        for row in self.rows:
            counts[row.action] += 1
        return counts

    def digest(self) -> str:
        """What every row would do, to what, having seen what."""
        items = [[r.number, r.action, getattr(r.target, "pk", None), r.basis] for r in self.rows]
        text = json.dumps(items, default=str, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def _plan(kind: ImportKind, job: ImportJob, *, by, now, progress=None) -> Plan:
    columns = kind.columns
    with job.file.open("rb") as handle:
        table = spreadsheets.read_table(
            handle, columns=columns, max_rows=kind.max_rows, sheet_name=kind.sheet, file_name=job.file_name
        )
    checker = kind.checker(kind=kind, by=by, params=job.params, rows=table.rows, now=now)
    plan = Plan(sheet=table.sheet, headers={c.field: str(c.header) for c in columns}, fallback=kind.fallback_field)
    example = kind.example()
    sample = {name: fold(example.get(name)) for name in kind.example_key}
    total = max(1, len(table.rows))
    for index, (number, values) in enumerate(table.rows, start=1):
        if sample and all(fold(values.get(name)) == text for name, text in sample.items()):
            row = Row(number=number, problems=[(kind.example_key[0], EXAMPLE_ROW)])
        else:
            row = checker.check(number, values)
        plan.add(row, values)
        if progress and index % PROGRESS_EVERY == 0:
            progress(int(90 * index / total))
    return plan


def _kind_of(job: ImportJob) -> ImportKind:
    kind = get_kind(job.kind)
    if kind is None:
        raise DomainError(_("Jenis impor ini tidak dikenal."))
    return kind


# --- services ----------------------------------------------------------------------------------


def import_start(*, kind: str, by, upload, params: dict | None = None, now=None) -> ImportJob:
    """Keep the uploaded file privately and queue its dry run."""
    spec = get_kind(kind)
    if spec is None:
        raise DomainError(_("Jenis impor ini tidak dikenal."))
    params = params or {}
    spec.check_access(by, params)
    if upload is None:
        raise DomainError(_("Pilih berkas .xlsx atau .csv."), field="file")
    if upload.size > spreadsheets.MAX_UPLOAD_BYTES:
        raise DomainError(_("Berkas lebih dari 10 MB. Pecah menjadi beberapa berkas."), field="file")
    now = now or clock_now()
    with transaction.atomic():
        job = ImportJob(
            kind=spec.name,
            owner=by,
            file_name=upload.name[:200],
            params=params,
            expires_at=now + IMPORT_KEEP,
            created_at=now,
        )
        job.file.save(f"{spec.name}.bin", upload, save=False)
        job.save()
        outbox.enqueue("core.import_check", job.pk)
    return job


def import_check(*, job_id: int, now=None) -> ImportJob | None:
    """The dry run: read and check every row; write nothing but the job's result."""
    job = ImportJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.status not in (ImportStatus.QUEUED, ImportStatus.CHECKING):
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING, progress=0)

    def progress(percent):
        ImportJob.objects.filter(pk=job.pk).update(progress=percent)

    try:
        kind = _kind_of(job)
        kind.check_access(job.owner, job.params)
        plan = _plan(kind, job, by=job.owner, now=now or clock_now(), progress=progress)
    except DomainError as exc:
        job.status, job.error_message, job.problems, job.summary, job.digest = (
            ImportStatus.FAILED,
            exc.message,
            [],
            {},
            "",
        )
    except Exception:  # noqa: BLE001 - a bug must not leave the page waiting forever
        logger.exception("Import dry run %s failed", job.pk)
        job.status, job.summary, job.problems = ImportStatus.FAILED, {}, []
        job.error_message = _("Terjadi galat saat memeriksa berkas. Coba lagi atau hubungi administrator.")
    else:
        job.status, job.error_message = ImportStatus.CHECKED, ""
        job.summary = {**plan.summary(), "sheet": plan.sheet}
        job.problems = plan.problems[:MAX_PROBLEMS_KEPT]
        job.digest = plan.digest()
    job.progress, job.checked_at = 100, timezone.now()
    job.save(update_fields=["status", "error_message", "summary", "problems", "digest", "progress", "checked_at"])
    return job


def import_confirm(*, job: ImportJob, by, now=None) -> ImportJob:
    """The owner confirms a clean dry run; the application runs as a job."""
    if job.owner_id != by.pk:
        raise DomainError(_("Impor ini milik pengguna lain."), code="forbidden")
    _kind_of(job).check_access(by, job.params)
    if job.status != ImportStatus.CHECKED:
        raise DomainError(_("Impor ini tidak menunggu konfirmasi (status: %(s)s).") % {"s": job.get_status_display()})
    if job.expires_at <= (now or clock_now()):
        raise DomainError(_("Hasil pemeriksaan sudah kedaluwarsa. Unggah berkasnya lagi."))
    if not job.can_confirm:
        raise DomainError(_("Perbaiki semua baris yang ditolak lalu unggah lagi; tidak ada yang diterapkan."))
    with transaction.atomic():
        updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
            status=ImportStatus.APPLYING, progress=0
        )
        if not updated:
            raise DomainError(_("Impor ini baru saja dikonfirmasi."))
        outbox.enqueue("core.import_apply", job.pk)
    job.refresh_from_db()
    return job


def import_apply(*, job_id: int, now=None) -> ImportJob | None:
    """Check the file again and apply every row in one transaction; any problem now applies nothing.

    The job row is locked for the whole application, so a second delivery of the task waits and
    then finds the job applied."""
    now = now or clock_now()
    try:
        return _apply(job_id, now)
    except Exception:  # noqa: BLE001 - a bug must not leave the page waiting forever
        logger.exception("Import application %s failed", job_id)
        ImportJob.objects.filter(pk=job_id, status=ImportStatus.APPLYING).update(
            status=ImportStatus.FAILED,
            progress=100,
            error_message=_(
                "Terjadi galat saat menerapkan; tidak ada yang diterapkan. Coba lagi atau hubungi administrator."
            ),
        )
        return ImportJob.objects.filter(pk=job_id).first()


def _apply(job_id: int, now) -> ImportJob | None:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != ImportStatus.APPLYING:
            return job
        kind = _kind_of(job)
        by = job.owner
        reason = _("Impor berkas %(name)s") % {"name": job.file_name}
        plan = None
        try:
            with transaction.atomic():
                kind.check_access(by, job.params)
                plan = _plan(kind, job, by=by, now=now)
                if plan.problems:
                    raise DomainError(
                        _("Data berubah sejak pemeriksaan: %(count)s baris kini ditolak. Tidak ada yang diterapkan.")
                        % {"count": plan.summary()[REJECTED]}
                    )
                if plan.digest() != job.digest:
                    raise DomainError(str(kind.changed_message))
                kind.apply(plan, job=job, by=by, reason=reason, now=now)
        except DomainError as exc:
            job.status, job.error_message = ImportStatus.FAILED, exc.message
            job.problems = plan.problems[:MAX_PROBLEMS_KEPT] if plan else []
        except IntegrityError:
            # Someone wrote the same thing meanwhile (a unique constraint): the same as a change.
            job.status, job.error_message = ImportStatus.FAILED, str(kind.changed_message)
        else:
            job.status, job.error_message, job.applied_at = ImportStatus.APPLIED, "", timezone.now()
            job.summary = {**plan.summary(), "sheet": plan.sheet}
            _delete_file_on_commit(job)
        job.progress = 100
        job.save()
    return job


def _delete_file_on_commit(job: ImportJob) -> None:
    name, storage = job.file.name, job.file.storage
    job.file = None
    if name:
        transaction.on_commit(lambda: storage.delete(name))


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


# --- templates -----------------------------------------------------------------------------------


@dataclass
class TemplateList:
    """A drop-down list on a template column, its values on the hidden "Referensi" sheet. A list that
    only suggests (several values in one cell) warns instead of refusing."""

    field: str
    title: str
    values: list[str]
    strict: bool = True


def template_workbook(
    kind: ImportKind,
    *,
    columns: list[Column] | None = None,
    lists: list[TemplateList] = (),
    whole_numbers: dict[str, tuple[int, int, str]] | None = None,
    title: str,
    instructions: list[str],
) -> bytes:
    """The empty sheet of `kind`: header row (required columns marked *), its example row, drop-down
    lists, whole-number checks ({field: (min, max, message)}) on as many rows as the kind reads
    (`kind.max_rows`), and a "Petunjuk" sheet. `columns`: the kind's columns the template shows
    (default: all)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    rows = kind.max_rows
    book = Workbook()
    sheet = book.active
    sheet.title = kind.sheet
    refs = book.create_sheet(_("Referensi"))
    guide = book.create_sheet(_("Petunjuk"))

    columns = columns or kind.columns
    headers = [str(c.header) + (" *" if c.required else "") for c in columns]
    sheet.append(headers)
    bold = Font(bold=True, color="FFFFFF")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.alignment = bold, Alignment(wrap_text=True, vertical="top")
        cell.fill = PatternFill("solid", fgColor="1F4E79" if column.required else "5B7FA6")
        sheet.column_dimensions[get_column_letter(index)].width = max(14, min(40, len(headers[index - 1]) + 6))
    sheet.freeze_panes = "A2"
    example = kind.example()
    if example:
        sheet.append([example.get(c.field) for c in columns])

    def letter_of(field_name: str) -> str:
        return get_column_letter(next(i for i, c in enumerate(columns, start=1) if c.field == field_name))

    for position, listed in enumerate(lists, start=1):
        ref = get_column_letter(position)
        refs[f"{ref}1"] = str(listed.title)
        for number, value in enumerate(listed.values, start=2):
            refs[f"{ref}{number}"] = value
        source = f"{quote_sheetname(refs.title)}!${ref}$2:${ref}${max(2, len(listed.values) + 1)}"
        rule = DataValidation(type="list", formula1=source, allow_blank=True)
        rule.errorStyle = "stop" if listed.strict else "information"
        rule.error = _("Pilih dari daftar.")
        sheet.add_data_validation(rule)
        column = letter_of(listed.field)
        rule.add(f"{column}2:{column}{rows + 1}")
    refs.sheet_state = "hidden"
    for field_name, (low, high, message) in (whole_numbers or {}).items():
        rule = DataValidation(type="whole", operator="between", formula1=str(low), formula2=str(high), allow_blank=True)
        rule.error = message
        sheet.add_data_validation(rule)
        column = letter_of(field_name)
        rule.add(f"{column}2:{column}{rows + 1}")

    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 90
    guide.append([title])
    guide["A1"].font = Font(bold=True, size=14)
    for number, text in enumerate(instructions, start=1):
        guide.append([str(number), str(text)])
    guide.append([])
    guide.append([_("Kolom"), _("Keterangan")])
    for column in columns:
        guide.append([str(column.header) + (" *" if column.required else ""), str(column.help)])
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    # Printed like every other file the portal writes (A4 landscape, header row on every page).
    from blkportal.core import months
    from blkportal.core.sheet_layout import print_setup

    made = months.now()
    print_setup(sheet, title=str(title), exported_at=made)
    print_setup(guide, title=str(title), exported_at=made, title_rows=None)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


COMMON_INSTRUCTIONS = [
    gettext_lazy("Kolom bertanda * wajib diisi. Jangan ubah, hapus atau gabungkan judul kolom."),
    gettext_lazy("Tanggal: 17/08/2025, 2025-08-17 atau 17 Agustus 2025."),
    gettext_lazy("Jangan memakai rumus; tempel sebagai nilai. Berkas paling besar 10 MB."),
    gettext_lazy(
        "Setelah diunggah, portal menampilkan hasil pemeriksaan dulu; tidak ada yang disimpan sebelum Anda konfirmasi."
    ),
]


def fold(text) -> str:
    """Lower-case letters and digits only: how names typed in a sheet are compared to a list."""
    import re

    return re.sub(r"[^a-z0-9]+", "", str(text or "").lower())


def fold_index(items, *attrs) -> dict:
    """{folded value of each of `attrs`: item} of `items`: a list looked up by what is typed in a sheet
    (e.g. a kejuruan by its name or its code)."""
    return {fold(getattr(item, attr)): item for item in items for attr in attrs}


def fold_choices(choices) -> dict:
    """{folded value or label: value} of a model field's `choices`: a choice looked up by either."""
    return {fold(text): value for value, label in choices for text in (value, str(label))}
