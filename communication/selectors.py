"""Reads of the communication app. Everything that concerns centres starts from access."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from blkportal.registry import access
from blkportal.registry.access import Perm
from blkportal.registry.models import Centre, Role, RoleAssignment

from .models import Announcement, AnnouncementRead, Conversation, ConversationRead, Message, Product

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

# --- Announcements ---------------------------------------------------------------------------------


def audience_centres(announcement: Announcement) -> QuerySet[Centre]:
    """The centres an announcement is addressed to (active centres matching every filter)."""
    return audience_centres_for(
        all_provinces=announcement.all_provinces,
        province_codes=list(announcement.provinces.values_list("code", flat=True)),
        cohort_years=announcement.cohort_list,
        incubators_only=announcement.incubators_only,
    )


def audience_centres_for(*, all_provinces, province_codes, cohort_years, incubators_only) -> QuerySet[Centre]:
    qs = Centre.objects.filter(deactivated_on__isnull=True)
    if not all_provinces:
        qs = qs.filter(province_id__in=province_codes)
    if cohort_years:
        qs = qs.filter(cohort_year__in=cohort_years)
    if incubators_only:
        qs = qs.filter(is_incubator=True)
    return qs


def _audience_q(user) -> Q:
    """Announcements whose audience includes `user` through one of their role assignments."""
    cond = Q(pk__in=[])
    assignments = RoleAssignment.objects.filter(user=user).select_related("centre")
    for a in assignments:
        role_q = Q(roles__contains=f",{a.role},")
        if a.centre_id is not None:
            c = a.centre
            if c.deactivated_on is not None:
                continue
            cond |= (
                role_q
                & (Q(all_provinces=True) | Q(provinces=c.province_id))
                & (Q(cohort_years="") | Q(cohort_years__contains=f",{c.cohort_year},"))
                & (Q(incubators_only=False) | Q(incubators_only=c.is_incubator))
            )
        elif a.province_id is not None:
            cond |= role_q & (Q(all_provinces=True) | Q(provinces=a.province_id))
        else:
            cond |= role_q
    return cond


def live_q(now=None) -> Q:
    now = now or timezone.now()
    return Q(publish_at__lte=now) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def announcements_for(user, now=None) -> QuerySet[Announcement]:
    """Live announcements addressed to `user`, newest first, with `is_read`."""
    if not getattr(user, "is_authenticated", False):
        return Announcement.objects.none()
    ids = Announcement.objects.filter(_audience_q(user)).values("pk")
    return (
        Announcement.objects.filter(live_q(now), pk__in=ids)
        .select_related("author")
        .annotate(is_read=Exists(AnnouncementRead.objects.filter(announcement=OuterRef("pk"), user=user)))
    )


def unread_announcements(user, now=None) -> QuerySet[Announcement]:
    return announcements_for(user, now).filter(is_read=False)


def authored_scope_q(user) -> Q:
    """Announcements a publisher may manage: national publishers all, provincial ones those they wrote."""
    scope = access.scope_for(user, Perm.PUBLISH_ANNOUNCEMENTS)
    if scope.national:
        return Q()
    if scope.empty:
        return Q(pk__in=[])
    return Q(author=user)


def managed_announcements(user) -> QuerySet[Announcement]:
    return Announcement.objects.filter(authored_scope_q(user)).select_related("author")


def announcement_for_reader_or_404(user, pk) -> Announcement:
    """An announcement the user receives or manages; 404 otherwise."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    found = announcements_for(user).filter(pk=pk).first()
    if found is None:
        found = managed_announcements(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def can_manage(user, announcement: Announcement) -> bool:
    return managed_announcements(user).filter(pk=announcement.pk).exists()


def read_stats(announcement: Announcement) -> dict:
    """Per province: centres in the audience and centres where someone addressed has read it; and the
    centres that have not read it yet."""
    centres = audience_centres(announcement)
    readers = AnnouncementRead.objects.filter(announcement=announcement).values("user_id")
    read_centre_ids = RoleAssignment.objects.filter(
        user_id__in=readers, centre__isnull=False, role__in=announcement.role_list
    ).values("centre_id")
    rows = list(
        centres.values("province_id", province_name=F("province__name"))
        .annotate(total=Count("pk"), read=Count("pk", filter=Q(pk__in=read_centre_ids)))
        .order_by("province_id")
    )
    unread = centres.exclude(pk__in=read_centre_ids).select_related("province").order_by("province_id", "name")
    return {
        "provinces": rows,
        "total": sum(r["total"] for r in rows),
        "read": sum(r["read"] for r in rows),
        "readers": AnnouncementRead.objects.filter(announcement=announcement).count(),
        "unread_centres": unread,
    }


def recipients(announcement: Announcement):
    """Active users addressed by the announcement (for e-mail)."""
    from blkportal.registry.models import User

    centres = audience_centres(announcement)
    roles = announcement.role_list
    centre_roles = [r for r in roles if r in (Role.MANAGER, Role.MENTOR)]
    area_roles = [r for r in roles if r in (Role.REVIEWER, Role.FKN)]
    cond = Q(pk__in=[])
    if centre_roles:
        cond |= Q(role_assignments__role__in=centre_roles, role_assignments__centre__in=centres.values("pk"))
    if area_roles:
        provinces = centres.values("province_id")
        cond |= Q(role_assignments__role__in=area_roles, role_assignments__province_id__in=provinces)
        if Role.FKN in area_roles:
            cond |= Q(
                role_assignments__role=Role.FKN,
                role_assignments__province__isnull=True,
                role_assignments__centre__isnull=True,
            )
    return User.objects.filter(cond, is_active=True).exclude(email="").distinct()


# --- Conversations ---------------------------------------------------------------------------------


def conversations_for(user) -> QuerySet[Conversation]:
    """Conversations of centres in the user's SEND_MESSAGES scope; those with the directorate only for
    the centre's side and national users (a provincial reviewer does not see them)."""
    scope = access.scope_for(user, Perm.SEND_MESSAGES)
    qs = Conversation.objects.filter(scope.q("centre"))
    if not scope.national:
        qs = qs.filter(Q(counterpart=Conversation.With.REVIEWERS) | Q(centre_id__in=sorted(scope.centre_ids)))
    return qs


def with_unread(qs: QuerySet[Conversation], user) -> QuerySet[Conversation]:
    """Annotate `unread`: a message by someone else after the user last opened the conversation."""
    read_at = ConversationRead.objects.filter(conversation=OuterRef("pk"), user=user).values("read_at")[:1]
    newer = Message.objects.filter(conversation=OuterRef("pk")).exclude(author=user)
    return qs.annotate(read_at=Subquery(read_at)).annotate(
        unread=Exists(newer.filter(created_at__gt=Coalesce(OuterRef("read_at"), Value(EPOCH))))
    )


UNREAD_VERSION_KEY = "communication:messages:version"
UNREAD_SECONDS = 120


def unread_count(user) -> int:
    """Conversations with news for the user (for the navigation on every page): kept in the cache
    under a version that every new message and every read bumps, so a page costs no query for it."""
    if not access.has_perm(user, Perm.SEND_MESSAGES):
        return 0
    key = f"communication:unread:{cache.get_or_set(UNREAD_VERSION_KEY, 1, None)}:{user.pk}"
    count = cache.get(key)
    if count is None:
        count = with_unread(conversations_for(user), user).filter(unread=True).count()
        cache.set(key, count, UNREAD_SECONDS)
    return count


def bump_unread_version() -> None:
    try:
        cache.incr(UNREAD_VERSION_KEY)
    except ValueError:
        cache.set(UNREAD_VERSION_KEY, 2, None)


def conversation_or_404(user, pk) -> Conversation:
    try:
        return conversations_for(user).select_related("centre__province", "report").get(pk=int(pk))
    except (Conversation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def report_threads_for(user, limit=20):
    """Reports of the user's centres that have comments (the existing report comment threads)."""
    from reporting.models import Report, ReportComment

    scope = access.scope_for(user, Perm.COMMENT_REPORTS)
    if scope.empty:
        return []
    latest = ReportComment.objects.filter(report=OuterRef("pk")).order_by("-created_at", "-pk")
    return list(
        access.filter_by_scope(Report.objects.all(), user, Perm.COMMENT_REPORTS)
        .filter(comments__isnull=False)
        .annotate(last_comment_at=Subquery(latest.values("created_at")[:1]), comment_count=Count("comments"))
        .select_related("centre")
        .order_by("-last_comment_at")[:limit]
    )


# --- Products --------------------------------------------------------------------------------------


def public_products() -> QuerySet[Product]:
    """Only approved products with recorded consent, of active centres."""
    return Product.objects.filter(
        status=Product.Status.APPROVED, consent_at__isnull=False, centre__deactivated_on__isnull=True
    ).select_related("centre__province", "kejuruan")


def public_product_or_404(pk) -> Product:
    try:
        return public_products().prefetch_related("photos").get(pk=int(pk))
    except (Product.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def products_for(user, perm: str = Perm.MANAGE_PRODUCTS) -> QuerySet[Product]:
    return access.filter_by_scope(Product.objects.all(), user, perm).select_related("centre", "tenant")


def product_or_404(user, pk, perm: str = Perm.MANAGE_PRODUCTS) -> Product:
    return access.get_object_or_404(
        Product.objects.select_related("centre__province", "tenant").prefetch_related("photos"), user, perm, pk=pk
    )


def review_queue(user) -> QuerySet[Product]:
    return products_for(user, Perm.APPROVE_PRODUCTS).filter(status=Product.Status.PENDING)


def can_message(user) -> bool:
    return access.has_perm(user, Perm.SEND_MESSAGES)
