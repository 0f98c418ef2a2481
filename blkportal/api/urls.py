"""/api/v1/: the REST API. Each app's <app>/api.py defines its viewsets and ``register(router)``;
they are registered here, one app after the other."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import path, re_path
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.routers import DefaultRouter

import communication.api
import incubator.api
import monitoring.api
import reporting.api
from blkportal.registry import api as registry_api

from . import views


@extend_schema_view(get=extend_schema(exclude=True))
class SchemaView(SpectacularAPIView):
    """The OpenAPI document itself (left out of the document): signed-in users (session or token)
    only, unless API_DOCS_PUBLIC is set."""

    def get_permissions(self):
        return [AllowAny() if settings.API_DOCS_PUBLIC else IsAuthenticated()]

    def handle_exception(self, exc):
        # Refusals in the API's JSON error shape, not in the schema's YAML.
        response = super().handle_exception(exc)
        self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return response


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI, with its start-up script served as a file (no inline script: the CSP holds).
    Signed-in users only (the sign-in page for others) unless API_DOCS_PUBLIC is set."""

    template_name = "api/swagger_ui.html"
    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if not settings.API_DOCS_PUBLIC and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().get(request, *args, **kwargs)


class ApiRouter(DefaultRouter):
    include_format_suffixes = False  # one URL per resource; JSON is the only format


router = ApiRouter()
registry_api.register(router)
reporting.api.register(router)
incubator.api.register(router)
monitoring.api.register(router)
communication.api.register(router)

app_name = "api"
urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    # Anything else under /api/v1/ answers in JSON too, not with the HTML 404 page.
    re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found"),
]
