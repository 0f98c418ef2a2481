"""Permissions for API views, in the words of blkportal.registry.access.

A viewset names the access permission each action needs (``action_perms``). A user who holds it
nowhere gets 404, as on the pages; within the permission, the viewset's queryset (which starts from
access) decides which objects exist for that user.
"""

from rest_framework import exceptions, permissions

from blkportal.registry import access


class ActionPerm(permissions.BasePermission):
    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False  # DRF turns this into 401
        perm = required_perm(view)
        if perm is None:
            return True
        if not access.has_perm(request.user, perm):
            raise exceptions.NotFound()
        return True


def required_perm(view) -> str | None:
    perms = getattr(view, "action_perms", {})
    action = getattr(view, "action", None)
    if action is None and hasattr(view, "action_map"):
        return None  # a method the viewset does not have: 405 for everyone, nothing to hide
    if action in perms:
        return perms[action]
    return perms.get("*")
