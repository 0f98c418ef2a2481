"""Registry API: regions and kejuruan (reference data), centres (scoped by access).

Reference data (provinces, kabupaten/kota, kejuruan) is the same for every signed-in user, as in the
pages' dropdowns: nothing in it belongs to a centre, so there is no scope to apply. Centre data
starts from access.centres_for, as the pages do, and is written through registry.services.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from blkportal.core.api_filters import check_filter_params, stable_order
from blkportal.core.dbrouting import ReplicaReadsMixin

from . import access, selectors, services
from .access import Perm
from .filters import CentreFilter
from .models import Kejuruan, Province, Regency
from .serializers import (
    CentreDeactivateSerializer,
    CentreSerializer,
    KejuruanSerializer,
    ProvinceSerializer,
    RegencySerializer,
)


class RegencyFilter(django_filters.FilterSet):
    province = django_filters.CharFilter(field_name="province_id", label=_("Kode provinsi"))
    q = django_filters.CharFilter(method="search", label=_("Cari"))

    class Meta:
        model = Regency
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value)) if value else queryset


class KejuruanFilter(django_filters.FilterSet):
    is_active = django_filters.BooleanFilter(label=_("Aktif"))

    class Meta:
        model = Kejuruan
        fields = []


class ProvinceViewSet(ReplicaReadsMixin, viewsets.ReadOnlyModelViewSet):
    """Provinces with their Kemendagri code and time zone."""

    serializer_class = ProvinceSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9]+"
    pagination_class = None  # 38 rows

    def get_queryset(self):
        return Province.objects.order_by("code")


class RegencyViewSet(ReplicaReadsMixin, viewsets.ReadOnlyModelViewSet):
    """Kabupaten/kota with their dotted Kemendagri code (e.g. 32.04); ?province=32 narrows to one province."""

    serializer_class = RegencySerializer
    filterset_class = RegencyFilter
    lookup_field = "code"
    lookup_value_regex = r"[0-9.]+"

    def get_queryset(self):
        return Regency.objects.order_by("code")


class KejuruanViewSet(ReplicaReadsMixin, viewsets.ReadOnlyModelViewSet):
    """Vocational streams (reference data an administrator extends)."""

    serializer_class = KejuruanSerializer
    filterset_class = KejuruanFilter
    lookup_field = "code"

    def get_queryset(self):
        return Kejuruan.objects.order_by("name", "pk")


@extend_schema_view(
    list=extend_schema(summary="BLK dalam cakupan Anda (filter yang sama dengan halaman Registri BLK)"),
    deactivate=extend_schema(request=CentreDeactivateSerializer, responses=CentreSerializer),
)
class CentreViewSet(
    ReplicaReadsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Centres (BLK Komunitas). Reading needs view_centre; writing needs manage_centres in the centre's scope."""

    serializer_class = CentreSerializer
    filterset_class = CentreFilter
    action_perms = {
        "list": Perm.VIEW_CENTRE,
        "retrieve": Perm.VIEW_CENTRE,
        "create": Perm.MANAGE_CENTRES,
        "update": Perm.MANAGE_CENTRES,
        "partial_update": Perm.MANAGE_CENTRES,
        "deactivate": Perm.MANAGE_CENTRES,
    }

    def get_queryset(self):
        perm = Perm.VIEW_CENTRE if self.action in ("list", "retrieve", None) else Perm.MANAGE_CENTRES
        return (
            access.centres_for(self.request.user, perm)
            .select_related("regency", "province")
            .prefetch_related("kejuruan")
        )

    def filter_queryset(self, queryset):
        if self.action != "list":
            return super().filter_queryset(queryset)
        # The page's own selector: same base, same FilterSet, same province choices.
        check_filter_params(self.filterset_class, self.request.query_params)
        filterset, qs = selectors.centre_list(user=self.request.user, params=self.request.query_params)
        if not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        return stable_order(qs.prefetch_related("kejuruan"))

    def _check_regency_in_scope(self, regency):
        if regency is not None and not access.scope_for(self.request.user, Perm.MANAGE_CENTRES).covers_centre(
            _Located(regency)
        ):
            raise serializers.ValidationError({"regency": [_("Kabupaten/kota ini di luar cakupan Anda.")]})

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        kejuruan = data.pop("kejuruan", [])
        self._check_regency_in_scope(data.get("regency"))
        serializer.instance = services.centre_create(by=self.request.user, data=data, kejuruan=kejuruan)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        kejuruan = data.pop("kejuruan", None)
        self._check_regency_in_scope(data.get("regency"))
        serializer.instance = services.centre_update(
            centre=serializer.instance, by=self.request.user, data=data, kejuruan=kejuruan
        )

    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """Deactivate from a date: the centre is no longer expected to report after it."""
        centre = self.get_object()
        body = CentreDeactivateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        centre = services.centre_deactivate(centre=centre, by=request.user, on=body.validated_data["deactivated_on"])
        return Response(CentreSerializer(centre, context=self.get_serializer_context()).data, status=status.HTTP_200_OK)


class _Located:
    """Just enough of a Centre for Scope.covers_centre: where a new or moved centre would be."""

    pk = None

    def __init__(self, regency):
        self.province_id = regency.province_id


def register(router):
    router.register("provinces", ProvinceViewSet, basename="province")
    router.register("regencies", RegencyViewSet, basename="regency")
    router.register("kejuruan", KejuruanViewSet, basename="kejuruan")
    router.register("centres", CentreViewSet, basename="centre")
