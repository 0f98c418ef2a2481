"""Reads for the registry. Each starts from access."""

from django.db.models import Prefetch, Q, QuerySet

from blkportal.core.forms import compact

from . import access
from .access import Perm
from .filters import CentreFilter
from .models import Centre, Kejuruan, Role, RoleAssignment, User


def centre_list(*, user, params=None) -> tuple[CentreFilter, QuerySet[Centre]]:
    """Centres the user may see, filtered by `params`; returns the bound FilterSet and its queryset."""
    base = access.centres_for(user, Perm.VIEW_CENTRE).select_related("regency", "province")
    filterset = CentreFilter(params if params is not None else {}, queryset=base)
    # Only the provinces the user may look at (a reviewer sees theirs, not 38).
    filterset.filters["province"].queryset = access.provinces_for(user, Perm.VIEW_CENTRE)
    compact(filterset.form)
    if not filterset.is_valid():
        return filterset, base.none()
    qs = filterset.qs
    # Name and pk break ties, so pages do not overlap when many centres share a year or province.
    return filterset, qs.order_by(*qs.query.order_by, "name", "pk")


def centre_detail(*, user, pk) -> Centre:
    centre = access.get_centre_or_404(user, Perm.VIEW_CENTRE, pk)
    return centre


def centre_kejuruan(*, centre: Centre) -> QuerySet[Kejuruan]:
    return centre.kejuruan.all()


def centre_managers(*, centre: Centre) -> QuerySet[User]:
    return access.users_with_role(Role.MANAGER, centre_id=centre.pk)


def user_list(*, search: str = "") -> QuerySet[User]:
    qs = User.objects.prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("centre", "province"))
    ).order_by("username")
    if search:
        qs = qs.filter(Q(username__icontains=search) | Q(full_name__icontains=search) | Q(email__icontains=search))
    return qs
