"""Pages of the communication app: thin views over services and selectors."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from blkportal.core.errors import DomainError
from blkportal.core.views import form_error_from, paginate, querystring_without_page
from blkportal.registry import access
from blkportal.registry.access import Perm, perm_required

from . import selectors, services
from .forms import (
    AnnouncementForm,
    CatalogueFilter,
    ConversationForm,
    MessageForm,
    PhotoForm,
    ProductForm,
    ReviewForm,
)
from .models import AnnouncementAttachment, Product, ProductCategory, ProductPhoto

PUBLIC_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PUBLIC_CACHE_SECONDS = 300  # an approval bumps the version at once; this bounds anything missed


def _stream(file_field, content_type, filename, cache_control, as_attachment=False):
    try:
        handle = file_field.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=as_attachment, filename=filename, content_type=content_type)
    response["Cache-Control"] = cache_control
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _safe_next(request, default):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


# --- Announcements ---------------------------------------------------------------------------------


@login_required
def announcement_list(request):
    received = selectors.announcements_for(request.user)
    can_publish = access.has_perm(request.user, Perm.PUBLISH_ANNOUNCEMENTS)
    managed = selectors.managed_announcements(request.user)[:20] if can_publish else []
    return render(
        request,
        "communication/announcement_list.html",
        {"page": paginate(request, received), "managed": managed, "can_publish": can_publish},
    )


@perm_required(Perm.PUBLISH_ANNOUNCEMENTS)
def announcement_create(request):
    form = AnnouncementForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            announcement = services.announcement_create(
                by=request.user,
                title=d["title"],
                body=d["body"],
                all_provinces=d.get("all_provinces", False),
                province_codes=[p.code for p in d["provinces"]],
                cohort_years=d["cohort_years"],
                incubators_only=d["incubators_only"],
                roles=d["roles"],
                publish_at=d["publish_at"],
                expires_at=d["expires_at"],
                files=d["attachments"],
            )
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            messages.success(request, _("Pengumuman disimpan."))
            return redirect("communication:announcement_detail", pk=announcement.pk)
    return render(request, "communication/announcement_form.html", {"form": form})


@login_required
def announcement_detail(request, pk):
    announcement = selectors.announcement_for_reader_or_404(request.user, pk)
    received = selectors.announcements_for(request.user).filter(pk=announcement.pk).first()
    can_manage = selectors.can_manage(request.user, announcement)
    stats = None
    if can_manage:
        stats = selectors.read_stats(announcement)
        stats["unread_page"] = paginate(request, stats["unread_centres"], per_page=50)
    return render(
        request,
        "communication/announcement_detail.html",
        {
            "a": announcement,
            "received": received,
            "can_manage": can_manage,
            "stats": stats,
            "attachments": announcement.attachments.all(),
            "query": querystring_without_page(request),
        },
    )


@require_POST
@login_required
def announcement_read(request, pk):
    announcement = selectors.announcement_for_reader_or_404(request.user, pk)
    try:
        services.announcement_mark_read(by=request.user, announcement=announcement)
    except DomainError:
        raise Http404 from None
    messages.success(request, _("Pengumuman ditandai sudah dibaca."))
    return redirect(_safe_next(request, reverse("communication:announcement_list")))


@login_required
def announcement_attachment(request, pk):
    attachment = AnnouncementAttachment.objects.filter(pk=pk).select_related("announcement").first()
    if attachment is None:
        raise Http404
    selectors.announcement_for_reader_or_404(request.user, attachment.announcement_id)
    return _stream(
        attachment.file,
        attachment.content_type,
        attachment.original_name,
        "private, no-store",
        as_attachment=attachment.content_type == "application/pdf",
    )


# --- Conversations ---------------------------------------------------------------------------------


@perm_required(Perm.SEND_MESSAGES)
def conversation_list(request):
    qs = selectors.with_unread(selectors.conversations_for(request.user), request.user).select_related("centre")
    return render(
        request,
        "communication/conversation_list.html",
        {"page": paginate(request, qs), "report_threads": selectors.report_threads_for(request.user)},
    )


@perm_required(Perm.SEND_MESSAGES)
def conversation_create(request):
    initial = {k: request.GET[k] for k in ("report", "centre") if request.GET.get(k, "").isdigit()}
    form = ConversationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            conversation = services.conversation_start(
                by=request.user,
                centre=d["centre"],
                counterpart=d["counterpart"],
                subject=d["subject"],
                body=d["body"],
                report=d["report"],
            )
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            return redirect("communication:conversation_detail", pk=conversation.pk)
    return render(request, "communication/conversation_form.html", {"form": form})


@perm_required(Perm.SEND_MESSAGES)
def conversation_detail(request, pk):
    conversation = selectors.conversation_or_404(request.user, pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_post(by=request.user, conversation=conversation, body=form.cleaned_data["body"])
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            return redirect("communication:conversation_detail", pk=conversation.pk)
    services.conversation_mark_read(by=request.user, conversation=conversation)
    return render(
        request,
        "communication/conversation_detail.html",
        {"c": conversation, "messages_list": conversation.messages.select_related("author"), "form": form},
    )


# --- Products (signed in) --------------------------------------------------------------------------


def _product_perm(user):
    if access.has_perm(user, Perm.MANAGE_PRODUCTS):
        return Perm.MANAGE_PRODUCTS
    if access.has_perm(user, Perm.APPROVE_PRODUCTS):
        return Perm.APPROVE_PRODUCTS
    raise Http404


@login_required
def product_list(request):
    perm = _product_perm(request.user)
    qs = selectors.products_for(request.user, perm).order_by("status", "name")
    status = request.GET.get("status", "")
    if status in Product.Status.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "communication/product_list.html",
        {
            "page": paginate(request, qs),
            "status": status,
            "statuses": Product.Status.choices,
            "centres": access.centres_for(request.user, Perm.MANAGE_PRODUCTS).order_by("name")[:50],
            "can_review": access.has_perm(request.user, Perm.APPROVE_PRODUCTS),
            "query": querystring_without_page(request),
        },
    )


def _product_form(request, centre, product=None):
    form = ProductForm(request.POST or None, instance=product, centre=centre)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in services.PRODUCT_FIELDS}
        try:
            saved = services.product_save(
                by=request.user, centre=centre, data=data, consent=form.cleaned_data["consent"], product=product
            )
        except DomainError as exc:
            form_error_from(form, exc)
        else:
            messages.success(
                request,
                _("Produk disimpan dan diajukan untuk persetujuan.")
                if saved.status == Product.Status.PENDING
                else _("Produk disimpan sebagai draf (belum ada persetujuan pemilik)."),
            )
            return redirect("communication:product_detail", pk=saved.pk)
    return render(request, "communication/product_form.html", {"form": form, "centre": centre, "product": product})


@perm_required(Perm.MANAGE_PRODUCTS)
def product_create(request, centre_id):
    centre = access.get_centre_or_404(request.user, Perm.MANAGE_PRODUCTS, centre_id)
    return _product_form(request, centre)


@perm_required(Perm.MANAGE_PRODUCTS)
def product_edit(request, pk):
    product = selectors.product_or_404(request.user, pk)
    return _product_form(request, product.centre, product)


@login_required
def product_detail(request, pk):
    perm = _product_perm(request.user)
    product = selectors.product_or_404(request.user, pk, perm)
    can_manage = access.user_can_on_centre(request.user, Perm.MANAGE_PRODUCTS, product.centre)
    can_review = access.user_can_on_centre(request.user, Perm.APPROVE_PRODUCTS, product.centre)
    return render(
        request,
        "communication/product_detail.html",
        {
            "p": product,
            "can_manage": can_manage,
            "can_review": can_review and product.status == Product.Status.PENDING,
            "photo_form": PhotoForm(),
            "review_form": ReviewForm(),
        },
    )


@require_POST
@perm_required(Perm.MANAGE_PRODUCTS)
def product_photo_add(request, pk):
    product = selectors.product_or_404(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.product_photo_add(by=request.user, product=product, uploaded_file=form.cleaned_data["photo"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Foto ditambahkan (metadata seperti lokasi GPS dihapus)."))
    else:
        messages.error(request, _("Pilih foto JPEG atau PNG."))
    return redirect("communication:product_detail", pk=product.pk)


@require_POST
@perm_required(Perm.MANAGE_PRODUCTS)
def product_photo_remove(request, pk):
    photo = ProductPhoto.objects.select_related("product__centre").filter(pk=pk).first()
    if photo is None or not access.user_can_on_centre(request.user, Perm.MANAGE_PRODUCTS, photo.product.centre):
        raise Http404
    services.product_photo_remove(by=request.user, photo=photo)
    return redirect("communication:product_detail", pk=photo.product_id)


@login_required
def product_photo(request, pk):
    """A photo for the people who manage or review the product (before it is public)."""
    photo = ProductPhoto.objects.select_related("product__centre").filter(pk=pk).first()
    user = request.user
    if photo is None or not (
        access.user_can_on_centre(user, Perm.MANAGE_PRODUCTS, photo.product.centre)
        or access.user_can_on_centre(user, Perm.APPROVE_PRODUCTS, photo.product.centre)
    ):
        raise Http404
    return _stream(photo.file, "image/jpeg", f"produk-{photo.product_id}.jpg", "private, max-age=600")


@require_POST
@perm_required(Perm.APPROVE_PRODUCTS)
def product_review(request, pk):
    product = selectors.product_or_404(request.user, pk, Perm.APPROVE_PRODUCTS)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.product_review(
                by=request.user,
                product=product,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Keputusan disimpan."))
    else:
        messages.error(request, _("Pilih keputusan."))
    return redirect("communication:product_detail", pk=product.pk)


# --- Public catalogue ------------------------------------------------------------------------------


def _public(request, key: str | None, build):
    """A public page: the same bytes for everyone, cached under the catalogue version for 5 minutes
    (not when `key` is None, e.g. free-text searches), with a Content-Security-Policy. `build()`
    returns (template, context)."""
    cache_key = f"communication:page:{services.public_version()}:{get_language()}:{key}" if key else None
    body = cache.get(cache_key) if cache_key else None
    if body is None:
        template, context = build()
        body = render_to_string(template, context, request=None)
        if cache_key:
            cache.set(cache_key, body, PUBLIC_CACHE_SECONDS)
    response = HttpResponse(body)
    response["Content-Security-Policy"] = PUBLIC_CSP
    response["Cache-Control"] = "public, max-age=60"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def catalogue(request):
    form = CatalogueFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page_no = request.GET.get("page", "1")
    page_no = page_no if page_no.isdigit() and len(page_no) < 6 else "1"
    key = "catalogue:" + "|".join(
        [
            getattr(filters.get("provinsi"), "code", "") or "",
            getattr(filters.get("kejuruan"), "code", "") or "",
            filters.get("kategori") or "",
            (filters.get("q") or "").lower(),
            page_no,
        ]
    )

    def build():
        from monitoring import selectors as monitoring_selectors

        qs = selectors.public_products().prefetch_related("photos").order_by("name", "pk")
        title_parts = []
        if filters.get("provinsi"):
            qs = qs.filter(centre__province=filters["provinsi"])
            title_parts.append(filters["provinsi"].name)
        if filters.get("kejuruan"):
            qs = qs.filter(kejuruan=filters["kejuruan"])
            title_parts.append(filters["kejuruan"].name)
        if filters.get("kategori"):
            qs = qs.filter(category=filters["kategori"])
            title_parts.append(str(ProductCategory(filters["kategori"]).label))
        if filters.get("q"):
            qs = qs.filter(Q(name__icontains=filters["q"]) | Q(description__icontains=filters["q"]))
        page = paginate_public(qs, page_no)
        rows, total = monitoring_selectors.public_figures()
        params = request.GET.copy()
        params.pop("page", None)
        return "communication/public/catalogue.html", {
            "form": form,
            "page": page,
            "heading": " · ".join(title_parts),
            "figures": total,
            "province_rows": rows,
            "query": params.urlencode(),
            "base_url": settings.PORTAL_BASE_URL.rstrip("/"),
        }

    return _public(request, None if filters.get("q") else key, build)


def paginate_public(qs, page_no):
    from django.core.paginator import Paginator

    return Paginator(qs, 24).get_page(page_no)


@require_GET
def public_product(request, pk, slug=""):
    product = selectors.public_product_or_404(pk)

    def build():
        return "communication/public/product.html", {"p": product, "photos": list(product.photos.all())}

    return _public(request, f"product:{product.pk}", build)


@require_GET
def public_photo(request, pk):
    photo = ProductPhoto.objects.filter(pk=pk, product__in=selectors.public_products()).first()
    if photo is None:
        raise Http404
    return _stream(photo.file, "image/jpeg", f"produk-{photo.product_id}.jpg", "public, max-age=3600")
