"""Incubator pages: scoping, filters, and bad input answered in Indonesian with nothing lost."""

import datetime as dt

import pytest
from django.urls import reverse

from blkportal.core.months import add_months, first_of_month, today
from incubator import services
from incubator.models import Bantuan, MentoringSession, Stage, Tenant, TenantProgress

pytestmark = pytest.mark.django_db


def url(name, *args, **query):
    from urllib.parse import urlencode

    u = reverse(f"incubator:{name}", args=args)
    return f"{u}?{urlencode(query)}" if query else u


def errors_of(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


# --- Scoping -----------------------------------------------------------------------------------------


def test_mentor_sees_only_assigned_centres(world, make_tenant, centre_b_incubator, client_for):
    own = make_tenant(business_name="Roti Al-Hikmah")
    other = make_tenant(centre=centre_b_incubator, business_name="Kopi Nurul Huda", by=world.manager_b)
    c = client_for("mentor_a")

    listing = c.get(url("tenant_list"))
    assert "Roti Al-Hikmah" in listing.content.decode()
    assert "Kopi Nurul Huda" not in listing.content.decode()
    # The centre filter offers only the mentor's centre.
    assert list(listing.context["filter"].form.fields["centre"].queryset) == [world.centre_a]

    assert c.get(url("tenant_detail", own.pk)).status_code == 200
    assert c.get(url("tenant_detail", other.pk)).status_code == 404
    assert c.get(url("centre_summary", centre_b_incubator.pk)).status_code == 404
    overview = c.get(url("overview")).content.decode()
    assert world.centre_a.name in overview and centre_b_incubator.name not in overview
    # Filtering by the other centre's id shows nothing rather than its tenants.
    forged = c.get(url("tenant_list", centre=centre_b_incubator.pk)).content.decode()
    assert "Kopi Nurul Huda" not in forged


def test_mentor_can_log_and_record_progress_but_not_manage(world, make_tenant, client_for):
    tenant = make_tenant()
    c = client_for("mentor_a")
    assert c.get(url("session_create", tenant.pk)).status_code == 200
    assert c.get(url("progress_record", tenant.pk)).status_code == 200
    for name in ("tenant_edit", "tenant_stage", "bantuan_create"):
        assert c.get(url(name, tenant.pk)).status_code == 404, name
    response = c.post(url("tenant_stage", tenant.pk), {"to_stage": "inkubasi", "changed_on": "2023-03-01"})
    assert response.status_code == 404
    assert not TenantProgress.objects.exists()


def test_session_for_tenant_of_another_centre_is_404_and_not_saved(world, make_tenant, centre_b_incubator, client_for):
    other = make_tenant(centre=centre_b_incubator, by=world.manager_b)
    data = {"held_on": "2023-02-01", "mentor_name": "Dr. Rina", "topic": "Pemasaran", "duration_minutes": "60"}
    for persona in ("mentor_a", "manager_a"):
        assert client_for(persona).post(url("session_create", other.pk), data).status_code == 404
    assert not MentoringSession.objects.exists()
    assert client_for("manager_b").post(url("session_create", other.pk), data).status_code == 302
    assert MentoringSession.objects.count() == 1


def test_reviewer_sees_own_province_only(world, make_tenant, centre_b_incubator, client_for):
    make_tenant(business_name="Batik Jabar")
    make_tenant(centre=centre_b_incubator, business_name="Tempe Jatim", by=world.manager_b)
    page = client_for("reviewer").get(url("tenant_list")).content.decode()
    assert "Batik Jabar" in page and "Tempe Jatim" not in page
    national = client_for("directorate").get(url("tenant_list")).content.decode()
    assert "Batik Jabar" in national and "Tempe Jatim" in national


# --- List filters and pagination ---------------------------------------------------------------------


def test_tenant_list_filters(world, make_tenant, centre_b_incubator, client_for):
    make_tenant(business_name="Ayam Goreng 2023", sector="jasa_boga", entry_date=dt.date(2023, 3, 1))
    t2 = make_tenant(business_name="Ikan Lele 2024", sector="perikanan", entry_date=dt.date(2024, 2, 1))
    services.tenant_move_stage(by=world.manager_a, tenant=t2, to_stage=Stage.INKUBASI, on=dt.date(2024, 3, 1))
    make_tenant(centre=centre_b_incubator, business_name="Kaos Sablon Jatim", sector="usaha_kreatif")
    c = client_for("directorate")

    def names(**query):
        response = c.get(url("tenant_list", **query))
        assert response.status_code == 200
        return sorted(t.business_name for t in response.context["page"])

    assert names() == ["Ayam Goreng 2023", "Ikan Lele 2024", "Kaos Sablon Jatim"]
    assert names(sector="perikanan") == ["Ikan Lele 2024"]
    assert names(stage="inkubasi") == ["Ikan Lele 2024"]
    assert names(cohort="2023") == ["Ayam Goreng 2023", "Kaos Sablon Jatim"]
    assert names(province="35") == ["Kaos Sablon Jatim"]
    assert names(centre=str(world.centre_a.pk)) == ["Ayam Goreng 2023", "Ikan Lele 2024"]
    assert names(q="lele") == ["Ikan Lele 2024"]
    # Forged filter values are a filter error, not a 500 and not everything.
    assert names(cohort="99999") == []
    assert names(stage="terbang") == []
    assert names(centre="abc") == []


def test_tenant_list_paginates(world, client_for):
    Tenant.objects.bulk_create(
        [
            Tenant(
                centre=world.centre_a,
                owner_name=f"Pemilik {n}",
                owner_sex="L",
                business_name=f"Usaha {n:02d}",
                legal_form="perorangan",
                sector="jasa",
                entry_date=dt.date(2024, 1, 1),
                stage_since=dt.date(2024, 1, 1),
            )
            for n in range(30)
        ]
    )
    c = client_for("manager_a")
    first = c.get(url("tenant_list"))
    assert len(first.context["page"]) == 25
    second = c.get(url("tenant_list", page="2"))
    assert len(second.context["page"]) == 5
    assert c.get(url("tenant_list", page="abc")).status_code == 200


# --- Registration ------------------------------------------------------------------------------------

FORM = {
    "business_name": "Sambal Roa Mantap",
    "legal_form": "perorangan",
    "sector": "jasa_boga",
    "owner_name": "Ibu Aminah",
    "owner_sex": "P",
    "owner_birth_year": "1990",
    "owner_phone": "0812",
    "nik": "3204 1234 5678 0001",
    "entry_date": "2024-01-15",
    "stage": "pra_inkubasi",
    "baseline_omzet": "1.500.000",
    "baseline_workers": "1",
}


def test_register_through_the_page(world, client_for):
    response = client_for("manager_a").post(url("tenant_create", world.centre_a.pk), FORM)
    tenant = Tenant.objects.get()
    assert response.status_code == 302 and response["Location"] == url("tenant_detail", tenant.pk)
    assert tenant.baseline_omzet == 1_500_000
    assert tenant.nik_hash and "3204" not in tenant.nik_hash


def test_register_bad_input_keeps_what_was_typed(world, client_for):
    response = client_for("manager_a").post(
        url("tenant_create", world.centre_a.pk), {**FORM, "baseline_omzet": "-500.000"}
    )
    assert response.status_code == 200
    assert errors_of(response, "baseline_omzet") == ["Omzet awal tidak boleh negatif."]
    html = response.content.decode()
    assert 'value="Sambal Roa Mantap"' in html and 'value="-500.000"' in html
    assert not Tenant.objects.exists()


def test_duplicate_nik_elsewhere_shows_warning_only(world, make_tenant, centre_b_incubator, client_for):
    make_tenant(centre=centre_b_incubator, nik="3204123456780001", business_name="Rahasia B", by=world.manager_b)
    response = client_for("manager_a").post(url("tenant_create", world.centre_a.pk), FORM, follow=True)
    html = response.content.decode()
    assert "sudah tercatat sebagai wirausaha binaan di BLK lain" in html
    assert "Rahasia B" not in html and centre_b_incubator.name not in html


# --- Stage page --------------------------------------------------------------------------------------


def test_disallowed_stage_move_shows_message_and_keeps_stage(world, make_tenant, client_for):
    tenant = make_tenant(stage=Stage.PASCA_INKUBASI)
    services.tenant_move_stage(by=world.manager_a, tenant=tenant, to_stage=Stage.MANDIRI, on=dt.date(2024, 1, 1))
    c = client_for("manager_a")
    response = c.post(url("tenant_stage", tenant.pk), {"to_stage": "inkubasi", "changed_on": "2024-02-01"})
    assert response.status_code == 200
    assert errors_of(response, "reason") == ["Mundur dari tahap mandiri wajib disertai alasan."]
    tenant.refresh_from_db()
    assert tenant.stage == Stage.MANDIRI
    ok = c.post(
        url("tenant_stage", tenant.pk),
        {"to_stage": "inkubasi", "changed_on": "2024-02-01", "reason": "Omzet turun drastis"},
    )
    assert ok.status_code == 302
    tenant.refresh_from_db()
    assert tenant.stage == Stage.INKUBASI


def test_refused_targets_are_not_offered(world, make_tenant, client_for):
    tenant = make_tenant()
    response = client_for("manager_a").get(url("tenant_stage", tenant.pk))
    offered = [v for v, _label in response.context["form"].fields["to_stage"].choices]
    assert "mandiri" not in offered and "pra_inkubasi" not in offered and "inkubasi" in offered
    forged = client_for("manager_a").post(
        url("tenant_stage", tenant.pk), {"to_stage": "mandiri", "changed_on": "2024-02-01"}
    )
    assert forged.status_code == 200 and forged.context["form"].errors["to_stage"]


# --- Progress page -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"month": "2022-12"}, "month", "Desember 2022 sebelum bulan masuk inkubator (Januari 2023)"),
        ({"omzet": "-1.000"}, "omzet", "Omzet tidak boleh negatif."),
        ({"omzet": "sejuta"}, "omzet", "Isi angka rupiah tanpa sen"),
        ({"workers": "0"}, "workers", "Tenaga kerja minimal 1 (pemilik)."),
        ({"workers": "dua"}, "workers", "bilangan bulat"),
        ({"month": "2024-13"}, "month", "format TTTT-BB"),
        ({"profit": "9.000.000"}, "profit", "Laba tidak boleh lebih besar dari omzet."),
    ],
)
def test_progress_bad_input(world, make_tenant, client_for, data, field, message):
    tenant = make_tenant()
    base = {"month": "2023-02", "omzet": "2.000.000", "profit": "-100.000", "workers": "2", "problems": "Hujan terus"}
    response = client_for("manager_a").post(url("progress_record", tenant.pk), {**base, **data})
    assert response.status_code == 200
    assert any(message in e for e in errors_of(response, field)), response.context["form"].errors
    assert "Hujan terus" in response.content.decode()  # what was typed stays
    assert not TenantProgress.objects.exists()


