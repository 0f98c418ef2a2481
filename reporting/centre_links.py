"""Links on the registry's centre page (blkportal/plugins.py): the centre's reports and training batches."""

from django.urls import reverse
from django.utils.translation import gettext as _

from blkportal.registry import access
from blkportal.registry.access import Perm


def links(user, centre):
    if not access.user_can_on_centre(user, Perm.VIEW_REPORTS, centre):
        return []
    return [
        {"label": _("Laporan bulanan"), "url": reverse("reporting:centre_reports", args=[centre.pk]), "order": 20},
        {"label": _("Angkatan pelatihan"), "url": reverse("reporting:batch_list", args=[centre.pk]), "order": 25},
    ]
