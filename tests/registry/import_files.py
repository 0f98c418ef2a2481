"""Registry import files as people make them: built with openpyxl, like a sheet saved from Excel."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from blkportal.registry.imports import COLUMNS

HEADERS = [str(c.header) for c in COLUMNS]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Regency spellings seen in real lists: official, abbreviated, upper case, split words, by code.
REGENCY_VARIANTS = [
    "Kabupaten Bandung",
    "Kab. Labuhan Batu",
    "KABUPATEN LABUHANBATU UTARA",
    "Kota  Surabaya",
    "32.73",
    "kab sleman",
    "Kota Jayapura",
]


def row(code: str, **overrides) -> dict:
    values = {
        "reg_code": code,
        "name": f"BLK Komunitas {code}",
        "host_name": f"Pondok Pesantren {code}",
        "host_type": "Pondok pesantren",
        "address": "Jl. Raya No. 1",
        "regency": "Kabupaten Bandung",
        "cohort_year": 2019,
        "activated_on": "01/07/2019",
        "kejuruan": "Teknik Las",
        "is_incubator": "Tidak",
        "incubator_year": None,
        "incubator_university": None,
        "contact_name": "Budi",
        "contact_phone": "081234567890",
        "contact_email": "",
        "status": "Aktif",
        "deactivated_on": None,
    }
    values.update(overrides)
    return values


def xlsx(rows: list[dict], *, headers=None, sheet="BLK", prepare=None, name="registri.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    headers = headers or HEADERS
    ws.append(headers)
    fields = [c.field for c in COLUMNS]
    for values in rows:
        ws.append([values.get(f) for f in fields] if isinstance(values, dict) else values)
    if prepare:
        prepare(book, ws)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def csv_file(rows: list[dict], *, name="registri.csv") -> SimpleUploadedFile:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADERS)
    fields = [c.field for c in COLUMNS]
    for values in rows:
        writer.writerow(["" if values.get(f) is None else values.get(f) for f in fields])
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def national_file(count: int = 2127, bad: int = 20) -> SimpleUploadedFile:
    """`count` centres across every province with the usual region-name variants, `bad` of them wrong."""
    from blkportal.registry.models import Regency

    regencies = list(Regency.objects.order_by("code").values_list("code", "name"))
    rows = []
    for i in range(count):
        code, name = regencies[i % len(regencies)]
        spelling = [name, name.upper(), name.replace("Kabupaten ", "Kab. "), code, name.lower()][i % 5]
        values = row(f"BLKK-{i:05d}", regency=spelling, cohort_year=2017 + i % 6, activated_on=f"0{1 + i % 9}/07/2022")
        if i < bad:
            values.update(
                [
                    {"regency": "Kabupaten Antah Berantah"},
                    {"cohort_year": "dua ribu"},
                    {"activated_on": "31/02/2022"},
                    {"host_type": "Kuil"},
                    {"kejuruan": "Sulap"},
                ][i % 5]
            )
        rows.append(values)
    return xlsx(rows, name="registri-nasional.xlsx")
