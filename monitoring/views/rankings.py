"""Ranking pages: the ranking (filters, pagination), "why this rank", schemes and their versions."""

import copy

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from blkportal.core import dbrouting
from blkportal.core.errors import DomainError
from blkportal.core.views import querystring_without_page
from blkportal.registry import access
from blkportal.registry.access import Perm, perm_required

from .. import indicators, selectors, services, services_exports
from ..forms import RankingFilterForm, RankingSchemeForm
from ..models import ExportKind

PER_PAGE = 25


def _shown(request, perm: str):
    """(scheme, snapshots, filter form, valid filters, snapshot) as the ranking page shows them for
    the query string (the page's GET; the export button posts to a URL carrying the same query)."""
    schemes = list(selectors.active_schemes())
    scheme = _chosen_scheme(request, schemes)
    snapshots = list(selectors.snapshots_for(scheme)[:36]) if scheme else []
    form = RankingFilterForm(request.GET, provinces=access.provinces_for(request.user, perm), snapshots=snapshots)
    params = form.params()
    snapshot = next((s for s in snapshots if s.pk == params.get("snapshot")), snapshots[0] if snapshots else None)
    return schemes, scheme, form, params, snapshot


@perm_required(Perm.VIEW_RANKINGS)
@dbrouting.replica_view
def ranking_list(request):
    schemes, scheme, form, params, snapshot = _shown(request, Perm.VIEW_RANKINGS)
    page = None
    if snapshot is not None:
        paginator = Paginator(selectors.ranking_rows(request.user, snapshot, params), PER_PAGE)
        # The count is kept per snapshot (its entries never change): no COUNT(*) on every request.
        paginator.count = selectors.ranking_count(request.user, snapshot, params)
        page = paginator.get_page(request.GET.get("page"))
        why = reverse("monitoring:ranking_why", args=[snapshot.pk, 0]).removesuffix("0/")
        for entry in page:
            entry["why_url"] = f"{why}{entry['centre_id']}/"
    context = {
        "schemes": schemes,
        "scheme": scheme,
        "snapshot": snapshot,
        "form": form,
        "filter_fields": [(field, _select_html(field)) for field in form],
        "page": page,
        "query": querystring_without_page(request),
        "can_manage": access.has_perm(request.user, Perm.MANAGE_RANKINGS),
        "can_export": access.has_perm(request.user, Perm.EXPORT_DATA),
        "own_only": selectors.single_centre_for(request.user, Perm.VIEW_RANKINGS) is not None,
    }
    return render(request, "monitoring/ranking_list.html", context)


@require_POST
@perm_required(Perm.EXPORT_DATA)
def ranking_export(request):
    """ "Ekspor ke Excel" of the ranking page: an export job (the shared export machinery: queued
    through the outbox, built by the worker) for the snapshot and filters the page shows, then the
    job's progress on the export page. A province outside the user's scope is 404."""
    access.require(request.user, Perm.VIEW_RANKINGS)
    _schemes, _scheme, form, params, snapshot = _shown(request, Perm.EXPORT_DATA)
    if "province" in form.errors:
        raise Http404
    back = f"{_ranking_url()}?{querystring_without_page(request)}"
    if snapshot is None:
        messages.error(request, _("Peringkat untuk skema ini belum dihitung; belum ada yang dapat diekspor."))
        return redirect(back)
    parameters = {"snapshot": snapshot.pk, "period_to": snapshot.period.strftime("%Y-%m")}
    for key in ("province", "kejuruan"):
        if params.get(key):
            parameters[key] = params[key].pk
    for key in ("cohort_year", "q", "ranked_only"):
        if params.get(key):
            parameters[key] = params[key]
    try:
        job = services_exports.export_request(by=request.user, kind=ExportKind.RANKING, parameters=parameters)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, _("Ekspor peringkat dimasukkan ke antrean. Berkas siap diunduh setelah selesai."))
    return redirect(f"{reverse('monitoring:export_list')}#export-job-{job.pk}")


def _select_html(field) -> str | None:
    """A filter select rendered in Python, the same HTML as Django's widget templates (None for other
    widgets). The templates include two more templates per option; for the ~80 options of the
    filter bar that was a third of the page's time."""
    widget = field.field.widget
    if not isinstance(widget, forms.Select) or widget.allow_multiple_selected:
        return None
    if isinstance(field.field, forms.ModelChoiceField):
        # One plain query (Django's choice iterator opens a server-side cursor: three round trips).
        model_field = field.field
        widget = copy.copy(widget)
        empty = [("", model_field.empty_label)] if model_field.empty_label is not None else []
        widget.choices = empty + [
            (model_field.prepare_value(o), model_field.label_from_instance(o)) for o in model_field.queryset
        ]
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    options = []
    for group_name, choices, _index in context["optgroups"]:
        if group_name:
            return None  # not used by these filters; Django renders optgroups
        options.extend(
            format_html('<option value="{}"{}>{}</option>', option["value"], _attrs(option["attrs"]), option["label"])
            for option in choices
        )
    return format_html(
        '<select name="{}"{}>{}</select>', context["name"], _attrs(context["attrs"]), mark_safe("".join(options))
    )


