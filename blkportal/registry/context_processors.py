from django.utils.functional import SimpleLazyObject

from blkportal.core.contributions import NAV, collect


def navigation(request):
    """Navigation items for the signed-in user, contributed by each app's nav.py; the user's roles
    shown beside the name."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    # Lazy: the navigation's queries run only when a template shows it, not for htmx fragments such
    # as the autosave status. Rarely used pages (e.g. user administration) sit in the user menu,
    # keeping the bar on one row.
    from .access import roles_of
    from .models import Role

    items = SimpleLazyObject(lambda: collect(NAV, user))

    def roles():
        labels, held = dict(Role.choices), roles_of(user)
        return [str(labels[r]) for r in Role.values if r in held]

    return {
        "nav_items": SimpleLazyObject(lambda: [i for i in items if i.menu != "user"]),
        "user_menu_items": SimpleLazyObject(lambda: [i for i in items if i.menu == "user"]),
        "user_roles": SimpleLazyObject(roles),
    }
