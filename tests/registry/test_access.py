"""access.py: roles become permissions, each within the scope of the assignment that grants it."""

import pytest
from django.http import Http404

from blkportal.registry import access
from blkportal.registry.access import Perm, Scope
from blkportal.registry.models import Centre, Role, RoleAssignment
from tests.factories import CentreFactory, UserFactory, give_role

pytestmark = pytest.mark.django_db


def visible(user, perm=Perm.VIEW_CENTRE):
    return set(access.centres_for(user, perm).values_list("reg_code", flat=True))


def test_manager_sees_only_own_centre(world):
    assert visible(world.manager_a) == {"BLKK-A"}
    assert visible(world.manager_b) == {"BLKK-B"}
    scope = access.scope_for(world.manager_a, Perm.SUBMIT_REPORTS)
    assert scope == Scope(centre_ids=frozenset({world.centre_a.pk}))


def test_reviewer_sees_own_province_only(world):
    extra = CentreFactory(reg_code="BLKK-A2")  # factory default regency 32.04 = Jawa Barat
    assert visible(world.reviewer) == {"BLKK-A", "BLKK-A2"}
    scope = access.scope_for(world.reviewer, Perm.VERIFY_REPORTS)
    assert scope.province_codes == {"32"} and not scope.national and not scope.centre_ids
    assert access.user_can_on_centre(world.reviewer, Perm.VERIFY_REPORTS, extra)
    assert not access.user_can_on_centre(world.reviewer, Perm.VERIFY_REPORTS, world.centre_b)


@pytest.mark.parametrize("persona", ["directorate", "fkn", "admin"])
def test_national_roles_see_every_centre(world, persona):
    assert visible(world.users[persona]) == {"BLKK-A", "BLKK-B", "BLKK-C"}
    assert access.is_national(world.users[persona], Perm.VIEW_CENTRE)


def test_role_permissions_follow_the_table(world):
    # A manager files reports but does not verify or approve them.
    assert access.has_perm(world.manager_a, Perm.SUBMIT_REPORTS)
    assert not access.has_perm(world.manager_a, Perm.VERIFY_REPORTS)
    assert not access.has_perm(world.manager_a, Perm.MANAGE_CENTRES)
    # A reviewer verifies, does not approve.
    assert access.has_perm(world.reviewer, Perm.VERIFY_REPORTS)
    assert not access.has_perm(world.reviewer, Perm.APPROVE_REPORTS)
    # Directorate approves and manages centres and users; a mentor only logs mentoring.
    assert access.has_perm(world.directorate, Perm.APPROVE_REPORTS)
    assert access.has_perm(world.directorate, Perm.MANAGE_USERS)
    assert access.has_perm(world.mentor_a, Perm.LOG_MENTORING)
    assert not access.has_perm(world.mentor_a, Perm.VIEW_REPORTS)
    assert not access.has_perm(world.norole, Perm.VIEW_CENTRE)
    assert access.scope_for(world.admin, Perm.UNLOCK_REPORTS).national


def test_fkn_manage_rankings_national_only(world):
    assert access.is_national(world.fkn, Perm.MANAGE_RANKINGS)
    # The provincial coordinator reads rankings in its province but may not edit schemes anywhere.
    assert access.scope_for(world.fkn_jabar, Perm.VIEW_RANKINGS).province_codes == {"32"}
    assert not access.has_perm(world.fkn_jabar, Perm.MANAGE_RANKINGS)
    assert visible(world.fkn_jabar) == {"BLKK-A"}


def test_several_roles_add_up(world):
    give_role(world.manager_a, Role.MANAGER, centre=world.centre_b)
    give_role(world.manager_a, Role.REVIEWER, province="94")
    access.forget(world.manager_a)
    assert visible(world.manager_a) == {"BLKK-A", "BLKK-B", "BLKK-C"}
    # A permission only the reviewer role carries stays within the reviewer's province.
    assert set(access.centres_for(world.manager_a, Perm.VERIFY_REPORTS)) == {world.centre_c}
    assert access.roles_of(world.manager_a) == {Role.MANAGER, Role.REVIEWER}


def test_superuser_without_assignments_is_national(world):
    boss = UserFactory(username="boss", is_superuser=True)
    assert access.is_national(boss, Perm.MANAGE_CENTRES)
    assert visible(boss) == {"BLKK-A", "BLKK-B", "BLKK-C"}
    assert Role.ADMIN in access.roles_of(boss)


