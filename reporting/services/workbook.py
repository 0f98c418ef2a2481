"""The monthly report's workbook uploaded back: it becomes the draft, through the same forms and
services as the web page (docs/reporting-workbook.md).

An upload is recorded as a core ImportJob of kind "report_workbook" (the report's id in its
summary). It is small and read in the request: the file is refused as a whole (FAILED, with the
reason or every bad cell, nothing saved), or it differs from the draft only where the manager
changed it and is applied at once (APPLIED), or someone changed the draft on the portal since the
download (CHECKED): the file is kept privately until the manager chooses, for each such value,
the portal's or the file's, and report_workbook_resolve applies the choice. Values go through
report_save_draft, report_line_add/remove and batch_update, so each keeps its own checks, history
and signals; any refusal there rolls the whole upload back.
"""

from __future__ import annotations

import io
from collections import Counter

from django.db import transaction
from django.utils.translation import gettext as _

from blkportal.core import months
from blkportal.core.errors import DomainError
from blkportal.core.models import IMPORT_KEEP, ImportJob, ImportStatus
from blkportal.registry.access import Perm

from ..lines import LINE_KINDS
from ..models import Report, TrainingBatch
from ..workbook import conflicts_between, read_workbook
from ..workbook.values import changed_items, fingerprint, line_row, portal_now
from ._common import lock_report, require, require_editable
from .batches import batch_update
from .reports import report_line_add, report_line_remove, report_save_draft

KIND = "report_workbook"
FILE, SERVER = "file", "server"


class WorkbookChangedError(DomainError):
    """The draft changed again while the manager was choosing: show the choice again."""

    def __init__(self):
        super().__init__(
            _(
                "Draf di portal berubah lagi saat Anda memilih. Periksa pilihan di bawah sekali lagi; belum ada "
                "yang diterapkan."
            ),
            code="changed",
        )


def _finish(job: ImportJob, status: str, *, error: str = "", problems=None, now=None) -> ImportJob:
    job.status, job.error_message, job.problems, job.progress = status, error, problems or [], 100
    job.checked_at = now
    if status == ImportStatus.APPLIED:
        job.applied_at = now
    if status != ImportStatus.CHECKED and job.file:
        job.file.delete(save=False)
    job.save()
    return job


def _problem(reading, key: str, message: str) -> dict:
    ref = reading.refs.get(key, "")
    return {
        "ref": ref,
        "sheet": ref.rsplit("!", 1)[0].strip("'"),
        "label": "",
        "message": message,
        "target": "batches" if key.startswith("b.") else key[2:],
        "value": "",
    }


def _replace_lines(report: Report, by, kind: str, reading, now) -> tuple[int, int]:
    """Make the section's rows what the file says: rows equal to one already saved stay untouched;
    the others are removed or added, each through its service."""
    wanted = Counter(tuple(line_row(kind, cleaned)) for _row, cleaned in reading.lines[kind])
    remove = []
    for line in getattr(report, LINE_KINDS[kind].related).all():
        key = tuple(line_row(kind, line))
        if wanted[key]:
            wanted[key] -= 1
        else:
            remove.append(line)
    for line in remove:
        report_line_remove(report=report, by=by, kind=kind, line_id=line.pk, now=now)
    added = 0
    for _row, cleaned in reading.lines[kind]:
        key = tuple(line_row(kind, cleaned))
        if wanted[key]:
            wanted[key] -= 1
            report_line_add(report=report, by=by, kind=kind, data=cleaned, now=now)
            added += 1
    return added, len(remove)


def _apply(report: Report, by, reading, keys: set[str], now) -> dict:
    counts = {"fields": 0, "added": 0, "removed": 0, "batches": 0}
    fields = {key[2:]: reading.fields[key[2:]] for key in keys if key.startswith("f.")}
    if fields:
        current = Report.objects.get(pk=report.pk)
        try:
            report_save_draft(report=current, by=by, data=fields, expected_version=current.version, now=now)
        except DomainError as exc:
            exc.workbook_key = f"f.{exc.field}" if exc.field in fields else f"f.{next(iter(fields))}"
            raise
        counts["fields"] = len(fields)
    for kind in LINE_KINDS:
        if f"l.{kind}" in keys:
            try:
                added, removed = _replace_lines(report, by, kind, reading, now)
            except DomainError as exc:
                exc.workbook_key = f"l.{kind}"
                raise
            counts["added"] += added
            counts["removed"] += removed
    for batch_id, (_row, data) in sorted(reading.batches.items()):
        if f"b.{batch_id}" in keys and data is not None:
            try:
                # batch_update reads the batch again under lock: only its id is needed here.
                batch_update(batch=TrainingBatch(pk=batch_id), by=by, data=data, now=now)
            except DomainError as exc:
                exc.workbook_key = f"b.{batch_id}"
                raise
            counts["batches"] += 1
    return counts


