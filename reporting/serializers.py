"""Serializers of the reporting API. Types and ranges only; the services check the rules."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from blkportal.core.months import MonthSerializerField
from blkportal.core.serializers import StrictModelSerializer, StrictSerializer
from blkportal.registry.models import Kejuruan

from .fields import BATCH_COUNT_FIELDS
from .forms import MAX_COUNT, MAX_RUPIAH
from .lines import LINE_KINDS
from .models import (
    CorrectionRequest,
    EvidenceFile,
    PermitStatus,
    Report,
    ReportTransition,
    TrainingBatch,
)
from .policy import edit_block_reason
from .rules import BATCH_MAX_COUNT, BATCH_MAX_HOURS
from .services import DRAFT_FIELDS


class RupiahField(serializers.IntegerField):
    """Whole rupiah as a JSON integer (the model keeps a Decimal with no decimal places)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", int(MAX_RUPIAH))
        super().__init__(**kwargs)


@extend_schema_field(OpenApiTypes.INT)
class ScopedCentreField(serializers.PrimaryKeyRelatedField):
    """A centre id, looked up only among the centres in the serializer's context (the user's scope):
    any other id reads as one that does not exist."""

    def get_queryset(self):
        from blkportal.registry.models import Centre

        return self.context.get("centres", Centre.objects.none())


def _name(user):
    return user.display_name if user else None


# Child rows of a report (sections C, D, E).


class PartnershipSerializer(StrictModelSerializer):
    class Meta:
        model = LINE_KINDS["partnership"].model
        fields = ["id", *LINE_KINDS["partnership"].fields]


class IncomeSerializer(StrictModelSerializer):
    amount = RupiahField()

    class Meta:
        model = LINE_KINDS["income"].model
        fields = ["id", *LINE_KINDS["income"].fields]


class ProductSerializer(StrictModelSerializer):
    revenue = RupiahField(required=False)
    units_sold = serializers.IntegerField(min_value=0, max_value=MAX_COUNT, required=False)

    class Meta:
        model = LINE_KINDS["product"].model
        fields = ["id", *LINE_KINDS["product"].fields]


class ProblemSerializer(StrictModelSerializer):
    class Meta:
        model = LINE_KINDS["problem"].model
        fields = ["id", *LINE_KINDS["problem"].fields]


LINE_SERIALIZERS = {
    "partnership": PartnershipSerializer,
    "income": IncomeSerializer,
    "product": ProductSerializer,
    "problem": ProblemSerializer,
}


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvidenceFile
        fields = ["id", "kind", "original_name", "content_type", "size", "sha256", "uploaded_at"]


class TransitionSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = ReportTransition
        fields = ["action", "from_status", "to_status", "actor", "at", "reason"]

    def get_actor(self, obj) -> str | None:
        return _name(obj.actor)


class CorrectionSerializer(serializers.ModelSerializer):
    requested_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()
    centre = serializers.IntegerField(source="report.centre_id", read_only=True)
    period = MonthSerializerField(source="report.period", read_only=True)

    class Meta:
        model = CorrectionRequest
        fields = [
            "id",
            "report",
            "centre",
            "period",
            "status",
            "reason",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "closed_at",
        ]

    def get_requested_by(self, obj) -> str | None:
        return _name(obj.requested_by)

    def get_decided_by(self, obj) -> str | None:
        return _name(obj.decided_by)


# Reports.


class WarningSerializer(serializers.Serializer):
    field = serializers.CharField()
    message = serializers.CharField()
    code = serializers.CharField()


