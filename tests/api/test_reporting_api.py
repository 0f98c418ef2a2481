"""Monthly reports, corrections and training batches through the API: the pages' scope, filters and
services, with the workflow's refusals as clear 4xx answers."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from blkportal.core.months import add_months, first_of_month
from reporting import services
from reporting.models import CorrectionRequest, Report, ReportTransition, TrainingBatch
from tests.reporting.conftest import VALID, make_batch

pytestmark = pytest.mark.django_db

REPORTS, BATCHES, CORRECTIONS = "/api/v1/reports/", "/api/v1/batches/", "/api/v1/corrections/"


@pytest.fixture
def last_month():
    return add_months(first_of_month(timezone.localdate()), -1)


@pytest.fixture
def month(last_month):
    return f"{last_month:%Y-%m}"


@pytest.fixture
def manager(api_for):
    return api_for("manager_a")


def open_draft(client, centre, month):
    response = client.post(REPORTS, {"centre": centre.pk, "period": month})
    assert response.status_code in (200, 201), response.content
    return response.json()


def filled_report(client, world, month, last_month):
    report = open_draft(client, world.centre_a, month)
    make_batch(world.centre_a, last_month)
    response = client.patch(f"{REPORTS}{report['id']}/", {"version": report["version"], **VALID})
    assert response.status_code == 200, response.content
    return response.json()


def test_open_a_draft_once(manager, world, month, last_month):
    first = manager.post(REPORTS, {"centre": world.centre_a.pk, "period": month})
    assert first.status_code == 201
    body = first.json()
    assert (body["status"], body["month"], body["period"]) == ("draft", month, f"{last_month:%Y-%m-%d}")
    assert body["editable"] is True and body["edit_block_reason"] is None
    again = manager.post(REPORTS, {"centre": world.centre_a.pk, "period": month})
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Report.objects.filter(centre=world.centre_a).count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"centre": "B", "period": "2025-01"}, "centre"),
        ({"period": "2025-01"}, "centre"),
        ({"centre": 1, "period": "Januari"}, "period"),
        ({"centre": 1, "period": "2025-13"}, "period"),
    ],
)
def test_open_refuses_bad_input(manager, world, payload, field):
    if payload.get("centre") == 1:
        payload["centre"] = world.centre_a.pk
    if payload.get("centre") == "B":
        payload["centre"] = world.centre_b.pk  # another centre reads like an id that does not exist
    response = manager.post(REPORTS, payload)
    assert response.status_code == 400 and field in response.json()["errors"]


def test_open_refuses_a_month_that_has_not_begun(manager, world):
    future = add_months(first_of_month(timezone.localdate()), 2)
    response = manager.post(REPORTS, {"centre": world.centre_a.pk, "period": f"{future:%Y-%m}"})
    assert response.status_code == 400
    assert "belum dibuka" in response.json()["errors"]["period"][0]


def test_draft_save_uses_the_version_and_refuses_a_stale_one(manager, world, month):
    report = open_draft(manager, world.centre_a, month)
    url = f"{REPORTS}{report['id']}/"
    saved = manager.patch(url, {"version": report["version"], "alumni_bekerja": 7, "operating_cost": 1500000})
    assert saved.status_code == 200
    assert saved.json()["alumni_bekerja"] == 7 and saved.json()["operating_cost"] == 1500000
    assert saved.json()["version"] == report["version"] + 1
    stale = manager.patch(url, {"version": report["version"], "alumni_bekerja": 99})
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    assert Report.objects.get(pk=report["id"]).alumni_bekerja == 7  # nothing half-written
    missing = manager.patch(url, {"alumni_bekerja": 8})
    assert missing.status_code == 400 and "version" in missing.json()["errors"]
    wrong = manager.patch(url, {"version": saved.json()["version"], "alumni_bekerja": -1, "status": "approved"})
    assert wrong.status_code == 400 and set(wrong.json()["errors"]) == {"alumni_bekerja", "status"}


def test_lines_are_added_and_removed_through_the_services(manager, world, month):
    report = open_draft(manager, world.centre_a, month)
    url = f"{REPORTS}{report['id']}/income-lines/"
    line = manager.post(url, {"source": "pelatihan", "amount": 2500000, "description": "Kursus menjahit"})
    assert line.status_code == 201, line.content
    detail = manager.get(f"{REPORTS}{report['id']}/").json()
    assert detail["own_income"] == 2500000 and detail["income_lines"][0]["amount"] == 2500000
    assert manager.post(url, {"source": "pelatihan", "amount": -5}).status_code == 400
    assert manager.delete(f"{url}{line.json()['id']}/").status_code == 204
    assert manager.get(f"{REPORTS}{report['id']}/").json()["own_income"] == 0
    gone = manager.delete(f"{url}{line.json()['id']}/")
    assert gone.status_code == 404
    problem = manager.post(
        f"{REPORTS}{report['id']}/problems/", {"category": "sdm", "description": "Instruktur pindah"}
    )
    assert problem.status_code == 201


def test_submit_refuses_with_one_message_per_field(manager, world, month):
    report = open_draft(manager, world.centre_a, month)
    response = manager.post(f"{REPORTS}{report['id']}/submit/", {})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "Laporan belum dapat diajukan" in body["message"]
    assert {"alumni_bekerja", "permit_status"} <= set(body["errors"])
    assert Report.objects.get(pk=report["id"]).status == "draft"


def test_soft_warnings_need_an_explanation(manager, world, month):
    report = open_draft(manager, world.centre_a, month)
    zero = dict.fromkeys(
        ["alumni_bekerja", "alumni_wirausaha", "alumni_studi", "alumni_belum_bekerja", "alumni_tidak_terlacak"], 0
    )
    saved = manager.patch(f"{REPORTS}{report['id']}/", {"version": report["version"], **VALID, **zero}).json()
    refused = manager.post(f"{REPORTS}{report['id']}/submit/", {"version": saved["version"]})
    assert refused.status_code == 400
    body = refused.json()
    assert body["code"] == "explanation_required"
    assert "explanation" in body["errors"] and "warnings.batches" in body["errors"]
    done = manager.post(
        f"{REPORTS}{report['id']}/submit/", {"explanation": "BLK sedang renovasi bengkel las selama tiga bulan."}
    )
    assert done.status_code == 200, done.content
    assert done.json()["submitted"] is True and done.json()["warnings"][0]["code"] == "no_training_3_months"


def test_the_whole_workflow_through_the_api(api_for, world, month, last_month):
    manager, reviewer, directorate = api_for("manager_a"), api_for("reviewer"), api_for("directorate")
    report = filled_report(manager, world, month, last_month)
    url = f"{REPORTS}{report['id']}/"

    submitted = manager.post(f"{url}submit/", {"version": report["version"]})
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["submitted"] is True and submitted.json()["report"]["status"] == "submitted"
    again = manager.post(f"{url}submit/", {})
    assert again.status_code == 200 and again.json()["already"] is True
    locked = manager.patch(url, {"version": submitted.json()["report"]["version"], "notes": "telat"})
    assert locked.status_code == 409 and locked.json()["code"] == "locked"

    assert manager.post(f"{url}verify/", {}).status_code == 404  # managers do not verify
    assert directorate.post(f"{url}approve/", {}).json()["code"] == "state"  # not verified yet: 409
    assert reviewer.post(f"{url}verify/", {"note": "Sesuai"}).json()["status"] == "verified"

    short = directorate.post(f"{url}return/", {"reason": "kurang"})
    assert short.status_code == 400 and "reason" in short.json()["errors"]
    approved = directorate.post(f"{url}approve/", {})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"

    correction = manager.post(f"{url}correction/", {"reason": "Jumlah alumni bekerja salah ketik."})
    assert correction.status_code == 201
    assert manager.post(f"{url}correction/", {"reason": "Sekali lagi, mohon dikoreksi."}).status_code == 409
    cid = correction.json()["id"]
    assert manager.post(f"{CORRECTIONS}{cid}/approve/", {}).status_code == 404
    opened = reviewer.post(f"{CORRECTIONS}{cid}/approve/", {"note": "Silakan"})
    assert opened.status_code == 200 and opened.json()["status"] == "open"
    detail = manager.get(url).json()
    assert detail["editable"] is True and detail["correction"]["id"] == cid
    actions = list(ReportTransition.objects.filter(report_id=report["id"]).values_list("action", flat=True))
    assert actions == ["submit", "verify", "approve", "correction_request", "correction_approve"]
    assert [t["action"] for t in detail["transitions"]] == actions


def test_return_needs_a_reviewer_of_the_centre(api_for, world, month, last_month):
    manager = api_for("manager_a")
    report = filled_report(manager, world, month, last_month)
    manager.post(f"{REPORTS}{report['id']}/submit/", {})
    url = f"{REPORTS}{report['id']}/return/"
    reason = {"reason": "Angka alumni belum sesuai daftar hadir."}
    assert manager.post(url, reason).status_code == 404
    assert api_for("fkn").post(url, reason).status_code == 404
    assert api_for("manager_b").post(url, reason).status_code == 404
    returned = api_for("reviewer").post(url, reason)
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert returned.json()["return_reason"] == reason["reason"]


def test_report_list_scope_and_filters(api_for, world, month, last_month):
    services.report_get_or_create_draft(centre=world.centre_a, period=last_month, by=world.manager_a)
    services.report_get_or_create_draft(centre=world.centre_b, period=last_month, by=world.manager_b)
    ids = lambda r: sorted(x["centre"] for x in r.json()["results"])  # noqa: E731
    assert ids(api_for("manager_a").get(REPORTS)) == [world.centre_a.pk]
    assert ids(api_for("reviewer").get(REPORTS)) == [world.centre_a.pk]
    directorate = api_for("directorate")
    assert ids(directorate.get(REPORTS)) == sorted([world.centre_a.pk, world.centre_b.pk])
    assert ids(directorate.get(REPORTS, {"province": "35"})) == [world.centre_b.pk]
    assert ids(directorate.get(REPORTS, {"centre": world.centre_a.pk, "period": month})) == [world.centre_a.pk]
    assert ids(directorate.get(REPORTS, {"status": "submitted"})) == []
    assert ids(directorate.get(REPORTS, {"q": "nurul"})) == [world.centre_b.pk]
    assert directorate.get(REPORTS, {"period": "kemarin"}).status_code == 400
    assert directorate.get(REPORTS, {"status": "hilang"}).status_code == 400
    # The reviewer may not filter on a province outside their scope, as on the queue page.
    assert api_for("reviewer").get(REPORTS, {"province": "35"}).status_code == 400
    assert api_for("norole").get(REPORTS).status_code == 404


def test_report_list_matches_the_queue_page(api_for, client_for, world, last_month):
    for centre, manager in ((world.centre_a, world.manager_a), (world.centre_b, world.manager_b)):
        services.report_get_or_create_draft(centre=centre, period=last_month, by=manager)
    for persona in ("reviewer", "directorate", "fkn_jabar"):
        page = client_for(persona).get(reverse("reporting:queue"), {"status": "draft"})
        page_ids = {r.pk for r in page.context["page"].object_list}
        api_ids = {r["id"] for r in api_for(persona).get(REPORTS, {"status": "draft"}).json()["results"]}
        assert api_ids == page_ids, persona


def test_batches_crud_through_the_services(api_for, world, last_month):
    manager = api_for("manager_a")
    start = last_month + dt.timedelta(days=2)
    batch = {
        "centre": world.centre_a.pk,
        "kejuruan": "teknik-las",
        "program_name": "Las listrik dasar",
        "funding_source": "apbn",
        "start_date": f"{start}",
        "end_date": f"{start + dt.timedelta(days=20)}",
        "hours_jp": 200,
        "enrolled_male": 10,
        "enrolled_female": 6,
    }
    created = manager.post(BATCHES, batch)
    assert created.status_code == 201, created.content
    bid = created.json()["id"]
    assert created.json()["enrolled"] == 16
    assert manager.post(BATCHES, {**batch, "centre": world.centre_b.pk}).status_code == 400
    too_many = manager.patch(f"{BATCHES}{bid}/", {"graduated": 20})
    assert too_many.status_code == 400 and "graduated" in too_many.json()["errors"]
    assert manager.patch(f"{BATCHES}{bid}/", {"centre": world.centre_b.pk}).status_code == 400
    ok = manager.patch(f"{BATCHES}{bid}/", {"graduated": 15, "failed": 1, "certified": 12})
    assert ok.status_code == 200 and ok.json()["graduated"] == 15
    assert TrainingBatch.objects.get(pk=bid).history.first().history_user == world.manager_a
    listed = manager.get(BATCHES, {"month": f"{last_month:%Y-%m}", "kejuruan": "teknik-las"}).json()
    assert [b["id"] for b in listed["results"]] == [bid]
    assert api_for("manager_b").get(f"{BATCHES}{bid}/").status_code == 404
    assert api_for("reviewer").get(f"{BATCHES}{bid}/").status_code == 200
    assert api_for("reviewer").delete(f"{BATCHES}{bid}/").status_code == 404
    assert manager.delete(f"{BATCHES}{bid}/").status_code == 204
    assert not TrainingBatch.objects.filter(pk=bid).exists()


def test_corrections_are_listed_in_scope(api_for, world, month, last_month):
    manager = api_for("manager_a")
    report = filled_report(manager, world, month, last_month)
    manager.post(f"{REPORTS}{report['id']}/submit/", {})
    api_for("reviewer").post(f"{REPORTS}{report['id']}/verify/", {})
    api_for("directorate").post(f"{REPORTS}{report['id']}/approve/", {})
    manager.post(f"{REPORTS}{report['id']}/correction/", {"reason": "Produk unggulan belum tercatat."})
    assert CorrectionRequest.objects.count() == 1
    assert api_for("reviewer").get(CORRECTIONS).json()["count"] == 1
    assert api_for("manager_b").get(CORRECTIONS).json()["count"] == 0
    rejected = api_for("directorate").post(
        f"{CORRECTIONS}{CorrectionRequest.objects.get().pk}/reject/", {"reason": "Sudah benar menurut bukti."}
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
