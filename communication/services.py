"""Writes of the communication app. Every function takes the acting user as keyword `by`."""

from __future__ import annotations

import io
import os

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blkportal.core.errors import DomainError
from blkportal.registry import access
from blkportal.registry.access import Perm
from blkportal.registry.models import Centre
from reporting.services.evidence import checked_content

from . import selectors
from .models import (
    Announcement,
    AnnouncementAttachment,
    AnnouncementRead,
    AudienceRole,
    Conversation,
    ConversationRead,
    Message,
    Product,
    ProductPhoto,
    _csv,
)

MAX_ATTACHMENTS = 5
MAX_PHOTOS = 6
PHOTO_MAX_SIDE = 1600
PHOTO_MAX_PIXELS = 40_000_000
PUBLIC_VERSION_KEY = "communication:public:version"


def _require_on_centre(by, perm, centre):
    if not access.user_can_on_centre(by, perm, centre):
        raise DomainError(_("Anda tidak berwenang untuk BLK ini."))


# --- Announcements ---------------------------------------------------------------------------------


@transaction.atomic
def announcement_create(
    *,
    by,
    title: str,
    body: str,
    all_provinces: bool,
    province_codes=(),
    cohort_years=(),
    incubators_only: bool = False,
    roles=(AudienceRole.MANAGER,),
    publish_at=None,
    expires_at=None,
    files=(),
) -> Announcement:
    scope = access.scope_for(by, Perm.PUBLISH_ANNOUNCEMENTS)
    if scope.empty:
        raise DomainError(_("Anda tidak berwenang menerbitkan pengumuman."))
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise DomainError(_("Judul wajib diisi."), field="title")
    if not body:
        raise DomainError(_("Isi pengumuman wajib diisi."), field="body")
    province_codes = sorted(set(province_codes or ()))
    if not scope.national:
        if all_provinces:
            raise DomainError(_("Koordinator provinsi hanya dapat mengirim ke provinsinya sendiri."), field="provinces")
        outside = set(province_codes) - set(scope.province_codes)
        if outside:
            raise DomainError(
                _("Provinsi di luar cakupan Anda: %(codes)s.") % {"codes": ", ".join(sorted(outside))},
                field="provinces",
            )
    if not all_provinces and not province_codes:
        raise DomainError(_("Pilih paling sedikit satu provinsi, atau semua provinsi."), field="provinces")
    roles = [r for r in dict.fromkeys(roles or ()) if r]
    if not roles or set(roles) - set(AudienceRole.values):
        raise DomainError(_("Pilih paling sedikit satu peran penerima."), field="roles")
    now = timezone.now()
    publish_at = publish_at or now
    if expires_at is not None and expires_at <= publish_at:
        raise DomainError(_("Waktu berakhir harus setelah waktu terbit."), field="expires_at")
    if expires_at is not None and expires_at <= now:
        raise DomainError(_("Waktu berakhir sudah lewat."), field="expires_at")
    cohort_years = sorted({int(y) for y in cohort_years or ()})
    centres = selectors.audience_centres_for(
        all_provinces=all_provinces,
        province_codes=province_codes,
        cohort_years=cohort_years,
        incubators_only=incubators_only,
    )
    if not centres.exists():
        raise DomainError(
            _("Tidak ada BLK yang cocok dengan sasaran ini. Pengumuman tidak dikirim."), field="provinces"
        )
    files = [f for f in files or () if f]
    if len(files) > MAX_ATTACHMENTS:
        raise DomainError(_("Paling banyak %(n)s lampiran.") % {"n": MAX_ATTACHMENTS}, field="attachments")
    checked = [(f, *checked_content(f, field="attachments")) for f in files]
    announcement = Announcement.objects.create(
        title=title[:200],
        body=body,
        author=by,
        all_provinces=all_provinces,
        cohort_years=_csv(cohort_years),
        incubators_only=incubators_only,
        roles=_csv(roles),
        publish_at=publish_at,
        expires_at=expires_at,
    )
    if not all_provinces:
        announcement.provinces.set(province_codes)
    stored = []
    try:
        for upload, data, content_type in checked:
            name = os.path.basename((upload.name or "lampiran").replace("\\", "/"))[:200] or "lampiran"
            att = AnnouncementAttachment(
                announcement=announcement, original_name=name, content_type=content_type, size=len(data)
            )
            att.file.save(name, ContentFile(data), save=False)
            stored.append(att.file)
            att.save()
    except Exception:
        for f in stored:
            f.storage.delete(f.name)
        raise
    if publish_at <= now:
        from .tasks import send_announcement_emails

        pk = announcement.pk
        transaction.on_commit(lambda: send_announcement_emails.delay(pk))
    return announcement


