"""Exports that read well when opened (issue 11): headers in the user's language, plain years, the
ranking's main kejuruan and group counts filled in, and a print set-up on every sheet. The files are
opened with LibreOffice in test_export_libreoffice.py; here they are read back with openpyxl."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from monitoring import services_exports
from monitoring.exporters.base import MAX_WIDTH, MIN_WIDTH
from monitoring.exporters.reports import SECTIONS, SKIP_FIELDS, _specs
from monitoring.models import ExportJob, ExportKind, ExportStatus, RankingEntry
from reporting.models import Report
from tests.monitoring.conftest import batch
from tests.monitoring.test_export_helpers import EXPORT_PARAMS as PARAMS
from tests.monitoring.test_export_helpers import as_dicts, english_in, make_every_kind, read_xlsx
from tests.monitoring.test_export_helpers import run_export as run
from tests.monitoring.test_export_kinds import _ranking

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_kind(world):
    return make_every_kind(world)


def headers(ws):
    return [c.value for c in ws[1]]


def test_every_exported_report_field_has_an_indonesian_name():
    """A field without a verbose_name is exported under Django's English guess ("Created by"): each
    field the reports export writes names itself through gettext_lazy."""
    models = [(Report, SKIP_FIELDS)] + [(model, skip | {"id", "report"}) for model, _title, skip in SECTIONS]
    for model, skip in models:
        for *_spec, field in _specs(model, skip):
            if field.primary_key:
                continue
            assert isinstance(field.verbose_name, Promise), f"{model.__name__}.{field.name} has no verbose_name"


@pytest.mark.parametrize("kind", sorted(PARAMS))
def test_headers_are_indonesian_by_default(every_kind, kind):
    # A worker that happens to have English active still writes the job's language.
    with translation.override("en"):
        job = run(every_kind.directorate, kind, **PARAMS[kind])
    assert job.language == "id"
    for ws in read_xlsx(job).worksheets:
        for header in headers(ws):
            assert not english_in(header), f"{ws.title}: {header!r}"


def test_reports_export_names_the_workflow_columns_in_indonesian(every_kind):
    wb = read_xlsx(run(every_kind.directorate, "reports", **PARAMS["reports"]))
    main = headers(wb["Laporan bulanan"])
    for name in (
        "Peringatan",
        "Dibuat oleh (pengguna)",
        "Dibuat pada",
        "Diubah pada",
        "Diajukan oleh (pengguna)",
        "Diverifikasi oleh (pengguna)",
        "Disetujui oleh (pengguna)",
        "Dikembalikan oleh (pengguna)",
    ):
        assert name in main
    evidence = headers(wb["Bukti"])
    for name in ("Jenis isi berkas", "Diunggah oleh (pengguna)", "Diunggah pada"):
        assert name in evidence


def test_export_asked_in_english_is_written_in_english(every_kind, client_for, django_capture_on_commit_callbacks):
    client = client_for("directorate")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("monitoring:export_list"),
            {"kind": "reports", "file_format": "xlsx", "period_from": "2024-01", "period_to": "2024-03"},
        )
    assert response.status_code == 302
    job = ExportJob.objects.get(owner=every_kind.directorate)
    assert job.language == "en" and job.status == ExportStatus.DONE
    wb = read_xlsx(job)
    assert wb.sheetnames[0] == "Monthly reports"
    main = headers(wb.worksheets[0])
    assert main[:3] == ["BLK code", "BLK name", "Province"]
    assert "Report month" in main and "Kode BLK" not in main
    # A retry keeps the language it was asked in, whatever the page's language now.
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED)
    retried = services_exports.export_retry(by=every_kind.directorate, job_id=job.pk)
    assert retried.language == "en"


def test_export_asked_in_indonesian(every_kind, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for("directorate").post(reverse("monitoring:export_list"), {"kind": "tenants", "file_format": "xlsx"})
    job = ExportJob.objects.get(owner=every_kind.directorate)
    assert job.language == "id"
    assert read_xlsx(job).sheetnames[0] == "Wirausaha binaan"


def _formats(ws) -> dict[str, str]:
    """header -> number format of the column's first data cell."""
    return {h: ws.cell(2, i).number_format for i, h in enumerate(headers(ws), 1)}


