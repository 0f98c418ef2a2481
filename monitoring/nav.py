from django.urls import reverse
from django.utils.translation import gettext as _

from blkportal.registry import access
from blkportal.registry.access import Perm


def items(user):
    result = []
    if access.has_perm(user, Perm.VIEW_DASHBOARD):
        result.append({"label": _("Dasbor"), "url": reverse("monitoring:dashboard"), "order": 60})
    if access.has_perm(user, Perm.VIEW_RANKINGS):
        result.append({"label": _("Peringkat"), "url": reverse("monitoring:ranking_list"), "order": 65})
    if access.has_perm(user, Perm.EXPORT_DATA):
        result.append({"label": _("Ekspor"), "url": reverse("monitoring:export_list"), "order": 70})
    return result
