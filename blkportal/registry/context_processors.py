from blkportal.core.contributions import NAV, collect


def navigation(request):
    """Navigation items for the signed-in user, contributed by each app's nav.py."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": collect(NAV, user)}
