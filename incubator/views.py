"""Incubator pages. Thin: resolve scope through access (404 outside it), validate with a form,
call one service, render or redirect."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from blkportal.core.errors import DomainError
from blkportal.core.months import month_label, parse_month
from blkportal.core.views import form_error_from, paginate, querystring_without_page
from blkportal.registry import access
from blkportal.registry.access import Perm, perm_required

from . import selectors, services
from .forms import BantuanForm, ProgressForm, SessionForm, StageMoveForm, TenantForm


def _warn(request, warnings):
    for warning in warnings:
        messages.warning(request, warning)


@perm_required(Perm.VIEW_TENANTS)
def overview(request):
    """National (or provincial, or own-centre) incubator overview: indicators by province and centre."""
    data = selectors.overview(user=request.user)
    page = paginate(request, data["centre_rows"])
    scope = access.scope_for(request.user, Perm.VIEW_TENANTS)
    return render(
        request,
        "incubator/overview.html",
        {
            **data,
            "page": page,
            "query": querystring_without_page(request),
            "national": scope.national,
            "cached": bool(scope.national or scope.province_codes),
        },
    )


@perm_required(Perm.VIEW_TENANTS)
def tenant_list(request):
    filterset, qs = selectors.tenant_list(user=request.user, params=request.GET)
    page = paginate(request, qs)
    context = {
        "filter": filterset,
        "page": page,
        "query": querystring_without_page(request),
        "register_centres": access.centres_for(request.user, Perm.MANAGE_TENANTS).filter(is_incubator=True)[:20],
    }
    template = (
        "incubator/_tenant_table.html" if request.htmx and not request.htmx.boosted else "incubator/tenant_list.html"
    )
    return render(request, template, context)


@perm_required(Perm.VIEW_TENANTS)
def centre_summary(request, centre_id):
    centre = selectors.centre_get(user=request.user, pk=centre_id)
    context = {
        "centre": centre,
        "summary": selectors.centre_summary(centre=centre),
        "tenants": selectors.centre_tenants(centre=centre),
        "can_manage": access.user_can_on_centre(request.user, Perm.MANAGE_TENANTS, centre) and centre.is_incubator,
    }
    return render(request, "incubator/centre_summary.html", context)


@perm_required(Perm.MANAGE_TENANTS)
def tenant_create(request, centre_id):
    centre = selectors.centre_get(user=request.user, pk=centre_id, perm=Perm.MANAGE_TENANTS)
    form = TenantForm(request.POST or None, centre=centre)
    if request.method == "POST" and form.is_valid():
        try:
            tenant, warnings = services.tenant_register(
                centre=centre,
                data=form.data_for_service(),
                nik=form.cleaned_data["nik"],
                stage=form.cleaned_data["stage"],
                by=request.user,
            )
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            _warn(request, warnings)
            messages.success(request, _("Wirausaha %(name)s terdaftar.") % {"name": tenant.business_name})
            return redirect("incubator:tenant_detail", pk=tenant.pk)
    return render(request, "incubator/tenant_form.html", {"form": form, "centre": centre, "tenant": None})


@perm_required(Perm.VIEW_TENANTS)
def tenant_detail(request, pk):
    tenant = selectors.tenant_get(user=request.user, pk=pk)
    user = request.user
    context = {
        "tenant": tenant,
        "timeline": selectors.tenant_timeline(tenant=tenant),
        "progress": selectors.tenant_progress(tenant=tenant),
        "chart": selectors.tenant_chart(tenant=tenant),
        "can_manage": access.user_can_on_centre(user, Perm.MANAGE_TENANTS, tenant.centre),
        "can_log": access.user_can_on_centre(user, Perm.LOG_MENTORING, tenant.centre),
        "can_record": access.user_can_on_centre(user, Perm.RECORD_PROGRESS, tenant.centre),
    }
    return render(request, "incubator/tenant_detail.html", context)


@perm_required(Perm.MANAGE_TENANTS)
def tenant_edit(request, pk):
    tenant = selectors.tenant_get(user=request.user, pk=pk, perm=Perm.MANAGE_TENANTS)
    form = TenantForm(request.POST or None, instance=tenant, centre=tenant.centre)
    if request.method == "POST" and form.is_valid():
        try:
            _tenant, warnings = services.tenant_update(
                tenant=tenant, data=form.data_for_service(), nik=form.cleaned_data["nik"], by=request.user
            )
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            _warn(request, warnings)
            messages.success(request, _("Perubahan disimpan."))
            return redirect("incubator:tenant_detail", pk=tenant.pk)
    return render(request, "incubator/tenant_form.html", {"form": form, "centre": tenant.centre, "tenant": tenant})


@perm_required(Perm.MANAGE_TENANTS)
def tenant_stage(request, pk):
    tenant = selectors.tenant_get(user=request.user, pk=pk, perm=Perm.MANAGE_TENANTS)
    form = StageMoveForm(request.POST or None, tenant=tenant)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.tenant_move_stage(
                tenant=tenant,
                to_stage=form.cleaned_data["to_stage"],
                on=form.cleaned_data["changed_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("Tahap diubah menjadi %(stage)s.") % {"stage": change.get_to_stage_display()})
            return redirect("incubator:tenant_detail", pk=tenant.pk)
    return render(request, "incubator/tenant_stage.html", {"form": form, "tenant": tenant})


@perm_required(Perm.MANAGE_TENANTS)
def bantuan_create(request, pk):
    tenant = selectors.tenant_get(user=request.user, pk=pk, perm=Perm.MANAGE_TENANTS)
    form = BantuanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _bantuan, warnings = services.bantuan_add(tenant=tenant, data=form.cleaned_data, by=request.user)
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            _warn(request, warnings)
            messages.success(request, _("Bantuan dicatat."))
            return redirect("incubator:tenant_detail", pk=tenant.pk)
    return render(request, "incubator/bantuan_form.html", {"form": form, "tenant": tenant})


@perm_required(Perm.RECORD_PROGRESS)
def progress_record(request, pk):
    """Record a month (managers and mentors); ?bulan=YYYY-MM opens that month's figures for correction."""
    tenant = selectors.tenant_get(user=request.user, pk=pk, perm=Perm.RECORD_PROGRESS)
    initial, existing = {}, None
    month = parse_month(request.GET.get("bulan", ""), allow_future=True)
    if month is not None:
        existing = tenant.progress.filter(month=month).first()
        initial = {"month": month}
        if existing:
            initial.update(
                {
                    f: getattr(existing, f)
                    for f in (
                        "omzet",
                        "profit",
                        "workers",
                        "market_channels",
                        "keeps_records",
                        "problem_tags",
                        "problems",
                    )
                }
            )
    form = ProgressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            progress, created = services.progress_record(
                tenant=tenant, month=data.pop("month"), data=data, by=request.user
            )
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            label = month_label(progress.month)
            messages.success(
                request,
                (_("Perkembangan %(month)s dicatat.") if created else _("Perkembangan %(month)s diperbarui."))
                % {"month": label},
            )
            return redirect("incubator:tenant_detail", pk=tenant.pk)
    return render(request, "incubator/progress_form.html", {"form": form, "tenant": tenant, "existing": existing})


@perm_required(Perm.LOG_MENTORING)
def session_create(request, pk):
    tenant = selectors.tenant_get(user=request.user, pk=pk, perm=Perm.LOG_MENTORING)
    form = SessionForm(request.POST or None, tenant=tenant, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_log(tenant=tenant, data=form.cleaned_data, by=request.user)
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("Sesi pendampingan dicatat."))
            return redirect("incubator:tenant_detail", pk=tenant.pk)
    return render(request, "incubator/session_form.html", {"form": form, "tenant": tenant})
