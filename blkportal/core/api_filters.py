"""Filtering and ordering for every API list: the pages' FilterSets, plus a unique tiebreaker.

The FilterSets are shared with the pages, where an empty or odd value simply means "no filter" (the
forms send "" for "all"). A script deserves to hear that its parameter was wrong, so the API checks
the raw values first: a non-boolean for a yes/no filter, or an empty value for a typed filter, is 400.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers

BOOLEAN_VALUES = {"true", "false", "True", "False", "1", "0"}
LARGEST = 2**53  # well inside every integer column and every float


def _sane_number(value: str) -> bool:
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        return True  # not a number at all: the FilterSet's own validation says so
    return number.is_finite() and abs(number) < LARGEST


def check_filter_params(filterset_class, params) -> None:
    """Refuse values a FilterSet would quietly ignore (see module docstring)."""
    if filterset_class is None:
        return
    errors = {}
    for name, filter_ in filterset_class.base_filters.items():
        if name not in params:
            continue
        values = params.getlist(name) if hasattr(params, "getlist") else [params[name]]
        field_class = getattr(filter_, "field_class", None)
        is_text = field_class is not None and issubclass(field_class, forms.CharField)
        for value in values:
            if field_class is not None and issubclass(field_class, forms.NullBooleanField):
                if value not in BOOLEAN_VALUES:
                    errors[name] = [_("Isi dengan true atau false.")]
            elif value == "" and not is_text:
                errors[name] = [_("Nilai kosong tidak diperbolehkan; hilangkan parameter ini untuk semua data.")]
            elif field_class is not None and issubclass(field_class, forms.DecimalField) and not _sane_number(value):
                # A number no column holds (1e145) would overflow the database driver: refuse it here.
                errors[name] = [_("Isi dengan bilangan bulat yang wajar.")]
    if errors:
        raise serializers.ValidationError(errors)


def stable_order(qs):
    """Keep the queryset's order and end it with the primary key, so pagination never repeats or
    skips a row whose sort key ties with another's."""
    order = list(qs.query.order_by) or list(qs.query.get_meta().ordering)
    names = {o.lstrip("-") if isinstance(o, str) else None for o in order}
    if not names & {"pk", "id", qs.model._meta.pk.name}:
        order.append("pk")
    return qs.order_by(*order)


class StableFilterBackend(DjangoFilterBackend):
    """The view's FilterSet (with extra constructor arguments from ``view.filterset_kwargs()``, e.g.
    the provinces a user may choose), values checked strictly, and a stable order."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        extra = getattr(view, "filterset_kwargs", None)
        return {**kwargs, **extra()} if extra else kwargs

    def filter_queryset(self, request, queryset, view):
        check_filter_params(getattr(view, "filterset_class", None), request.query_params)
        return stable_order(super().filter_queryset(request, queryset, view))
