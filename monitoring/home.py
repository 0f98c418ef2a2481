"""Home panel for users who watch more than one centre: headline rates of the latest closed month
(with numerator and denominator) and links to the dashboards. One aggregate query."""

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _

from blkportal.core import dbrouting
from blkportal.core.contributions import HOME, Panel
from blkportal.registry import access
from blkportal.registry.access import Perm

from . import facts, indicators, selectors


@HOME.provider
def panels(request):
    user = request.user
    scope = access.scope_for(user, Perm.VIEW_DASHBOARD)
    if scope.empty or selectors.single_centre(user) is not None:
        return []
    month = selectors.latest_closed_month()
    version = facts.version()
    key = f"monitoring:home:{version}:{month:%Y-%m}:{sorted(scope.province_codes)}:{sorted(scope.centre_ids)}"
    if scope.national:
        key = f"monitoring:home:{version}:{month:%Y-%m}:national"
    seconds = selectors.cache_seconds()
    row = cache.get(key) if seconds else None
    if row is None:
        # From the read replica when there is one (as the dashboards: blkportal.core.dbrouting).
        row = dbrouting.read_from_replica(
            lambda: indicators.aggregate(selectors.facts_for(user).filter(month=month), codes=indicators.REPORTING)[0],
            request=request,
            at_least=facts.version_lsn(version) if seconds else None,
        )
        if seconds:
            cache.set(key, row, seconds)
    figures = indicators.evaluate(row, indicators.REPORTING)
    query = f"?month={month:%Y-%m}"
    return [
        Panel(
            template="monitoring/_home_panel.html",
            order=20,
            context={
                "title": _("Pemantauan nasional") if scope.national else _("Pemantauan wilayah"),
                "month": month,
                "figures": [figures[code] for code in indicators.REPORTING],
                "dashboard_url": reverse("monitoring:dashboard") + query,
                "ranking_url": reverse("monitoring:ranking_list") if access.has_perm(user, Perm.VIEW_RANKINGS) else "",
                "provinces": list(access.provinces_for(user, Perm.VIEW_DASHBOARD)[:6]) if not scope.national else [],
                "query": query,
            },
        )
    ]
