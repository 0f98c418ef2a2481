"""Communication API: announcements addressed to the user (read, mark read) and the public catalogue
of produk unggulan (read-only, anonymous, throttled per address)."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from blkportal.core.dbrouting import ReplicaReadsMixin
from blkportal.core.errors import DomainError

from . import selectors, services
from .models import Product, ProductCategory
from .serializers import AnnouncementSerializer, MarkReadSerializer, PublicProductSerializer


class PublicRateThrottle(SimpleRateThrottle):
    """Rate ``public`` (DEFAULT_THROTTLE_RATES, default 60/minute) per client address."""

    scope = "public"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or "60/minute"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


@extend_schema_view(
    list=extend_schema(summary="Pengumuman yang berlaku untuk Anda (terbaru dahulu)"),
    retrieve=extend_schema(summary="Satu pengumuman untuk Anda"),
)
class AnnouncementViewSet(ReplicaReadsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Live announcements whose audience includes the signed-in user; `read` marks one read."""

    serializer_class = AnnouncementSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.announcements_for(self.request.user).prefetch_related("attachments")

    @extend_schema(request=None, responses=MarkReadSerializer, summary="Tandai pengumuman sudah dibaca")
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        announcement = self.get_object()
        try:
            services.announcement_mark_read(by=request.user, announcement=announcement)
        except DomainError:  # pragma: no cover - get_object already limits to the audience
            from rest_framework.exceptions import NotFound

            raise NotFound() from None
        return Response({"id": announcement.pk, "is_read": True})


class PublicProductFilter(django_filters.FilterSet):
    province = django_filters.CharFilter(field_name="centre__province_id")
    kejuruan = django_filters.CharFilter(field_name="kejuruan__code")
    category = django_filters.ChoiceFilter(choices=ProductCategory.choices)

    class Meta:
        model = Product
        fields = ["province", "kejuruan", "category"]


@extend_schema_view(
    list=extend_schema(summary="Katalog publik produk unggulan (tanpa login)", auth=[]),
    retrieve=extend_schema(summary="Satu produk unggulan (tanpa login)", auth=[]),
)
class PublicProductViewSet(
    ReplicaReadsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Approved products whose owners consented to publication. No account needed; rate-limited."""

    serializer_class = PublicProductSerializer
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [PublicRateThrottle]
    filterset_class = PublicProductFilter

    def get_queryset(self):
        return selectors.public_products().select_related("tenant").prefetch_related("photos").order_by("name", "pk")


def register(router):
    router.register("announcements", AnnouncementViewSet, basename="announcement")
    router.register("public/products", PublicProductViewSet, basename="public-product")