def test_progress_for_a_future_month_is_refused(world, make_tenant, client_for):
    tenant = make_tenant()
    future = add_months(first_of_month(today()), 1).strftime("%Y-%m")
    response = client_for("manager_a").post(
        url("progress_record", tenant.pk), {"month": future, "omzet": "1", "profit": "0", "workers": "1"}
    )
    assert "belum tiba" in errors_of(response, "month")[0]
    assert not TenantProgress.objects.exists()


def test_progress_correction_prefills_the_month(world, make_tenant, client_for):
    tenant = make_tenant()
    services.progress_record(
        by=world.manager_a, tenant=tenant, month=dt.date(2023, 2, 1), data={"omzet": 5_000, "profit": -7, "workers": 3}
    )
    c = client_for("manager_a")
    page = c.get(url("progress_record", tenant.pk, bulan="2023-02")).content.decode()
    assert 'value="2023-02"' in page and 'value="5.000"' in page and 'value="-7"' in page
    assert c.get(url("progress_record", tenant.pk, bulan="bukan-bulan")).status_code == 200
    c.post(url("progress_record", tenant.pk), {"month": "2023-02", "omzet": "6000", "profit": "0", "workers": "3"})
    assert TenantProgress.objects.get().omzet == 6000


# --- Aid and detail ----------------------------------------------------------------------------------


