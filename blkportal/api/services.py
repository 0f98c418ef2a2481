"""Writes for the API app: personal API tokens. `by` (the acting user) acts only on their own."""

from __future__ import annotations

import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from blkportal.core.errors import DomainError
from blkportal.core.months import now as clock
from blkportal.registry import access

from .models import ApiToken, RevokedReason

TOKEN_PREFIX = "blk_"
PREFIX_LENGTH = 12
MAX_ACTIVE_TOKENS = 20


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_split(raw: str) -> tuple[str, str] | None:
    """(prefix, raw) for a string shaped like a token, else None. Nothing is looked up here."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    prefix = raw[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + PREFIX_LENGTH]
    rest = raw[len(TOKEN_PREFIX) + PREFIX_LENGTH :]
    if len(prefix) != PREFIX_LENGTH or not rest.startswith("_") or len(rest) < 20:
        return None
    return prefix, raw


@transaction.atomic
def token_create(*, by, name: str) -> tuple[ApiToken, str]:
    """Create a token for `by`; returns the row and the token itself, which is never stored."""
    access.check_owner(by, by)  # an active, signed-in account
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Beri nama token, misalnya nama skrip yang memakainya."), field="name")
    if len(name) > 80:
        raise DomainError(_("Nama token paling panjang 80 karakter."), field="name")
    active = ApiToken.objects.select_for_update().filter(user=by, revoked_at__isnull=True)
    if active.filter(name=name).exists():
        raise DomainError(_("Anda sudah punya token aktif dengan nama ini."), field="name")
    if active.count() >= MAX_ACTIVE_TOKENS:
        raise DomainError(
            _("Paling banyak %(n)d token aktif. Cabut token yang tidak dipakai.") % {"n": MAX_ACTIVE_TOKENS},
            field="name",
        )
    for _attempt in range(5):
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(user=by, name=name, prefix=prefix, secret_hash=token_hash(raw))
        except IntegrityError:  # prefix collision (2^-48) or a concurrent same-name create
            continue
        return token, raw
    raise DomainError(_("Token tidak dapat dibuat. Coba lagi."), field="name")


@transaction.atomic
def token_revoke(*, token: ApiToken, by, now=None) -> ApiToken:
    """Revoke a token at once; it stays listed so the owner sees when it was revoked."""
    access.check_owner(by, token.user)
    if token.revoked_at is None:
        token.revoked_at, token.revoked_reason = now or clock(), RevokedReason.OWNER
        token.save(update_fields=["revoked_at", "revoked_reason"])
    return token


def tokens_revoke_all(*, user, reason: str, now=None) -> int:
    """Revoke every active token of `user` (password changed or reset, account deactivated): a token
    must not outlive the credentials it was made with. Returns how many were revoked. Called by the
    account's own change (a signal of the password or the active flag), not by another person, so it
    takes no `by`."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now or clock(), revoked_reason=reason
    )
