"""Each export kind read back with openpyxl and compared with the database."""

import datetime as dt
from decimal import Decimal

import pytest

from monitoring import services_exports
from monitoring.models import ExportJob, ExportStatus
from tests.monitoring.test_export_helpers import as_dicts, make_batches, make_tenants, read_xlsx

pytestmark = pytest.mark.django_db


def run(user, kind, **params):
    job = ExportJob.objects.create(owner=user, kind=kind, parameters=params)
    job = services_exports.export_run(job_id=job.pk)
    assert job.status == ExportStatus.DONE, job.error_message
    return job


def test_tenants_with_their_latest_progress(world):
    tenant, other = make_tenants(world)
    job = run(world.directorate, "tenants")
    ws = read_xlsx(job).worksheets[0]
    assert ws.title == "Wirausaha binaan"
    rows = {r["ID wirausaha"]: r for r in as_dicts(ws)}
    assert set(rows) == {tenant.pk, other.pk}
    row = rows[tenant.pk]
    assert row["Nama usaha"] == "Keripik Singkong Rahma"
    assert row["Jenis kelamin"] == "Perempuan"
    assert row["Tahap"] == "Inkubasi"
    assert row["PIRT"] == "Ya" and row["NIB"] == "Tidak"
    assert row["Omzet awal per bulan (Rp)"] == Decimal(2_000_000)
    # The latest month (February), not the first.
    assert row["Bulan perkembangan terakhir"] == dt.datetime(2024, 2, 1)
    assert row["Omzet (Rp)"] == Decimal(4_500_000)
    assert row["Tenaga kerja"] == 3
    assert row["Tenaga kerja baru (terakhir − awal)"] == 2
    assert row["Saluran pemasaran"] == "Media sosial, Penjualan langsung/lokal"
    # A tenant without progress has empty progress cells, not zeros.
    assert rows[other.pk]["Omzet (Rp)"] is None and rows[other.pk]["Bulan perkembangan terakhir"] is None
    # No phone numbers or NIK hashes leave the portal in an export.
    header = [c.value for c in ws[1]]
    assert not any("elepon" in h or "NIK" in h for h in header)


def test_tenants_scope(world):
    make_tenants(world)
    job = run(world.manager_a, "tenants")
    assert {r["Kode BLK"] for r in as_dicts(read_xlsx(job).worksheets[0])} == {"BLKK-A"}


def test_batches_with_completion_rate_from_the_indicator(world):
    first, second = make_batches(world)
    job = run(world.directorate, "batches", period_from="2024-02", period_to="2024-02")
    rows = as_dicts(read_xlsx(job).worksheets[0])
    assert [r["ID angkatan"] for r in rows] == [first.pk]  # the March batch did not run in February
    row = rows[0]
    assert row["Jumlah peserta"] == 16 and row["Lulus"] == 14
    assert row["Sumber dana"] == "APBN / Banprog"
    assert row["Tanggal mulai"] == dt.datetime(2024, 1, 8)
    assert row["Tingkat kelulusan"] == pytest.approx(14 / 16)
    job = run(world.directorate, "batches")
    rows = as_dicts(read_xlsx(job).worksheets[0])
    assert len(rows) == 2
    # No outcome yet: the rate is empty, not 0 %.
    assert next(r for r in rows if r["ID angkatan"] == second.pk)["Tingkat kelulusan"] is None


def _fact(centre, month, **flags):
    from monitoring.models import CentreMonth

    return CentreMonth.objects.create(
        centre=centre,
        month=month,
        province_id=centre.province_id,
        regency_id=centre.regency_id,
        cohort_year=centre.cohort_year,
        is_incubator=centre.is_incubator,
        **flags,
    )


def test_compliance_per_centre_uses_the_indicator_definitions(world):
    jan, feb, mar = dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 3, 1)
    _fact(world.centre_a, jan, expected=True, reported=True, on_time=True, verified=True)
    _fact(world.centre_a, feb, expected=True, reported=True, on_time=False)
    _fact(world.centre_a, mar, expected=True)
    _fact(world.centre_b, jan, expected=True, reported=True, on_time=True)
    _fact(world.centre_b, dt.date(2023, 12, 1), expected=True, reported=True, on_time=True)  # outside the range
    # Centre C has no facts in the range: expected 0, rates empty (not 0 %).
    job = run(world.directorate, "compliance", period_from="2024-01", period_to="2024-03")
    rows = {r["Kode BLK"]: r for r in as_dicts(read_xlsx(job).worksheets[0])}
    assert set(rows) == {"BLKK-A", "BLKK-B", "BLKK-C"}
    a = rows["BLKK-A"]
    assert (a["Bulan wajib lapor"], a["Laporan masuk"], a["Laporan tepat waktu"], a["Terverifikasi/disetujui"]) == (
        3,
        2,
        1,
        1,
    )
    assert a["Tingkat pelaporan"] == pytest.approx(0.6667, abs=1e-4)
    assert a["Ketepatan waktu"] == pytest.approx(0.3333, abs=1e-4)
    assert a["Inkubator"] == "Ya"
    assert rows["BLKK-B"]["Tingkat pelaporan"] == 1
    assert rows["BLKK-C"]["Bulan wajib lapor"] == 0 and rows["BLKK-C"]["Tingkat pelaporan"] is None
    # The same numbers as the indicator module gives for the same facts.
    from monitoring import indicators
    from monitoring.models import CentreMonth

    facts = CentreMonth.objects.filter(centre=world.centre_a, month__range=(jan, mar))
    figure = indicators.evaluate(indicators.aggregate(facts, codes=["reporting_rate"])[0], ["reporting_rate"])
    assert a["Tingkat pelaporan"] == pytest.approx(float(figure["reporting_rate"].value) / 100)


