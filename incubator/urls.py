from django.urls import path

from . import views

app_name = "incubator"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("wirausaha/", views.tenant_list, name="tenant_list"),
    path("blk/<int:centre_id>/", views.centre_summary, name="centre_summary"),
    path("blk/<int:centre_id>/wirausaha/baru/", views.tenant_create, name="tenant_create"),
    path("wirausaha/<int:pk>/", views.tenant_detail, name="tenant_detail"),
    path("wirausaha/<int:pk>/ubah/", views.tenant_edit, name="tenant_edit"),
    path("wirausaha/<int:pk>/tahap/", views.tenant_stage, name="tenant_stage"),
    path("wirausaha/<int:pk>/bantuan/baru/", views.bantuan_create, name="bantuan_create"),
    path("wirausaha/<int:pk>/perkembangan/", views.progress_record, name="progress_record"),
    path("wirausaha/<int:pk>/pendampingan/baru/", views.session_create, name="session_create"),
]
