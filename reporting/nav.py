from django.urls import reverse
from django.utils.translation import gettext as _

from blkportal.core.contributions import NAV, NavItem
from blkportal.registry import access
from blkportal.registry.access import Perm


@NAV.provider
def items(user):
    result = []
    edit = access.scope_for(user, Perm.EDIT_REPORTS)
    if edit.centre_ids and not edit.national:
        result.append(NavItem(label=_("Laporan bulanan"), url=reverse("reporting:my_reports"), order=20))
    elif access.has_perm(user, Perm.VIEW_REPORTS):
        result.append(NavItem(label=_("Antrean laporan"), url=reverse("reporting:queue"), order=20))
    if access.has_perm(user, Perm.VIEW_OVERDUE):
        result.append(NavItem(label=_("Belum melapor"), url=reverse("reporting:overdue"), order=21))
    return result
