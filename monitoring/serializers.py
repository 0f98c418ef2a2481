"""Serializers of the monitoring API: figures (numerator, denominator, value), regional breakdowns,
trends, centre facts, rankings with their breakdown, export jobs."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from blkportal.core.serializers import StrictSerializer

from .indicators import INDICATORS, schema_description
from .models import CentreMonth, ExportFormat, ExportJob, ExportKind, RankingEntry, RankingSnapshot


class FigureSerializer(serializers.Serializer):
    """One indicator for one group of facts: always with its numerator and denominator."""

    indicator = serializers.CharField()
    label = serializers.CharField()
    numerator = serializers.FloatField()
    denominator = serializers.FloatField()
    value = serializers.FloatField(allow_null=True, help_text="null when the denominator is 0")


def figures_of(row) -> dict:
    return {code: figure.as_dict() for code, figure in row["figures"].items()}


FIGURE_SCHEMA = {
    "type": "object",
    "properties": {
        "indicator": {"type": "string"},
        "label": {"type": "string"},
        "numerator": {"type": "number"},
        "denominator": {"type": "number"},
        "value": {"type": "number", "nullable": True, "description": "null when the denominator is 0"},
    },
    "required": ["indicator", "label", "numerator", "denominator", "value"],
}
FIGURES_SCHEMA = {
    "type": "object",
    "additionalProperties": FIGURE_SCHEMA,
    "description": "indicator code -> figure; each indicator's methodology as on /monitoring/metodologi/",
    # The same definitions as the methodology page and the exports' "Metodologi" sheet.
    "properties": {code: {**FIGURE_SCHEMA, "description": schema_description(code)} for code in INDICATORS},
}


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    numerator_label = serializers.CharField()
    denominator_label = serializers.CharField()
    kind = serializers.CharField()
    unit = serializers.CharField()
    description = serializers.CharField()
    rankable = serializers.BooleanField()

    def to_representation(self, ind):
        return {
            "code": ind.code,
            "label": str(ind.label),
            "numerator_label": str(ind.numerator_label),
            "denominator_label": str(ind.denominator_label),
            "kind": ind.kind,
            "unit": ind.unit,
            "description": str(ind.description),
            "rankable": ind.rankable,
        }


class RegionRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(allow_null=True)
    centres = serializers.IntegerField()
    expected = serializers.IntegerField()
    figures = serializers.SerializerMethodField()

    @extend_schema_field(FIGURES_SCHEMA)
    def get_figures(self, row):
        return figures_of(row)


class TotalSerializer(serializers.Serializer):
    centres = serializers.IntegerField()
    expected = serializers.IntegerField()
    figures = serializers.SerializerMethodField()

    @extend_schema_field(FIGURES_SCHEMA)
    def get_figures(self, row):
        return figures_of(row)


class BreakdownSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    by = serializers.ChoiceField(choices=["province", "regency"])
    province = serializers.CharField(allow_null=True)
    rows = RegionRowSerializer(many=True)
    total = TotalSerializer()


class TrendRowSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    figures = serializers.SerializerMethodField()

    @extend_schema_field(FIGURES_SCHEMA)
    def get_figures(self, row):
        return figures_of(row)


class TrendSerializer(serializers.Serializer):
    months = serializers.IntegerField()
    rows = TrendRowSerializer(many=True)


class CentreFactSerializer(serializers.ModelSerializer):
    """One centre's facts for one month (as the dashboard's centre table)."""

    centre_name = serializers.CharField(source="centre.name")
    centre_reg_code = serializers.CharField(source="centre.reg_code")
    month = serializers.SerializerMethodField()
    own_income = serializers.IntegerField()
    operating_cost = serializers.IntegerField()

    class Meta:
        model = CentreMonth
        exclude = ["id"]

    def get_month(self, obj) -> str:
        return f"{obj.month:%Y-%m}"


class SnapshotSerializer(serializers.ModelSerializer):
    scheme = serializers.IntegerField(source="version.scheme_id")
    scheme_name = serializers.CharField(source="version.scheme.name")
    version = serializers.IntegerField(source="version.number")
    period = serializers.SerializerMethodField()

    class Meta:
        model = RankingSnapshot
        fields = [
            "id",
            "scheme",
            "scheme_name",
            "version",
            "period",
            "frozen",
            "computed_at",
            "entry_count",
            "ranked_count",
        ]

    def get_period(self, obj) -> str:
        return f"{obj.period:%Y-%m}"


class ComponentSerializer(FigureSerializer):
    weight = serializers.FloatField()
    points = serializers.FloatField()


class RankingEntrySerializer(serializers.ModelSerializer):
    centre_name = serializers.CharField(source="centre.name")
    centre_reg_code = serializers.CharField(source="centre.reg_code")
    kejuruan = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    score = serializers.FloatField()
    components = ComponentSerializer(many=True, help_text="the breakdown: why this centre has its rank")

    class Meta:
        model = RankingEntry
        fields = [
            "centre",
            "centre_name",
            "centre_reg_code",
            "province",
            "cohort_year",
            "kejuruan",
            "peer_group",
            "peer_size",
            "verified_months",
            "expected_months",
            "eligible",
            "score",
            "rank",
            "components",
        ]


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{1,2}$", "example": "2025-01"})
class ExportMonthField(serializers.CharField):
    """Passed through as text: the export form validates it with the one month rule."""

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_blank=True, max_length=10, **kwargs)


class ExportRequestSerializer(StrictSerializer):
    """The export page's form, as JSON (validated by the same form)."""

    kind = serializers.ChoiceField(choices=ExportKind.choices)
    file_format = serializers.ChoiceField(choices=ExportFormat.choices, default=ExportFormat.XLSX)
    period_from = ExportMonthField()
    period_to = ExportMonthField()
    province = serializers.CharField(required=False, allow_blank=True, max_length=2)
    centre = serializers.CharField(
        required=False, allow_blank=True, max_length=30, help_text="a centre's registration code (reg_code)"
    )


class ExportJobSerializer(serializers.ModelSerializer):
    finished = serializers.BooleanField(read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "kind",
            "file_format",
            "parameters",
            "status",
            "progress",
            "row_count",
            "note",
            "error_message",
            "created_at",
            "started_at",
            "finished_at",
            "expires_at",
            "finished",
            "download",
        ]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_download(self, job) -> str | None:
        from django.urls import reverse

        if job.status != "done" or job.is_expired():
            return None
        request = self.context.get("request")
        url = reverse("api:export-download", args=[job.pk])
        return request.build_absolute_uri(url) if request else url