def test_compliance_scope_for_a_provincial_coordinator(world):
    _fact(world.centre_a, dt.date(2024, 1, 1), expected=True, reported=True)
    _fact(world.centre_b, dt.date(2024, 1, 1), expected=True, reported=True)
    job = run(world.fkn_jabar, "compliance", period_from="2024-01", period_to="2024-01")
    assert [r["Kode BLK"] for r in as_dicts(read_xlsx(job).worksheets[0])] == ["BLKK-A"]


def _ranking(world):
    from monitoring.models import RankingComponent, RankingEntry, RankingScheme, RankingSchemeVersion, RankingSnapshot

    scheme = RankingScheme.objects.create(name="Peringkat kinerja BLK", is_default=True)
    v1 = RankingSchemeVersion.objects.create(scheme=scheme, number=1, description="Versi awal")
    v2 = RankingSchemeVersion.objects.create(
        scheme=scheme, number=2, description="Bobot pelaporan dinaikkan", window_months=12, min_verified_months=3
    )
    for version in (v1, v2):
        RankingComponent.objects.create(version=version, indicator="reporting_rate", weight=60, position=1)
        RankingComponent.objects.create(version=version, indicator="completion_rate", weight=40, position=2)
    snap = RankingSnapshot.objects.create(version=v2, period=dt.date(2024, 3, 1), frozen=True, entry_count=3)
    old = RankingSnapshot.objects.create(version=v1, period=dt.date(2024, 2, 1), frozen=True)

    def entry(snapshot, centre, rank, score, reported, expected):
        return RankingEntry.objects.create(
            snapshot=snapshot,
            centre=centre,
            province_id=centre.province_id,
            cohort_year=centre.cohort_year,
            peer_group="Angkatan 2019-2020",
            peer_size=2,
            verified_months=reported,
            expected_months=expected,
            eligible=rank is not None,
            score=Decimal(score),
            rank=rank,
            components=[
                {
                    "indicator": "reporting_rate",
                    "label": "Tingkat pelaporan",
                    "numerator": reported,
                    "denominator": expected,
                    "value": round(100 * reported / expected, 2),
                    "weight": 60,
                    "points": round(60 * reported / expected, 2),
                },
                {
                    "indicator": "completion_rate",
                    "label": "Tingkat kelulusan",
                    "numerator": 14,
                    "denominator": 16,
                    "value": 87.5,
                    "weight": 40,
                    "points": 35.0,
                },
            ],
        )

    entry(snap, world.centre_a, 1, "95.00", 12, 12)
    entry(snap, world.centre_b, 2, "80.00", 9, 12)
    entry(snap, world.centre_c, None, "0", 1, 12)
    entry(old, world.centre_a, 1, "50.00", 6, 12)
    return snap


def test_ranking_with_breakdown_and_methodology(world):
    snap = _ranking(world)
    job = run(world.fkn, "ranking", period_to="2024-03")
    wb = read_xlsx(job)
    assert wb.sheetnames == ["Peringkat", "Metodologi"]
    rows = as_dicts(wb["Peringkat"])
    assert [r["Kode BLK"] for r in rows] == ["BLKK-A", "BLKK-B", "BLKK-C"]
    a = rows[0]
    assert a["Peringkat"] == 1 and a["Skor"] == 95
    assert a["Tingkat pelaporan: pembilang"] == 12 and a["Tingkat pelaporan: penyebut"] == 12
    assert a["Tingkat pelaporan: nilai"] == 1 and a["Tingkat pelaporan: bobot (%)"] == 60
    assert a["Tingkat kelulusan: nilai"] == pytest.approx(0.875)
    assert rows[2]["Peringkat"] is None and rows[2]["Memenuhi syarat data minimal"] == "Tidak"
    method = {(r[0], r[1]): r[2] for r in wb["Metodologi"].iter_rows(min_row=2, values_only=True)}
    assert method[("Skema", "Nama")] == "Peringkat kinerja BLK"
    assert method[("Skema", "Versi")] == f"v{snap.version.number}" == "v2"
    assert method[("Snapshot", "Periode (bulan terakhir jendela)")] == "03/2024"
    assert "laporan masuk" in method[("Komponen", "Tingkat pelaporan")]


def test_ranking_of_an_older_month_names_its_own_version(world):
    _ranking(world)
    job = run(world.fkn, "ranking", period_to="2024-02")
    wb = read_xlsx(job)
    method = {(r[0], r[1]): r[2] for r in wb["Metodologi"].iter_rows(min_row=2, values_only=True)}
    assert method[("Skema", "Versi")] == "v1"
    assert as_dicts(wb["Peringkat"])[0]["Skor"] == 50


def test_ranking_for_a_manager_holds_their_centre_only(world):
    _ranking(world)
    job = run(world.manager_b, "ranking")
    assert [r["Kode BLK"] for r in as_dicts(read_xlsx(job).worksheets[0])] == ["BLKK-B"]


def test_ranking_without_a_snapshot_fails_with_a_message(world):
    job = ExportJob.objects.create(owner=world.fkn, kind="ranking", parameters={"period_to": "2024-03"})
    job = services_exports.export_run(job_id=job.pk)
    assert job.status == ExportStatus.FAILED
    assert job.error_message == "Belum ada peringkat yang dihitung untuk bulan tersebut."
