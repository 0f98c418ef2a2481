"""FilterSets of monitoring, shared by the dashboards (and usable by the API).

Bad input never fails the page: an invalid field gets an Indonesian message beside it and is left
out of the filtering, the others still apply.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from blkportal.core import months
from blkportal.core.months import FIRST_MONTH, MonthFilter
from blkportal.registry.models import Kejuruan, KemandirianClass


def cohort_choices():
    return [(str(y), str(y)) for y in range(FIRST_MONTH.year, months.today().year + 1)]


KEMANDIRIAN_CHOICES = [*KemandirianClass.choices, ("none", _("Belum dinilai"))]


class FactFilter(django_filters.FilterSet):
    """Filters of monitoring facts. `month` is validated here and applied by the pages (trends span
    several months), the others filter the facts."""

    month = MonthFilter(label=_("Bulan"), method="keep")
    cohort_year = django_filters.ChoiceFilter(
        label=_("Tahun dibangun"),
        choices=cohort_choices,
        empty_label=_("Semua tahun"),
        field_name="cohort_year",
        error_messages={"invalid_choice": _("Tahun dibangun %(value)s tidak tersedia.")},
    )
    # The centre's registered kejuruan (registry), not the batches' kejuruan: named as such.
    kejuruan = django_filters.ModelChoiceFilter(
        label=_("Kejuruan terdaftar BLK"),
        queryset=Kejuruan.objects.order_by("name"),
        to_field_name="code",
        empty_label=_("Semua kejuruan"),
        method="filter_kejuruan",
        error_messages={"invalid_choice": _("Kejuruan tidak dikenal.")},
    )
    # The batches' kejuruan: splits the training figures (batches, trainees, completion, certification,
    # female share) by the kejuruan of each batch (CentreMonthKejuruan); the reporting, alumni and
    # incubator figures have no kejuruan and are not narrowed by it. Applied by the pages.
    kejuruan_angkatan = django_filters.ModelChoiceFilter(
        label=_("Kejuruan angkatan (angka pelatihan)"),
        queryset=Kejuruan.objects.order_by("name"),
        to_field_name="code",
        empty_label=_("Semua kejuruan"),
        method="keep",
        error_messages={"invalid_choice": _("Kejuruan tidak dikenal.")},
    )
    kemandirian = django_filters.ChoiceFilter(
        label=_("Kelas kemandirian"),
        choices=KEMANDIRIAN_CHOICES,
        empty_label=_("Semua kelas"),
        method="filter_kemandirian",
        error_messages={"invalid_choice": _("Kelas kemandirian tidak dikenal.")},
    )
    incubator = django_filters.BooleanFilter(
        label=_("Hanya BLK inkubator"), widget=forms.CheckboxInput, method="filter_incubator"
    )

    def keep(self, queryset, name, value):
        return queryset

    def filter_kejuruan(self, queryset, name, value):
        if not value:
            return queryset
        from blkportal.registry.models import Centre

        centres = Centre.kejuruan.through.objects.filter(kejuruan=value).values("centre_id")
        return queryset.filter(centre_id__in=centres)

    def filter_kemandirian(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(kemandirian_class="" if value == "none" else value)

    def filter_incubator(self, queryset, name, value):
        return queryset.filter(is_incubator=True) if value else queryset

    @property
    def batch_kejuruan(self):
        """The valid batch kejuruan asked for, or None."""
        self.is_valid()
        return self.form.cleaned_data.get("kejuruan_angkatan")

    def training_qs(self, queryset):
        """`queryset` (per-kejuruan training facts, already scoped) with the same centre filters as
        the facts and the batch kejuruan; None when no batch kejuruan is chosen."""
        chosen = self.batch_kejuruan
        if chosen is None:
            return None
        return type(self)(self.data, queryset=queryset).qs.filter(kejuruan=chosen)

    @property
    def chosen_month(self):
        """The valid month asked for, or None."""
        self.is_valid()
        return self.form.cleaned_data.get("month")

    def clean_params(self) -> dict:
        """The valid filter values as query parameters (for links that keep the filters)."""
        self.is_valid()
        data = self.form.cleaned_data
        params = {}
        if data.get("month"):
            params["month"] = data["month"].strftime("%Y-%m")
        if data.get("cohort_year"):
            params["cohort_year"] = data["cohort_year"]
        if data.get("kejuruan"):
            params["kejuruan"] = data["kejuruan"].code
        if data.get("kejuruan_angkatan"):
            params["kejuruan_angkatan"] = data["kejuruan_angkatan"].code
        if data.get("kemandirian"):
            params["kemandirian"] = data["kemandirian"]
        if data.get("incubator"):
            params["incubator"] = "on"
        return params
