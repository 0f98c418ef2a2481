"""Serializers of the registry API: regions, kejuruan, centres."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from blkportal.core.serializers import StrictModelSerializer, StrictSerializer

from .models import Centre, Kejuruan, Province, Regency


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name", "timezone"]


class RegencySerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province_id", read_only=True)

    class Meta:
        model = Regency
        fields = ["code", "name", "province"]


class KejuruanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Kejuruan
        fields = ["id", "code", "name", "is_active"]


class CentreSerializer(StrictModelSerializer):
    """A centre as the registry page shows it. Writes go through registry.services."""

    regency = serializers.SlugRelatedField(slug_field="code", queryset=Regency.objects.select_related("province"))
    province = serializers.CharField(source="province_id", read_only=True)
    kejuruan = serializers.SlugRelatedField(
        slug_field="code", many=True, required=False, queryset=Kejuruan.objects.filter(is_active=True)
    )
    active = serializers.SerializerMethodField()

    class Meta:
        model = Centre
        fields = [
            "id",
            "reg_code",
            "name",
            "host_name",
            "host_type",
            "address",
            "regency",
            "province",
            "latitude",
            "longitude",
            "cohort_year",
            "kejuruan",
            "activated_on",
            "deactivated_on",
            "active",
            "kemandirian_class",
            "kemandirian_assessed_on",
            "is_incubator",
            "incubator_year",
            "incubator_university",
            "contact_name",
            "contact_phone",
            "contact_email",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["deactivated_on", "created_at", "updated_at"]

    def get_active(self, centre) -> bool:
        return centre.is_active_on(timezone.localdate())

    def validate(self, data):
        # The centre's rules (registry.services.centre_rule_errors), on the merged result for PATCH.
        from .services import centre_rule_errors

        rule_fields = ("activated_on", "deactivated_on", "cohort_year", "is_incubator", "incubator_year")
        rule_fields += ("kemandirian_class", "kemandirian_assessed_on")
        current = {f: getattr(self.instance, f) for f in rule_fields} if self.instance is not None else {}
        errors = centre_rule_errors({**current, **data})
        if errors:
            raise serializers.ValidationError({field: [message] for field, message in errors.items()})
        return data


class CentreDeactivateSerializer(StrictSerializer):
    deactivated_on = serializers.DateField(label=_("Nonaktif sejak"))
