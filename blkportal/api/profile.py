"""Profile-page section: the user's API tokens (a PROFILE contribution, see blkportal/core/contributions.py)."""

from blkportal.core.contributions import PROFILE, Panel

from .models import ApiToken, RevokedReason


@PROFILE.provider
def panels(request):
    tokens = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True).order_by("-created_at", "-pk")
    return [
        Panel(
            template="api/_profile_panel.html",
            order=50,
            context={"tokens": list(tokens[:5]), "auto_revoked": auto_revoked(request.user)},
        )
    ]


def auto_revoked(user) -> dict | None:
    """The last automatic revocation (password changed, account deactivated) when no token was made
    since: {"when", "count", "reason"}, so the profile page can say why scripts stopped working."""
    last = (
        ApiToken.objects.filter(user=user, revoked_reason__in=[RevokedReason.PASSWORD, RevokedReason.DEACTIVATED])
        .order_by("-revoked_at")
        .first()
    )
    if last is None or ApiToken.objects.filter(user=user, created_at__gt=last.revoked_at).exists():
        return None
    count = ApiToken.objects.filter(user=user, revoked_at=last.revoked_at, revoked_reason=last.revoked_reason).count()
    return {"when": last.revoked_at, "count": count, "reason": last.revoked_reason}
