"""/api/v1/: the REST API. Each app's <app>/api.py defines its viewsets and ``register(router)``;
they are registered here, one app after the other."""

from django.urls import path, re_path
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

import communication.api
import incubator.api
import monitoring.api
import reporting.api
from blkportal.registry import api as registry_api

from . import views


@extend_schema_view(get=extend_schema(exclude=True))
class SchemaView(SpectacularAPIView):
    """The OpenAPI document itself (left out of the document)."""


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
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    # Anything else under /api/v1/ answers in JSON too, not with the HTML 404 page.
    re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found"),
]