def test_years_are_plain_numbers_counts_have_no_decimals_money_is_rupiah(every_kind):
    user = every_kind.directorate
    reports = read_xlsx(run(user, "reports", **PARAMS["reports"]))["Laporan bulanan"]
    fmt = _formats(reports)
    assert fmt["Tahun dibangun"] == "0" and fmt["ID laporan"] == "0"
    assert as_dicts(reports)[0]["Tahun dibangun"] == 2019
    assert fmt["Alumni bekerja"] == "#,##0"
    assert fmt["Pendapatan mandiri (Rp)"] == '"Rp" #,##0'
    compliance = read_xlsx(run(user, "compliance", **PARAMS["compliance"])).worksheets[0]
    assert _formats(compliance)["Tahun dibangun"] == "0"
    assert _formats(compliance)["Bulan wajib lapor"] == "#,##0"
    ranking = read_xlsx(run(user, "ranking", **PARAMS["ranking"])).worksheets[0]
    fmt = _formats(ranking)
    assert fmt["Tahun dibangun"] == "0"
    # Numerators and denominators of counts show no decimals; a fraction shows two.
    assert fmt["Tingkat pelaporan: pembilang"] == "#,##0"
    assert fmt["Skor"] == "#,##0.00"
    from incubator.models import Tenant

    Tenant.objects.update(owner_birth_year=1990)
    tenants = read_xlsx(run(user, "tenants")).worksheets[0]
    assert _formats(tenants)["Tahun lahir"] == "0"
    assert _formats(tenants)["ID wirausaha"] == "0"
    assert _formats(read_xlsx(run(user, "batches")).worksheets[0])["ID angkatan"] == "0"


def test_ranking_fills_main_kejuruan_and_the_ranked_count_of_unranked_rows(world):
    snap = _ranking(world)
    # As snapshots computed before the fix were stored: the unranked centre's count is 0.
    RankingEntry.objects.filter(snapshot=snap, rank__isnull=True).update(peer_size=0)
    # Centre C is registered for las and TIK and trained TIK in the window: TIK is its main one.
    batch(world.centre_c, dt.date(2024, 2, 1), dt.date(2024, 3, 15), code="teknik-informatika")
    rows = {r["Kode BLK"]: r for r in as_dicts(read_xlsx(run(world.fkn, "ranking", period_to="2024-03")).worksheets[0])}
    assert rows["BLKK-A"]["Kejuruan utama"] == "Teknik Las"
    assert rows["BLKK-B"]["Kejuruan utama"] == "Teknik Informatika (TIK)"
    assert rows["BLKK-C"]["Kejuruan utama"] == "Teknik Informatika (TIK)"
    assert rows["BLKK-C"]["Peringkat"] is None
    assert [rows[c]["Jumlah BLK berperingkat di kelompok"] for c in ("BLKK-A", "BLKK-B", "BLKK-C")] == [2, 2, 2]


def test_ranking_computation_gives_unranked_entries_their_group_count(world):
    from monitoring import rankings

    entries = [
        RankingEntry(centre_id=1, peer_group="G", eligible=True, score=Decimal(90)),
        RankingEntry(centre_id=2, peer_group="G", eligible=True, score=Decimal(80)),
        RankingEntry(centre_id=3, peer_group="G", eligible=False, score=Decimal(0)),
        RankingEntry(centre_id=4, peer_group="H", eligible=False, score=Decimal(0)),
    ]
    rankings.assign_ranks(entries)
    assert [(e.rank, e.peer_size) for e in entries] == [(1, 2), (2, 2), (None, 2), (None, 0)]


@pytest.mark.parametrize("kind", sorted(PARAMS))
def test_every_sheet_prints_on_a4_landscape_fitted_to_width(every_kind, kind):
    job = run(every_kind.directorate, kind, **PARAMS[kind])
    wb = read_xlsx(job)
    assert len(wb.worksheets) >= 2  # the data and the methodology
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert (setup.orientation, str(setup.paperSize)) == ("landscape", "9"), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert ws.print_title_rows == "$1:$1"  # the header row on every page
        footer = ws.oddFooter
        first = wb.sheetnames[0]
        assert footer.left.text.strip() == (first if ws.title == first else f"{first} · {ws.title}")
        assert footer.center.text.strip() == "Halaman &P dari &N"
        assert footer.right.text.strip().startswith("Diekspor ")
        assert ws["A1"].alignment.wrap_text is True
        widths = [ws.column_dimensions[c.column_letter].width for c in ws[1]]
        assert all(MIN_WIDTH <= w <= 60 for w in widths), (ws.title, widths)
        for cell in ws[1]:
            # A column wider than the bound wraps its text.
            width = ws.column_dimensions[cell.column_letter].width
            values = [c for (c,) in ws.iter_rows(min_row=2, min_col=cell.column, max_col=cell.column) if c.value]
            assert width <= MAX_WIDTH or all(c.alignment.wrap_text for c in values), (ws.title, cell.value)


def test_methodology_text_wraps(every_kind):
    ws = read_xlsx(run(every_kind.directorate, "compliance", **PARAMS["compliance"]))["Metodologi"]
    column = headers(ws).index("Isi") + 1
    assert ws.cell(2, column).alignment.wrap_text is True
    assert ws.column_dimensions[ws.cell(1, column).column_letter].width <= 50


def test_footer_names_the_export_and_its_time(every_kind):
    job = run(every_kind.directorate, "tenants")
    wb = read_xlsx(job)
    footer = wb.worksheets[0].oddFooter
    assert footer.left.text.strip() == "Wirausaha binaan"
    local = job.started_at.astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert footer.right.text.strip() == f"Diekspor {local:%d/%m/%Y %H:%M} WIB"
    assert wb["Metodologi"].oddFooter.left.text.strip() == "Wirausaha binaan · Metodologi"


