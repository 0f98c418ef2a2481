"""Announcements (pengumuman), conversations (pesan) and the public showcase of produk unggulan.

Files (attachments, photos) live under PRIVATE_MEDIA_ROOT and are streamed by views that check who
may see them; product photos are re-encoded on upload, so no metadata (EXIF, GPS) is ever stored.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from blkportal.core.storage import PrivateStorage


def private_storage():
    return PrivateStorage()


class AudienceRole(models.TextChoices):
    MANAGER = "manager", _("Pengelola BLK")
    MENTOR = "mentor", _("Mentor inkubator")
    REVIEWER = "reviewer", _("Verifikator wilayah")
    FKN = "fkn", _("Koordinator FKN")


def _csv(values) -> str:
    """Values stored as ",a,b," so that `__contains=",a,"` works on every database."""
    values = [str(v) for v in values if str(v).strip()]
    return f",{','.join(values)}," if values else ""


class Announcement(models.Model):
    """A message to an audience of centres (and the people of given roles in them).

    The audience is a conjunction of filters; an empty filter means "any": provinces (empty with
    all_provinces), cohort years, incubator centres only, and the roles who receive it."""

    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), help_text=_("Teks biasa; tautan http(s) menjadi tautan."))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="announcements")
    all_provinces = models.BooleanField(_("semua provinsi"), default=True)
    provinces = models.ManyToManyField("registry.Province", blank=True, related_name="+", verbose_name=_("provinsi"))
    cohort_years = models.CharField(_("tahun dibangun"), max_length=200, blank=True)
    incubators_only = models.BooleanField(_("hanya BLK inkubator"), default=False)
    roles = models.CharField(_("peran penerima"), max_length=100, default=",manager,")
    publish_at = models.DateTimeField(_("terbit"))
    expires_at = models.DateTimeField(_("berakhir"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-publish_at", "-pk"]
        verbose_name = _("pengumuman")
        verbose_name_plural = _("pengumuman")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=models.F("publish_at")),
                name="announcement_expires_after_publish",
            )
        ]
        indexes = [models.Index(fields=["publish_at", "expires_at"])]

    def __str__(self):
        return self.title

    @property
    def cohort_list(self) -> list[int]:
        return [int(v) for v in self.cohort_years.strip(",").split(",") if v]

    @property
    def role_list(self) -> list[str]:
        return [v for v in self.roles.strip(",").split(",") if v]

    def role_labels(self) -> list[str]:
        return [str(AudienceRole(r).label) for r in self.role_list if r in AudienceRole.values]


def attachment_upload_to(instance, filename):
    ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(instance.content_type, "bin")
    return f"announcements/{instance.announcement_id}/{uuid.uuid4().hex}.{ext}"


class AnnouncementAttachment(models.Model):
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(_("ukuran (byte)"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("lampiran pengumuman")
        verbose_name_plural = _("lampiran pengumuman")

    def __str__(self):
        return self.original_name


class AnnouncementRead(models.Model):
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tanda baca pengumuman")
        verbose_name_plural = _("tanda baca pengumuman")
        constraints = [models.UniqueConstraint(fields=["announcement", "user"], name="announcement_read_once")]

    def __str__(self):
        return f"{self.user_id} → {self.announcement_id}"


class Conversation(models.Model):
    """A conversation of one centre with its province's reviewers, or with the directorate.

    Participants are not stored: they are whoever the roles and scopes give access to the centre
    (access.SEND_MESSAGES), so a reviewer who moves to another province loses access at once."""

    class With(models.TextChoices):
        REVIEWERS = "reviewers", _("Verifikator provinsi")
        DIRECTORATE = "directorate", _("Direktorat")

    centre = models.ForeignKey("registry.Centre", on_delete=models.CASCADE, related_name="conversations")
    counterpart = models.CharField(_("dengan"), max_length=12, choices=With.choices, default=With.REVIEWERS)
    subject = models.CharField(_("perihal"), max_length=200)
    report = models.ForeignKey(
        "reporting.Report",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("laporan terkait"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(db_index=True)
    last_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        verbose_name = _("percakapan")
        verbose_name_plural = _("percakapan")

    def __str__(self):
        return self.subject


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("pesan"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("pesan")
        verbose_name_plural = _("pesan")

    def __str__(self):
        return self.body[:40]


class ConversationRead(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="conversation_read_once")]

    def __str__(self):
        return f"{self.user_id} → {self.conversation_id}"


class ProductCategory(models.TextChoices):
    MAKANAN = "makanan", _("Makanan dan minuman")
    KERAJINAN = "kerajinan", _("Kerajinan")
    FESYEN = "fesyen", _("Fesyen dan tekstil")
    MEBEL = "mebel", _("Mebel dan kayu")
    TEKNIK = "teknik", _("Produk teknik dan las")
    JASA = "jasa", _("Jasa")
    PERTANIAN = "pertanian", _("Pertanian dan perikanan")
    LAINNYA = "lainnya", _("Lainnya")


class Product(models.Model):
    """A produk unggulan of a centre or of one of its tenants. Public only when the owner's consent is
    recorded and a reviewer approved it; any edit sends it back for review."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        PENDING = "pending", _("Menunggu persetujuan")
        APPROVED = "approved", _("Tayang")
        REJECTED = "rejected", _("Ditolak")

    centre = models.ForeignKey("registry.Centre", on_delete=models.PROTECT, related_name="products")
    tenant = models.ForeignKey(
        "incubator.Tenant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("wirausaha binaan"),
    )
    name = models.CharField(_("nama produk"), max_length=150)
    description = models.TextField(_("uraian"))
    category = models.CharField(_("kategori"), max_length=12, choices=ProductCategory.choices)
    kejuruan = models.ForeignKey(
        "registry.Kejuruan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kejuruan"),
    )
    price_min = models.PositiveIntegerField(_("harga terendah (Rp)"), null=True, blank=True)
    price_max = models.PositiveIntegerField(_("harga tertinggi (Rp)"), null=True, blank=True)
    marketplace_links = models.TextField(_("tautan toko daring"), blank=True, help_text=_("Satu tautan per baris."))
    shop_address = models.CharField(_("alamat toko"), max_length=300, blank=True)
    contact = models.CharField(_("kontak yang boleh dipublikasikan"), max_length=150, blank=True)
    consent_at = models.DateTimeField(_("persetujuan pemilik dicatat"), null=True, blank=True, editable=False)
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    review_note = models.CharField(_("catatan verifikator"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("produk unggulan")
        verbose_name_plural = _("produk unggulan")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(consent_at__isnull=False), name="product_public_needs_consent"
            ),
            models.CheckConstraint(
                condition=Q(price_min__isnull=True)
                | Q(price_max__isnull=True)
                | Q(price_max__gte=models.F("price_min")),
                name="product_price_range",
            ),
        ]
        indexes = [models.Index(fields=["status", "category"])]

    def __str__(self):
        return self.name

    @property
    def links(self) -> list[str]:
        return [line.strip() for line in self.marketplace_links.splitlines() if line.strip()]


def photo_upload_to(instance, filename):
    return f"products/{instance.product.centre_id}/{uuid.uuid4().hex}.jpg"


class ProductPhoto(models.Model):
    """A photo re-encoded to JPEG (no EXIF/GPS), at most 1600 px on its longest side."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(storage=private_storage, upload_to=photo_upload_to, max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("foto produk")
        verbose_name_plural = _("foto produk")

    def __str__(self):
        return self.file.name


__all__ = [
    "Announcement",
    "AnnouncementAttachment",
    "AnnouncementRead",
    "AudienceRole",
    "Conversation",
    "ConversationRead",
    "Message",
    "Product",
    "ProductCategory",
    "ProductPhoto",
]