def _process(*, report: Report, by, job: ImportJob, handle, choices: dict | None, seen: str | None, now):
    try:
        reading = read_workbook(handle, report=report, file_name=job.file_name)
    except DomainError as exc:
        return _finish(job, ImportStatus.FAILED, error=exc.message, now=now)
    if reading.problems:
        return _finish(job, ImportStatus.FAILED, problems=reading.problems, now=now)
    batches, server = portal_now(report, reading)
    conflicts = conflicts_between(reading, report, batches, server)
    keep: set[str] = set()
    if choices is None:
        if conflicts:
            if not job.file:
                handle.seek(0)
                job.file.save(f"{KIND}.xlsx", handle, save=False)
            return _finish(job, ImportStatus.CHECKED, now=now)
    else:
        if fingerprint(conflicts, server) != seen:
            raise WorkbookChangedError()
        if any(choices.get(c.key) not in (FILE, SERVER) for c in conflicts):
            raise DomainError(_("Pilih nilai portal atau nilai berkas untuk setiap isian yang berbeda."), code="choose")
        keep = {c.key for c in conflicts if choices[c.key] == SERVER}
    keys = changed_items(reading, server) - keep
    try:
        with transaction.atomic():
            counts = _apply(report, by, reading, keys, now)
    except DomainError as exc:
        key = getattr(exc, "workbook_key", "")
        return _finish(job, ImportStatus.FAILED, problems=[_problem(reading, key, exc.message)], now=now)
    job.summary.update(counts, kept=len(keep), changed=len(keys))
    return _finish(job, ImportStatus.APPLIED, now=now)


@transaction.atomic
def report_workbook_upload(*, report: Report, by, upload, now=None) -> ImportJob:
    """Read an uploaded workbook of `report` and make it the draft, or keep it for the manager's
    choice when the draft changed on the portal since the download. A report that can no longer be
    edited is refused (DomainError); everything else is recorded on the returned job."""
    now = now or months.now()
    report = lock_report(report)
    require(by, Perm.EDIT_REPORTS, report.centre)
    require_editable(report, now)
    if upload is None:
        raise DomainError(_("Pilih berkas lembar kerja (.xlsx) yang akan diunggah."), field="file")
    job = ImportJob(
        kind=KIND,
        owner=by,
        file_name=(getattr(upload, "name", "") or "lembar-kerja.xlsx")[:200],
        status=ImportStatus.CHECKING,
        summary={"report_id": report.pk},
        created_at=now,
        expires_at=now + IMPORT_KEEP,
    )
    return _process(report=report, by=by, job=job, handle=upload, choices=None, seen=None, now=now)


def workbook_job_for(user, report: Report, job_id) -> ImportJob | None:
    """The user's own upload to this report, or None."""
    try:
        job_id = int(job_id)
    except (TypeError, ValueError):
        return None
    return ImportJob.objects.filter(pk=job_id, owner=user, kind=KIND, summary__report_id=report.pk).first()


def _stored(job: ImportJob, now) -> io.BytesIO:
    if job.status != ImportStatus.CHECKED or not job.file:
        raise DomainError(_("Unggahan ini sudah diproses. Unggah berkasnya lagi bila perlu."), code="done")
    if job.expires_at <= now:
        raise DomainError(_("Unggahan ini sudah kedaluwarsa (lebih dari 24 jam). Unggah berkasnya lagi."), code="done")
    with job.file.open("rb") as handle:
        return io.BytesIO(handle.read())


def report_workbook_pending(*, job: ImportJob, report: Report, now=None):
    """The choice a kept upload waits for: (conflicts, fingerprint). Reads, writes nothing."""
    handle = _stored(job, now or months.now())
    reading = read_workbook(handle, report=report, file_name=job.file_name)
    if reading.problems:
        raise DomainError(reading.problems[0]["message"], code="done")
    batches, server = portal_now(report, reading)
    conflicts = conflicts_between(reading, report, batches, server)
    return conflicts, fingerprint(conflicts, server)


@transaction.atomic
def report_workbook_resolve(*, job: ImportJob, report: Report, by, choices: dict, seen: str, now=None) -> ImportJob:
    """Apply a kept upload with the manager's choice per conflicting value (FILE or SERVER).
    WorkbookChangedError when the draft changed again since the choice was shown."""
    now = now or months.now()
    report = lock_report(report)
    require(by, Perm.EDIT_REPORTS, report.centre)
    if job.owner_id != by.pk or job.kind != KIND or job.summary.get("report_id") != report.pk:
        raise DomainError(_("Unggahan ini bukan milik Anda."), code="forbidden")
    require_editable(report, now)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    handle = _stored(job, now)
    return _process(report=report, by=by, job=job, handle=handle, choices=choices, seen=seen, now=now)
