"""Monitoring API: indicator definitions, facts by region and month (the dashboards' numbers, each
with numerator and denominator), rankings with their breakdown, and export jobs.

Same scope (access, through monitoring.selectors), the dashboards' FactFilter and the export page's
form and services. Invalid filters are refused (400) rather than ignored as on the pages.
"""

import mimetypes

import django_filters
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from blkportal.core.api_filters import check_filter_params
from blkportal.core.dbrouting import ReplicaReadsMixin
from blkportal.registry import access
from blkportal.registry.access import Perm

from . import indicators, selectors, services_exports
from .exporters.forms import ExportRequestForm
from .filters import FactFilter
from .forms import RankingFilterForm
from .models import ExportJob, ExportStatus, RankingSnapshot
from .serializers import (
    BreakdownSerializer,
    CentreFactSerializer,
    ExportJobSerializer,
    ExportRequestSerializer,
    IndicatorSerializer,
    RankingEntrySerializer,
    SnapshotSerializer,
    TrendSerializer,
)

MAX_TREND_MONTHS = 60
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = _("Berkas ekspor ini sudah kedaluwarsa dan dihapus. Minta ekspor baru.")
    default_code = "gone"


def _month_param(name="month", description="YYYY-MM; default: the latest month whose deadline has passed"):
    return OpenApiParameter(name, OpenApiTypes.STR, description=description, pattern=r"^\d{4}-\d{2}$")


FACT_PARAMETERS = [
    _month_param(),
    OpenApiParameter("province", OpenApiTypes.STR, description="province code (national, regional users)"),
    OpenApiParameter("regency", OpenApiTypes.STR, description="kabupaten/kota code, e.g. 32.04"),
    OpenApiParameter("cohort_year", OpenApiTypes.INT, description="year built"),
    OpenApiParameter(
        "kejuruan", OpenApiTypes.STR, description="registered kejuruan of the centre (code), not the batches' kejuruan"
    ),
    OpenApiParameter(
        "kejuruan_angkatan",
        OpenApiTypes.STR,
        description="batch kejuruan (code): the training figures (completion, certification, female share) of "
        "the batches of this kejuruan only; reporting, alumni and incubator figures are not narrowed by it",
    ),
    OpenApiParameter("kemandirian", OpenApiTypes.STR, enum=["tumbuh", "berkembang", "mandiri", "none"]),
    OpenApiParameter("incubator", OpenApiTypes.BOOL, description="incubator centres only"),
]


@extend_schema_view(list=extend_schema(summary="Indicator definitions (the one place numbers are defined)"))
class IndicatorViewSet(viewsets.ViewSet):
    """What each indicator counts: label, numerator, denominator, kind, unit."""

    action_perms = {"list": Perm.VIEW_DASHBOARD}
    serializer_class = IndicatorSerializer

    @extend_schema(responses=IndicatorSerializer(many=True))
    def list(self, request):
        return Response([IndicatorSerializer(ind).data for ind in indicators.INDICATORS.values()])


