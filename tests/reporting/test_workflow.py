import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from blkportal.core.errors import DomainError
from blkportal.core.months import add_months, deadline_for, first_of_month
from reporting import services
from reporting.models import CorrectionRequest, Report, ReportTransition, TrainingBatch
from reporting.signals import report_changed
from reporting.snapshot import report_snapshot, snapshot_diff
from tests.reporting.conftest import VALID, fill, make_batch


@pytest.fixture
def signals():
    seen = []

    def receiver(sender, **kwargs):
        seen.append((kwargs["centre_id"], kwargs["period"]))

    report_changed.connect(receiver)
    yield seen
    report_changed.disconnect(receiver)


# --- submit -------------------------------------------------------------------------------------


def test_submit_records_who_when_and_mails_the_provinces_reviewers(
    filled, world, django_capture_on_commit_callbacks, signals
):
    before_deadline = deadline_for(world.centre_a, filled.period) - dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.report_submit(report=filled, by=world.manager_a, now=before_deadline)
    report = Report.objects.get(pk=filled.pk)
    assert result.submitted and report.status == Report.Status.SUBMITTED
    assert report.first_submitted_at == report.last_submitted_at is not None
    assert report.submitted_by == world.manager_a
    assert report.on_time is True
    t = ReportTransition.objects.get(report=report)
    assert (t.action, t.from_status, t.to_status, t.actor) == ("submit", "draft", "submitted", world.manager_a)
    assert [m.to for m in mail.outbox] == [[world.reviewer.email]]
    assert "diajukan" in mail.outbox[0].subject
    assert (world.centre_a.pk, report.period) in signals


