"""THE module that decides who may see and do what.

Roles become named permissions in one table (ROLE_PERMISSIONS). Each role assignment carries a
scope: national, a province, or a centre. Every query that returns centre data starts here:

    centres = access.centres_for(user, Perm.VIEW_REPORTS)
    reports = access.filter_by_scope(Report.objects.all(), user, Perm.VIEW_REPORTS, centre_field="centre")
    centre = access.get_centre_or_404(user, Perm.SUBMIT_REPORTS, pk)

Outside a user's scope the answer is 404, the same as for something that does not exist, so a
page never reveals that another centre's object exists.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from blkportal.core.errors import DomainError

from .models import Centre, Province, Role


class Perm:
    VIEW_CENTRE = "view_centre"
    MANAGE_CENTRES = "manage_centres"
    MANAGE_USERS = "manage_users"
    MANAGE_REFERENCE = "manage_reference"
    VIEW_REPORTS = "view_reports"
    EDIT_REPORTS = "edit_reports"
    SUBMIT_REPORTS = "submit_reports"
    REQUEST_CORRECTION = "request_correction"
    VERIFY_REPORTS = "verify_reports"
    APPROVE_REPORTS = "approve_reports"
    UNLOCK_REPORTS = "unlock_reports"
    COMMENT_REPORTS = "comment_reports"
    VIEW_OVERDUE = "view_overdue"
    VIEW_TENANTS = "view_tenants"
    MANAGE_TENANTS = "manage_tenants"
    LOG_MENTORING = "log_mentoring"
    # Monthly business progress of a tenant: the centre's managers and the mentors who accompany
    # the tenants (they see the business every month).
    RECORD_PROGRESS = "record_progress"
    VIEW_DASHBOARD = "view_dashboard"
    VIEW_RANKINGS = "view_rankings"
    MANAGE_RANKINGS = "manage_rankings"
    EXPORT_DATA = "export_data"
    PUBLISH_ANNOUNCEMENTS = "publish_announcements"
    SEND_MESSAGES = "send_messages"
    MANAGE_PRODUCTS = "manage_products"
    APPROVE_PRODUCTS = "approve_products"
    # Past monthly reports from a spreadsheet, counted as approved: administrators only (Perm.all()).
    IMPORT_HISTORY = "import_history"

    @classmethod
    def all(cls) -> frozenset[str]:
        return frozenset(v for k, v in vars(cls).items() if k.isupper())


P = Perm
# The one table from roles to permissions. A permission is exercised within the scope of the
# assignment that grants it.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.MANAGER: frozenset(
        {
            P.VIEW_CENTRE,
            P.VIEW_REPORTS,
            P.EDIT_REPORTS,
            P.SUBMIT_REPORTS,
            P.REQUEST_CORRECTION,
            P.COMMENT_REPORTS,
            P.VIEW_TENANTS,
            P.MANAGE_TENANTS,
            P.LOG_MENTORING,
            P.RECORD_PROGRESS,
            P.VIEW_DASHBOARD,
            P.VIEW_RANKINGS,
            P.EXPORT_DATA,
            P.SEND_MESSAGES,
            P.MANAGE_PRODUCTS,
        }
    ),
    Role.REVIEWER: frozenset(
        {
            P.VIEW_CENTRE,
            P.VIEW_REPORTS,
            P.VERIFY_REPORTS,
            P.COMMENT_REPORTS,
            P.VIEW_OVERDUE,
            P.VIEW_TENANTS,
            P.VIEW_DASHBOARD,
            P.VIEW_RANKINGS,
            P.EXPORT_DATA,
            P.SEND_MESSAGES,
            P.APPROVE_PRODUCTS,
        }
    ),
    Role.DIRECTORATE: frozenset(
        {
            P.VIEW_CENTRE,
            P.MANAGE_CENTRES,
            P.MANAGE_USERS,
            P.MANAGE_REFERENCE,
            P.VIEW_REPORTS,
            P.APPROVE_REPORTS,
            P.COMMENT_REPORTS,
            P.VIEW_OVERDUE,
            P.VIEW_TENANTS,
            P.VIEW_DASHBOARD,
            P.VIEW_RANKINGS,
            P.MANAGE_RANKINGS,
            P.EXPORT_DATA,
            P.PUBLISH_ANNOUNCEMENTS,
            P.SEND_MESSAGES,
            P.APPROVE_PRODUCTS,
        }
    ),
    Role.FKN: frozenset(
        {
            P.VIEW_CENTRE,
            P.VIEW_REPORTS,
            P.COMMENT_REPORTS,
            P.VIEW_TENANTS,
            P.VIEW_DASHBOARD,
            P.VIEW_RANKINGS,
            P.EXPORT_DATA,
            P.PUBLISH_ANNOUNCEMENTS,
        }
    ),
    Role.MENTOR: frozenset({P.VIEW_CENTRE, P.VIEW_TENANTS, P.LOG_MENTORING, P.MANAGE_PRODUCTS, P.RECORD_PROGRESS}),
    Role.ADMIN: Perm.all(),
}
# Only national FKN coordinators edit ranking schemes (issue: "editable by national FKN and
# directorate users"); a provincial coordinator only reads.
NATIONAL_ONLY_EXTRA: dict[str, frozenset[str]] = {Role.FKN: frozenset({P.MANAGE_RANKINGS})}


@dataclass(frozen=True)
class Scope:
    """Where one permission may be exercised: nationally, in provinces, in centres, or nowhere."""

    national: bool = False
    province_codes: frozenset[str] = field(default_factory=frozenset)
    centre_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def empty(self) -> bool:
        return not (self.national or self.province_codes or self.centre_ids)

    def q(self, centre_field: str = "centre") -> Q:
        """A filter for a model related to Centre through `centre_field` ("" for Centre itself)."""
        prefix = f"{centre_field}__" if centre_field else ""
        if self.national:
            return Q()
        if self.empty:
            return Q(pk__in=[])
        cond = Q(pk__in=[])
        if self.province_codes:
            cond |= Q(**{f"{prefix}province_id__in": sorted(self.province_codes)})
        if self.centre_ids:
            key = f"{centre_field}_id__in" if centre_field else "pk__in"
            cond |= Q(**{key: sorted(self.centre_ids)})
        return cond

    def covers_centre(self, centre: Centre) -> bool:
        return self.national or centre.pk in self.centre_ids or centre.province_id in self.province_codes

    def covers_province(self, code: str) -> bool:
        """The whole province `code` (e.g. a scope given on it): a scope of some of its centres does not."""
        return self.national or code in self.province_codes


def _grants(user) -> list[tuple[frozenset[str], str | None, int | None]]:
    """(permissions, province code, centre id) per assignment, cached on the user for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_blk_grants", None)
    if cached is not None:
        return cached
    grants, roles = [], set()
    for role, province_id, centre_id in user.role_assignments.values_list("role", "province_id", "centre_id"):
        roles.add(role)
        perms = ROLE_PERMISSIONS.get(role, frozenset())
        if province_id is None and centre_id is None:
            perms = perms | NATIONAL_ONLY_EXTRA.get(role, frozenset())
        grants.append((perms, province_id, centre_id))
    if user.is_superuser:
        grants.append((Perm.all(), None, None))
        roles.add(Role.ADMIN)
    user._blk_grants, user._blk_roles = grants, roles
    return grants


