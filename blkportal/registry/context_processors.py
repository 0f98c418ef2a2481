from blkportal.plugins import modules


def navigation(request):
    """Navigation items for the signed-in user, contributed by each app's nav.py."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for module in modules("nav"):
        items.extend(module.items(user))
    items.sort(key=lambda i: i.get("order", 100))
    return {"nav_items": items}