def test_bantuan_negative_amount(world, make_tenant, client_for):
    tenant = make_tenant()
    data = {"kind": "tkm_pemula", "amount": "-10.000.000", "received_on": "2023-05-01", "source": "Kemnaker"}
    response = client_for("manager_a").post(url("bantuan_create", tenant.pk), data)
    assert errors_of(response, "amount") == ["Nilai bantuan tidak boleh negatif."]
    assert not Bantuan.objects.exists()
    ok = client_for("manager_a").post(url("bantuan_create", tenant.pk), {**data, "amount": "10.000.000"})
    assert ok.status_code == 302 and Bantuan.objects.get().amount == 10_000_000


def test_detail_shows_timeline_and_chart_data(world, make_tenant, client_for):
    tenant = make_tenant()
    services.tenant_move_stage(by=world.manager_a, tenant=tenant, to_stage=Stage.INKUBASI, on=dt.date(2023, 3, 1))
    services.bantuan_add(
        by=world.manager_a,
        tenant=tenant,
        data={"kind": "tkm_pemula", "amount": 10_000_000, "received_on": dt.date(2023, 4, 1), "source": "Kemnaker"},
    )
    services.session_log(
        by=world.manager_a,
        tenant=tenant,
        data={"held_on": dt.date(2023, 5, 1), "mentor_name": "Dr. Rina", "topic": "Kemasan", "duration_minutes": 45},
    )
    for month, omzet, workers in [(2, 2_500_000, 1), (3, 3_000_000, 2)]:
        services.progress_record(
            by=world.manager_a,
            tenant=tenant,
            month=dt.date(2023, month, 1),
            data={"omzet": omzet, "profit": 0, "workers": workers},
        )
    response = client_for("mentor_a").get(url("tenant_detail", tenant.pk))
    html = response.content.decode()
    kinds = [e["kind"] for e in response.context["timeline"]]
    assert kinds == ["sesi", "bantuan", "stage", "stage"]  # newest first
    assert "Pendampingan: Kemasan" in html and "Bantuan TKM Pemula" in html and "Pra-inkubasi → Inkubasi" in html
    assert response.context["chart"]["labels"] == ["2023-02", "2023-03"]
    assert response.context["chart"]["omzet"] == [2_500_000, 3_000_000]
    assert response.context["chart"]["workers"] == [1, 2]
    assert 'id="tenant-chart-data"' in html and "chart.umd.min.js" in html
    # The mentor logs mentoring and records progress, but has none of the manager's other buttons.
    assert url("session_create", tenant.pk) in html and url("progress_record", tenant.pk) in html
    assert url("tenant_stage", tenant.pk) not in html and url("tenant_edit", tenant.pk) not in html


