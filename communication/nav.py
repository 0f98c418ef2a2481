from django.urls import reverse
from django.utils.translation import gettext as _

from blkportal.core.contributions import NAV, NavItem
from blkportal.registry import access
from blkportal.registry.access import Perm

from . import selectors


@NAV.provider
def items(user):
    """Announcements for everyone signed in; messages with the unread count; produk unggulan."""
    result = [NavItem(label=_("Pengumuman"), url=reverse("communication:announcement_list"), order=80, menu="user")]
    if selectors.can_message(user):
        n = selectors.unread_count(user)
        label = _("Pesan (%(n)s)") % {"n": n} if n else _("Pesan")
        result.append(NavItem(label=label, url=reverse("communication:conversation_list"), order=81))
    if access.has_perm(user, Perm.MANAGE_PRODUCTS) or access.has_perm(user, Perm.APPROVE_PRODUCTS):
        result.append(
            NavItem(label=_("Produk unggulan"), url=reverse("communication:product_list"), order=82, menu="user")
        )
    return result
