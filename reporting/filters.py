"""Filters of report lists, shared by the reviewer queue (and usable by the API)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from blkportal.core.months import MonthFilter
from blkportal.registry.models import Province

from .models import Report


class ReportFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cari BLK"), method="search")
    province = django_filters.ModelChoiceFilter(
        label=_("Provinsi"), field_name="centre__province", queryset=Province.objects.none(), empty_label=_("Semua")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Report.Status.choices, empty_label=_("Semua"))
    period = MonthFilter(label=_("Bulan"), field_name="period", allow_future=True)

    class Meta:
        model = Report
        fields = ["q", "province", "status", "period"]

    def __init__(self, *args, provinces=None, **kwargs):
        super().__init__(*args, **kwargs)
        if provinces is not None:
            self.filters["province"].queryset = provinces
            self.form.fields["province"].queryset = provinces

    def search(self, qs, name, value):
        value = value.strip()[:100]
        if not value:
            return qs
        return qs.filter(Q(centre__name__icontains=value) | Q(centre__reg_code__icontains=value))
