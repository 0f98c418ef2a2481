from django.urls import reverse
from django.utils.translation import gettext as _

from blkportal.core.contributions import NAV, NavItem
from blkportal.registry import access
from blkportal.registry.access import Perm


@NAV.provider
def items(user):
    result = []
    if access.has_perm(user, Perm.VIEW_DASHBOARD):
        result.append(NavItem(label=_("Dasbor"), url=reverse("monitoring:dashboard"), order=60))
    if access.has_perm(user, Perm.VIEW_RANKINGS):
        result.append(NavItem(label=_("Peringkat"), url=reverse("monitoring:ranking_list"), order=65))
    if access.has_perm(user, Perm.EXPORT_DATA):
        result.append(NavItem(label=_("Ekspor"), url=reverse("monitoring:export_list"), order=70, menu="user"))
    return result
