"""Load provinces and kabupaten/kota from the vendored idn-area-data CSVs (data/regions/).

Everything is validated before anything is written, and the write is one transaction: a bad or
missing code stops the load with the file and row named, and nothing is loaded half-way.
"""

import csv
import re
from pathlib import Path

from django.conf import settings
from django.db import transaction

DEFAULT_DIR = Path(settings.BASE_DIR) / "data" / "regions"
PROVINCE_CODE = re.compile(r"^\d{2}$")
REGENCY_CODE = re.compile(r"^(\d{2})\.\d{2}$")
TIMEZONES = {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"}


class RegionDataError(Exception):
    pass


def _rows(path: Path, columns: list[str]):
    if not path.exists():
        raise RegionDataError(f"Berkas {path.name} tidak ditemukan.")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise RegionDataError(f"{path.name}: kolom {', '.join(missing)} tidak ada.")
        # Row numbers as a spreadsheet shows them: the header is row 1.
        for number, row in enumerate(reader, start=2):
            yield number, {c: (row.get(c) or "").strip() for c in columns}


def read_regions(directory: Path = DEFAULT_DIR):
    """Parse and validate; returns (provinces, regencies) as lists of dicts."""
    directory = Path(directory)
    timezones = {}
    for n, row in _rows(directory / "province_timezones.csv", ["province_code", "timezone"]):
        if row["timezone"] not in TIMEZONES:
            raise RegionDataError(f"province_timezones.csv baris {n}: zona waktu '{row['timezone']}' tidak dikenal.")
        timezones[row["province_code"]] = row["timezone"]

    provinces = {}
    for n, row in _rows(directory / "provinces.csv", ["code", "name"]):
        code = row["code"]
        if not PROVINCE_CODE.match(code):
            raise RegionDataError(f"provinces.csv baris {n}: kode provinsi '{code}' tidak sah.")
        if not row["name"]:
            raise RegionDataError(f"provinces.csv baris {n}: nama provinsi kosong.")
        if code in provinces:
            raise RegionDataError(f"provinces.csv baris {n}: kode provinsi '{code}' ganda.")
        if code not in timezones:
            raise RegionDataError(f"provinces.csv baris {n}: provinsi '{code}' tidak punya zona waktu.")
        provinces[code] = {"code": code, "name": row["name"], "timezone": timezones[code]}

    regencies = {}
    for n, row in _rows(directory / "regencies.csv", ["code", "province_code", "name"]):
        code = row["code"]
        match = REGENCY_CODE.match(code)
        if not match:
            raise RegionDataError(f"regencies.csv baris {n}: kode kabupaten/kota '{code}' tidak sah.")
        if row["province_code"] not in provinces or match.group(1) != row["province_code"]:
            raise RegionDataError(
                f"regencies.csv baris {n}: kode provinsi '{row['province_code']}' tidak cocok atau tidak ada."
            )
        if not row["name"]:
            raise RegionDataError(f"regencies.csv baris {n}: nama kabupaten/kota kosong.")
        if code in regencies:
            raise RegionDataError(f"regencies.csv baris {n}: kode kabupaten/kota '{code}' ganda.")
        regencies[code] = {"code": code, "province_id": row["province_code"], "name": row["name"]}
    if not provinces or not regencies:
        raise RegionDataError("Data wilayah kosong.")
    return list(provinces.values()), list(regencies.values())


def load_regions(directory: Path = DEFAULT_DIR, province_model=None, regency_model=None) -> tuple[int, int]:
    """Create or update every province and regency. Idempotent. Returns the number changed."""
    if province_model is None:
        from . import models

        province_model, regency_model = models.Province, models.Regency
    provinces, regencies = read_regions(directory)
    changed_p = changed_r = 0
    with transaction.atomic():
        existing = {p.code: p for p in province_model.objects.all()}
        for row in provinces:
            obj = existing.get(row["code"])
            if obj is None:
                province_model.objects.create(**row)
                changed_p += 1
            elif (obj.name, obj.timezone) != (row["name"], row["timezone"]):
                obj.name, obj.timezone = row["name"], row["timezone"]
                obj.save(update_fields=["name", "timezone"])
                changed_p += 1
        existing = {r.code: r for r in regency_model.objects.all()}
        new = []
        for row in regencies:
            obj = existing.get(row["code"])
            if obj is None:
                new.append(regency_model(**row))
            elif (obj.name, obj.province_id) != (row["name"], row["province_id"]):
                obj.name, obj.province_id = row["name"], row["province_id"]
                obj.save(update_fields=["name", "province"])
                changed_r += 1
        regency_model.objects.bulk_create(new)
        changed_r += len(new)
    return changed_p, changed_r
