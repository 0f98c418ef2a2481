"""API tokens and other API-owned models."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RevokedReason(models.TextChoices):
    OWNER = "owner", _("dicabut pemilik")
    PASSWORD = "password", _("kata sandi diubah")
    DEACTIVATED = "deactivated", _("akun dinonaktifkan")


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash of the token is stored; the token itself is shown once.

    A token looks like ``blk_<prefix>_<secret>``: the 12-character prefix is stored in clear to find
    the row (and to show the user which token is which); the secret carries 256 bits of randomness, so
    a plain SHA-256 is enough (no slow password hash: there is nothing to brute-force).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("pengguna")
    )
    name = models.CharField(_("nama"), max_length=80)
    prefix = models.CharField(_("awalan"), max_length=12, unique=True)
    secret_hash = models.CharField(_("hash rahasia"), max_length=64)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_reason = models.CharField(
        _("alasan pencabutan"), max_length=12, choices=RevokedReason.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"], condition=Q(revoked_at__isnull=True), name="api_token_unique_active_name"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="api_token_has_name"),
        ]

    def __str__(self):
        return f"{self.name} (blk_{self.prefix}_…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def display(self) -> str:
        return f"blk_{self.prefix}_…"
