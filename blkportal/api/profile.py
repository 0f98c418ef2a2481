"""Profile-page panel: the user's API tokens (see blkportal.plugins; registry's profile view collects it)."""

from .models import ApiToken


def panels(request):
    tokens = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True).order_by("-created_at", "-pk")
    return [{"template": "api/_profile_panel.html", "context": {"tokens": list(tokens[:5])}, "order": 50}]