def test_centre_summary_and_overview(world, make_tenant, client_for):
    for n in range(3):
        make_tenant(business_name=f"Usaha {n}")
    summary = client_for("manager_a").get(url("centre_summary", world.centre_a.pk))
    assert summary.context["summary"]["active"].numerator == 3
    assert summary.context["summary"]["active"].denominator == 10
    overview = client_for("fkn").get(url("overview"))
    assert overview.status_code == 200
    row = next(r for r in overview.context["centre_rows"] if r["centre"] == world.centre_a)
    assert (row["active"], row["percent"], row["meets"]) == (3, 30, False)


def test_home_panel_and_nav(world, make_tenant, client_for):
    make_tenant()
    home = client_for("manager_a").get(reverse("home")).content.decode()
    assert 'id="incubator-panel"' in home and url("overview") in home
    # Centre B's manager has no incubator: no panel, no menu item.
    home_b = client_for("manager_b").get(reverse("home")).content.decode()
    assert 'id="incubator-panel"' not in home_b and url("overview") not in home_b


def test_national_overview_is_cached_but_centre_pages_are_live(world, make_tenant, client_for):
    make_tenant(business_name="Pertama")
    c = client_for("directorate")
    first = c.get(url("overview"))
    assert first.context["summary"]["active"].numerator == 1
    assert 'id="computed-at"' in first.content.decode()
    make_tenant(business_name="Kedua")
    # Within ten minutes the national figures are the cached ones (the page says when they were computed)...
    assert c.get(url("overview")).context["summary"]["active"].numerator == 1
    # ...while the centre's own summary is live.
    assert c.get(url("centre_summary", world.centre_a.pk)).context["summary"]["active"].numerator == 2
    manager = client_for("manager_a").get(url("overview"))
    assert manager.context["summary"]["active"].numerator == 2
    assert 'id="computed-at"' not in manager.content.decode()


def test_edit_tenant_replaces_nik_only_when_given(world, make_tenant, client_for):
    tenant = make_tenant(nik="3204123456780001")
    old_hash = tenant.nik_hash
    c = client_for("manager_a")
    form = c.get(url("tenant_edit", tenant.pk)).context["form"]
    assert form["nik"].value() in (None, "")  # a stored NIK is never shown back
    data = {
        "business_name": "Nama Baru",
        "legal_form": "koperasi",
        "sector": "jasa_boga",
        "owner_name": tenant.owner_name,
        "owner_sex": "P",
        "owner_birth_year": "1988",
        "entry_date": "2023-01-10",
        "baseline_omzet": "2.000.000",
        "baseline_workers": "1",
        "nik": "",
    }
    assert c.post(url("tenant_edit", tenant.pk), data).status_code == 302
    tenant.refresh_from_db()
    assert (tenant.business_name, tenant.legal_form, tenant.nik_hash) == ("Nama Baru", "koperasi", old_hash)
    # A bad entry date is refused beside the field and nothing changes.
    bad = c.post(url("tenant_edit", tenant.pk), {**data, "entry_date": "2100-01-01", "business_name": "Lain"})
    assert bad.status_code == 200 and "masa depan" in errors_of(bad, "entry_date")[0]
    tenant.refresh_from_db()
    assert tenant.business_name == "Nama Baru"
    c.post(url("tenant_edit", tenant.pk), {**data, "nik": "3204123456780002"})
    tenant.refresh_from_db()
    assert tenant.nik_hash != old_hash
