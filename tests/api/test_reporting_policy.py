"""reporting.policy answers "what may this user do to this report" for the pages and the API alike."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from blkportal.core.errors import DomainError
from reporting import services
from reporting.policy import report_actions
from tests.factories import UserFactory, give_role
from tests.reporting.conftest import fill

pytestmark = pytest.mark.django_db

PERSONAS = ["manager_a", "manager_b", "reviewer", "directorate", "fkn", "mentor_a", "admin"]
REASON = "Angka alumni belum sesuai daftar hadir."


@pytest.fixture
def report(world, time_machine):
    """Centre A's October 2026 report, submitted on 5 November (open, before the deadline)."""
    time_machine.move_to(dt.datetime(2026, 11, 5, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta")))
    draft = services.report_get_or_create_draft(centre=world.centre_a, period=dt.date(2026, 10, 1), by=world.manager_a)
    return services.report_submit(report=fill(draft, world.manager_a), by=world.manager_a).report


def offered(actions) -> set[str]:
    return {name for name, allowed in vars(actions).items() if allowed}


def test_who_may_do_what_to_a_submitted_then_verified_report(report, world):
    table = {p: offered(report_actions(world.users[p], report)) for p in PERSONAS}
    assert table["manager_a"] == {"comment"}
    assert table["manager_b"] == table["mentor_a"] == set()
    assert table["reviewer"] == {"verify", "send_back", "comment"}
    assert table["directorate"] == table["fkn"] == {"comment"}
    assert {"verify", "send_back"} <= table["admin"]
    verified = services.report_verify(report=report, by=world.reviewer)
    assert offered(report_actions(world.directorate, verified)) == {"approve", "send_back", "comment"}
    assert offered(report_actions(world.reviewer, verified)) == {"comment"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_page_sends_back_exactly_when_the_policy_offers_it(report, world, client_for, persona):
    offered_ = report_actions(world.users[persona], report).send_back
    client_for(persona).post(reverse("reporting:report_return", args=[report.pk]), {"reason": REASON})
    report.refresh_from_db()
    assert (report.status == "returned") is offered_


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_sends_back_exactly_when_the_policy_offers_it(report, world, api_for, persona):
    offered_ = report_actions(world.users[persona], report).send_back
    response = api_for(persona).post(f"/api/v1/reports/{report.pk}/return/", {"reason": REASON})
    assert response.status_code == (200 if offered_ else 404)
    report.refresh_from_db()
    assert (report.status == "returned") is offered_


def test_a_forged_verify_outside_the_reviewers_province_is_refused(report):
    outsider = UserFactory(username="reviewer_jatim")
    give_role(outsider, "reviewer", province="35")
    with pytest.raises(DomainError) as info:
        services.report_verify(report=report, by=outsider)
    assert info.value.code == "forbidden"
    report.refresh_from_db()
    assert report.status == "submitted"
