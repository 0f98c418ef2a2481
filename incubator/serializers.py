"""Serializers of the incubator API. Types and ranges only; incubator.services checks the rules."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from blkportal.core.forms import MAX_RUPIAH as CORE_MAX_RUPIAH
from blkportal.core.months import MonthSerializerField
from blkportal.core.serializers import StrictModelSerializer, StrictSerializer
from blkportal.registry.models import Kejuruan

from .models import (
    Bantuan,
    MarketChannel,
    MentoringSession,
    ProblemTag,
    Stage,
    Tenant,
    TenantProgress,
    TenantStageChange,
)
from .services import TENANT_FIELDS

MAX_RUPIAH = int(CORE_MAX_RUPIAH)


class RupiahField(serializers.IntegerField):
    """Whole rupiah as a JSON integer."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_RUPIAH)
        super().__init__(**kwargs)


@extend_schema_field(OpenApiTypes.INT)
class ScopedCentreField(serializers.PrimaryKeyRelatedField):
    """A centre id among the centres in the serializer's context (the user's scope)."""

    def get_queryset(self):
        from blkportal.registry.models import Centre

        return self.context.get("centres", Centre.objects.none())


@extend_schema_field(OpenApiTypes.INT)
class ScopedBatchField(serializers.PrimaryKeyRelatedField):
    """A training batch id among the batches in the serializer's context (the user's scope)."""

    def get_queryset(self):
        from reporting.models import TrainingBatch

        return self.context.get("batches", TrainingBatch.objects.none())


class StageChangeSerializer(serializers.ModelSerializer):
    from_stage = serializers.ChoiceField(choices=Stage.choices, allow_blank=True, read_only=True)

    class Meta:
        model = TenantStageChange
        fields = ["from_stage", "to_stage", "changed_on", "reason"]


class BantuanSerializer(StrictModelSerializer):
    amount = RupiahField()

    class Meta:
        model = Bantuan
        fields = ["id", "kind", "amount", "received_on", "source", "notes"]


class ProgressSerializer(serializers.ModelSerializer):
    month = MonthSerializerField(read_only=True)
    omzet = RupiahField(read_only=True)
    profit = RupiahField(min_value=-MAX_RUPIAH, read_only=True)
    market_channels = serializers.ListField(child=serializers.ChoiceField(choices=MarketChannel.choices))
    problem_tags = serializers.ListField(child=serializers.ChoiceField(choices=ProblemTag.choices))

    class Meta:
        model = TenantProgress
        fields = [
            "id",
            "month",
            "omzet",
            "profit",
            "workers",
            "market_channels",
            "keeps_records",
            "problem_tags",
            "problems",
        ]
        read_only_fields = fields


class ProgressInputSerializer(StrictSerializer):
    month = MonthSerializerField(allow_future=True)
    omzet = RupiahField()
    profit = RupiahField(min_value=-MAX_RUPIAH, help_text="may be negative (a loss)")
    workers = serializers.IntegerField(min_value=1, max_value=10000, help_text="including the owner")
    market_channels = serializers.ListField(
        child=serializers.ChoiceField(choices=MarketChannel.choices), required=False, max_length=20
    )
    keeps_records = serializers.BooleanField(required=False, default=False)
    problem_tags = serializers.ListField(
        child=serializers.ChoiceField(choices=ProblemTag.choices), required=False, max_length=20
    )
    problems = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MentoringSession
        fields = ["id", "held_on", "mentor", "mentor_name", "topic", "duration_minutes", "notes"]
        read_only_fields = fields


class SessionInputSerializer(StrictSerializer):
    held_on = serializers.DateField()
    mentor = serializers.IntegerField(
        required=False, allow_null=True, help_text="user id of a mentor assigned to the centre"
    )
    mentor_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    topic = serializers.CharField(max_length=200)
    duration_minutes = serializers.IntegerField(min_value=1, max_value=24 * 60)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class StageMoveSerializer(StrictSerializer):
    to_stage = serializers.ChoiceField(choices=Stage.choices)
    changed_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class TenantSerializer(StrictModelSerializer):
    """A wirausaha binaan. The NIK is write-only: only its keyed hash is stored, and never shown."""

    centre = ScopedCentreField(help_text="an incubator centre where you manage tenants; fixed once created")
    kejuruan = serializers.SlugRelatedField(
        slug_field="code", queryset=Kejuruan.objects.all(), required=False, allow_null=True
    )
    nik = serializers.RegexField(
        r"^[0-9 .-]{16,24}$", write_only=True, required=False, allow_blank=True, help_text="16 digits; stored hashed"
    )
    baseline_omzet = RupiahField(required=False)
    stage = serializers.ChoiceField(
        choices=[Stage.PRA_INKUBASI, Stage.INKUBASI, Stage.PASCA_INKUBASI],
        required=False,
        help_text="entry stage (later moves: POST /tenants/{id}/stage/)",
    )
    stage_since = serializers.DateField(read_only=True)
    warnings = serializers.SerializerMethodField()
    training_batch = ScopedBatchField(required=False, allow_null=True, help_text="a batch of the same centre")

    class Meta:
        model = Tenant
        fields = ["id", "centre", *TENANT_FIELDS, "nik", "stage", "stage_since", "created_at", "updated_at", "warnings"]
        read_only_fields = ["created_at", "updated_at"]

    def get_warnings(self, obj) -> list[str]:
        return [str(w) for w in getattr(obj, "_api_warnings", [])]


class TenantUpdateSerializer(TenantSerializer):
    """Changing a tenant: any subset; not its centre, nor its stage (see the stage action)."""

    centre = serializers.PrimaryKeyRelatedField(read_only=True)
    stage = serializers.ChoiceField(choices=Stage.choices, read_only=True)


class TenantDetailSerializer(TenantSerializer):
    stage_changes = StageChangeSerializer(many=True, read_only=True)
    bantuan = BantuanSerializer(many=True, read_only=True)
    progress = ProgressSerializer(many=True, read_only=True)
    sessions = SessionSerializer(many=True, read_only=True)

    class Meta(TenantSerializer.Meta):
        fields = [*TenantSerializer.Meta.fields, "stage_changes", "bantuan", "progress", "sessions"]
