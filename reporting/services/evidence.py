"""Evidence files (section F): PDF, JPEG or PNG, recognised by content, capped in size, private."""

from __future__ import annotations

import hashlib
import os

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from blkportal.core.errors import DomainError
from blkportal.registry.access import Perm

from ..models import EvidenceFile, EvidenceKind, Report
from ._common import changed, lock_report, require, require_editable

MAX_FILES = 30
SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]


def sniff(head: bytes) -> str | None:
    """The content type from the file's first bytes, whatever its name says."""
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def _looks_complete(data: bytes, content_type: str) -> bool:
    """A cheap check that the whole file is of its kind, not just its first bytes."""
    if content_type == "application/pdf":
        return b"%%EOF" in data[-4096:]
    if content_type == "image/jpeg":
        # Phones append trailers after the end marker; it only has to be there.
        return b"\xff\xd9" in data[3:]
    return b"IEND" in data[-64:]


def mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


@transaction.atomic
def evidence_add(*, report: Report, by, uploaded_file, kind: str, now=None) -> EvidenceFile:
    report = lock_report(report)
    require(by, Perm.EDIT_REPORTS, report.centre)
    require_editable(report, now)
    if kind not in EvidenceKind.values:
        raise DomainError(_("Pilih jenis bukti."), field="kind")
    if uploaded_file is None:
        raise DomainError(_("Pilih berkas yang akan diunggah."), field="file")
    if report.evidence_files.count() >= MAX_FILES:
        raise DomainError(_("Paling banyak %(n)s berkas bukti per laporan.") % {"n": MAX_FILES}, field="file")
    data, content_type = checked_content(uploaded_file)
    name = os.path.basename((uploaded_file.name or "bukti").replace("\\", "/"))[:200] or "bukti"
    evidence = EvidenceFile(
        report=report,
        kind=kind,
        original_name=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=by,
    )
    evidence.file.save(name, ContentFile(data), save=False)
    stored = evidence.file.name
    try:
        evidence._history_user = by
        evidence.save()
    except Exception:
        evidence.file.storage.delete(stored)
        raise
    changed(report)
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: EvidenceFile, by, now=None) -> None:
    report = lock_report(evidence.report)
    require(by, Perm.EDIT_REPORTS, report.centre)
    require_editable(report, now)
    storage, name = evidence.file.storage, evidence.file.name
    evidence._history_user = by
    evidence.delete()
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(name))
    changed(report)


def checked_content(uploaded_file, field: str = "file") -> tuple[bytes, str]:
    """The bytes and content type of an upload that is a whole PDF, JPEG or PNG within the size limit
    (settings.EVIDENCE_MAX_BYTES); DomainError on `field` otherwise. Shared by every private upload."""
    limit = settings.EVIDENCE_MAX_BYTES
    if uploaded_file.size > limit:
        raise DomainError(
            _("Berkas terlalu besar (%(size)s). Batasnya %(limit)s per berkas.")
            % {"size": mb(uploaded_file.size), "limit": mb(limit)},
            field=field,
        )
    if uploaded_file.size == 0:
        raise DomainError(_("Berkas kosong."), field=field)
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise DomainError(_("Berkas terlalu besar. Batasnya %(limit)s per berkas.") % {"limit": mb(limit)}, field=field)
    content_type = sniff(data[:16])
    if content_type is None or not _looks_complete(data, content_type):
        raise DomainError(
            _("Isi berkas bukan PDF, JPEG atau PNG yang utuh. Nama atau ekstensi berkas tidak menentukan jenisnya."),
            field=field,
        )
    return data, content_type
