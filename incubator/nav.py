from django.urls import reverse
from django.utils.translation import gettext as _

from blkportal.core.contributions import NAV, NavItem
from blkportal.registry import access
from blkportal.registry.access import Perm


@NAV.provider
def items(user):
    """ "Inkubator" for users who may see tenants and have an incubator centre in scope."""
    scope = access.scope_for(user, Perm.VIEW_TENANTS)
    if scope.empty:
        return []
    if not scope.national and not access.centres_for(user, Perm.VIEW_TENANTS).filter(is_incubator=True).exists():
        return []
    return [NavItem(label=_("Inkubator"), url=reverse("incubator:overview"), order=40)]
