from django.utils.functional import SimpleLazyObject

from blkportal.core.contributions import NAV, collect


def navigation(request):
    """Navigation items for the signed-in user, contributed by each app's nav.py."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    # Lazy: the navigation's queries run only when a template shows it, not for htmx fragments such
    # as the autosave status.
    return {"nav_items": SimpleLazyObject(lambda: collect(NAV, user))}
