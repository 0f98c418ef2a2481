from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """{{ errors|get_item:name }}: a dict lookup by a variable key."""
    if not mapping:
        return []
    return mapping.get(key, [])


@register.filter(name="abs")
def absolute(value):
    try:
        return abs(int(value))
    except (TypeError, ValueError):
        return value