def test_double_submit_is_one_submission(filled, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.report_submit(report=filled, by=world.manager_a, expected_version=filled.version)
        second = services.report_submit(report=filled, by=world.manager_a, expected_version=filled.version)
    assert first.submitted and second.already and not second.submitted
    assert ReportTransition.objects.filter(report=filled, action="submit").count() == 1
    assert len(mail.outbox) == 1


def test_hard_rules_block_with_a_message_per_field(draft, world):
    with pytest.raises(services.ReportInvalidError) as exc:
        services.report_submit(report=draft, by=world.manager_a)
    fields = {i.field for i in exc.value.issues}
    assert {"alumni_bekerja", "alumni_tidak_terlacak", "permit_status", "operating_cost"} <= fields
    assert Report.objects.get(pk=draft.pk).status == Report.Status.DRAFT


def test_certified_instructors_cannot_exceed_instructors(draft, world):
    report = fill(draft, world.manager_a, instructors_certified=9)
    with pytest.raises(services.ReportInvalidError) as exc:
        services.report_submit(report=report, by=world.manager_a)
    assert [i.field for i in exc.value.issues] == ["instructors_certified"]


def test_permit_number_required_when_a_permit_is_claimed(draft, world):
    report = fill(draft, world.manager_a, permit_number="")
    with pytest.raises(services.ReportInvalidError) as exc:
        services.report_submit(report=report, by=world.manager_a)
    assert [i.field for i in exc.value.issues] == ["permit_number"]


def test_alumni_outcomes_cannot_exceed_graduates(draft, world):
    report = fill(draft, world.manager_a, alumni_bekerja=30)  # the only batch graduated 14
    with pytest.raises(services.ReportInvalidError) as exc:
        services.report_submit(report=report, by=world.manager_a)
    assert exc.value.issues[0].code == "outcomes_le_graduates"
    assert "14" in exc.value.issues[0].message


def test_a_batch_that_ended_must_account_for_every_participant(draft, world):
    make_batch(world.centre_a, draft.period, graduated=10, failed=0, withdrawn=0, certified=5)
    report = fill(draft, world.manager_a, alumni_bekerja=0, alumni_wirausaha=0)
    with pytest.raises(services.ReportInvalidError) as exc:
        services.report_submit(report=report, by=world.manager_a)
    assert exc.value.issues[0].code == "outcomes_incomplete"


def test_the_current_month_cannot_be_submitted_yet(world):
    now = first_of_month(timezone.localdate())
    report = services.report_get_or_create_draft(centre=world.centre_a, period=now, by=world.manager_a)
    make_batch(world.centre_a, add_months(now, -1))
    report = fill(report, world.manager_a)
    with pytest.raises(DomainError, match="baru dapat diajukan"):
        services.report_submit(report=report, by=world.manager_a)


@pytest.mark.parametrize("persona", ["manager_b", "reviewer", "directorate", "fkn", "mentor_a"])
def test_only_the_centres_manager_submits(filled, world, persona):
    with pytest.raises(DomainError):
        services.report_submit(report=filled, by=world.users[persona])
    assert Report.objects.get(pk=filled.pk).status == Report.Status.DRAFT


def test_stale_submit_is_refused(filled, world):
    with pytest.raises(DomainError) as exc:
        services.report_submit(report=filled, by=world.manager_a, expected_version=filled.version - 1)
    assert exc.value.code == "stale"


def _submitted_history(world, period, months=6, income=1_000_000):
    """Six earlier months submitted, each with the given own income."""
    for back in range(months, 0, -1):
        p = add_months(period, -back)
        Report.objects.create(
            centre=world.centre_a, period=p, own_income=income, first_submitted_at=timezone.now(), status="approved"
        )
        make_batch(world.centre_a, p)


def test_soft_rule_spike_needs_an_explanation(draft, world):
    _submitted_history(world, draft.period)
    report = fill(draft, world.manager_a, alumni_bekerja=0)
    services.report_line_add(
        report=report, by=world.manager_a, kind="income", data={"source": "hibah", "amount": 9_000_000}
    )
    result = services.report_submit(report=report, by=world.manager_a)
    assert not result.submitted
    assert [w["code"] for w in result.warnings] == ["spike_own_income"]
    report = Report.objects.get(pk=draft.pk)
    assert report.status == Report.Status.DRAFT and report.warnings  # kept for the manager's to-do list
    too_short = services.report_submit(report=report, by=world.manager_a, explanation="hibah")
    assert not too_short.submitted
    result = services.report_submit(
        report=report, by=world.manager_a, explanation="Hibah sekali dari mitra CSR untuk mesin jahit."
    )
    assert result.submitted
    assert "Hibah sekali" in ReportTransition.objects.get(report=report, action="submit").reason


def test_soft_rule_no_training_for_three_months(draft, world):
    report = fill(
        draft,
        world.manager_a,
        alumni_bekerja=0,
        alumni_wirausaha=0,
        alumni_studi=0,
        alumni_belum_bekerja=0,
        alumni_tidak_terlacak=0,
    )
    TrainingBatch.objects.filter(centre=world.centre_a).delete()
    result = services.report_submit(report=report, by=world.manager_a)
    assert [w["code"] for w in result.warnings] == ["no_training_3_months"]
    assert not result.submitted


def test_first_submission_decides_timeliness(filled, world):
    on_time = deadline_for(world.centre_a, filled.period) - dt.timedelta(hours=1)
    late = on_time + dt.timedelta(days=20)
    services.report_submit(report=filled, by=world.manager_a, now=on_time)
    services.report_return(report=filled, by=world.reviewer, reason="Angka alumni belum sesuai.", now=late)
    report = Report.objects.get(pk=filled.pk)
    services.report_submit(report=report, by=world.manager_a, now=late + dt.timedelta(hours=1))
    report = Report.objects.get(pk=filled.pk)
    assert report.first_submitted_at == on_time
    assert report.last_submitted_at == late + dt.timedelta(hours=1)
    assert report.on_time is True


# --- verify / approve / return ------------------------------------------------------------------


def test_reviewer_verifies_and_directorate_approves(submitted, world):
    services.report_verify(report=submitted, by=world.reviewer)
    report = Report.objects.get(pk=submitted.pk)
    assert report.status == Report.Status.VERIFIED and report.verified_by == world.reviewer
    services.report_approve(report=report, by=world.directorate)
    report = Report.objects.get(pk=submitted.pk)
    assert report.status == Report.Status.APPROVED and report.approved_by == world.directorate
    actions = list(ReportTransition.objects.filter(report=report).values_list("action", "actor__username"))
    assert actions == [("submit", "manager_a"), ("verify", "reviewer"), ("approve", "directorate")]


@pytest.mark.parametrize("persona", ["manager_a", "manager_b", "directorate", "fkn", "fkn_jabar", "mentor_a"])
def test_verify_refused_for_other_roles(submitted, world, persona):
    with pytest.raises(DomainError):
        services.report_verify(report=submitted, by=world.users[persona])


def test_verify_refused_outside_the_reviewers_provinces(submitted, reviewer_jatim):
    with pytest.raises(DomainError):
        services.report_verify(report=submitted, by=reviewer_jatim)


def test_verify_refused_unless_submitted(filled, verified, world):
    with pytest.raises(DomainError, match="Hanya laporan berstatus Diajukan"):
        services.report_verify(report=verified, by=world.reviewer)


@pytest.mark.parametrize("persona", ["manager_a", "reviewer", "fkn"])
def test_approve_refused_for_other_roles(verified, world, persona):
    with pytest.raises(DomainError):
        services.report_approve(report=verified, by=world.users[persona])


def test_approve_refused_before_verification(submitted, world):
    with pytest.raises(DomainError, match="sudah diverifikasi"):
        services.report_approve(report=submitted, by=world.directorate)


def test_admin_may_do_every_step(filled, world):
    services.report_submit(report=filled, by=world.manager_a)
    services.report_verify(report=filled, by=world.admin)
    services.report_approve(report=filled, by=world.admin)
    assert Report.objects.get(pk=filled.pk).status == Report.Status.APPROVED


def test_return_needs_a_reason_and_mails_the_managers(submitted, world, django_capture_on_commit_callbacks):
    for bad in ("", "   ", "kurang"):
        with pytest.raises(DomainError, match="wajib diisi"):
            services.report_return(report=submitted, by=world.reviewer, reason=bad)
    assert Report.objects.get(pk=submitted.pk).status == Report.Status.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(report=submitted, by=world.reviewer, reason="Jumlah alumni tidak cocok.")
    report = Report.objects.get(pk=submitted.pk)
    assert report.status == Report.Status.RETURNED and report.return_reason == "Jumlah alumni tidak cocok."
    assert mail.outbox[-1].to == [world.manager_a.email]
    assert "Jumlah alumni tidak cocok." in mail.outbox[-1].body
    # The manager fixes and resubmits.
    services.report_save_draft(
        report=report, by=world.manager_a, data={"alumni_bekerja": 4}, expected_version=report.version
    )
    assert services.report_submit(report=report, by=world.manager_a).submitted


def test_who_returns_from_which_step(submitted, world):
    with pytest.raises(DomainError):  # the directorate returns only verified reports
        services.report_return(report=submitted, by=world.directorate, reason="Tidak lengkap sama sekali.")
    services.report_verify(report=submitted, by=world.reviewer)
    with pytest.raises(DomainError):  # and the regional reviewer no longer may
        services.report_return(report=submitted, by=world.reviewer, reason="Tidak lengkap sama sekali.")
    services.report_return(report=submitted, by=world.directorate, reason="Bukti pelatihan kurang.")
    assert Report.objects.get(pk=submitted.pk).status == Report.Status.RETURNED
    with pytest.raises(DomainError, match="tidak dapat dikembalikan"):
        services.report_return(report=submitted, by=world.directorate, reason="Bukti pelatihan kurang.")


def test_a_report_returned_after_the_lock_date_can_still_be_fixed(world):
    old = dt.date(2024, 1, 1)
    report = Report.objects.create(centre=world.centre_a, period=old)
    make_batch(world.centre_a, old)
    long_ago = dt.datetime(2024, 2, 5, 10, tzinfo=dt.UTC)
    Report.objects.filter(pk=report.pk).update(**VALID)
    report = Report.objects.get(pk=report.pk)
    services.report_submit(report=report, by=world.manager_a, now=long_ago)
    services.report_return(report=report, by=world.reviewer, reason="Tolong perbaiki angka biaya.")
    report = Report.objects.get(pk=report.pk)
    services.report_save_draft(
        report=report, by=world.manager_a, data={"operating_cost": 1}, expected_version=report.version
    )
    assert Report.objects.get(pk=report.pk).operating_cost == 1


# --- unlock -------------------------------------------------------------------------------------


def test_admin_unlocks_a_locked_month_with_a_reason(world):
    old = dt.date(2024, 1, 1)
    with pytest.raises(DomainError, match="wajib diisi"):
        services.report_unlock(centre=world.centre_a, period=old, by=world.admin, reason="")
    report = services.report_unlock(
        centre=world.centre_a, period=old, by=world.admin, reason="Surat permohonan BLK no. 12."
    )
    t = ReportTransition.objects.get(report=report)
    assert (t.action, t.actor, t.reason) == ("unlock", world.admin, "Surat permohonan BLK no. 12.")
    services.report_save_draft(
        report=report, by=world.manager_a, data={"notes": "isi"}, expected_version=report.version
    )


@pytest.mark.parametrize("persona", ["manager_a", "reviewer", "directorate"])
def test_unlock_is_for_administrators(world, persona):
    with pytest.raises(DomainError):
        services.report_unlock(
            centre=world.centre_a,
            period=dt.date(2024, 1, 1),
            by=world.users[persona],
            reason="Surat permohonan BLK no. 12.",
        )


def test_unlock_refused_before_the_lock_date(draft, world):
    with pytest.raises(DomainError, match="belum terkunci"):
        services.report_unlock(
            centre=world.centre_a, period=draft.period, by=world.admin, reason="Surat permohonan BLK no. 12."
        )


# --- corrections --------------------------------------------------------------------------------


def test_correction_flow_shows_the_diff_and_needs_reapproval(approved, world, django_capture_on_commit_callbacks):
    with pytest.raises(DomainError, match="wajib diisi"):
        services.correction_request(report=approved, by=world.manager_a, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        correction = services.correction_request(
            report=approved, by=world.manager_a, reason="Ada alumni yang ternyata sudah bekerja."
        )
    assert mail.outbox[-1].to == [world.reviewer.email]
    with pytest.raises(DomainError, match="sedang berjalan"):
        services.correction_request(report=approved, by=world.manager_a, reason="Sekali lagi ya, mohon.")
    with pytest.raises(DomainError):  # a manager cannot unlock their own report
        services.correction_approve(correction=correction, by=world.manager_a)
    services.correction_approve(correction=correction, by=world.reviewer)
    report = Report.objects.get(pk=approved.pk)
    assert report.status == Report.Status.DRAFT
    assert CorrectionRequest.objects.get(pk=correction.pk).status == "open"
    services.report_save_draft(
        report=report,
        by=world.manager_a,
        data={"alumni_bekerja": 6, "alumni_belum_bekerja": 2},
        expected_version=report.version,
    )
    report = Report.objects.get(pk=approved.pk)
    diff = snapshot_diff(CorrectionRequest.objects.get(pk=correction.pk).snapshot, report_snapshot(report))
    assert {(row["label"], row["old"], row["new"]) for row in diff} == {
        ("Alumni bekerja", "5", "6"),
        ("Alumni belum bekerja", "3", "2"),
    }
    services.report_submit(report=report, by=world.manager_a)
    services.report_verify(report=report, by=world.reviewer)
    services.report_approve(report=report, by=world.directorate)
    assert CorrectionRequest.objects.get(pk=correction.pk).status == "closed"
    assert Report.objects.get(pk=approved.pk).status == Report.Status.APPROVED


def test_correction_only_for_approved_reports_and_by_the_centre(submitted, approved, world):
    with pytest.raises(DomainError):
        services.correction_request(report=approved, by=world.manager_b, reason="Bukan BLK saya tapi coba.")
    with pytest.raises(DomainError):
        services.correction_request(report=approved, by=world.reviewer, reason="Verifikator tidak boleh.")


def test_correction_before_approval_is_refused(submitted, world):
    with pytest.raises(DomainError, match="sudah disetujui"):
        services.correction_request(report=submitted, by=world.manager_a, reason="Mau ubah angka alumni.")


def test_correction_can_be_rejected_with_a_note(approved, world):
    correction = services.correction_request(report=approved, by=world.manager_a, reason="Ubah angka produk.")
    with pytest.raises(DomainError, match="wajib diisi"):
        services.correction_reject(correction=correction, by=world.directorate, note="")
    services.correction_reject(correction=correction, by=world.directorate, note="Angka sudah sesuai bukti.")
    assert CorrectionRequest.objects.get(pk=correction.pk).status == "rejected"
    assert Report.objects.get(pk=approved.pk).status == Report.Status.APPROVED
    with pytest.raises(DomainError, match="sudah diputuskan"):
        services.correction_approve(correction=correction, by=world.directorate)


# --- batches and snapshots ----------------------------------------------------------------------


def test_a_submitted_report_keeps_its_batches_as_they_were(world, last_month, time_machine):
    earlier = add_months(last_month, -1)
    # Two months back is still open for submission on the 15th of this month (its lock is 60 days
    # after its end), whatever day the suite runs on.
    time_machine.move_to(
        dt.datetime.combine(add_months(last_month, 1) + dt.timedelta(days=14), dt.time(12), tzinfo=dt.UTC)
    )
    report = services.report_get_or_create_draft(centre=world.centre_a, period=earlier, by=world.manager_a)
    make_batch(world.centre_a, earlier)
    spanning = make_batch(
        world.centre_a,
        earlier,
        start_date=earlier + dt.timedelta(days=20),
        end_date=last_month + dt.timedelta(days=10),
        graduated=0,
        failed=0,
        withdrawn=0,
        certified=0,
    )
    report = fill(report, world.manager_a)
    services.report_submit(report=report, by=world.manager_a)
    services.batch_update(batch=spanning, by=world.manager_a, data={"graduated": 15, "failed": 1})
    report = Report.objects.get(pk=report.pk)
    snap = {b["id"]: b for b in report.batches_snapshot}
    assert snap[spanning.pk]["graduated"] == "0"
    assert TrainingBatch.objects.get(pk=spanning.pk).graduated == 15


def test_batch_signals_one_per_month(world, last_month, signals):
    earlier = add_months(last_month, -1)
    services.batch_create(
        centre=world.centre_a,
        by=world.manager_a,
        data={
            "kejuruan": TrainingBatch._meta.get_field("kejuruan").related_model.objects.first(),
            "program_name": "Menjahit",
            "funding_source": "mitra",
            "start_date": earlier + dt.timedelta(days=25),
            "end_date": last_month + dt.timedelta(days=5),
            "enrolled_female": 16,
        },
    )
    assert signals == [(world.centre_a.pk, earlier), (world.centre_a.pk, last_month)]


# --- races: a refusal because another transition just happened says so ---------------------------


def test_return_after_a_colleague_just_verified_says_it_was_verified(submitted, world):
    services.report_verify(report=submitted, by=world.reviewer)
    # A second reviewer of the province, whose page still showed "Diajukan", clicks "return".
    stale_view = Report.objects.get(pk=submitted.pk)
    with pytest.raises(DomainError) as exc:
        services.report_return(report=stale_view, by=world.reviewer, reason="Angka alumni tidak cocok")
    assert "baru saja diverifikasi" in exc.value.message
    assert "tidak berwenang" not in exc.value.message
    assert Report.objects.get(pk=submitted.pk).status == Report.Status.VERIFIED


def test_verify_after_a_return_says_it_was_just_returned(submitted, world):
    services.report_return(report=submitted, by=world.reviewer, reason="Lampiran belum lengkap sama sekali")
    with pytest.raises(DomainError) as exc:
        services.report_verify(report=submitted, by=world.reviewer)
    assert "baru saja dikembalikan" in exc.value.message


def test_an_old_state_refusal_is_not_called_a_race(submitted, world):
    services.report_verify(report=submitted, by=world.reviewer)
    with pytest.raises(DomainError) as exc:
        services.report_verify(report=submitted, by=world.reviewer, now=timezone.now() + dt.timedelta(days=2))
    assert "baru saja" not in exc.value.message and "Hanya laporan berstatus Diajukan" in exc.value.message
