"""Registry pages: centres, users and roles, profile. Thin: scope, form, one service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from blkportal.core.contributions import CENTRE_LINKS, PROFILE, collect
from blkportal.core.errors import DomainError
from blkportal.core.views import form_error_from, paginate, querystring_without_page

from . import access, selectors, services
from .access import Perm, perm_required
from .forms import CentreDeactivateForm, CentreForm, RoleAssignForm, UserCreateForm, UserEditForm
from .models import RoleAssignment, User

# Sortable columns of the centre table: (ordering parameter, column label).
SORT_COLUMNS = [("reg_code", _lazy("Kode")), ("name", _lazy("Nama BLK")), ("province", _lazy("Wilayah"))]
SORT_COLUMNS_WIDE = [("cohort_year", _lazy("Tahun"))]
# Filters folded away on a phone (province and kabupaten/kota stay in view); the toggle shows how
# many of them are in use, and the panel opens when any is.
FOLDED_FILTERS = ("cohort_year", "kejuruan", "kemandirian_class", "host_type", "is_incubator", "active", "ordering")


def sort_headers(request, columns) -> list[dict]:
    """Header links that sort by a column, and again in reverse when it is already the sort."""
    current = request.GET.get("ordering", "") or "name"
    headers = []
    for param, label in columns:
        state = "asc" if current == param else "desc" if current == f"-{param}" else None
        params = request.GET.copy()
        params.pop("page", None)
        params["ordering"] = f"-{param}" if state == "asc" else param
        headers.append({"param": param, "label": label, "state": state, "query": params.urlencode()})
    return headers


@perm_required(Perm.VIEW_CENTRE)
def centre_list(request):
    filterset, qs = selectors.centre_list(user=request.user, params=request.GET)
    page = paginate(request, qs)
    context = {
        "filter": filterset,
        "page": page,
        "query": querystring_without_page(request),
        "can_manage": access.has_perm(request.user, Perm.MANAGE_CENTRES),
        "sort_headers": sort_headers(request, SORT_COLUMNS),
        "sort_headers_wide": sort_headers(request, SORT_COLUMNS_WIDE),
        "more_filters": sum(1 for name in FOLDED_FILTERS if request.GET.get(name) not in (None, "", "name")),
    }
    template = (
        "registry/_centre_table.html" if request.htmx and not request.htmx.boosted else "registry/centre_list.html"
    )
    return render(request, template, context)


@perm_required(Perm.VIEW_CENTRE)
def centre_detail(request, centre_id):
    centre = selectors.centre_detail(user=request.user, pk=centre_id)
    context = {
        "centre": centre,
        "kejuruan": selectors.centre_kejuruan(centre=centre),
        "managers": selectors.centre_managers(centre=centre),
        "can_manage": access.user_can_on_centre(request.user, Perm.MANAGE_CENTRES, centre),
        # Other apps' pages about this centre, through <app>/centre_links.py (the registry imports no app).
        "links": collect(CENTRE_LINKS, request.user, centre),
    }
    return render(request, "registry/centre_detail.html", context)


@perm_required(Perm.MANAGE_CENTRES)
def centre_create(request):
    form = CentreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "kejuruan"}
        try:
            centre = services.centre_create(by=request.user, data=data, kejuruan=form.cleaned_data["kejuruan"])
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("BLK %(name)s terdaftar.") % {"name": centre.name})
            return redirect("registry:centre_detail", centre_id=centre.pk)
    return render(request, "registry/centre_form.html", {"form": form, "centre": None})


@perm_required(Perm.MANAGE_CENTRES)
def centre_edit(request, centre_id):
    centre = access.get_centre_or_404(request.user, Perm.MANAGE_CENTRES, centre_id)
    form = CentreForm(request.POST or None, instance=centre)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "kejuruan"}
        try:
            services.centre_update(centre=centre, by=request.user, data=data, kejuruan=form.cleaned_data["kejuruan"])
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("registry:centre_detail", centre_id=centre.pk)
    return render(request, "registry/centre_form.html", {"form": form, "centre": centre})


@perm_required(Perm.MANAGE_CENTRES)
def centre_deactivate(request, centre_id):
    centre = access.get_centre_or_404(request.user, Perm.MANAGE_CENTRES, centre_id)
    form = CentreDeactivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.centre_deactivate(centre=centre, by=request.user, on=form.cleaned_data["deactivated_on"])
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("BLK %(name)s dinonaktifkan.") % {"name": centre.name})
            return redirect("registry:centre_detail", centre_id=centre.pk)
    return render(request, "registry/centre_deactivate.html", {"form": form, "centre": centre})


@perm_required(Perm.MANAGE_USERS)
def user_list(request):
    search = request.GET.get("q", "").strip()[:100]
    page = paginate(request, selectors.user_list(search=search))
    return render(
        request,
        "registry/user_list.html",
        {"page": page, "search": search, "query": querystring_without_page(request)},
    )


@perm_required(Perm.MANAGE_USERS)
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                by=request.user,
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
            )
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            if form.cleaned_data["send_reset"]:
                services.password_reset_send(user=user, request=request)
                messages.success(
                    request, _("Akun dibuat; tautan pembuatan kata sandi dikirim ke %(email)s.") % {"email": user.email}
                )
            else:
                messages.success(request, _("Akun dibuat."))
            return redirect("registry:user_edit", pk=user.pk)
    return render(request, "registry/user_form.html", {"form": form})


@perm_required(Perm.MANAGE_USERS)
def user_edit(request, pk):
    target = get_object_or_404(User, pk=pk)
    form = UserEditForm(
        request.POST if request.POST.get("action") == "profile" else None,
        initial={
            "full_name": target.full_name,
            "email": target.email,
            "phone": target.phone,
            "is_active": target.is_active,
        },
    )
    role_form = RoleAssignForm(request.POST if request.POST.get("action") == "role" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "profile" and form.is_valid():
                services.user_update(user=target, by=request.user, **form.cleaned_data)
                messages.success(request, _("Data pengguna disimpan."))
                return redirect("registry:user_edit", pk=target.pk)
            if request.POST.get("action") == "role" and role_form.is_valid():
                services.role_assign(
                    user=target,
                    role=role_form.cleaned_data["role"],
                    centre=role_form.cleaned_data["centre_code"],
                    province=role_form.cleaned_data["province"],
                    by=request.user,
                )
                messages.success(request, _("Peran ditambahkan."))
                return redirect("registry:user_edit", pk=target.pk)
        except DomainError as exc:
            if request.POST.get("action") == "role":
                field = {"centre": "centre_code"}.get(exc.field, exc.field)
                role_form.add_error(field if field in role_form.fields else None, exc.message)
            else:
                form_error_from(form, exc)
    assignments = RoleAssignment.objects.filter(user=target).select_related("centre", "province")
    return render(
        request,
        "registry/user_edit.html",
        {"target": target, "form": form, "role_form": role_form, "assignments": assignments},
    )


@require_POST
@perm_required(Perm.MANAGE_USERS)
def role_revoke(request, pk):
    assignment = get_object_or_404(RoleAssignment, pk=pk)
    user_pk = assignment.user_id
    try:
        services.role_revoke(assignment=assignment, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Peran dicabut."))
    return redirect("registry:user_edit", pk=user_pk)


@login_required
def profile(request):
    assignments = RoleAssignment.objects.filter(user=request.user).select_related("centre", "province")
    # Apps add sections (e.g. API tokens) through <app>/profile.py (PROFILE contributions).
    panels = collect(PROFILE, request)
    return render(request, "registry/profile.html", {"assignments": assignments, "profile_panels": panels})


@login_required
def regency_options(request):
    """<option>s of the kabupaten/kota in one province, for dependent selects (htmx)."""
    from .models import Regency

    code = request.GET.get("province", "")
    if not code:
        regencies = Regency.objects.none()
    elif not code.isdigit():
        raise Http404
    else:
        regencies = Regency.objects.filter(province_id=code).order_by("name")
    return render(request, "registry/_regency_options.html", {"regencies": regencies, "province": code})
