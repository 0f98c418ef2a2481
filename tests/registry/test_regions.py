"""Regions: the vendored idn-area-data CSVs, validated before anything is written."""

import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from blkportal.registry.models import Province, Regency
from blkportal.registry.regions import DEFAULT_DIR, RegionDataError, load_regions, read_regions

pytestmark = pytest.mark.django_db


def test_real_files_hold_38_provinces_and_514_regencies():
    provinces, regencies = read_regions()
    assert len(provinces) == 38 and len(regencies) == 514


def test_loaded_regions_with_time_zones(reference_data):
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
    zones = dict(Province.objects.values_list("code", "timezone"))
    assert zones["94"] == "Asia/Jayapura"  # Papua Tengah: WIT
    assert zones["51"] == "Asia/Makassar"  # Bali: WITA
    assert zones["32"] == "Asia/Jakarta"  # Jawa Barat: WIB
    assert zones["11"] == "Asia/Jakarta" and zones["73"] == "Asia/Makassar" and zones["81"] == "Asia/Jayapura"
    assert set(zones.values()) == {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"}
    # Every Papua province (91-97) is WIT; Kalimantan Timur (64) is WITA.
    assert all(zones[c] == "Asia/Jayapura" for c in zones if c.startswith("9"))
    assert zones["64"] == "Asia/Makassar"
    assert Regency.objects.get(code="32.04").name == "Kabupaten Bandung"
    assert Regency.objects.get(code="32.04").province_id == "32"
    assert Regency.objects.filter(province_id="94").count() == 8


def test_loading_twice_changes_nothing(reference_data):
    before = (
        list(Province.objects.order_by("code").values_list()),
        list(Regency.objects.order_by("code").values_list()),
    )
    assert load_regions() == (0, 0)
    assert load_regions() == (0, 0)
    after = (
        list(Province.objects.order_by("code").values_list()),
        list(Regency.objects.order_by("code").values_list()),
    )
    assert before == after


def test_load_repairs_a_changed_name(reference_data):
    Province.objects.filter(code="51").update(name="Pulau Dewata", timezone="Asia/Jakarta")
    Regency.objects.filter(code="51.71").update(name="Denpasar Lama")
    assert load_regions() == (1, 1)
    assert Province.objects.get(code="51").timezone == "Asia/Makassar"
    assert Regency.objects.get(code="51.71").name == "Kota Denpasar"


@pytest.fixture
def regions_copy(tmp_path):
    target = tmp_path / "regions"
    shutil.copytree(DEFAULT_DIR, target)
    return target


def replace_line(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_number(path, startswith) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(startswith):
            return number
    raise AssertionError(startswith)


BAD_ROWS = [
    # (file, original line start, replacement line, words in the message)
    ("regencies.csv", "51.71,", "5171,51,Kota Denpasar", "kode kabupaten/kota '5171' tidak sah"),
    ("regencies.csv", "51.71,", ",51,Kota Denpasar", "kode kabupaten/kota '' tidak sah"),
    ("regencies.csv", "51.71,", "51.71,52,Kota Denpasar", "kode provinsi '52' tidak cocok"),
    ("regencies.csv", "51.71,", "51.71,99,Kota Denpasar", "kode provinsi '99' tidak cocok"),
    ("regencies.csv", "51.71,", "51.71,51,", "nama kabupaten/kota kosong"),
    ("regencies.csv", "51.71,", "51.06,51,Kota Denpasar", "'51.06' ganda"),
    ("provinces.csv", "94,", "9X,Papua Tengah", "kode provinsi '9X' tidak sah"),
    ("provinces.csv", "94,", ",Papua Tengah", "kode provinsi '' tidak sah"),
    ("provinces.csv", "94,", "94,", "nama provinsi kosong"),
    ("province_timezones.csv", "94,", "94,Asia/Tokyo", "zona waktu 'Asia/Tokyo' tidak dikenal"),
]


@pytest.mark.parametrize(("name", "start", "line", "message"), BAD_ROWS)
def test_bad_row_stops_the_load_and_names_the_row(regions_copy, name, start, line, message):
    path = regions_copy / name
    row = line_number(path, start)
    original = next(raw for raw in path.read_text(encoding="utf-8").splitlines() if raw.startswith(start))
    replace_line(path, original, line)
    Regency.objects.all().delete()
    Province.objects.all().delete()
    with pytest.raises(RegionDataError) as info:
        load_regions(regions_copy)
    assert f"{name} baris {row}" in str(info.value) and message in str(info.value)
    # Nothing loaded half-way.
    assert (Province.objects.count(), Regency.objects.count()) == (0, 0)


def test_a_bad_row_leaves_existing_regions_untouched(reference_data, regions_copy):
    replace_line(regions_copy / "provinces.csv", "51,Bali", "51,Bali Baru")  # a valid change...
    replace_line(regions_copy / "regencies.csv", "94.01,94,", "94.01,95,")  # ...and a bad row after it
    before = (Province.objects.count(), Regency.objects.count())
    with pytest.raises(RegionDataError, match=r"regencies.csv baris \d+"):
        load_regions(regions_copy)
    assert (Province.objects.count(), Regency.objects.count()) == before
    assert Province.objects.get(code="51").name == "Bali"


def test_missing_timezone(regions_copy):
    replace_line(regions_copy / "province_timezones.csv", "94,Asia/Jayapura\n", "")
    with pytest.raises(RegionDataError, match=r"provinces.csv baris \d+: provinsi '94' tidak punya zona waktu"):
        load_regions(regions_copy)


def test_missing_file(regions_copy):
    (regions_copy / "regencies.csv").unlink()
    with pytest.raises(RegionDataError, match="regencies.csv tidak ditemukan"):
        read_regions(regions_copy)


def test_missing_column(regions_copy):
    replace_line(regions_copy / "regencies.csv", "code,province_code,name", "kode,province_code,name")
    with pytest.raises(RegionDataError, match="regencies.csv: kolom code tidak ada"):
        read_regions(regions_copy)


def test_command_reports_error_without_traceback(regions_copy, capsys):
    replace_line(regions_copy / "regencies.csv", "51.71,", "51.7X,")
    row = line_number(regions_copy / "regencies.csv", "51.7X,")
    before = (Province.objects.count(), Regency.objects.count())
    with pytest.raises(CommandError) as info:
        call_command("load_regions", "--dir", str(regions_copy))
    assert (
        str(info.value)
        == f"Data wilayah tidak dimuat: regencies.csv baris {row}: kode kabupaten/kota '51.7X' tidak sah."
    )
    assert (Province.objects.count(), Regency.objects.count()) == before


def test_command_from_the_shell_prints_one_line_no_traceback(regions_copy):
    import os
    import subprocess
    import sys

    from django.conf import settings

    replace_line(regions_copy / "provinces.csv", "94,", "9X,")
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_REPLICA_URL")}
    # Validation fails before any query; an empty throwaway database keeps the real one out of it.
    env.update(DATABASE_URL=f"sqlite:///{regions_copy / 'db.sqlite3'}")
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    result = subprocess.run(
        [*manage, "load_regions", "--dir", str(regions_copy)], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "CommandError: Data wilayah tidak dimuat: provinces.csv baris" in result.stderr
    assert "kode provinsi '9X' tidak sah" in result.stderr
    assert "Traceback" not in result.stderr


def test_command_success_message(reference_data, capsys):
    call_command("load_regions")
    assert "Wilayah: 0 provinsi dan 0 kabupaten/kota baru atau berubah." in capsys.readouterr().out
