from django.urls import path

from . import views, views_imports

app_name = "registry"
urlpatterns = [
    path("blk/", views.centre_list, name="centre_list"),
    path("blk/baru/", views.centre_create, name="centre_create"),
    path("blk/impor/", views_imports.import_upload, {"kind": "centres"}, name="centre_import"),
    path("blk/impor/templat/", views_imports.import_template, {"kind": "centres"}, name="centre_import_template"),
    path("impor/", views_imports.import_list, name="import_list"),
    path("impor/<int:job_id>/", views_imports.import_job, name="import_job"),
    path("impor/<int:job_id>/konfirmasi/", views_imports.import_confirm, name="import_confirm"),
    path("blk/<int:centre_id>/", views.centre_detail, name="centre_detail"),
    path("blk/<int:centre_id>/ubah/", views.centre_edit, name="centre_edit"),
    path("blk/<int:centre_id>/nonaktifkan/", views.centre_deactivate, name="centre_deactivate"),
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/baru/", views.user_create, name="user_create"),
    path("pengguna/impor/", views_imports.import_upload, {"kind": "accounts"}, name="user_import"),
    path("pengguna/impor/templat/", views_imports.import_template, {"kind": "accounts"}, name="user_import_template"),
    path("pengguna/<int:pk>/", views.user_edit, name="user_edit"),
    path("peran/<int:pk>/cabut/", views.role_revoke, name="role_revoke"),
    path("profil/", views.profile, name="profile"),
    path("wilayah/kabupaten/", views.regency_options, name="regency_options"),
]
