from blkportal.core.contributions import NAV, collect


def navigation(request):
    """Navigation items for the signed-in user, contributed by each app's nav.py; the user's roles
    shown beside the name."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    from .access import roles_of
    from .models import Role

    items = collect(NAV, user)
    labels = dict(Role.choices)
    held = roles_of(user)
    # Rarely used pages (e.g. user administration) sit in the user menu, keeping the bar on one row.
    return {
        "nav_items": [i for i in items if i.menu != "user"],
        "user_menu_items": [i for i in items if i.menu == "user"],
        "user_roles": [str(labels[r]) for r in Role.values if r in held],
    }