def test_inactive_user_gets_nothing(world):
    world.directorate.is_active = False
    world.directorate.save()
    access.forget(world.directorate)
    for perm in Perm.all():
        assert access.scope_for(world.directorate, perm).empty
    assert visible(world.directorate) == set()
    inactive_boss = UserFactory(username="oldboss", is_superuser=True, is_active=False)
    assert access.scope_for(inactive_boss, Perm.MANAGE_CENTRES).empty


def test_anonymous_gets_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert visible(AnonymousUser()) == set()
    assert access.roles_of(AnonymousUser()) == set()
    with pytest.raises(Http404):
        access.require(AnonymousUser(), Perm.VIEW_CENTRE)


def test_filter_by_scope_with_centre_field(world):
    # RoleAssignment relates to Centre through "centre": a handy stand-in for any centre data.
    qs = RoleAssignment.objects.filter(centre__isnull=False)
    mine = access.filter_by_scope(qs, world.manager_a, Perm.VIEW_CENTRE, centre_field="centre")
    assert {a.centre_id for a in mine} == {world.centre_a.pk}
    province = access.filter_by_scope(qs, world.reviewer, Perm.VIEW_CENTRE, centre_field="centre")
    assert {a.centre_id for a in province} == {world.centre_a.pk}
    everything = access.filter_by_scope(qs, world.directorate, Perm.VIEW_CENTRE, centre_field="centre")
    assert everything.count() == qs.count()
    assert not access.filter_by_scope(qs, world.norole, Perm.VIEW_CENTRE).exists()
    # Centre itself: centre_field="".
    own = access.filter_by_scope(Centre.objects.all(), world.manager_b, Perm.VIEW_CENTRE, centre_field="")
    assert list(own) == [world.centre_b]


def test_get_centre_or_404(world):
    assert access.get_centre_or_404(world.manager_a, Perm.VIEW_CENTRE, world.centre_a.pk) == world.centre_a
    for pk in [world.centre_b.pk, 999999, "abc", None, -1]:
        with pytest.raises(Http404):
            access.get_centre_or_404(world.manager_a, Perm.VIEW_CENTRE, pk)
    # Holding a permission somewhere does not grant it on every centre.
    with pytest.raises(Http404):
        access.get_centre_or_404(world.reviewer, Perm.VIEW_CENTRE, world.centre_b.pk)


def test_get_object_or_404_scoped(world):
    qs = RoleAssignment.objects.all()
    own = world.manager_a.role_assignments.get()
    other = world.manager_b.role_assignments.get()
    assert access.get_object_or_404(qs, world.manager_a, Perm.VIEW_CENTRE, pk=own.pk) == own
    with pytest.raises(Http404):
        access.get_object_or_404(qs, world.manager_a, Perm.VIEW_CENTRE, pk=other.pk)
    with pytest.raises(Http404):
        access.get_object_or_404(qs, world.manager_a, Perm.VIEW_CENTRE, pk="x")


def test_provinces_for(world):
    assert set(access.provinces_for(world.manager_c, Perm.VIEW_CENTRE).values_list("code", flat=True)) == {"94"}
    assert set(access.provinces_for(world.reviewer, Perm.VIEW_CENTRE).values_list("code", flat=True)) == {"32"}
    assert access.provinces_for(world.directorate, Perm.VIEW_CENTRE).count() == 38
    assert not access.provinces_for(world.norole, Perm.VIEW_CENTRE).exists()


def test_grants_are_cached_and_forget_refreshes(world, django_assert_num_queries):
    user = world.manager_b
    access.forget(user)
    with django_assert_num_queries(1):
        access.scope_for(user, Perm.VIEW_CENTRE)
        access.scope_for(user, Perm.SUBMIT_REPORTS)
    RoleAssignment.objects.filter(user=user).delete()
    assert not access.scope_for(user, Perm.VIEW_CENTRE).empty  # still cached within the request
    access.forget(user)
    assert access.scope_for(user, Perm.VIEW_CENTRE).empty


def test_a_province_is_covered_nationally_or_by_a_scope_on_it_not_by_one_of_its_centres(world):
    assert Scope(national=True).covers_province("94")
    reviewer = access.scope_for(world.reviewer, Perm.VERIFY_REPORTS)
    assert reviewer.covers_province("32") and not reviewer.covers_province("94")
    # A manager of a centre in Jawa Barat does not hold the whole province.
    assert not access.scope_for(world.manager_a, Perm.SUBMIT_REPORTS).covers_province(world.centre_a.province_id)
    assert not Scope().covers_province("32")
