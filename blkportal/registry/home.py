from django.utils.translation import gettext as _

from blkportal.core.contributions import HOME, Panel

from . import access
from .access import Perm


@HOME.provider
def panels(request):
    """Home panel: the centres this user works for (managers, mentors) or their area."""
    user = request.user
    centres = list(access.centres_for(user, Perm.VIEW_CENTRE).select_related("province")[:6])
    scope = access.scope_for(user, Perm.VIEW_CENTRE)
    return [
        Panel(
            template="registry/_home_panel.html",
            order=50,
            context={
                "title": _("Cakupan Anda"),
                "centres": centres if not scope.national else [],
                "national": scope.national,
                "provinces": sorted(scope.province_codes),
                "provinces_obj": access.provinces_for(user, Perm.VIEW_CENTRE)[:10] if scope.province_codes else [],
                "more": access.centres_for(user, Perm.VIEW_CENTRE).count() > 6 and not scope.national,
            },
        )
    ]
