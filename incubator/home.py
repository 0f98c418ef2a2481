from django.utils.translation import gettext as _

from blkportal.core.contributions import HOME, Panel
from blkportal.core.months import today
from blkportal.registry import access
from blkportal.registry.access import Perm

from . import indicators, selectors


@HOME.provider
def panels(request):
    """Home panel: active tenants against the target of ten per incubator centre in the user's scope.

    Only today's figures, from the current stage (no history subqueries), so the home page stays cheap."""
    user = request.user
    if not access.has_perm(user, Perm.VIEW_TENANTS):
        return []
    centres = selectors.incubator_centres(user=user)
    centre_list = list(centres.order_by("name")[:6])
    if not centre_list:
        return []
    tenants = selectors.tenants_for(user).filter(centre__in=centres.values("pk"))
    as_of = today()
    counts = indicators.active_by_centre(tenants=tenants, as_of=as_of)
    centre_count = centres.count()
    active = indicators.Ratio(sum(counts.values()), indicators.TARGET_PER_CENTRE * centre_count)
    rows = [{"centre": c, "active": counts.get(c.pk, 0)} for c in centre_list]
    return [
        Panel(
            template="incubator/_home_panel.html",
            order=60,
            context={
                "title": _("Inkubator wirausaha"),
                "active": active,
                "centre_count": centre_count,
                "rows": rows if centre_count <= 6 else [],
                "can_log": access.has_perm(user, Perm.LOG_MENTORING),
            },
        )
    ]
