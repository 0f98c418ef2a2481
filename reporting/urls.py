from django.urls import path

from blkportal.registry import views_imports

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.my_reports, name="my_reports"),
    path("antrean/", views.queue, name="queue"),
    path("antrean/setujui/", views.queue_approve, name="queue_approve"),
    path("terlambat/", views.overdue, name="overdue"),
    path("blk/<int:centre_id>/", views.centre_reports, name="centre_reports"),
    path("blk/<int:centre_id>/<int:year>/<int:month>/", views.report_open, name="report_open"),
    path("blk/<int:centre_id>/<int:year>/<int:month>/buka-kunci/", views.report_unlock, name="report_unlock"),
    path("blk/<int:centre_id>/angkatan/", views.batch_list, name="batch_list"),
    path("blk/<int:centre_id>/angkatan/baru/", views.batch_create, name="batch_create"),
    path("blk/<int:centre_id>/angkatan/impor/", views_imports.import_upload, {"kind": "batches"}, name="batch_import"),
    path(
        "blk/<int:centre_id>/angkatan/impor/templat/",
        views_imports.import_template,
        {"kind": "batches"},
        name="batch_import_template",
    ),
    path("angkatan/<int:pk>/ubah/", views.batch_edit, name="batch_edit"),
    path("angkatan/<int:pk>/hapus/", views.batch_delete, name="batch_delete"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/isi/", views.report_edit, name="report_edit"),
    path("<int:pk>/simpan/", views.report_autosave, name="report_autosave"),
    path("<int:pk>/baris/<slug:kind>/", views.line_add, name="line_add"),
    path("<int:pk>/baris/<slug:kind>/<int:line_id>/hapus/", views.line_remove, name="line_remove"),
    path("<int:pk>/lembar-kerja/", views.report_workbook, name="report_workbook"),
    path("<int:pk>/lembar-kerja/unggah/", views.report_workbook_upload, name="report_workbook_upload"),
    path("<int:pk>/lembar-kerja/<int:job_id>/", views.report_workbook_choose, name="report_workbook_choose"),
    path("<int:pk>/ajukan/", views.report_submit, name="report_submit"),
    path("<int:pk>/verifikasi/", views.report_verify, name="report_verify"),
    path("<int:pk>/setujui/", views.report_approve, name="report_approve"),
    path("<int:pk>/kembalikan/", views.report_return, name="report_return"),
    path("<int:pk>/koreksi/", views.correction_request, name="correction_request"),
    path("koreksi/<int:pk>/putuskan/", views.correction_decide, name="correction_decide"),
    path("<int:pk>/riwayat/", views.report_history, name="report_history"),
    path("<int:pk>/komentar/", views.comment_add, name="comment_add"),
    path("<int:pk>/bukti/", views.evidence_upload, name="evidence_upload"),
    path("bukti/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("bukti/<int:pk>/hapus/", views.evidence_remove, name="evidence_remove"),
]
