"""Reporting API: monthly reports (drafts, child rows, the review workflow), corrections and
training batches. Same scope (access), same FilterSet and the same services as the pages."""

import django_filters
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from blkportal.core.dbrouting import ReplicaReadsMixin
from blkportal.core.errors import DomainError
from blkportal.core.months import MonthFilter
from blkportal.registry import access
from blkportal.registry.access import Perm
from blkportal.registry.models import Kejuruan

from . import selectors, services
from .filters import ReportFilter
from .lines import LINE_KINDS
from .models import CorrectionRequest, FundingSource, Report, ReportTransition, TrainingBatch
from .policy import may_review
from .serializers import (
    LINE_SERIALIZERS,
    CorrectionSerializer,
    NoteSerializer,
    ReasonSerializer,
    ReportDetailSerializer,
    ReportDraftSerializer,
    ReportOpenSerializer,
    ReportSerializer,
    SubmitResultSerializer,
    SubmitSerializer,
    TrainingBatchSerializer,
    TrainingBatchUpdateSerializer,
)

MONTH_SCHEMA = extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{1,2}$", "example": "2025-01"})


class ApiReportFilter(ReportFilter):
    """The reviewer queue's FilterSet, plus the centre (scripts file for one centre at a time)."""

    centre = django_filters.NumberFilter(field_name="centre_id", label=gettext_lazy("BLK (id)"))
    period = MONTH_SCHEMA(MonthFilter(label=gettext_lazy("Bulan (TTTT-BB)"), field_name="period", allow_future=True))

    class Meta(ReportFilter.Meta):
        fields = [*ReportFilter.Meta.fields, "centre"]


class ExplanationRequiredError(DomainError):
    """Soft rules warned and the report carries no explanation yet: not submitted."""

    def __init__(self, warnings):
        super().__init__(
            _("Tulis penjelasan singkat (minimal 10 karakter) untuk peringatan berikut, lalu ajukan lagi."),
            field="explanation",
            code="explanation_required",
        )
        self.issues = [{"field": "explanation", "message": self.message}] + [
            {"field": f"warnings.{w.get('field') or 'report'}", "message": w.get("message", "")} for w in warnings
        ]


def _require_reviewer(user, report) -> None:
    """Return and decide corrections: the policy the pages ask too."""
    if not may_review(user, report.centre):
        raise NotFound()


def _line_actions(kind):
    """Add and remove rows of one section (partnerships, income, products, problems)."""
    serializer_class = LINE_SERIALIZERS[kind]
    path = LINE_KINDS[kind].related.replace("_", "-")

    def add(self, request, pk=None):
        report = self.get_object()
        body = serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        line = services.report_line_add(report=report, by=request.user, kind=kind, data=dict(body.validated_data))
        return Response(serializer_class(line).data, status=status.HTTP_201_CREATED)

    def remove(self, request, pk=None, line_id=None):
        report = self.get_object()
        services.report_line_remove(report=report, by=request.user, kind=kind, line_id=int(line_id))
        return Response(status=status.HTTP_204_NO_CONTENT)

    # DRF maps HTTP methods to actions by function name: name them before decorating.
    add.__name__, remove.__name__ = f"add_{kind}", f"remove_{kind}"
    add = extend_schema(request=serializer_class, responses={201: serializer_class}, summary=f"Add a {kind} row")(
        action(detail=True, methods=["post"], url_path=path, url_name=f"add-{kind}")(add)
    )
    remove = extend_schema(
        request=None,
        responses={204: None},
        summary=f"Remove a {kind} row",
        parameters=[OpenApiParameter("line_id", int, OpenApiParameter.PATH)],
    )(
        action(detail=True, methods=["delete"], url_path=rf"{path}/(?P<line_id>[0-9]+)", url_name=f"remove-{kind}")(
            remove
        )
    )
    return add, remove


