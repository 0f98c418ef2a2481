from django.utils.translation import gettext as _

from . import selectors


def panels(request):
    """Home panel: live announcements addressed to the user that they have not marked read."""
    unread = list(selectors.unread_announcements(request.user)[:5])
    if not unread:
        return []
    return [
        {
            "template": "communication/_home_panel.html",
            "order": 5,
            "wide": True,
            "context": {"title": _("Pengumuman"), "announcements": unread},
        }
    ]
