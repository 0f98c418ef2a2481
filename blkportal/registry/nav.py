from django.urls import reverse
from django.utils.translation import gettext as _

from blkportal.core.contributions import NAV, NavItem

from . import access
from .access import Perm


@NAV.provider
def items(user):
    result = []
    if access.has_perm(user, Perm.VIEW_CENTRE):
        result.append(NavItem(label=_("Registri BLK"), url=reverse("registry:centre_list"), order=10))
    if access.has_perm(user, Perm.MANAGE_USERS):
        result.append(NavItem(label=_("Pengguna"), url=reverse("registry:user_list"), order=90, menu="user"))
    # The imports a national user runs (a centre's own imports are on its pages; cheap: no query).
    if any(access.has_perm(user, perm) for perm in (Perm.MANAGE_CENTRES, Perm.MANAGE_USERS, Perm.IMPORT_HISTORY)):
        result.append(NavItem(label=_("Impor data"), url=reverse("registry:import_list"), order=91, menu="user"))
    return result
