"""Per-token throttling: each API token has its own budget; session use is budgeted per user."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class PerTokenRateThrottle(SimpleRateThrottle):
    """Rate ``api`` (DEFAULT_THROTTLE_RATES) per token, per signed-in user without one, per address
    for anonymous requests (which are refused anyway, but should not be free to hammer)."""

    scope = "api"

    def get_rate(self):
        # Read the rate at request time (not at import, as DRF does) so settings overrides apply.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"anon-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
