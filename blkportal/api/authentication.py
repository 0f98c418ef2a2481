"""Authentication of API requests by personal token: ``Authorization: Bearer <token>`` (or ``Token``)."""

from __future__ import annotations

import datetime as dt
import hmac

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiToken
from .services import token_hash, token_split

KEYWORDS = (b"bearer", b"token")
# Writing last_used_at on every request would turn every read into a write; once a minute is enough.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """A personal token (see blkportal.api.models.ApiToken). Without a token header it does nothing, so
    session authentication still serves the Swagger UI and the pages' own fetches."""

    www_authenticate_realm = "api"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Header Authorization harus berbentuk 'Bearer <token>'."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Token tidak valid atau sudah dicabut.")) from None
        return self.authenticate_token(raw)

    def authenticate_token(self, raw: str):
        parts = token_split(raw)
        if parts is None:
            raise exceptions.AuthenticationFailed(_("Token tidak valid atau sudah dicabut."))
        prefix, raw = parts
        token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
        if (
            token is None
            or not hmac.compare_digest(token.secret_hash, token_hash(raw))
            or token.revoked_at is not None
            or not token.user.is_active
        ):
            raise exceptions.AuthenticationFailed(_("Token tidak valid atau sudah dicabut."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request):
        return f'Bearer realm="{self.www_authenticate_realm}"'
