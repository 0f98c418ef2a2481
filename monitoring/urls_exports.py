"""Export URLs, included by monitoring/urls.py at "ekspor/" (names live in the monitoring namespace)."""

from django.conf import settings
from django.urls import path

from . import views_exports

urlpatterns = [
    path("", views_exports.export_list, name="export_list"),
    path("<int:pk>/status/", views_exports.export_status, name="export_status"),
    path("<int:pk>/unduh/", views_exports.export_download, name="export_download"),
    path("<int:pk>/ulangi/", views_exports.export_retry, name="export_retry"),
]
if settings.BENCH_FLOOR_PAGE:
    # The benchmark's floor, mounted only while `make bench` runs (bench/run.sh sets BENCH_FLOOR_PAGE).
    urlpatterns.append(path("patokan/", views_exports.bench_floor, name="bench_floor"))