def announcement_mark_read(*, by, announcement: Announcement) -> bool:
    """Mark read for `by` (who must be addressed by it). True when this call marked it."""
    if not selectors.announcements_for(by).filter(pk=announcement.pk).exists():
        raise DomainError(_("Pengumuman ini tidak ditujukan kepada Anda."))
    try:
        with transaction.atomic():
            created = AnnouncementRead.objects.get_or_create(announcement=announcement, user=by)[1]
    except IntegrityError:
        return False
    return created


# --- Conversations ---------------------------------------------------------------------------------


@transaction.atomic
def conversation_start(*, by, centre: Centre, counterpart: str, subject: str, body: str, report=None) -> Conversation:
    scope = access.scope_for(by, Perm.SEND_MESSAGES)
    if not scope.covers_centre(centre):
        raise DomainError(_("Anda tidak berwenang untuk BLK ini."))
    if counterpart not in Conversation.With.values:
        raise DomainError(_("Pilih lawan bicara."), field="counterpart")
    centre_side = centre.pk in scope.centre_ids
    if counterpart == Conversation.With.DIRECTORATE and not (centre_side or scope.national):
        raise DomainError(_("Verifikator provinsi memulai percakapan dengan BLK."), field="counterpart")
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject:
        raise DomainError(_("Perihal wajib diisi."), field="subject")
    if not body:
        raise DomainError(_("Pesan wajib diisi."), field="body")
    if report is not None and report.centre_id != centre.pk:
        raise DomainError(_("Laporan itu bukan milik BLK ini."), field="report")
    now = timezone.now()
    conversation = Conversation.objects.create(
        centre=centre,
        counterpart=counterpart,
        subject=subject[:200],
        report=report,
        created_by=by,
        last_message_at=now,
    )
    _add_message(conversation, by, body, now)
    return conversation


def _add_message(conversation, by, body, now):
    message = Message.objects.create(conversation=conversation, author=by, body=body)
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=message.created_at)
    ConversationRead.objects.update_or_create(
        conversation=conversation, user=by, defaults={"read_at": message.created_at}
    )
    from .tasks import notify_conversation

    ids = (conversation.pk, message.pk)
    transaction.on_commit(lambda: notify_conversation.delay(*ids))
    # Now and again after commit: a count cached in between would otherwise miss this message.
    selectors.bump_unread_version()
    transaction.on_commit(selectors.bump_unread_version)
    return message


@transaction.atomic
def message_post(*, by, conversation: Conversation, body: str) -> Message:
    if not selectors.conversations_for(by).filter(pk=conversation.pk).exists():
        raise DomainError(_("Anda tidak termasuk dalam percakapan ini."))
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Pesan wajib diisi."), field="body")
    if len(body) > 5000:
        raise DomainError(_("Pesan terlalu panjang (paling banyak 5000 karakter)."), field="body")
    return _add_message(conversation, by, body, timezone.now())


def conversation_mark_read(*, by, conversation: Conversation) -> None:
    if not selectors.conversations_for(by).filter(pk=conversation.pk).exists():
        raise DomainError(_("Anda tidak termasuk dalam percakapan ini."))
    ConversationRead.objects.update_or_create(conversation=conversation, user=by, defaults={"read_at": timezone.now()})
    selectors.bump_unread_version()


# --- Products --------------------------------------------------------------------------------------


def public_version() -> int:
    return cache.get_or_set(PUBLIC_VERSION_KEY, 1, None)


def bump_public_version() -> None:
    """Invalidate every cached public page (they carry the version in their key)."""
    try:
        cache.incr(PUBLIC_VERSION_KEY)
    except ValueError:
        cache.set(PUBLIC_VERSION_KEY, 2, None)


PRODUCT_FIELDS = (
    "name",
    "description",
    "category",
    "kejuruan",
    "tenant",
    "price_min",
    "price_max",
    "marketplace_links",
    "shop_address",
    "contact",
)


