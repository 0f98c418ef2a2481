from django.urls import reverse
from django.utils.translation import gettext as _

from . import selectors


def items(user):
    """ "Pesan" with the number of unread conversations, and "Pengumuman" for everyone signed in."""
    result = [{"label": _("Pengumuman"), "url": reverse("communication:announcement_list"), "order": 80}]
    if selectors.can_message(user):
        n = selectors.unread_count(user)
        label = _("Pesan (%(n)s)") % {"n": n} if n else _("Pesan")
        result.append({"label": label, "url": reverse("communication:conversation_list"), "order": 81})
    return result
