"""Profile-page section: the user's API tokens (a PROFILE contribution, see blkportal/core/contributions.py)."""

from blkportal.core.contributions import PROFILE, Panel

from .models import ApiToken


@PROFILE.provider
def panels(request):
    tokens = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True).order_by("-created_at", "-pk")
    return [Panel(template="api/_profile_panel.html", order=50, context={"tokens": list(tokens[:5])})]