def forget(user) -> None:
    """Drop the cached grants (after roles change within one request or test)."""
    if hasattr(user, "_blk_grants"):
        del user._blk_grants
    if hasattr(user, "_blk_roles"):
        del user._blk_roles


def roles_of(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    if user.is_active:
        _grants(user)  # one query per request for roles and permissions alike
        cached = getattr(user, "_blk_roles", None)
        if cached is not None:
            return set(cached)
    roles = set(user.role_assignments.values_list("role", flat=True))
    if user.is_superuser:
        roles.add(Role.ADMIN)
    return roles


def is_admin(user) -> bool:
    """Administrators: superusers and holders of the admin role (only they may grant that role)."""
    return Role.ADMIN in roles_of(user)


def users_with_role(role: str, *, centre_id=None, province_id=None, centre_ids=None):
    """Active users holding `role` on a centre (or any of `centre_ids`) or a province: e-mail
    recipients and the like."""
    from .models import User

    lookup = {"role_assignments__role": role}
    if centre_id is not None:
        lookup["role_assignments__centre_id"] = centre_id
    if centre_ids is not None:
        lookup["role_assignments__centre_id__in"] = list(centre_ids)
    if province_id is not None:
        lookup["role_assignments__province_id"] = province_id
    return User.objects.filter(is_active=True, **lookup).distinct()


def role_holder_emails(role: str, *, centre_ids=None, province_ids=None):
    """(centre id or province code, e-mail) of every active holder of `role` on those centres (or
    provinces), in one query: e-mail recipients in bulk."""
    from .models import User

    key = "role_assignments__centre_id" if centre_ids is not None else "role_assignments__province_id"
    places = list(centre_ids if centre_ids is not None else province_ids)
    return (
        User.objects.filter(is_active=True, role_assignments__role=role, **{f"{key}__in": places})
        .exclude(email="")
        .values_list(key, "email")
    )


def scope_for(user, perm: str) -> Scope:
    national = False
    provinces: set[str] = set()
    centres: set[int] = set()
    for perms, province_id, centre_id in _grants(user):
        if perm not in perms:
            continue
        if centre_id is not None:
            centres.add(centre_id)
        elif province_id is not None:
            provinces.add(province_id)
        else:
            national = True
    if national:
        return Scope(national=True)
    return Scope(province_codes=frozenset(provinces), centre_ids=frozenset(centres))


def has_perm(user, perm: str) -> bool:
    return not scope_for(user, perm).empty


def is_national(user, perm: str) -> bool:
    return scope_for(user, perm).national


def require(user, perm: str) -> Scope:
    """The user's scope for `perm`, or 404 when they hold it nowhere."""
    scope = scope_for(user, perm)
    if scope.empty:
        raise Http404
    return scope


def filter_by_scope(qs: QuerySet, user, perm: str, centre_field: str = "centre") -> QuerySet:
    """Restrict any queryset of centre data to what `user` may see for `perm`."""
    return qs.filter(scope_for(user, perm).q(centre_field))


def centres_for(user, perm: str) -> QuerySet[Centre]:
    return Centre.objects.filter(scope_for(user, perm).q(""))


def provinces_for(user, perm: str) -> QuerySet[Province]:
    """Provinces the user may look at for `perm` (a centre's province counts for its manager)."""
    scope = scope_for(user, perm)
    if scope.national:
        return Province.objects.all()
    codes = set(scope.province_codes)
    if scope.centre_ids:
        codes |= set(Centre.objects.filter(pk__in=scope.centre_ids).values_list("province_id", flat=True))
    return Province.objects.filter(code__in=codes)


def get_centre_or_404(user, perm: str, pk) -> Centre:
    try:
        return centres_for(user, perm).select_related("regency", "province").get(pk=int(pk))
    except (Centre.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_object_or_404(qs: QuerySet, user, perm: str, centre_field: str = "centre", **lookup):
    """Fetch one object of centre data within the user's scope, else 404 (missing or forbidden alike)."""
    try:
        return filter_by_scope(qs, user, perm, centre_field).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def user_can_on_centre(user, perm: str, centre: Centre) -> bool:
    return scope_for(user, perm).covers_centre(centre)


def user_can_any_on_centre(user, perms, centre: Centre) -> bool:
    return any(user_can_on_centre(user, perm, centre) for perm in perms)


def check(by, perm: str | tuple[str, ...], centre: Centre | None = None, *, message: str | None = None) -> None:
    """What every writing service calls first: `by` (the acting user) must hold `perm` (or one of a
    tuple of permissions) on `centre`, or anywhere when no centre is concerned. A forged call is
    refused (DomainError, code "forbidden": the API answers 404, pages show the message), never
    obeyed. There is no "no user" bypass: a command acting as the system passes an administrator."""
    scopes = [scope_for(by, p) for p in ((perm,) if isinstance(perm, str) else perm)]
    if not any(not s.empty and (centre is None or s.covers_centre(centre)) for s in scopes):
        raise DomainError(message or _("Anda tidak berwenang melakukan tindakan ini."), code="forbidden")


def check_owner(by, owner) -> None:
    """Personal things (API tokens): only their active owner acts on them; anyone else is refused
    (DomainError, code "forbidden"), whatever their roles."""
    if not (getattr(by, "is_authenticated", False) and by.is_active and owner is not None and by.pk == owner.pk):
        raise DomainError(_("Anda tidak berwenang melakukan tindakan ini."), code="forbidden")


def perm_required(perm: str):
    """View decorator: log in first; then 404 unless the user holds `perm` somewhere."""

    def decorator(view):
        @login_required
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            require(request.user, perm)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
