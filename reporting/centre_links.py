"""Links on the registry's centre page (a CENTRE_LINKS contribution): the centre's reports and training batches."""

from django.urls import reverse
from django.utils.translation import gettext as _

from blkportal.core.contributions import CENTRE_LINKS, CentreLink
from blkportal.registry import access
from blkportal.registry.access import Perm


@CENTRE_LINKS.provider
def links(user, centre):
    if not access.user_can_on_centre(user, Perm.VIEW_REPORTS, centre):
        return []
    return [
        CentreLink(label=_("Laporan bulanan"), url=reverse("reporting:centre_reports", args=[centre.pk]), order=20),
        CentreLink(label=_("Angkatan pelatihan"), url=reverse("reporting:batch_list", args=[centre.pk]), order=25),
    ]
