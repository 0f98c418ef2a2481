from django.urls import include, path

from blkportal.registry import views_imports

from .views import dashboards, rankings

app_name = "monitoring"
urlpatterns = [
    path("", dashboards.dashboard, name="dashboard"),
    path("provinsi/<str:code>/", dashboards.dashboard_province, name="dashboard_province"),
    path("kabupaten/<str:code>/", dashboards.dashboard_regency, name="dashboard_regency"),
    path("blk/<int:centre_id>/", dashboards.dashboard_centre, name="dashboard_centre"),
    path("metodologi/", dashboards.methodology, name="methodology"),
    path("peringkat/", rankings.ranking_list, name="ranking_list"),
    path("peringkat/ekspor/", rankings.ranking_export, name="ranking_export"),
    path("peringkat/<int:snapshot>/blk/<int:centre_id>/", rankings.ranking_why, name="ranking_why"),
    path("skema/", rankings.scheme_list, name="scheme_list"),
    path("skema/baru/", rankings.scheme_create, name="scheme_create"),
    path("skema/<int:pk>/", rankings.scheme_detail, name="scheme_detail"),
    path("skema/<int:pk>/ubah/", rankings.scheme_edit, name="scheme_edit"),
    path("skema/<int:pk>/hitung-ulang/", rankings.ranking_recompute, name="ranking_recompute"),
    path("skema/versi/<int:pk>/", rankings.version_detail, name="version_detail"),
    path("ekspor/", include("monitoring.urls_exports")),
    path("impor-riwayat/", views_imports.import_upload, {"kind": "history"}, name="history_import"),
    path("impor-riwayat/templat/", views_imports.import_template, {"kind": "history"}, name="history_import_template"),
]
