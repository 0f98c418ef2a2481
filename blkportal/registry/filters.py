"""FilterSets shared by the pages and the API."""

import re

import django_filters
from django import forms
from django.db.models import Q
from django.forms.utils import pretty_name
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Centre, HostType, Kejuruan, KemandirianClass, Province, Regency

REGENCY_CODE = re.compile(r"^\d{2}\.\d{2}$")
ALL = _("Semua")


def _descending(label):
    return gettext("%s (menurun)") % label


class SortFilter(django_filters.OrderingFilter):
    """OrderingFilter whose "descending" labels follow the request's language.

    django-filter builds its choices once, when the FilterSet class is defined, and formats the
    descending label eagerly, which freezes it in the language active at import time.
    """

    def build_choices(self, fields, labels):
        ascending = [(param, labels.get(field, pretty_name(param))) for field, param in fields.items()]
        descending = [
            (f"-{param}", labels.get(f"-{param}", lazy(_descending, str)(label))) for param, label in ascending
        ]
        return [choice for pair in zip(ascending, descending, strict=True) for choice in pair]


def yes_no(yes=None, no=None):
    """A three-way select for a BooleanFilter: all / yes / no (instead of "Tidak diketahui")."""
    return forms.Select(choices=[("", ALL), ("true", yes or _("Ya")), ("false", no or _("Tidak"))])


class CentreFilter(django_filters.FilterSet):
    """Filters of the centre registry.

    The kabupaten/kota choices depend on the province: without a province there are none to choose
    (no 514-option list on a phone); a kabupaten/kota alone implies its province, and one from
    another province than the chosen one is dropped (the user just changed the province).
    """

    q = django_filters.CharFilter(label=_("Cari"), method="search")
    province = django_filters.ModelChoiceFilter(
        label=_("Provinsi"),
        queryset=Province.objects.all(),
        field_name="province",
        empty_label=ALL,
        widget=forms.Select(
            attrs={
                # Refresh the kabupaten/kota options for the chosen province (portal.js clears the
                # old choice first, so the list request does not combine two provinces).
                "hx-get": reverse_lazy("registry:regency_options"),
                "hx-target": "#id_regency",
                "hx-swap": "innerHTML",
                "hx-push-url": "false",
                "hx-sync": "this:replace",
                "data-resets": "#id_regency",
            }
        ),
    )
    regency = django_filters.ModelChoiceFilter(
        label=_("Kabupaten/kota"), queryset=Regency.objects.none(), field_name="regency", empty_label=ALL
    )
    cohort_year = django_filters.NumberFilter(
        label=_("Tahun dibangun"),
        field_name="cohort_year",
        widget=forms.NumberInput(attrs={"min": 2017, "max": 2100, "inputmode": "numeric"}),
    )
    kejuruan = django_filters.ModelChoiceFilter(
        label=_("Kejuruan"), queryset=Kejuruan.objects.all(), field_name="kejuruan", empty_label=ALL
    )
    kemandirian_class = django_filters.ChoiceFilter(
        label=_("Kelas kemandirian"), choices=KemandirianClass.choices, empty_label=ALL
    )
    host_type = django_filters.ChoiceFilter(label=_("Jenis lembaga"), choices=HostType.choices, empty_label=ALL)
    is_incubator = django_filters.BooleanFilter(label=_("Inkubator"), field_name="is_incubator", widget=yes_no())
    active = django_filters.BooleanFilter(
        label=_("Status"), method="filter_active", widget=yes_no(_("Aktif"), _("Nonaktif"))
    )
    ordering = SortFilter(
        label=_("Urutkan"),
        fields=(
            ("name", "name"),
            ("reg_code", "reg_code"),
            ("cohort_year", "cohort_year"),
            ("province__name", "province"),
        ),
        field_labels={
            "name": _("Nama"),
            "reg_code": _("Kode"),
            "cohort_year": _("Tahun"),
            "province__name": _("Provinsi"),
        },
        empty_label=None,
    )

    class Meta:
        model = Centre
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = data.copy()
            province, regency = data.get("province") or "", data.get("regency") or ""
            if regency and not province and REGENCY_CODE.match(regency):
                data["province"] = regency[:2]
            elif regency and province and not regency.startswith(f"{province}."):
                data["regency"] = ""
        super().__init__(data, *args, **kwargs)
        province = (self.data.get("province") or "") if self.is_bound else ""
        regency = self.filters["regency"]
        if province.isdigit():
            regency.queryset = Regency.objects.filter(province_id=province).order_by("name")
        else:
            regency.extra["empty_label"] = _("Pilih provinsi")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(reg_code__icontains=value) | Q(host_name__icontains=value))

    def filter_active(self, queryset, name, value):
        if value is None:
            return queryset
        # Active today: never deactivated, or deactivated from a later date (Centre.is_active_on).
        active = Q(deactivated_on__isnull=True) | Q(deactivated_on__gt=timezone.localdate())
        return queryset.filter(active if value else ~active)

    def filter_queryset(self, queryset):
        # kejuruan is many-to-many: one centre may match twice.
        qs = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("kejuruan"):
            qs = qs.distinct()
        return qs
