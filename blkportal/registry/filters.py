"""FilterSets shared by the pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Centre, HostType, Kejuruan, KemandirianClass, Province, Regency


class CentreFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cari"), method="search")
    province = django_filters.ModelChoiceFilter(
        label=_("Provinsi"), queryset=Province.objects.all(), field_name="province"
    )
    regency = django_filters.ModelChoiceFilter(
        label=_("Kabupaten/kota"), queryset=Regency.objects.select_related("province"), field_name="regency"
    )
    cohort_year = django_filters.NumberFilter(label=_("Tahun dibangun"), field_name="cohort_year")
    kejuruan = django_filters.ModelChoiceFilter(
        label=_("Kejuruan"), queryset=Kejuruan.objects.all(), field_name="kejuruan"
    )
    kemandirian_class = django_filters.ChoiceFilter(label=_("Kelas kemandirian"), choices=KemandirianClass.choices)
    host_type = django_filters.ChoiceFilter(label=_("Jenis lembaga"), choices=HostType.choices)
    is_incubator = django_filters.BooleanFilter(label=_("Inkubator"), field_name="is_incubator")
    active = django_filters.BooleanFilter(label=_("Aktif"), method="filter_active")
    ordering = django_filters.OrderingFilter(
        label=_("Urutkan"),
        fields=(("name", "name"), ("reg_code", "reg_code"), ("cohort_year", "cohort_year"), ("province", "province")),
        field_labels={"name": _("Nama"), "reg_code": _("Kode"), "cohort_year": _("Tahun"), "province": _("Provinsi")},
    )

    class Meta:
        model = Centre
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(reg_code__icontains=value) | Q(host_name__icontains=value))

    def filter_active(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(deactivated_on__isnull=value)

    def filter_queryset(self, queryset):
        # kejuruan is many-to-many: one centre may match twice.
        qs = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("kejuruan"):
            qs = qs.distinct()
        return qs
