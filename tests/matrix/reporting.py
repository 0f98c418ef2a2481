"""Permission matrix of the reporting app. Objects are made on demand inside each test."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.matrix import NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Row, everyone

VIEWERS_A = {"manager_a": OK, "reviewer": OK, "directorate": OK, "fkn": OK, "fkn_jabar": OK, "admin": OK}
EDITORS_A = {"manager_a": OK, "admin": OK}
POST_ONLY = {"default": NOT_ALLOWED, "anon": NOT_ALLOWED}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _last_month():
    from blkportal.core.months import add_months, first_of_month

    return add_months(first_of_month(timezone.localdate()), -1)


def _report(w, status="draft"):
    from reporting.models import Report

    report, _ = Report.objects.get_or_create(centre=w.centre_a, period=_last_month())
    if status != "draft":
        Report.objects.filter(pk=report.pk).update(
            status=status, first_submitted_at=timezone.now(), last_submitted_at=timezone.now()
        )
    return report


def _batch(w):
    from blkportal.registry.models import Kejuruan
    from reporting.models import TrainingBatch

    start = _last_month()
    return TrainingBatch.objects.create(
        centre=w.centre_a,
        kejuruan=Kejuruan.objects.first(),
        program_name="Las",
        funding_source="apbn",
        start_date=start,
        end_date=start + dt.timedelta(days=20),
        enrolled_male=16,
    )


def _line(w):
    from reporting.models import ReportProblem

    return ReportProblem.objects.create(report=_report(w), category="sdm", description="Kurang instruktur")


def _correction(w):
    from reporting.models import CorrectionRequest

    return CorrectionRequest.objects.create(
        report=_report(w, "approved"), reason="Perlu koreksi angka", requested_at=timezone.now()
    )


def _evidence(w):
    from reporting import services

    report = _report(w)
    return services.evidence_add(
        report=report,
        by=w.manager_a,
        kind="foto",
        uploaded_file=SimpleUploadedFile("bukti.pdf", PDF, content_type="application/pdf"),
    )


def _pending_upload(w):
    """manager_a's upload waiting for a choice: the draft changed on the portal after the download."""
    import io

    import openpyxl

    from reporting import services
    from reporting.workbook import workbook_xlsx
    from tests.reporting.workbook_files import XLSX, report_cell

    report = _report(w)
    book = openpyxl.load_workbook(io.BytesIO(workbook_xlsx(report, editable=True)))
    services.report_save_draft(
        report=report, by=w.manager_a, data={"notes": "di portal"}, expected_version=report.version
    )
    report_cell(book, "notes").value = "di berkas"
    content = io.BytesIO()
    book.save(content)
    upload = SimpleUploadedFile("laporan.xlsx", content.getvalue(), content_type=XLSX)
    job = services.report_workbook_upload(report=report, by=w.manager_a, upload=upload)
    assert job.status == "checked", job.problems or job.error_message
    return {"pk": report.pk, "job_id": job.pk}


def _old(w):
    return {"centre_id": w.centre_a.pk, "year": 2024, "month": 1}


def _open_month(w):
    # Last month is always open for editing (the lock is 60 days after month end), whatever today is.
    p = _last_month()
    return {"centre_id": w.centre_a.pk, "year": p.year, "month": p.month}