class ReportSerializer(serializers.ModelSerializer):
    """A report as the list and the detail page show it."""

    centre_name = serializers.CharField(source="centre.name", read_only=True)
    centre_reg_code = serializers.CharField(source="centre.reg_code", read_only=True)
    province = serializers.CharField(source="centre.province_id", read_only=True)
    month = MonthSerializerField(source="period", read_only=True)
    operating_cost = RupiahField(allow_null=True, read_only=True)
    own_income = RupiahField(read_only=True)
    # Declared, so the schema keeps "" (not chosen yet) among its values: DRF drops allow_blank from
    # fields made read-only through Meta.
    permit_status = serializers.ChoiceField(choices=PermitStatus.choices, allow_blank=True, read_only=True)
    editable = serializers.SerializerMethodField()
    edit_block_reason = serializers.SerializerMethodField()
    submitted_by = serializers.SerializerMethodField()
    verified_by = serializers.SerializerMethodField()
    approved_by = serializers.SerializerMethodField()
    returned_by = serializers.SerializerMethodField()
    warnings = WarningSerializer(many=True, read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "centre",
            "centre_name",
            "centre_reg_code",
            "province",
            "period",
            "month",
            "status",
            "version",
            *DRAFT_FIELDS,
            "own_income",
            "warnings",
            "editable",
            "edit_block_reason",
            "first_submitted_at",
            "last_submitted_at",
            "submitted_by",
            "on_time",
            "verified_at",
            "verified_by",
            "approved_at",
            "approved_by",
            "returned_at",
            "returned_by",
            "return_reason",
            "unlocked_until",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _block(self, obj):
        cache = self.context.setdefault("_blocks", {})
        if obj.pk not in cache:
            cache[obj.pk] = edit_block_reason(obj, timezone.now())
        return cache[obj.pk]

    def get_editable(self, obj) -> bool:
        return self._block(obj) is None

    def get_edit_block_reason(self, obj) -> str | None:
        return self._block(obj)

    def get_submitted_by(self, obj) -> str | None:
        return _name(obj.submitted_by)

    def get_verified_by(self, obj) -> str | None:
        return _name(obj.verified_by)

    def get_approved_by(self, obj) -> str | None:
        return _name(obj.approved_by)

    def get_returned_by(self, obj) -> str | None:
        return _name(obj.returned_by)


class ReportBatchSerializer(serializers.Serializer):
    """A batch as section A shows it (live while editable, as submitted afterwards): display values."""

    id = serializers.IntegerField()
    program_name = serializers.CharField()
    kejuruan = serializers.CharField()
    funding_source = serializers.CharField()
    start_date = serializers.CharField()
    end_date = serializers.CharField()
    hours_jp = serializers.CharField()
    enrolled_male = serializers.CharField()
    enrolled_female = serializers.CharField()
    graduated = serializers.CharField()
    failed = serializers.CharField()
    withdrawn = serializers.CharField()
    certified = serializers.CharField()
    santri_count = serializers.CharField()
    umum_count = serializers.CharField()


class ReportDetailSerializer(ReportSerializer):
    partnerships = PartnershipSerializer(many=True, read_only=True)
    income_lines = IncomeSerializer(many=True, read_only=True)
    products = ProductSerializer(many=True, read_only=True)
    problems = ProblemSerializer(many=True, read_only=True)
    batches = serializers.SerializerMethodField()
    evidence = EvidenceSerializer(source="evidence_files", many=True, read_only=True)
    transitions = TransitionSerializer(many=True, read_only=True)
    correction = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = [
            *ReportSerializer.Meta.fields,
            "partnerships",
            "income_lines",
            "products",
            "problems",
            "batches",
            "evidence",
            "transitions",
            "correction",
        ]
        read_only_fields = fields

    @extend_schema_field(ReportBatchSerializer(many=True))
    def get_batches(self, obj):
        from .selectors import report_batches
        from .snapshot import batch_dict

        return [b if isinstance(b, dict) else batch_dict(b) for b in report_batches(obj)]

    @extend_schema_field(CorrectionSerializer(allow_null=True))
    def get_correction(self, obj):
        from .selectors import active_correction

        correction = active_correction(obj)
        return CorrectionSerializer(correction).data if correction else None


class ReportOpenSerializer(StrictSerializer):
    """Open (or find) the draft of one centre and month."""

    centre = ScopedCentreField(help_text="a centre whose reports you may edit")
    period = MonthSerializerField(allow_future=True)


class ReportDraftSerializer(StrictModelSerializer):
    """Values of sections B and C; any subset, with the version the client last read."""

    version = serializers.IntegerField(
        min_value=1, help_text="The version you last read; a stale one is refused with 409 (code `stale`)."
    )
    operating_cost = RupiahField(allow_null=True, required=False)

    class Meta:
        model = Report
        fields = ["version", *DRAFT_FIELDS]
        extra_kwargs = {
            name: {"max_value": MAX_COUNT, "required": False}
            for name in [
                "alumni_bekerja",
                "alumni_wirausaha",
                "alumni_studi",
                "alumni_belum_bekerja",
                "alumni_tidak_terlacak",
                "managers_count",
                "instructors_count",
                "instructors_certified",
            ]
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class SubmitSerializer(StrictSerializer):
    version = serializers.IntegerField(min_value=1, required=False)
    explanation = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class NoteSerializer(StrictSerializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


class SubmitResultSerializer(serializers.Serializer):
    submitted = serializers.BooleanField(help_text="true once the report is DIAJUKAN")
    already = serializers.BooleanField(help_text="it was already submitted: nothing changed")
    warnings = WarningSerializer(many=True)
    report = ReportSerializer()


# Training batches.


class TrainingBatchSerializer(StrictModelSerializer):
    centre = ScopedCentreField(help_text="a centre whose reports you may edit; fixed once created")
    kejuruan = serializers.SlugRelatedField(slug_field="code", queryset=Kejuruan.objects.filter(is_active=True))
    enrolled = serializers.IntegerField(read_only=True)

    class Meta:
        model = TrainingBatch
        fields = [
            "id",
            "centre",
            "kejuruan",
            "program_name",
            "funding_source",
            "start_date",
            "end_date",
            "hours_jp",
            "enrolled_male",
            "enrolled_female",
            "enrolled",
            "graduated",
            "failed",
            "withdrawn",
            "certified",
            "santri_count",
            "umum_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {
            name: {"max_value": BATCH_MAX_HOURS if name == "hours_jp" else BATCH_MAX_COUNT}
            for name in BATCH_COUNT_FIELDS
        }


class TrainingBatchUpdateSerializer(TrainingBatchSerializer):
    """Changing a batch: any subset of its values; it stays with its centre."""

    centre = serializers.PrimaryKeyRelatedField(read_only=True)
