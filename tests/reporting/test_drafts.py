import datetime as dt

import pytest
from django.utils import timezone

from blkportal.core.errors import DomainError
from blkportal.core.months import add_months, first_of_month
from reporting import services
from reporting.models import Report
from reporting.services._common import DRAFT_HISTORY_SESSION
from tests.factories import Role, UserFactory, give_role
from tests.reporting.conftest import VALID, fill


def test_draft_is_created_once_per_centre_and_month(world, last_month):
    first = services.report_get_or_create_draft(centre=world.centre_a, period=last_month, by=world.manager_a)
    again = services.report_get_or_create_draft(centre=world.centre_a, period=last_month, by=world.manager_a)
    assert first.pk == again.pk
    assert first.status == Report.Status.DRAFT
    assert Report.objects.filter(centre=world.centre_a).count() == 1


def test_future_month_is_not_open(world):
    future = add_months(first_of_month(timezone.localdate()), 1)
    with pytest.raises(DomainError, match="belum dibuka"):
        services.report_get_or_create_draft(centre=world.centre_a, period=future, by=world.manager_a)
    assert not Report.objects.exists()


def test_month_outside_the_centres_active_dates_is_refused(world):
    with pytest.raises(DomainError, match="tidak aktif"):
        services.report_get_or_create_draft(centre=world.centre_b, period=dt.date(2020, 6, 1), by=world.manager_b)


def test_period_must_be_a_first_of_month(world):
    with pytest.raises(DomainError, match="tidak valid"):
        services.report_get_or_create_draft(centre=world.centre_a, period=dt.date(2024, 5, 15), by=world.manager_a)


@pytest.mark.parametrize("persona", ["manager_b", "reviewer", "directorate", "fkn", "mentor_a", "norole"])
def test_only_the_centres_manager_opens_a_draft(world, last_month, persona):
    with pytest.raises(DomainError) as exc:
        services.report_get_or_create_draft(centre=world.centre_a, period=last_month, by=world.users[persona])
    assert exc.value.code == "forbidden"


def test_a_new_draft_starts_from_last_months_stock_values(world, last_month, filled):
    later = services.report_get_or_create_draft(
        centre=world.centre_a, period=add_months(last_month, 1), by=world.manager_a
    )
    assert later.alumni_bekerja == VALID["alumni_bekerja"]
    assert later.permit_number == VALID["permit_number"]
    assert later.operating_cost is None  # money is monthly, never carried over


def test_save_draft_saves_and_bumps_the_version(draft, world):
    saved = services.report_save_draft(
        report=draft, by=world.manager_a, data={"alumni_bekerja": 7, "notes": "Baik"}, expected_version=draft.version
    )
    fresh = Report.objects.get(pk=draft.pk)
    assert (fresh.alumni_bekerja, fresh.notes, fresh.version) == (7, "Baik", draft.version + 1)
    assert saved.version == fresh.version
    # Saving the same values again changes nothing, not even the version.
    services.report_save_draft(report=fresh, by=world.manager_a, data={"alumni_bekerja": 7}, expected_version=2)
    assert Report.objects.get(pk=draft.pk).version == 2


def test_a_stale_save_is_refused_and_the_first_save_is_kept(draft, world):
    v = draft.version
    services.report_save_draft(report=draft, by=world.manager_a, data={"alumni_bekerja": 7}, expected_version=v)
    with pytest.raises(DomainError) as exc:
        services.report_save_draft(report=draft, by=world.manager_a, data={"alumni_bekerja": 99}, expected_version=v)
    assert exc.value.code == "stale"
    assert "sudah diubah" in exc.value.message
    assert Report.objects.get(pk=draft.pk).alumni_bekerja == 7


@pytest.mark.parametrize("version", [None, "", "abc", "-1"])
def test_a_missing_or_forged_version_is_refused(draft, world, version):
    with pytest.raises(DomainError):
        services.report_save_draft(
            report=draft, by=world.manager_a, data={"alumni_bekerja": 1}, expected_version=version
        )
    assert Report.objects.get(pk=draft.pk).alumni_bekerja is None


def test_another_centres_manager_cannot_save(draft, world):
    with pytest.raises(DomainError):
        services.report_save_draft(report=draft, by=world.manager_b, data={"alumni_bekerja": 1}, expected_version=1)


def test_submitted_report_cannot_be_edited(submitted, world):
    with pytest.raises(DomainError, match="sudah diajukan"):
        services.report_save_draft(
            report=submitted, by=world.manager_a, data={"notes": "x"}, expected_version=submitted.version
        )


def test_past_the_lock_date_editing_is_closed(world):
    old = dt.date(2024, 1, 1)
    with pytest.raises(DomainError, match="Batas pengisian") as exc:
        services.report_get_or_create_draft(centre=world.centre_a, period=old, by=world.manager_a)
    assert exc.value.code == "locked" and not Report.objects.exists()
    report = Report.objects.create(centre=world.centre_a, period=old)  # e.g. a draft left from back then
    with pytest.raises(DomainError, match="Batas pengisian"):
        services.report_save_draft(report=report, by=world.manager_a, data={"notes": "x"}, expected_version=1)
    assert Report.objects.get(pk=report.pk).notes == ""


