"""Links on the registry's centre page (a CENTRE_LINKS contribution): the incubator summary and the tenants."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from blkportal.core.contributions import CENTRE_LINKS, CentreLink
from blkportal.registry import access
from blkportal.registry.access import Perm


@CENTRE_LINKS.provider
def links(user, centre):
    if not centre.is_incubator or not access.user_can_on_centre(user, Perm.VIEW_TENANTS, centre):
        return []
    tenants = reverse("incubator:tenant_list") + "?" + urlencode({"centre": centre.pk})
    return [
        CentreLink(label=_("Ringkasan inkubator"), url=reverse("incubator:centre_summary", args=[centre.pk]), order=40),
        CentreLink(label=_("Wirausaha binaan"), url=tenants, order=45),
    ]
