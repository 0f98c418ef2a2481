"""A report's workbook as a manager handles it: downloaded, opened and changed with openpyxl the way
Excel would save it, uploaded back."""

from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.workbook import layout

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(client, report) -> bytes:
    response = client.get(reverse("reporting:report_workbook", args=[report.pk]))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    return response.content


def open_book(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet(book, key: str):
    return book[layout.sheet_titles()[key]]


def _column(ws, key: str) -> int:
    for cell in ws[layout.KEY_ROW]:
        if cell.value == key:
            return cell.column
    raise KeyError(key)


def _row(ws, key: str) -> int:
    for row in range(layout.FIRST_ROW, ws.max_row + 1):
        if str(ws.cell(row=row, column=layout.KEY_COLUMN).value or "") == str(key):
            return row
    raise KeyError(key)


def report_cell(book, name: str):
    """The value cell of a field of sections B and C."""
    ws = _sheet(book, "report")
    return ws.cell(row=_row(ws, name), column=_column(ws, layout.VALUE))


def table_cell(book, sheet: str, row_key, name: str):
    """A cell of a table: sheet "batches" (row_key = batch id) or a line kind (row_key = 1..50)."""
    ws = _sheet(book, sheet)
    return ws.cell(row=_row(ws, row_key), column=_column(ws, name))


def edit(content: bytes, report=None, lines=None, batches=None) -> bytes:
    """Change a downloaded file: report={"field": value}, lines={("income", 1): {"amount": ...}},
    batches={batch_id: {"graduated": 15}}."""
    book = open_book(content)
    for name, value in (report or {}).items():
        report_cell(book, name).value = value
    for (kind, number), values in (lines or {}).items():
        for name, value in values.items():
            table_cell(book, kind, number, name).value = value
    for batch_id, values in (batches or {}).items():
        for name, value in values.items():
            table_cell(book, "batches", batch_id, name).value = value
    return save(book)


def upload(client, report, content: bytes, name: str = "laporan.xlsx", follow: bool = True):
    return client.post(
        reverse("reporting:report_workbook_upload", args=[report.pk]),
        {"file": SimpleUploadedFile(name, content, content_type=XLSX)},
        follow=follow,
    )