# The ranking page's own button ---------------------------------------------------------------


@pytest.fixture
def ranked(world):
    """A computed ranking of March 2024 with all three centres (A and C ranked, B not)."""
    from monitoring import services
    from tests.monitoring.conftest import report

    for month in (1, 2, 3):
        report(world.centre_a, dt.date(2024, month, 1), "approved")
        report(world.centre_c, dt.date(2024, month, 1), "approved")
    report(world.centre_b, dt.date(2024, 3, 1), "submitted")
    services.facts_rebuild()
    version = services.ranking_scheme_create(
        by=world.directorate,
        name="Kinerja",
        data={"window_months": 3, "min_verified_months": 2, "peer_by_cohort": False, "peer_by_kejuruan": False},
        weights={"reporting_rate": 100},
    )
    world.snapshot = services.ranking_compute(version=version, period=dt.date(2024, 3, 1))
    return world


def _export_from_page(client, query, capture):
    with capture(execute=True):
        return client.post(f"{reverse('monitoring:ranking_export')}?{query}")


def test_ranking_page_offers_the_export_of_what_it_shows(ranked, client_for):
    page = client_for("directorate").get(reverse("monitoring:ranking_list") + "?ranked_only=on").content.decode()
    assert 'id="ranking-export"' in page
    assert f'action="{reverse("monitoring:ranking_export")}?ranked_only=on"' in page
    assert "Ekspor ke Excel" in page


def test_ranking_export_button_creates_a_job_with_the_filters_shown(
    ranked, client_for, django_capture_on_commit_callbacks
):
    client = client_for("directorate")
    query = f"snapshot={ranked.snapshot.pk}&ranked_only=on&cohort_year=2019&page=2"
    response = _export_from_page(client, query, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get(owner=ranked.directorate)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('monitoring:export_list')}#export-job-{job.pk}"
    assert job.kind == ExportKind.RANKING and job.status == ExportStatus.DONE
    assert job.parameters == {
        "snapshot": ranked.snapshot.pk,
        "period_to": "2024-03",
        "cohort_year": 2019,
        "ranked_only": True,
    }
    rows = as_dicts(read_xlsx(job).worksheets[0])
    assert [r["Kode BLK"] for r in rows] == ["BLKK-A"]  # ranked, built in 2019
    page = client.get(response["Location"]).content.decode()
    assert f'id="export-job-{job.pk}"' in page and "Tahun dibangun 2019" in page


def test_ranking_export_of_the_whole_page(ranked, client_for, django_capture_on_commit_callbacks):
    _export_from_page(client_for("fkn"), "", django_capture_on_commit_callbacks)
    job = ExportJob.objects.get(owner=ranked.fkn)
    rows = {r["Kode BLK"]: r for r in as_dicts(read_xlsx(job).worksheets[0])}
    assert set(rows) == {"BLKK-A", "BLKK-B", "BLKK-C"}
    assert rows["BLKK-B"]["Peringkat"] is None
    assert rows["BLKK-B"]["Jumlah BLK berperingkat di kelompok"] == 2


def test_ranking_export_stays_in_the_reviewers_province(ranked, client_for, django_capture_on_commit_callbacks):
    client = client_for("reviewer")  # Jawa Barat
    response = _export_from_page(client, "province=35", django_capture_on_commit_callbacks)
    assert response.status_code == 404
    assert not ExportJob.objects.filter(owner=ranked.reviewer).exists()
    _export_from_page(client, "", django_capture_on_commit_callbacks)
    job = ExportJob.objects.get(owner=ranked.reviewer)
    assert [r["Kode BLK"] for r in as_dicts(read_xlsx(job).worksheets[0])] == ["BLKK-A"]


def test_ranking_export_for_a_manager_holds_their_centre_only(ranked, client_for, django_capture_on_commit_callbacks):
    _export_from_page(client_for("manager_b"), "", django_capture_on_commit_callbacks)
    job = ExportJob.objects.get(owner=ranked.manager_b)
    assert [r["Kode BLK"] for r in as_dicts(read_xlsx(job).worksheets[0])] == ["BLKK-B"]


def test_ranking_export_without_a_ranking_says_so(world, client_for):
    from monitoring import services

    services.ranking_scheme_create(
        by=world.directorate,
        name="Kinerja",
        data={"window_months": 3, "min_verified_months": 2, "peer_by_cohort": False, "peer_by_kejuruan": False},
        weights={"reporting_rate": 100},
    )
    from monitoring.models import RankingSnapshot

    RankingSnapshot.objects.all().delete()
    client = client_for("directorate")
    response = client.post(reverse("monitoring:ranking_export"), follow=True)
    assert "belum ada yang dapat diekspor" in response.content.decode()
    assert not ExportJob.objects.exists()
