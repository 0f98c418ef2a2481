"""FilterSets of the incubator, shared by the pages and the API.

The choices of centre and province are limited to the user's own scope (from ``request.user`` as
django-filter and DRF pass it, or an explicit ``user``), so a filter never lists another centre.
"""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from blkportal.core.months import today
from blkportal.registry import access
from blkportal.registry.access import Perm
from blkportal.registry.filters import SortFilter
from blkportal.registry.models import Centre, Province

from .models import Sector, Stage, Tenant

# Incubators began in November 2021, but a tenant may have entered a centre (built from 2017) earlier.
FIRST_COHORT = 2017


def cohort_choices():
    """Entry years offered by the filter: a choice, so a forged year is a form error, not a 500."""
    return [(str(y), str(y)) for y in range(today().year, FIRST_COHORT - 1, -1)]


class TenantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cari usaha atau pemilik"), method="search")
    centre = django_filters.ModelChoiceFilter(label=_("BLK"), queryset=Centre.objects.none(), field_name="centre")
    province = django_filters.ModelChoiceFilter(
        label=_("Provinsi"), queryset=Province.objects.none(), field_name="centre__province"
    )
    stage = django_filters.ChoiceFilter(label=_("Tahap"), choices=Stage.choices)
    sector = django_filters.ChoiceFilter(label=_("Sektor"), choices=Sector.choices)
    cohort = django_filters.ChoiceFilter(
        label=_("Angkatan masuk (tahun)"), choices=cohort_choices, field_name="entry_date", lookup_expr="year"
    )
    ordering = SortFilter(
        label=_("Urutkan"),
        fields=(("business_name", "business_name"), ("entry_date", "entry_date"), ("stage", "stage")),
        field_labels={"business_name": _("Nama usaha"), "entry_date": _("Tanggal masuk"), "stage": _("Tahap")},
    )

    class Meta:
        model = Tenant
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        user = user or getattr(request, "user", None)
        self.filters["centre"].queryset = (
            access.centres_for(user, Perm.VIEW_TENANTS)
            .filter(Q(is_incubator=True) | Exists(Tenant.objects.filter(centre=OuterRef("pk"))))
            .only("pk", "name")
            if user is not None
            else Centre.objects.none()
        )
        self.filters["province"].queryset = (
            access.provinces_for(user, Perm.VIEW_TENANTS) if user is not None else Province.objects.none()
        )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(business_name__icontains=value) | Q(owner_name__icontains=value))
