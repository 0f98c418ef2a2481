"""The centre list: each filter narrows the list, sorting works, pages never 500."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from blkportal.registry.models import Regency
from tests.factories import CentreFactory, kejuruan

pytestmark = pytest.mark.django_db
URL = "/blk/"


def codes(response):
    """Registration codes in the table, in order."""
    return re.findall(r'<td class="text-nowrap small">([^<]+)</td>', response.content.decode())


def test_url_is_the_registry_list():
    assert reverse("registry:centre_list") == URL


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["BLKK-A", "BLKK-B", "BLKK-C"]),
        ("province=35", ["BLKK-B"]),
        ("province=32&regency=32.04", ["BLKK-A"]),
        ("regency=35.07", ["BLKK-B"]),  # the province follows from the kabupaten/kota
        ("cohort_year=2021", ["BLKK-C"]),
        ("kejuruan={tik}", ["BLKK-B", "BLKK-C"]),
        ("kemandirian_class=mandiri", ["BLKK-B"]),
        ("host_type=seminari", ["BLKK-C"]),
        ("is_incubator=true", ["BLKK-A"]),
        ("is_incubator=false", ["BLKK-B", "BLKK-C"]),
        ("active=false", ["BLKK-C"]),
        ("active=true", ["BLKK-A", "BLKK-B"]),
        ("q=nurul", ["BLKK-B"]),
        ("q=blkk-c", ["BLKK-C"]),
        ("q=%20%20", ["BLKK-A", "BLKK-B", "BLKK-C"]),
        ("province=32&kejuruan={las}&is_incubator=true", ["BLKK-A"]),
    ],
)
def test_each_filter_narrows_the_list(client_for, world, query, expected):
    world.centre_b.kemandirian_class = "mandiri"
    world.centre_b.kemandirian_assessed_on = dt.date(2023, 2, 1)
    world.centre_b.save()
    world.centre_c.deactivated_on = dt.date(2024, 6, 30)
    world.centre_c.save()
    query = query.format(tik=kejuruan("teknik-informatika").pk, las=kejuruan("teknik-las").pk)
    response = client_for("directorate").get(f"{URL}?{query}")
    assert response.status_code == 200
    assert sorted(codes(response)) == expected


def test_kejuruan_filter_lists_a_centre_once(client_for, world):
    world.centre_a.kejuruan.add(kejuruan("teknik-informatika"))
    response = client_for("directorate").get(f"{URL}?kejuruan={kejuruan('teknik-las').pk}")
    assert codes(response).count("BLKK-A") == 1


def test_regency_from_another_province_is_dropped(client_for, world):
    # The user switched province: the old kabupaten/kota no longer applies.
    response = client_for("directorate").get(f"{URL}?province=35&regency=32.04")
    assert codes(response) == ["BLKK-B"]
    assert "Filter tidak sah" not in response.content.decode()


def test_regency_choices_follow_the_province(client_for, world):
    body = client_for("directorate").get(f"{URL}?province=94").content.decode()
    regency_select = re.search(r'<select name="regency".*?</select>', body, re.S).group(0)
    assert regency_select.count("<option") == Regency.objects.filter(province_id="94").count() + 1
    assert "Kabupaten Bandung" not in regency_select
    body = client_for("directorate").get(URL).content.decode()
    regency_select = re.search(r'<select name="regency".*?</select>', body, re.S).group(0)
    assert regency_select.count("<option") == 1 and "Pilih provinsi" in regency_select


def test_province_choices_are_the_users_scope(client_for, world):
    body = client_for("reviewer").get(URL).content.decode()
    province_select = re.search(r'<select name="province".*?</select>', body, re.S).group(0)
    assert "Jawa Barat" in province_select and "Jawa Timur" not in province_select


def test_boolean_filters_read_all_yes_no(client_for, world):
    body = client_for("directorate").get(URL).content.decode()
    incubator = re.search(r'<select name="is_incubator".*?</select>', body, re.S).group(0)
    assert re.findall(r">([^<]+)</option>", incubator) == ["Semua", "Ya", "Tidak"]
    assert "Tidak diketahui" not in body


@pytest.mark.parametrize(
    "query",
    [
        "cohort_year=abc",
        "province=99",
        "province=abc",
        "regency=xx.yy",
        "kejuruan=999999",
        "kemandirian_class=hebat",
        "is_incubator=mungkin",
        "ordering=password",
        "page=abc",
        "page=999",
        "page=-1",
        "q=" + "x" * 5000,
    ],
)
def test_bad_filter_input_never_500(client_for, world, query):
    response = client_for("directorate").get(f"{URL}?{query}")
    assert response.status_code == 200


def test_invalid_filter_says_so_in_indonesian(client_for, world):
    body = client_for("directorate").get(f"{URL}?cohort_year=abc").content.decode()
    assert "Filter tidak sah" in body
    assert "Masukkan sebuah bilangan" in body or "Masukkan angka" in body
    assert codes(client_for("directorate").get(f"{URL}?cohort_year=abc")) == []


def test_manager_filtering_for_other_province_sees_nothing_else(client_for, world):
    response = client_for("manager_a").get(f"{URL}?province=35")
    assert "BLKK-B" not in response.content.decode()
    assert codes(client_for("manager_a").get(URL)) == ["BLKK-A"]


def test_pagination(client_for, world):
    for n in range(30):
        CentreFactory(reg_code=f"BLKK-P{n:02d}", name=f"BLK Komunitas Paginasi {n:02d}")
    client = client_for("directorate")
    first = codes(client.get(f"{URL}?q=paginasi"))
    second = codes(client.get(f"{URL}?q=paginasi&page=2"))
    assert len(first) == 25 and len(second) == 5
    assert not set(first) & set(second)
    body = client.get(f"{URL}?q=paginasi").content.decode()
    assert "Halaman 1 dari 2" in body
    assert re.search(r"\?q=paginasi&(amp;)?page=2", body)  # the next link keeps the filter
    # A page past the end shows the last page; a non-number the first.
    assert codes(client.get(f"{URL}?q=paginasi&page=999")) == second
    assert codes(client.get(f"{URL}?q=paginasi&page=abc")) == first


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("", ["BLKK-A", "BLKK-B", "BLKK-C"]),  # by name: Al-Hikmah, Nurul Huda, Seminari Nabire
        ("-name", ["BLKK-C", "BLKK-B", "BLKK-A"]),
        ("reg_code", ["BLKK-A", "BLKK-B", "BLKK-C"]),
        ("-reg_code", ["BLKK-C", "BLKK-B", "BLKK-A"]),
        ("-cohort_year", ["BLKK-C", "BLKK-B", "BLKK-A"]),
        ("province", ["BLKK-A", "BLKK-B", "BLKK-C"]),  # Jawa Barat, Jawa Timur, Papua Tengah
        ("-province", ["BLKK-C", "BLKK-B", "BLKK-A"]),
    ],
)
def test_sorting(client_for, world, ordering, expected):
    response = client_for("directorate").get(f"{URL}?ordering={ordering}")
    assert codes(response) == expected


def test_sort_ties_are_broken_by_name(client_for, world):
    for n in (3, 1, 2):
        CentreFactory(reg_code=f"BLKK-S{n}", name=f"BLK Komunitas Seri {n}", cohort_year=2030)
    assert codes(client_for("directorate").get(f"{URL}?q=seri&ordering=-cohort_year")) == [
        "BLKK-S1",
        "BLKK-S2",
        "BLKK-S3",
    ]


def test_sort_header_toggles_direction_and_keeps_filters(client_for, world):
    body = client_for("directorate").get(f"{URL}?province=32&ordering=reg_code&page=1").content.decode()
    assert 'href="?province=32&amp;ordering=-reg_code"' in body
    assert 'aria-sort="ascending"' in body
    body = client_for("directorate").get(f"{URL}?ordering=-reg_code").content.decode()
    assert 'href="?ordering=reg_code"' in body and 'aria-sort="descending"' in body


def test_years_are_not_shown_with_thousand_separators(client_for, world):
    body = client_for("directorate").get(URL).content.decode()
    assert "2.019" not in body and "2019" in body
    body = client_for("directorate").get(f"/blk/{world.centre_a.pk}/").content.decode()
    assert "2.019" not in body and "2.021" not in body


def test_htmx_request_returns_the_table_only(client_for, world):
    response = client_for("directorate").get(f"{URL}?province=35", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and codes(response) == ["BLKK-B"]


def test_regency_options_endpoint(client_for, world):
    client = client_for("manager_a")
    body = client.get("/wilayah/kabupaten/?province=51").content.decode()
    assert body.count("<option") == Regency.objects.filter(province_id="51").count() + 1
    assert "Kota Denpasar" in body and '<option value="">Semua</option>' in body
    assert "Pilih provinsi" in client.get("/wilayah/kabupaten/").content.decode()
    assert client.get("/wilayah/kabupaten/?province=x';--").status_code == 404
    assert client.get("/wilayah/kabupaten/?province=99").content.decode().count("<option") == 1
