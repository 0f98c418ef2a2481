from django.utils.translation import gettext as _

from blkportal.core.contributions import HOME, Panel

from . import selectors


@HOME.provider
def panels(request):
    """Live announcements addressed to the user that they have not marked read."""
    unread = list(selectors.unread_announcements(request.user)[:5])
    if not unread:
        return []
    return [
        Panel(
            template="communication/_home_panel.html",
            order=5,
            wide=True,
            context={"title": _("Pengumuman"), "announcements": unread},
        )
    ]