ROWS = [
    Row(
        "reporting:my_reports",
        everyone(REDIRECT, mentor_a=NOT_FOUND, norole=NOT_FOUND),
        note="managers go to their centre's months, others to the queue",
    ),
    Row("reporting:queue", everyone(OK, mentor_a=NOT_FOUND, norole=NOT_FOUND)),
    Row("reporting:queue", everyone(OK, mentor_a=NOT_FOUND, norole=NOT_FOUND), query="period=2025-13&province=xx"),
    Row("reporting:overdue", {"reviewer": OK, "directorate": OK, "admin": OK}),
    Row("reporting:overdue", {"reviewer": OK, "directorate": OK, "admin": OK}, query="period=abc&province=99"),
    Row("reporting:centre_reports", VIEWERS_A, kwargs=lambda w: {"centre_id": w.centre_a.pk}),
    Row(
        "reporting:centre_reports",
        {"manager_b": OK, "directorate": OK, "fkn": OK, "admin": OK},
        kwargs=lambda w: {"centre_id": w.centre_b.pk},
    ),
    Row("reporting:report_open", VIEWERS_A, kwargs=_open_month, note="no report yet: a start page"),
    Row(
        "reporting:report_open",
        {"manager_a": REDIRECT, "admin": REDIRECT},
        kwargs=_open_month,
        method="post",
        note="POST starts the draft; viewers without edit rights get 404",
    ),
    Row(
        "reporting:report_open",
        {
            **VIEWERS_A,
            "manager_a": REDIRECT,
            "admin": REDIRECT,
            "reviewer": REDIRECT,
            "directorate": REDIRECT,
            "fkn": REDIRECT,
            "fkn_jabar": REDIRECT,
        },
        kwargs=lambda w: {"centre_id": w.centre_a.pk, "year": _report(w).period.year, "month": _report(w).period.month},
        note="an existing report: editors go to the form, others to the report",
    ),
    Row("reporting:report_unlock", {"admin": OK}, kwargs=_old),
    Row("reporting:batch_list", VIEWERS_A, kwargs=lambda w: {"centre_id": w.centre_a.pk}),
    Row("reporting:batch_create", EDITORS_A, kwargs=lambda w: {"centre_id": w.centre_a.pk}),
    Row("reporting:batch_import", EDITORS_A, kwargs=lambda w: {"centre_id": w.centre_a.pk}),
    Row("reporting:batch_import_template", EDITORS_A, kwargs=lambda w: {"centre_id": w.centre_a.pk}),
    Row(
        "reporting:batch_import",
        {"manager_b": OK, "admin": OK},
        kwargs=lambda w: {"centre_id": w.centre_b.pk},
        note="a manager imports only their own centre's batches",
    ),
    Row("reporting:batch_edit", EDITORS_A, kwargs=lambda w: {"pk": _batch(w).pk}),
    Row("reporting:batch_delete", {}, kwargs=lambda w: {"pk": _batch(w).pk}, **POST_ONLY),
    Row(
        "reporting:batch_delete",
        {"manager_a": REDIRECT, "admin": REDIRECT},
        kwargs=lambda w: {"pk": _batch(w).pk},
        method="post",
    ),
    Row("reporting:report_detail", VIEWERS_A, kwargs=lambda w: {"pk": _report(w).pk}),
    Row("reporting:report_edit", EDITORS_A, kwargs=lambda w: {"pk": _report(w).pk}),
    Row(
        "reporting:report_edit",
        {"manager_a": REDIRECT, "admin": REDIRECT},
        kwargs=lambda w: {"pk": _report(w, "submitted").pk},
        note="a submitted report is read-only: editors are sent to the report",
    ),
    Row("reporting:report_autosave", {}, kwargs=lambda w: {"pk": _report(w).pk}, **POST_ONLY),
    Row(
        "reporting:report_autosave",
        {"manager_a": REDIRECT, "admin": REDIRECT},
        kwargs=lambda w: {"pk": _report(w).pk},
        method="post",
        data=lambda w: {"version": 1, "notes": "isi"},
    ),
    Row(
        "reporting:line_add",
        {"manager_a": REDIRECT, "admin": REDIRECT},
        kwargs=lambda w: {"pk": _report(w).pk, "kind": "problem"},
        method="post",
        data=lambda w: {"problem-category": "sdm", "problem-description": "Kurang instruktur"},
    ),
    Row("reporting:line_add", {}, kwargs=lambda w: {"pk": _report(w).pk, "kind": "problem"}, **POST_ONLY),
    Row(
        "reporting:line_add",
        {},
        kwargs=lambda w: {"pk": _report(w).pk, "kind": "bogus"},
        method="post",
        note="an unknown section is 404 for everyone",
    ),
    Row(
        "reporting:line_remove",
        {"manager_a": REDIRECT, "admin": REDIRECT},
        kwargs=lambda w: {"pk": _report(w).pk, "kind": "problem", "line_id": _line(w).pk},
        method="post",
    ),
    Row(
        "reporting:line_remove",
        {},
        kwargs=lambda w: {"pk": _report(w).pk, "kind": "problem", "line_id": _line(w).pk},
        **POST_ONLY,
    ),
    Row(
        "reporting:report_workbook",
        VIEWERS_A,
        kwargs=lambda w: {"pk": _report(w).pk},
        note="editors get the copy to fill, other viewers a locked read-only copy",
    ),
    Row("reporting:report_workbook_upload", {}, kwargs=lambda w: {"pk": _report(w).pk}, **POST_ONLY),
    Row(
        "reporting:report_workbook_upload",
        {"manager_a": REDIRECT, "admin": REDIRECT},
        kwargs=lambda w: {"pk": _report(w).pk},
        method="post",
        note="no file: back to the form with the message; reviewers and other centres get 404",
    ),
    Row(
        "reporting:report_workbook_choose",
        {"manager_a": OK},
        kwargs=_pending_upload,
        note="an upload is its uploader's alone: even the administrator gets 404",
    ),
    Row(
        "reporting:report_workbook_choose",
        {"manager_a": 409},
        kwargs=_pending_upload,
        method="post",
        data=lambda w: {"seen": "x", "kunci": ["f.notes"], "semua": "server"},
        note="an outdated choice is asked again (409); here the fingerprint is wrong",
    ),
    Row("reporting:report_submit", EDITORS_A, kwargs=lambda w: {"pk": _report(w).pk}),
    Row("reporting:report_verify", {}, kwargs=lambda w: {"pk": _report(w, "submitted").pk}, **POST_ONLY),
    Row(
        "reporting:report_verify",
        {"reviewer": REDIRECT, "admin": REDIRECT},
        kwargs=lambda w: {"pk": _report(w, "submitted").pk},
        method="post",
        note="the directorate does not verify; managers never review",
    ),
    Row("reporting:queue_approve", {}, **POST_ONLY),
    Row(
        "reporting:queue_approve",
        {"directorate": OK, "admin": OK},
        method="post",
        data=lambda w: {"report": [_report(w, "verified").pk]},
        note="first POST: the confirmation page; only approvers",
    ),
    Row(
        "reporting:queue_approve",
        {"directorate": REDIRECT, "admin": REDIRECT},
        method="post",
        data=lambda w: {"report": [_report(w, "verified").pk], "confirm": "1"},
    ),
    Row("reporting:report_approve", {}, kwargs=lambda w: {"pk": _report(w, "verified").pk}, **POST_ONLY),
    Row(
        "reporting:report_approve",
        {"directorate": REDIRECT, "admin": REDIRECT},
        kwargs=lambda w: {"pk": _report(w, "verified").pk},
        method="post",
    ),
    Row(
        "reporting:report_return",
        {"reviewer": OK, "directorate": OK, "admin": OK},
        kwargs=lambda w: {"pk": _report(w, "submitted").pk},
    ),
    Row("reporting:correction_request", EDITORS_A, kwargs=lambda w: {"pk": _report(w, "approved").pk}),
    Row(
        "reporting:correction_decide",
        {"reviewer": OK, "directorate": OK, "admin": OK},
        kwargs=lambda w: {"pk": _correction(w).pk},
    ),
    Row("reporting:report_history", VIEWERS_A, kwargs=lambda w: {"pk": _report(w).pk}),
    Row("reporting:comment_add", {}, kwargs=lambda w: {"pk": _report(w).pk}, **POST_ONLY),
    Row(
        "reporting:comment_add",
        dict.fromkeys(VIEWERS_A, REDIRECT),
        kwargs=lambda w: {"pk": _report(w).pk},
        method="post",
        data=lambda w: {"body": "Mohon dicek."},
    ),
    Row("reporting:evidence_upload", {}, kwargs=lambda w: {"pk": _report(w).pk}, **POST_ONLY),
    Row(
        "reporting:evidence_upload",
        EDITORS_A,
        kwargs=lambda w: {"pk": _report(w).pk},
        method="post",
        data=lambda w: {"kind": "foto"},
        note="no file: the form page comes back with the message",
    ),
    Row("reporting:evidence_download", VIEWERS_A, kwargs=lambda w: {"pk": _evidence(w).pk}),
    Row("reporting:evidence_remove", {}, kwargs=lambda w: {"pk": _evidence(w).pk}, **POST_ONLY),
    Row(
        "reporting:evidence_remove",
        {"manager_a": REDIRECT, "admin": REDIRECT},
        kwargs=lambda w: {"pk": _evidence(w).pk},
        method="post",
    ),
]