@transaction.atomic
def product_save(*, by, centre: Centre, data: dict, consent: bool, product: Product | None = None) -> Product:
    """Create or edit a product. With the owner's consent it goes to review; any edit of a public
    product takes it off the catalogue until a reviewer approves it again."""
    _require_on_centre(by, Perm.MANAGE_PRODUCTS, centre)
    tenant = data.get("tenant")
    if tenant is not None and tenant.centre_id != centre.pk:
        raise DomainError(_("Wirausaha binaan itu bukan dari BLK ini."), field="tenant")
    lo, hi = data.get("price_min"), data.get("price_max")
    if lo is not None and hi is not None and hi < lo:
        raise DomainError(_("Harga tertinggi tidak boleh di bawah harga terendah."), field="price_max")
    for link in [x.strip() for x in (data.get("marketplace_links") or "").splitlines() if x.strip()]:
        if not link.startswith(("https://", "http://")):
            raise DomainError(_("Setiap tautan harus diawali https:// (satu per baris)."), field="marketplace_links")
    was_public = product is not None and Product.objects.filter(pk=product.pk, status=Product.Status.APPROVED).exists()
    product = product or Product(centre=centre, created_by=by)
    for name in PRODUCT_FIELDS:
        if name in data:
            setattr(product, name, data[name])
    if consent and product.consent_at is None:
        product.consent_at, product.consent_by = timezone.now(), by
    elif not consent:
        product.consent_at, product.consent_by = None, None
    product.status = Product.Status.PENDING if consent else Product.Status.DRAFT
    product.reviewed_by, product.reviewed_at = None, None
    product.save()
    if was_public:
        transaction.on_commit(bump_public_version)
    return product


def _reencode(data: bytes) -> tuple[bytes, int, int]:
    """A clean JPEG from an uploaded JPEG/PNG: decoded pixels only (no EXIF, GPS, ICC or comments)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > PHOTO_MAX_PIXELS:
                raise DomainError(_("Foto terlalu besar (resolusi)."), field="photo")
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            img = ImageOps.exif_transpose(img)
            img = img.convert("RGB")
            img.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            out = io.BytesIO()
            img.save(out, format="JPEG", quality=85, optimize=True)
            return out.getvalue(), img.width, img.height
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise DomainError(_("Berkas foto rusak atau bukan gambar JPEG/PNG."), field="photo") from None


@transaction.atomic
def product_photo_add(*, by, product: Product, uploaded_file) -> ProductPhoto:
    _require_on_centre(by, Perm.MANAGE_PRODUCTS, product.centre)
    if uploaded_file is None:
        raise DomainError(_("Pilih foto yang akan diunggah."), field="photo")
    if product.photos.count() >= MAX_PHOTOS:
        raise DomainError(_("Paling banyak %(n)s foto per produk.") % {"n": MAX_PHOTOS}, field="photo")
    data, content_type = checked_content(uploaded_file, field="photo")
    if content_type not in ("image/jpeg", "image/png"):
        raise DomainError(_("Foto harus JPEG atau PNG."), field="photo")
    clean, width, height = _reencode(data)
    photo = ProductPhoto(product=product, width=width, height=height)
    photo.file.save("foto.jpg", ContentFile(clean), save=False)
    try:
        photo.save()
    except Exception:
        photo.file.storage.delete(photo.file.name)
        raise
    if product.status == Product.Status.APPROVED:
        transaction.on_commit(bump_public_version)
    return photo


@transaction.atomic
def product_photo_remove(*, by, photo: ProductPhoto) -> None:
    _require_on_centre(by, Perm.MANAGE_PRODUCTS, photo.product.centre)
    storage, name = photo.file.storage, photo.file.name
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))
    transaction.on_commit(bump_public_version)


@transaction.atomic
def product_review(*, by, product: Product, approve: bool, note: str = "") -> Product:
    product = Product.objects.select_for_update().select_related("centre").get(pk=product.pk)
    _require_on_centre(by, Perm.APPROVE_PRODUCTS, product.centre)
    if product.status != Product.Status.PENDING:
        raise DomainError(_("Produk ini tidak sedang menunggu persetujuan."))
    note = (note or "").strip()[:300]
    if approve:
        if product.consent_at is None:
            raise DomainError(_("Persetujuan pemilik belum dicatat."))
        product.status = Product.Status.APPROVED
    else:
        if not note:
            raise DomainError(_("Tuliskan alasan penolakan."), field="note")
        product.status = Product.Status.REJECTED
    product.review_note = note
    product.reviewed_by, product.reviewed_at = by, timezone.now()
    product.save()
    transaction.on_commit(bump_public_version)
    return product
