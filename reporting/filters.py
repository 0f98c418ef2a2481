"""Filters of report lists, shared by the reviewer queue (and usable by the API)."""

import datetime as dt
import re

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from blkportal.registry.models import Province

from .models import Report


def parse_month(value: str) -> dt.date | None:
    """ "2025-01" -> date(2025, 1, 1); None for anything else."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", (value or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return dt.date(year, month, 1)


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month"})

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        period = parse_month(value)
        if period is None:
            raise forms.ValidationError(_("Isi bulan dengan format TTTT-BB, misalnya 2025-01."))
        return period


class MonthFilter(django_filters.Filter):
    field_class = MonthField

    def filter(self, qs, value):
        return qs.filter(**{self.field_name: value}) if value else qs


class ReportFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cari BLK"), method="search")
    province = django_filters.ModelChoiceFilter(
        label=_("Provinsi"), field_name="centre__province", queryset=Province.objects.none(), empty_label=_("Semua")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Report.Status.choices, empty_label=_("Semua"))
    period = MonthFilter(label=_("Bulan"), field_name="period")

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
