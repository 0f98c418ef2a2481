"""Links on the registry's centre page (a CENTRE_LINKS contribution): the centre's dashboard and,
when the centre is in a ranking, why it has its rank (latest snapshot of the scheme the ranking page opens)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from blkportal.core.contributions import CENTRE_LINKS, CentreLink
from blkportal.registry import access
from blkportal.registry.access import Perm

from .models import RankingEntry


@CENTRE_LINKS.provider
def links(user, centre):
    result = []
    if access.user_can_on_centre(user, Perm.VIEW_DASHBOARD, centre):
        result.append(
            CentreLink(label=_("Dasbor BLK"), url=reverse("monitoring:dashboard_centre", args=[centre.pk]), order=60)
        )
    if access.user_can_on_centre(user, Perm.VIEW_RANKINGS, centre):
        snapshot_id = (
            RankingEntry.objects.filter(centre=centre, snapshot__version__scheme__is_active=True)
            .order_by(
                "-snapshot__version__scheme__is_default",
                "snapshot__version__scheme__name",
                "-snapshot__period",
                "-snapshot__version__number",
                "-snapshot__frozen",
            )
            .values_list("snapshot_id", flat=True)
            .first()
        )
        if snapshot_id is not None:
            url = reverse("monitoring:ranking_why", args=[snapshot_id, centre.pk])
            result.append(CentreLink(label=_("Mengapa peringkat ini?"), url=url, order=65))
    return result
