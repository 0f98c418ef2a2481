from django.urls import reverse
from django.utils.translation import gettext as _

from . import access
from .access import Perm


def items(user):
    result = []
    if access.has_perm(user, Perm.VIEW_CENTRE):
        result.append({"label": _("Registri BLK"), "url": reverse("registry:centre_list"), "order": 10})
    if access.has_perm(user, Perm.MANAGE_USERS):
        result.append({"label": _("Pengguna"), "url": reverse("registry:user_list"), "order": 90})
    return result