def test_income_lines_keep_the_total_and_do_not_bump_the_version(draft, world):
    v = draft.version
    line = services.report_line_add(
        report=draft, by=world.manager_a, kind="income", data={"source": "pelatihan", "amount": 1_500_000}
    )
    services.report_line_add(
        report=draft, by=world.manager_a, kind="income", data={"source": "unit_usaha", "amount": 700_000}
    )
    fresh = Report.objects.get(pk=draft.pk)
    assert fresh.own_income == 2_200_000
    assert fresh.version == v  # an open editor's autosave is not made stale by a new row
    services.report_line_remove(report=draft, by=world.manager_a, kind="income", line_id=line.pk)
    assert Report.objects.get(pk=draft.pk).own_income == 700_000
    with pytest.raises(DomainError, match="sudah tidak ada"):
        services.report_line_remove(report=draft, by=world.manager_a, kind="income", line_id=line.pk)


def test_line_rules(draft, world):
    with pytest.raises(DomainError, match="negatif"):
        services.report_line_add(report=draft, by=world.manager_a, kind="income", data={"source": "jasa", "amount": -5})
    with pytest.raises(DomainError, match="tidak dikenal"):
        services.report_line_add(report=draft, by=world.manager_a, kind="bogus", data={})
    with pytest.raises(DomainError):
        services.report_line_add(
            report=draft, by=world.manager_b, kind="problem", data={"category": "sdm", "description": "x"}
        )
    product = services.report_line_add(
        report=draft,
        by=world.manager_a,
        kind="product",
        data={"name": "Roti", "units_sold": 10, "revenue": 500_000, "channel": "lokal"},
    )
    assert product.report_id == draft.pk


def _history(report):
    return list(Report.objects.get(pk=report.pk).history.order_by("history_date", "history_id"))


def test_history_keeps_one_row_per_editing_session_with_its_author(draft, world):
    fill(draft, world.manager_a)
    report = Report.objects.get(pk=draft.pk)
    services.report_save_draft(report=report, by=world.manager_a, data={"alumni_bekerja": 6}, expected_version=2)
    records = _history(draft)
    # The draft's creation, then one row for this session holding its latest values (not one per save).
    assert [r.alumni_bekerja for r in records] == [None, 6]
    assert records[-1].history_user == world.manager_a
    assert records[-1].version == Report.objects.get(pk=draft.pk).version == 3
    assert records[-1].permit_number == VALID["permit_number"]  # the session's earlier values too


def test_another_author_or_a_later_save_starts_a_new_history_row(draft, world, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    colleague = UserFactory()
    give_role(colleague, Role.MANAGER, centre=world.centre_a)
    report = fill(draft, world.manager_a)
    report = services.report_save_draft(
        report=report, by=colleague, data={"alumni_bekerja": 7}, expected_version=report.version
    )
    time_machine.move_to(timezone.now() + DRAFT_HISTORY_SESSION - dt.timedelta(seconds=1), tick=False)
    report = services.report_save_draft(
        report=report, by=colleague, data={"alumni_bekerja": 8}, expected_version=report.version
    )
    time_machine.move_to(timezone.now() + DRAFT_HISTORY_SESSION + dt.timedelta(seconds=1), tick=False)
    services.report_save_draft(report=report, by=colleague, data={"alumni_bekerja": 9}, expected_version=report.version)
    records = _history(draft)
    assert [(r.alumni_bekerja, r.history_user) for r in records[1:]] == [
        (5, world.manager_a),
        (8, colleague),  # 7 and 8: one session (within ten minutes of its first save)
        (9, colleague),  # later than that: a new row
    ]
    assert records[2].history_date < records[3].history_date  # each dated at its first save


def test_submission_and_return_rows_are_never_rewritten_by_later_autosaves(world, last_month):
    report = services.report_get_or_create_draft(centre=world.centre_a, period=last_month, by=world.manager_a)
    report = fill(report, world.manager_a, alumni_bekerja=0, alumni_tidak_terlacak=7)
    report = services.report_submit(report=report, by=world.manager_a).report
    report = services.report_return(report=report, by=world.reviewer, reason="Angka alumni perlu diperiksa lagi.")
    returned_row = _history(report)[-1]
    for value in (2, 3, 4):
        report = services.report_save_draft(
            report=report, by=world.manager_a, data={"alumni_bekerja": value}, expected_version=report.version
        )
    records = _history(report)
    statuses = [(r.status, r.alumni_bekerja) for r in records]
    assert statuses == [("draft", None), ("draft", 0), ("submitted", 0), ("returned", 0), ("returned", 4)]
    again = Report.history.model.objects.get(history_id=returned_row.history_id)
    assert (again.alumni_bekerja, again.history_date) == (0, returned_row.history_date)


def test_the_draft_service_judges_the_lock_at_the_moment_it_is_given(world):
    import zoneinfo

    jakarta = zoneinfo.ZoneInfo("Asia/Jakarta")
    september = dt.date(2026, 9, 1)
    # On 5 October 2026 September is open; on 5 December, past its lock date (29 November), it is
    # locked: whatever day the test runs.
    report = services.report_get_or_create_draft(
        centre=world.centre_a, period=september, by=world.manager_a, now=dt.datetime(2026, 10, 5, 9, tzinfo=jakarta)
    )
    assert report.period == september and report.status == Report.Status.DRAFT
    with pytest.raises(DomainError, match="sudah lewat \\(29 November 2026\\)"):
        services.report_get_or_create_draft(
            centre=world.centre_b, period=september, by=world.manager_b, now=dt.datetime(2026, 12, 5, tzinfo=jakarta)
        )
    assert not Report.objects.filter(centre=world.centre_b).exists()