def _attrs(attrs) -> str:
    """django/forms/widgets/attrs.html: False leaves an attribute out, True writes its name alone."""
    return mark_safe(
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False
        )
    )


def _chosen_scheme(request, schemes):
    wanted = request.GET.get("scheme", "")
    for scheme in schemes:
        if str(scheme.pk) == wanted:
            return scheme
    return schemes[0] if schemes else None


@perm_required(Perm.VIEW_RANKINGS)
@dbrouting.replica_view
def ranking_why(request, snapshot, centre_id):
    snap = selectors.snapshot_or_404(snapshot)
    entry = selectors.ranking_entry_or_404(request.user, snap, centre_id)
    components = []
    for part in entry.components:
        ind = indicators.INDICATORS.get(part["indicator"])
        components.append({**part, "indicator_obj": ind})
    context = {
        "snapshot": snap,
        "version": snap.version,
        "entry": entry,
        "components": components,
        "min_months": snap.version.min_verified_months,
        "window_first": services.window_first(snap),
    }
    return render(request, "monitoring/ranking_why.html", context)


@perm_required(Perm.VIEW_RANKINGS)
def scheme_list(request):
    schemes = selectors.schemes()
    return render(
        request,
        "monitoring/scheme_list.html",
        {"schemes": schemes, "can_manage": access.has_perm(request.user, Perm.MANAGE_RANKINGS)},
    )


@perm_required(Perm.VIEW_RANKINGS)
def scheme_detail(request, pk):
    scheme = selectors.scheme_or_404(pk)
    versions = scheme.versions.select_related("created_by").prefetch_related("components").order_by("-number")
    return render(
        request,
        "monitoring/scheme_detail.html",
        {
            "scheme": scheme,
            "versions": versions,
            "snapshots": selectors.snapshots_for(scheme)[:24],
            "can_manage": access.has_perm(request.user, Perm.MANAGE_RANKINGS),
        },
    )


@perm_required(Perm.VIEW_RANKINGS)
def version_detail(request, pk):
    version = selectors.version_or_404(pk)
    return render(request, "monitoring/version_detail.html", {"version": version, "scheme": version.scheme})


def _form_error(form, exc: DomainError):
    if exc.field == "weights":
        form.weights_error = exc.message
        form.add_error(None, exc.message)
    else:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@perm_required(Perm.MANAGE_RANKINGS)
def scheme_create(request):
    form = RankingSchemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.ranking_scheme_create(
                name=form.cleaned_data["name"],
                data={**form.rules(), "change_note": form.cleaned_data["change_note"]},
                weights=form.weights(),
                by=request.user,
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Skema dibuat (versi 1). Peringkat sedang dihitung."))
            return redirect("monitoring:scheme_detail", pk=version.scheme_id)
    return render(request, "monitoring/scheme_form.html", {"form": form, "scheme": None})


@perm_required(Perm.MANAGE_RANKINGS)
def scheme_edit(request, pk):
    scheme = selectors.scheme_or_404(pk)
    latest = selectors.latest_version(scheme)
    initial = {"name": scheme.name}
    if latest is not None:
        initial.update(
            description=latest.description,
            window_months=latest.window_months,
            min_verified_months=latest.min_verified_months,
            peer_by_cohort=latest.peer_by_cohort,
            peer_by_kejuruan=latest.peer_by_kejuruan,
        )
    form = RankingSchemeForm(request.POST or None, initial=initial, version=latest, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.ranking_scheme_update(
                scheme=scheme,
                data=form.rules(),
                weights=form.weights(),
                by=request.user,
                note=form.cleaned_data["change_note"],
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request,
                _("Versi %(n)s disimpan; versi sebelumnya tetap tersimpan. Peringkat sedang dihitung.")
                % {"n": version.number},
            )
            return redirect("monitoring:scheme_detail", pk=scheme.pk)
    return render(request, "monitoring/scheme_form.html", {"form": form, "scheme": scheme, "latest": latest})


@require_POST
@perm_required(Perm.MANAGE_RANKINGS)
def ranking_recompute(request, pk):
    scheme = selectors.scheme_or_404(pk)
    version = selectors.latest_version(scheme)
    if version is None:
        messages.error(request, _("Skema ini belum memiliki versi."))
    else:
        transaction.on_commit(lambda: services.enqueue_ranking_compute(version.pk))
        messages.success(request, _("Perhitungan ulang peringkat dijalankan di latar belakang."))
    return redirect(f"{_ranking_url()}?scheme={scheme.pk}")


def _ranking_url():
    return reverse("monitoring:ranking_list")
