"""/api/v1/: the REST API. Each app contributes its routes from <app>/api.py (``register(router)``)."""

from pathlib import Path

from django.conf import settings
from django.urls import path, re_path
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from blkportal import plugins

from . import views


@extend_schema_view(get=extend_schema(exclude=True))
class SchemaView(SpectacularAPIView):
    """The OpenAPI document itself (left out of the document)."""


class ApiRouter(DefaultRouter):
    include_format_suffixes = False  # one URL per resource; JSON is the only format


def project_api_modules():
    """The project's <app>/api.py modules (third-party apps have modules named api too: skip them)."""
    base = Path(settings.BASE_DIR).resolve()
    for module in plugins.modules("api"):
        path = Path(module.__file__).resolve()
        if base in path.parents and "site-packages" not in path.parts and hasattr(module, "register"):
            yield module


router = ApiRouter()
for module in project_api_modules():
    module.register(router)

app_name = "api"
urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    # Anything else under /api/v1/ answers in JSON too, not with the HTML 404 page.
    re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found"),
]
