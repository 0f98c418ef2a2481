from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic.base import RedirectView
from django.views.i18n import set_language

from blkportal import views
from blkportal.registry.forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path("sehat/", views.health, name="health"),
    # Browsers and bookmarks ask for /favicon.ico whatever the page links to.
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}favicon.svg", permanent=True), name="favicon"),
    path(
        "masuk/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("kata-sandi/ubah/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("kata-sandi/ubah/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "kata-sandi/lupa/",
        auth_views.PasswordResetView.as_view(email_template_name="registration/password_reset_email.txt"),
        name="password_reset",
    ),
    path("kata-sandi/lupa/terkirim/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "kata-sandi/atur/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("kata-sandi/atur/selesai/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("bahasa/", set_language, name="set_language"),
    path("", include("blkportal.registry.urls")),
    path("laporan/", include("reporting.urls")),
    path("inkubator/", include("incubator.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("", include("communication.urls")),
    path("api/v1/", include("blkportal.api.urls")),
    path("profil/token-api/", include("blkportal.api.token_urls")),
    path("admin/", admin.site.urls),
]

handler400 = "blkportal.views.error_400"
handler404 = "blkportal.views.error_404"
handler500 = "blkportal.views.error_500"
handler403 = "blkportal.views.error_403"
