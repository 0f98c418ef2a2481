"""Base serializers for the API: unknown fields are refused, not silently dropped."""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class StrictMixin:
    """Reject keys that are not writable fields: a typo ("nmae") must not pass as "nothing changed"."""

    default_error_messages = {
        "unknown_field": _("Bidang tidak dikenal atau hanya-baca."),
    }

    def to_internal_value(self, data):
        unknown = {}
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            message = self.error_messages["unknown_field"]
            unknown = {str(key): [message] for key in data if key not in writable}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if unknown and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **unknown}) from None
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


class StrictSerializer(StrictMixin, serializers.Serializer):
    pass


class StrictModelSerializer(StrictMixin, serializers.ModelSerializer):
    pass
