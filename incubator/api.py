"""Incubator API: wirausaha binaan (tenants) with their stages, aid (bantuan), monthly progress and
mentoring sessions. Same scope (access), FilterSet (TenantFilter) and services as the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from blkportal.core.api_filters import check_filter_params, stable_order
from blkportal.core.dbrouting import ReplicaReadsMixin
from blkportal.registry import access
from blkportal.registry.access import Perm
from reporting.models import TrainingBatch

from . import selectors, services
from .filters import TenantFilter
from .models import Tenant
from .serializers import (
    BantuanSerializer,
    ProgressInputSerializer,
    ProgressSerializer,
    SessionInputSerializer,
    SessionSerializer,
    StageChangeSerializer,
    StageMoveSerializer,
    TenantDetailSerializer,
    TenantSerializer,
    TenantUpdateSerializer,
)


def _detail(tenant, warnings=(), code=status.HTTP_200_OK):
    tenant = (
        Tenant.objects.select_related("centre", "kejuruan")
        .prefetch_related("stage_changes", "bantuan", "progress", "sessions")
        .get(pk=tenant.pk)
    )
    tenant._api_warnings = list(warnings)
    return Response(TenantDetailSerializer(tenant).data, status=code)


@extend_schema_view(
    list=extend_schema(summary="Wirausaha binaan dalam cakupan Anda (filter yang sama dengan halaman)"),
    retrieve=extend_schema(responses=TenantDetailSerializer),
    create=extend_schema(request=TenantSerializer, responses={201: TenantDetailSerializer}),
    partial_update=extend_schema(request=TenantUpdateSerializer, responses=TenantDetailSerializer),
)
class TenantViewSet(
    ReplicaReadsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Tenants of incubator centres. Reading needs view_tenants; registering, editing, stages and aid
    need manage_tenants; monthly progress needs record_progress (managers and mentors); mentoring
    sessions need log_mentoring, in the tenant's centre."""

    serializer_class = TenantSerializer
    filterset_class = TenantFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_perms = {
        "list": Perm.VIEW_TENANTS,
        "retrieve": Perm.VIEW_TENANTS,
        "create": Perm.MANAGE_TENANTS,
        "partial_update": Perm.MANAGE_TENANTS,
        "stage": Perm.MANAGE_TENANTS,
        "bantuan": Perm.MANAGE_TENANTS,
        "progress": Perm.RECORD_PROGRESS,
        "sessions": Perm.LOG_MENTORING,
    }

    def get_queryset(self):
        perm = self.action_perms.get(self.action, Perm.VIEW_TENANTS)
        qs = selectors.tenants_for(self.request.user, perm).select_related("centre", "kejuruan")
        if self.action == "retrieve":
            qs = qs.prefetch_related("stage_changes", "bantuan", "progress", "sessions")
        return qs.order_by("business_name", "pk")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return super().filter_queryset(queryset)
        # The page's own selector: same base, same FilterSet (with the user's centres and provinces).
        check_filter_params(self.filterset_class, self.request.query_params)
        filterset, qs = selectors.tenant_list(user=self.request.user, params=self.request.query_params)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        # TenantSerializer shows kejuruan by its code: join it, or it costs one query per row.
        return stable_order(qs.select_related("kejuruan"))

    def get_serializer_class(self):
        if self.action == "retrieve":
            return TenantDetailSerializer
        if self.action == "partial_update":
            return TenantUpdateSerializer
        return TenantSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.request is not None and self.request.user.is_authenticated:
            user = self.request.user
            context["centres"] = access.centres_for(user, Perm.MANAGE_TENANTS).filter(is_incubator=True)
            context["batches"] = access.filter_by_scope(TrainingBatch.objects.all(), user, Perm.MANAGE_TENANTS)
        return context

    def create(self, request):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        centre, nik = data.pop("centre"), data.pop("nik", "")
        stage = data.pop("stage", services.Stage.PRA_INKUBASI)
        tenant, warnings = services.tenant_register(centre=centre, data=data, nik=nik, stage=stage, by=request.user)
        return _detail(tenant, warnings, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        tenant = self.get_object()
        body = TenantUpdateSerializer(tenant, data=request.data, partial=True, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        nik = data.pop("nik", None)
        tenant, warnings = services.tenant_update(tenant=tenant, data=data, nik=nik, by=request.user)
        return _detail(tenant, warnings)

    @extend_schema(request=StageMoveSerializer, responses={201: StageChangeSerializer})
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        """Move to another stage on a date (going back, skipping or dropping out needs a reason)."""
        tenant = self.get_object()
        body = StageMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        change = services.tenant_move_stage(
            tenant=tenant,
            to_stage=body.validated_data["to_stage"],
            on=body.validated_data["changed_on"],
            reason=body.validated_data.get("reason", ""),
            by=request.user,
        )
        return Response(StageChangeSerializer(change).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BantuanSerializer, responses={201: BantuanSerializer})
    @action(detail=True, methods=["post"])
    def bantuan(self, request, pk=None):
        """Record aid received (TKM Pemula/Lanjutan, equipment, capital, other)."""
        tenant = self.get_object()
        body = BantuanSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record, _warnings = services.bantuan_add(tenant=tenant, data=dict(body.validated_data), by=request.user)
        return Response(BantuanSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProgressInputSerializer, responses={200: ProgressSerializer, 201: ProgressSerializer})
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        """Record one month's figures (201), or correct a month already recorded (200)."""
        tenant = self.get_object()
        body = ProgressInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        month = data.pop("month")
        row, created = services.progress_record(tenant=tenant, month=month, data=data, by=request.user)
        return Response(ProgressSerializer(row).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=SessionInputSerializer, responses={201: SessionSerializer})
    @action(detail=True, methods=["post"])
    def sessions(self, request, pk=None):
        """Log a mentoring session (the mentor: an account assigned to the centre, or a name)."""
        tenant = self.get_object()
        body = SessionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        mentor_id = data.pop("mentor", None)
        if mentor_id is not None:
            # Only the centre's assigned mentors are candidates: any other id reads as not assigned.
            data["mentor"] = services.centre_mentors(tenant.centre_id).filter(pk=mentor_id).first()
            if data["mentor"] is None:
                raise ValidationError({"mentor": [_("Mentor yang dipilih tidak ditugaskan di BLK ini.")]})
        session = services.session_log(tenant=tenant, data=data, by=request.user)
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)


def register(router):
    router.register("tenants", TenantViewSet, basename="tenant")
