"""Login lockouts (django-axes) that an attacker cannot turn against someone else.

Failures are counted per (username, address) and per address. A pair is locked after
AXES_FAILURE_LIMIT failures; an address trying many accounts is locked after the higher
AXES_ADDRESS_FAILURE_LIMIT. Failures from one address therefore never lock the same account at
another address. The address comes from blkportal.middleware.client_ip (X-Forwarded-For only behind
the configured number of trusted proxies).
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


class PortalAxesHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        # AXES_LOCKOUT_PARAMETERS is [["username", "ip_address"], "ip_address"]: one queryset each.
        pair, address = self.get_user_attempts(request, credentials)
        pair_failures = pair.aggregate(n=Sum("failures_since_start"))["n"] or 0
        address_failures = address.aggregate(n=Sum("failures_since_start"))["n"] or 0
        if address_failures >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            # Report at least the pair limit, so axes treats the request as locked out.
            return max(pair_failures, get_failure_limit(request, credentials))
        return pair_failures

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A successful login clears only that account's failures at that address. Clearing the
        # address's failures too would let anyone with one valid account reset the per-address limit
        # (and every other account's count from there) by signing in between guesses.
        pair = self.filter_user_attempts(request, credentials)[0]
        count, _ = pair.delete()
        return count