@extend_schema_view(
    list=extend_schema(summary="Laporan bulanan dalam cakupan Anda (filter yang sama dengan antrean laporan)"),
    retrieve=extend_schema(responses=ReportDetailSerializer),
    create=extend_schema(
        request=ReportOpenSerializer,
        responses={200: ReportDetailSerializer, 201: ReportDetailSerializer},
        summary="Open the draft of a centre's month (200 when it already exists)",
    ),
    partial_update=extend_schema(request=ReportDraftSerializer, responses=ReportDetailSerializer),
)
class ReportViewSet(ReplicaReadsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Monthly reports. Every write is one reporting service, as on the pages."""

    serializer_class = ReportSerializer
    filterset_class = ApiReportFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    action_perms = {
        "list": Perm.VIEW_REPORTS,
        "retrieve": Perm.VIEW_REPORTS,
        "create": Perm.EDIT_REPORTS,
        "partial_update": Perm.EDIT_REPORTS,
        "submit": Perm.SUBMIT_REPORTS,
        "verify": Perm.VERIFY_REPORTS,
        "approve": Perm.APPROVE_REPORTS,
        "return_report": Perm.VIEW_REPORTS,
        "correction": Perm.REQUEST_CORRECTION,
        **{f"{verb}_{kind}": Perm.EDIT_REPORTS for kind in LINE_KINDS for verb in ("add", "remove")},
    }

    def get_queryset(self):
        perm = self.action_perms.get(self.action, Perm.VIEW_REPORTS)
        qs = selectors.report_qs().select_related("submitted_by", "verified_by", "approved_by", "returned_by")
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                "partnerships",
                "income_lines",
                "products",
                "problems",
                "evidence_files",
                Prefetch("transitions", queryset=ReportTransition.objects.select_related("actor")),
            )
        return access.filter_by_scope(qs, self.request.user, perm).order_by("-period", "centre__name", "pk")

    def filterset_kwargs(self):
        return {"provinces": access.provinces_for(self.request.user, Perm.VIEW_REPORTS)}

    def get_serializer_class(self):
        return ReportDetailSerializer if self.action == "retrieve" else ReportSerializer

    def _detail(self, report, code=status.HTTP_200_OK):
        report = self.get_queryset().model.objects.get(pk=report.pk)  # fresh, after the service's writes
        return Response(ReportDetailSerializer(report, context=self.get_serializer_context()).data, status=code)

    def create(self, request):
        centres = access.centres_for(request.user, Perm.EDIT_REPORTS)
        body = ReportOpenSerializer(data=request.data, context={**self.get_serializer_context(), "centres": centres})
        body.is_valid(raise_exception=True)
        centre, period = body.validated_data["centre"], body.validated_data["period"]
        existed = Report.objects.filter(centre=centre, period=period).exists()
        report = services.report_get_or_create_draft(centre=centre, period=period, by=request.user)
        return self._detail(report, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        report = self.get_object()
        body = ReportDraftSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version = data.pop("version")
        report = services.report_save_draft(report=report, by=request.user, data=data, expected_version=version)
        return self._detail(report)

    @extend_schema(request=SubmitSerializer, responses=SubmitResultSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit for verification: hard rules refuse (400, one message per field); soft warnings need an
        `explanation` (400, code `explanation_required`)."""
        report = self.get_object()
        body = SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = services.report_submit(
            report=report,
            by=request.user,
            expected_version=body.validated_data.get("version"),
            explanation=body.validated_data.get("explanation"),
        )
        if not (result.submitted or result.already):
            raise ExplanationRequiredError(result.warnings)
        data = {
            "submitted": result.submitted or result.already,
            "already": result.already,
            "warnings": result.warnings,
            "report": ReportSerializer(result.report, context=self.get_serializer_context()).data,
        }
        return Response(data)

    @extend_schema(request=NoteSerializer, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """Regional reviewer: DIAJUKAN → DIVERIFIKASI."""
        report = self.get_object()
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._detail(
            services.report_verify(report=report, by=request.user, note=body.validated_data.get("note", ""))
        )

    @extend_schema(request=NoteSerializer, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Directorate: DIVERIFIKASI → DISETUJUI."""
        report = self.get_object()
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._detail(
            services.report_approve(report=report, by=request.user, note=body.validated_data.get("note", ""))
        )

    @extend_schema(request=ReasonSerializer, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request, pk=None):
        """Back to the centre with a reason (at least 10 characters) the manager reads."""
        report = self.get_object()
        _require_reviewer(request.user, report)
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._detail(
            services.report_return(report=report, by=request.user, reason=body.validated_data["reason"])
        )

    @extend_schema(request=ReasonSerializer, responses={201: CorrectionSerializer})
    @action(detail=True, methods=["post"])
    def correction(self, request, pk=None):
        """Ask to change an approved report (reason → reviewer unlocks → re-approval)."""
        report = self.get_object()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        correction = services.correction_request(report=report, by=request.user, reason=body.validated_data["reason"])
        return Response(CorrectionSerializer(correction).data, status=status.HTTP_201_CREATED)

    add_partnership, remove_partnership = _line_actions("partnership")
    add_income, remove_income = _line_actions("income")
    add_product, remove_product = _line_actions("product")
    add_problem, remove_problem = _line_actions("problem")


class CorrectionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CorrectionRequest.Status.choices, label=gettext_lazy("Status"))
    report = django_filters.NumberFilter(field_name="report_id", label=gettext_lazy("Laporan (id)"))

    class Meta:
        model = CorrectionRequest
        fields = ["status", "report"]


@extend_schema_view(
    approve=extend_schema(request=NoteSerializer, responses=CorrectionSerializer),
    reject=extend_schema(request=ReasonSerializer, responses=CorrectionSerializer),
)
class CorrectionViewSet(ReplicaReadsMixin, viewsets.ReadOnlyModelViewSet):
    """Correction requests on approved reports; reviewers and the directorate decide them."""

    serializer_class = CorrectionSerializer
    filterset_class = CorrectionFilter
    action_perms = {"*": Perm.VIEW_REPORTS}

    def get_queryset(self):
        qs = CorrectionRequest.objects.select_related(
            "report__centre__province", "requested_by", "decided_by"
        ).order_by("-requested_at", "-pk")
        return access.filter_by_scope(qs, self.request.user, Perm.VIEW_REPORTS, centre_field="report__centre")

    def _decide(self, request, approve: bool):
        correction = self.get_object()
        _require_reviewer(request.user, correction.report)
        if approve:
            body = NoteSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            note = body.validated_data.get("note", "")
            correction = services.correction_approve(correction=correction, by=request.user, note=note)
        else:
            body = ReasonSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            correction = services.correction_reject(
                correction=correction, by=request.user, note=body.validated_data["reason"]
            )
        return Response(CorrectionSerializer(correction).data)

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Unlock the approved report for the centre to correct (the approved values are kept)."""
        return self._decide(request, approve=True)

    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Refuse the correction, with a reason."""
        return self._decide(request, approve=False)


class BatchFilter(django_filters.FilterSet):
    centre = django_filters.NumberFilter(field_name="centre_id", label=gettext_lazy("BLK (id)"))
    kejuruan = django_filters.ModelChoiceFilter(
        field_name="kejuruan",
        to_field_name="code",
        queryset=Kejuruan.objects.order_by("name"),
        label=gettext_lazy("Kejuruan"),
    )
    funding_source = django_filters.ChoiceFilter(choices=FundingSource.choices, label=gettext_lazy("Sumber dana"))
    month = MONTH_SCHEMA(
        MonthFilter(label=gettext_lazy("Aktif pada bulan (TTTT-BB)"), method="active_in", allow_future=True)
    )

    class Meta:
        model = TrainingBatch
        fields = ["centre", "kejuruan", "funding_source", "month"]

    def active_in(self, queryset, name, value):
        from blkportal.core.months import month_bounds

        first, last = month_bounds(value)
        return queryset.filter(Q(start_date__lte=last) & Q(end_date__gte=first))


@extend_schema_view(
    partial_update=extend_schema(request=TrainingBatchUpdateSerializer, responses=TrainingBatchSerializer),
)
class TrainingBatchViewSet(
    ReplicaReadsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Training batches (section A): one record per angkatan, shown by every report of the months it spans."""

    serializer_class = TrainingBatchSerializer
    filterset_class = BatchFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    action_perms = {
        "list": Perm.VIEW_REPORTS,
        "retrieve": Perm.VIEW_REPORTS,
        "create": Perm.EDIT_REPORTS,
        "partial_update": Perm.EDIT_REPORTS,
        "destroy": Perm.EDIT_REPORTS,
    }

    def get_queryset(self):
        perm = self.action_perms.get(self.action, Perm.VIEW_REPORTS)
        qs = TrainingBatch.objects.select_related("centre__province", "kejuruan").order_by("-start_date", "-pk")
        return access.filter_by_scope(qs, self.request.user, perm)

    def get_serializer_class(self):
        return TrainingBatchUpdateSerializer if self.action == "partial_update" else TrainingBatchSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.request is not None and self.request.user.is_authenticated:
            context["centres"] = access.centres_for(self.request.user, Perm.EDIT_REPORTS)
        return context

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        centre = data.pop("centre")
        serializer.instance = services.batch_create(centre=centre, by=self.request.user, data=data)

    def perform_update(self, serializer):
        serializer.instance = services.batch_update(
            batch=serializer.instance, by=self.request.user, data=dict(serializer.validated_data)
        )

    def perform_destroy(self, instance):
        services.batch_delete(batch=instance, by=self.request.user)


def register(router):
    router.register("reports", ReportViewSet, basename="report")
    router.register("corrections", CorrectionViewSet, basename="correction")
    router.register("batches", TrainingBatchViewSet, basename="batch")