class FactViewSet(ReplicaReadsMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Monitoring facts (one row per centre and month) and the dashboards' aggregates of them."""

    serializer_class = CentreFactSerializer
    action_perms = {"*": Perm.VIEW_DASHBOARD}
    replica_actions = ("list", "regions", "trend")

    def get_queryset(self):
        return selectors.facts_for(self.request.user)

    def _training(self, province=None, regency=None):
        """Per-kejuruan training facts of ?kejuruan_angkatan= (same scope and filters), or None."""
        filterset = FactFilter(self.request.query_params, queryset=self.get_queryset())
        training = filterset.training_qs(selectors.kejuruan_facts_for(self.request.user))
        if training is not None and province is not None:
            training = training.filter(province_id=province.code)
        if training is not None and regency:
            training = training.filter(regency_id=regency)
        return training

    def _facts(self):
        """(facts filtered like the dashboards, the month, the province or None)."""
        params = self.request.query_params
        check_filter_params(FactFilter, params)
        filterset = FactFilter(params, queryset=self.get_queryset())
        if not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        month = filterset.chosen_month or selectors.latest_closed_month()
        qs, province = filterset.qs, None
        if params.get("province"):
            province = selectors.province_or_404(self.request.user, params["province"])
            qs = qs.filter(province_id=province.code)
        if params.get("regency"):
            regency = selectors.regency_or_404(self.request.user, params["regency"])
            qs = qs.filter(regency_id=regency.code)
        return qs, month, province

    @extend_schema(parameters=FACT_PARAMETERS, summary="Facts of each centre for one month (paginated)")
    def list(self, request):
        qs, month, _province = self._facts()
        page = self.paginate_queryset(selectors.centre_rows(qs, month))
        return self.get_paginated_response(CentreFactSerializer(page, many=True).data)

    @extend_schema(
        parameters=FACT_PARAMETERS,
        responses=BreakdownSerializer,
        summary="Indicators per province (or per kabupaten/kota of ?province=) for one month, with the total",
    )
    @action(detail=False, methods=["get"])
    def regions(self, request):
        qs, month, province = self._facts()
        by, key, name = (
            ("regency", "regency_id", "regency__name") if province else ("province", "province_id", "province__name")
        )
        training = self._training(province, self.request.query_params.get("regency"))
        rows, total = selectors.breakdown(qs, month, key, name, training)
        data = {
            "month": f"{month:%Y-%m}",
            "by": by,
            "province": province.code if province else None,
            "rows": [{**row, "code": row[key], "name": row[name]} for row in rows],
            "total": total,
        }
        return Response(BreakdownSerializer(data).data)

    @extend_schema(
        parameters=[
            *FACT_PARAMETERS,
            OpenApiParameter("months", OpenApiTypes.INT, description=f"1–{MAX_TREND_MONTHS}, default 12"),
        ],
        responses=TrendSerializer,
        summary="Indicators month by month, ending with ?month=",
    )
    @action(detail=False, methods=["get"])
    def trend(self, request):
        raw = request.query_params.get("months", "12")
        if not (raw.isdigit() and 1 <= int(raw) <= MAX_TREND_MONTHS):
            raise serializers.ValidationError({"months": [_("Isi 1 sampai %(n)d.") % {"n": MAX_TREND_MONTHS}]})
        qs, month, province = self._facts()
        training = self._training(province, self.request.query_params.get("regency"))
        rows = selectors.trend(qs, month, int(raw), training=training)
        data = {"months": int(raw), "rows": [{**row, "month": f"{row['month']:%Y-%m}"} for row in rows]}
        return Response(TrendSerializer(data).data)


class SnapshotFilter(django_filters.FilterSet):
    scheme = django_filters.NumberFilter(field_name="version__scheme_id", label=_("Skema (id)"))
    frozen = django_filters.BooleanFilter(label=_("Dibekukan"))

    class Meta:
        model = RankingSnapshot
        fields = ["scheme", "frozen"]


ENTRY_PARAMETERS = [
    OpenApiParameter("province", OpenApiTypes.STR),
    OpenApiParameter("cohort_year", OpenApiTypes.INT),
    OpenApiParameter(
        "kejuruan", OpenApiTypes.STR, description="registered kejuruan of the centre (code), not the batches' kejuruan"
    ),
    OpenApiParameter("peer_group", OpenApiTypes.STR),
    OpenApiParameter("q", OpenApiTypes.STR, description="centre name or code"),
    OpenApiParameter("ranked_only", OpenApiTypes.BOOL),
]


@extend_schema_view(list=extend_schema(summary="Ranking computations (frozen monthly, and live)"))
class RankingViewSet(ReplicaReadsMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Rankings: each computation (snapshot) of a scheme version for a month, its entries and, per
    centre, the breakdown (each component with numerator, denominator, weight and points)."""

    serializer_class = SnapshotSerializer
    filterset_class = SnapshotFilter
    action_perms = {"*": Perm.VIEW_RANKINGS}
    replica_actions = ("list", "entries", "breakdown")

    def get_queryset(self):
        # Snapshots are not centre data (their entries are, and are scoped in `entries`).
        return (
            RankingSnapshot.objects.filter(version__scheme__is_active=True)
            .select_related("version", "version__scheme")
            .order_by("-period", "version__scheme__name", "-version__number", "-frozen", "pk")
        )

    def _snapshot(self, pk):
        return selectors.snapshot_or_404(pk)

    @extend_schema(parameters=ENTRY_PARAMETERS, responses=RankingEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def entries(self, request, pk=None):
        """The entries you may see (a manager: their own centre), by peer group and rank."""
        snapshot = self._snapshot(pk)
        form = RankingFilterForm(request.query_params, provinces=access.provinces_for(request.user, Perm.VIEW_RANKINGS))
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        params = form.params()
        if request.query_params.get("peer_group"):
            params["peer_group"] = request.query_params["peer_group"][:120]
        page = self.paginate_queryset(selectors.ranking_entries(request.user, snapshot, params))
        return self.get_paginated_response(RankingEntrySerializer(page, many=True).data)

    @extend_schema(
        responses=RankingEntrySerializer,
        parameters=[OpenApiParameter("centre", int, OpenApiParameter.PATH)],
        summary="Why this centre has its rank: every component with numerator, denominator, weight, points",
    )
    @action(detail=True, methods=["get"], url_path=r"entries/(?P<centre>[0-9]+)", url_name="breakdown")
    def breakdown(self, request, pk=None, centre=None):
        entry = selectors.ranking_entry_or_404(request.user, self._snapshot(pk), centre)
        return Response(RankingEntrySerializer(entry).data)


@extend_schema_view(
    create=extend_schema(request=ExportRequestSerializer, responses={201: ExportJobSerializer}),
    download=extend_schema(
        responses={
            (200, CONTENT_TYPES["xlsx"]): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
            (410, "application/json"): OpenApiResponse(description="expired: request a new export"),
        }
    ),
)
class ExportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your export jobs: request one (it runs in the background), watch its status, download the file.
    Only the owner sees a job; anyone else gets 404."""

    serializer_class = ExportJobSerializer
    action_perms = {"*": Perm.EXPORT_DATA}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return ExportJob.objects.none()
        return ExportJob.objects.filter(owner=self.request.user).order_by("-created_at", "-pk")

    def create(self, request):
        body = ExportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        form = ExportRequestForm({k: str(v) for k, v in body.validated_data.items()}, user=request.user)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        job = services_exports.export_request(
            by=request.user,
            kind=form.cleaned_data["kind"],
            file_format=form.cleaned_data["file_format"],
            parameters=form.parameters(),
        )
        return Response(ExportJobSerializer(job, context={"request": request}).data, status=status.HTTP_201_CREATED)

    def perform_content_negotiation(self, request, force=False):
        # The download answers with the file's own type, whatever the client accepts.
        return super().perform_content_negotiation(request, force=force or self.action == "download")

    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The finished file (XLSX or CSV); 410 once it has expired."""
        job = self.get_object()
        if job.is_expired() or (job.status == ExportStatus.DONE and not job.file.storage.exists(job.file.name or "-")):
            raise Gone()
        if job.status != ExportStatus.DONE or not job.file:
            raise exceptions.NotFound()
        content_type = CONTENT_TYPES.get(job.file_format) or mimetypes.guess_type(job.download_name)[0]
        return FileResponse(
            job.file.storage.open(job.file.name, "rb"),
            as_attachment=True,
            filename=job.download_name,
            content_type=content_type,
        )


def register(router):
    router.register("indicators", IndicatorViewSet, basename="indicator")
    router.register("facts", FactViewSet, basename="fact")
    router.register("rankings", RankingViewSet, basename="ranking")
    router.register("exports", ExportViewSet, basename="export")
