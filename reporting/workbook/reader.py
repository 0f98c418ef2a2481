"""Reading an uploaded report workbook back.

The file goes through core.spreadsheets' checks first (size, password or old .xls, zip bomb,
formulas), then its signed marker must name this report. Each value is turned into the text a
person would type in the web form ("1.234", "1,234" and "Rp 1.000" read as 1234 and 1000 where
core.spreadsheets.parse_number finds them unambiguous; a choice by its label or code; a date cell or
"17/08/2025") and validated by the web page's own forms: ReportForm for sections B and C, BatchForm
for a batch whose counts changed, the line forms for each row of D, E and F. Every error is kept
against its cell; nothing is written here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from blkportal.core import spreadsheets
from blkportal.core.errors import DomainError
from blkportal.core.imports import fold

from ..fields import BATCH_COUNT_FIELDS
from ..lines import LINE_KINDS
from ..models import Report, TrainingBatch
from . import layout
from .layout import FIRST_ROW, KEY_COLUMN, KEY_ROW, Col, cell_ref
from .marker import Marker, check_marker, marker_loads, not_ours
from .values import batch_item, canon, line_row

# The workbook the portal writes unzips to well under 1 MB; a larger one is not ours to parse.
MAX_UNZIPPED = 50 * 1024 * 1024


@dataclass
class Reading:
    """What an uploaded workbook says, validated, with every problem against its cell."""

    marker: Marker
    fields: dict = field(default_factory=dict)  # cleaned values of sections B and C
    lines: dict[str, list[tuple[int, dict]]] = field(default_factory=dict)  # kind -> [(row, cleaned)]
    batches: dict[int, tuple[int, dict | None]] = field(default_factory=dict)  # id -> (row, counts or None)
    items: dict[str, object] = field(default_factory=dict)  # canonical values by item key (values.py)
    refs: dict[str, str] = field(default_factory=dict)  # item key -> its (first) cell
    problems: list[dict] = field(default_factory=list)

    def problem(self, *, sheet: str, column: int, row: int, label: str, message: str, target: str, value=""):
        self.problems.append(
            {
                "ref": cell_ref(sheet, column, row),
                "sheet": sheet,
                "label": label,
                "message": str(message),
                "target": target,
                "value": spreadsheets.cell_text(value)[:100],
            }
        )


def form_text(col: Col, value) -> str:
    """A cell as the text a person would type into the web form's field."""
    if value is None:
        return ""
    if col.kind in ("count", "rupiah"):
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return canon(Decimal(str(value)))
        text = spreadsheets.cell_text(value)
        number = spreadsheets.parse_number(text)
        return canon(number) if number is not None else text
    if col.kind == "date":
        if isinstance(value, (dt.date, dt.datetime)):
            return canon(value)
        text = spreadsheets.cell_text(value)
        day = spreadsheets.parse_date(text)
        return day.isoformat() if day else text
    if col.kind == "choice":
        text = spreadsheets.cell_text(value)
        for code, label in col.choices:
            if fold(text) in (fold(code), fold(label)):
                return code
        return text
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return spreadsheets.cell_text(value)


class _Sheet:
    """One data sheet of the file: its cells, and its rows and columns by key."""

    def __init__(self, book, title: str, keys: list[str]):
        if title not in book.sheetnames:
            raise DomainError(
                _(
                    "Lembar “%(sheet)s” tidak ada di berkas. Jangan mengganti nama atau menghapus lembar; "
                    "unduh ulang lembar kerja bila perlu."
                )
                % {"sheet": title},
                field="file",
            )
        self.title = title
        self.cells = spreadsheets.sheet_cells(book[title], max_row=layout.SCAN_ROWS, max_col=layout.SCAN_COLUMNS)
        self.columns = {str(value).strip(): column for (row, column), value in self.cells.items() if row == KEY_ROW}
        self.row_keys = {
            row: str(value).strip()
            for (row, column), value in self.cells.items()
            if column == KEY_COLUMN and row >= FIRST_ROW
        }
        if any(key not in self.columns for key in keys):
            raise self.changed()

    def changed(self) -> DomainError:
        return DomainError(
            _(
                "Susunan lembar “%(sheet)s” berubah (kolom atau baris disisipkan, dihapus atau dipindah). "
                "Unduh ulang lembar kerja dan salin isian Anda ke berkas baru."
            )
            % {"sheet": self.title},
            field="file",
        )

    def get(self, row: int, key: str):
        return self.cells.get((row, self.columns[key]))

    def data_rows(self, keys: list[str]) -> list[int]:
        """Rows below the header with a key or anything in the given columns."""
        wanted = {self.columns[k] for k in keys}
        rows = {row for (row, column) in self.cells if row >= FIRST_ROW and column in wanted}
        return sorted(rows | set(self.row_keys))


def _read_marker(book) -> Marker:
    if layout.MARKER_SHEET not in book.sheetnames:
        raise not_ours()
    cells = spreadsheets.sheet_cells(book[layout.MARKER_SHEET], max_row=1, max_col=1)
    return marker_loads(cells.get((1, 1)))


def _report_sheet(book, reading: Reading, report: Report) -> None:
    from ..forms import ReportForm

    sheet = _Sheet(book, reading.marker.sheets["report"], [layout.VALUE])
    cols = {col.key: col for _heading, section in layout.report_columns() for col in section}
    rows = {key: row for row, key in sheet.row_keys.items() if key in cols}
    if set(rows) != set(cols):
        raise sheet.changed()
    column = sheet.columns[layout.VALUE]
    data = {name: form_text(col, sheet.get(rows[name], layout.VALUE)) for name, col in cols.items()}
    form = ReportForm(data, instance=Report.objects.get(pk=report.pk))
    form.is_valid()
    for name, col in cols.items():
        reading.refs[f"f.{name}"] = cell_ref(sheet.title, column, rows[name])
        for error in form.errors.get(name, []):
            reading.problem(
                sheet=sheet.title,
                column=column,
                row=rows[name],
                label=col.label,
                message=error,
                target=name,
                value=sheet.get(rows[name], layout.VALUE),
            )
        if name not in form.errors:
            reading.fields[name] = form.cleaned_data.get(name)
            reading.items[f"f.{name}"] = canon(reading.fields[name])
    for error in form.non_field_errors():
        first = next(iter(cols))
        reading.problem(sheet=sheet.title, column=column, row=rows[first], label="", message=error, target="report")


def _batch_sheet(book, reading: Reading, report: Report) -> None:
    from ..forms import BatchForm

    cols = layout.batch_columns()
    sheet = _Sheet(book, reading.marker.sheets["batches"], [c.key for c in cols])
    listed = set(reading.marker.batches)
    batches = {b.pk: b for b in TrainingBatch.objects.filter(centre_id=report.centre_id, pk__in=listed)}
    first_input = next(c.key for c in cols if c.editable)
    seen: set[int] = set()
    for row in sheet.data_rows([c.key for c in cols]):
        key = sheet.row_keys.get(row, "")
        batch_id = int(key) if key.isdigit() else None
        where = {"sheet": sheet.title, "row": row, "target": "batches"}
        if batch_id is None or batch_id not in listed or batch_id in seen:
            reading.problem(
                **where,
                column=sheet.columns[cols[0].key],
                label=_("Baris tambahan"),
                message=_(
                    "Baris ini tidak ada di tabel angkatan yang diunduh. Angkatan baru ditambahkan di portal "
                    "(halaman Angkatan), lalu unduh ulang lembar kerja; hapus baris ini dari berkas."
                ),
            )
            continue
        seen.add(batch_id)
        batch = batches.get(batch_id)
        if batch is None:
            reading.problem(
                **where,
                column=sheet.columns[cols[0].key],
                label=_("Angkatan"),
                message=_("Angkatan ini sudah dihapus di portal. Hapus barisnya atau unduh ulang lembar kerja."),
            )
            continue
        item = f"b.{batch_id}"
        reading.refs[item] = cell_ref(sheet.title, sheet.columns[first_input], row)
        texts = {c.key: form_text(c, sheet.get(row, c.key)) for c in cols if c.editable}
        if [texts[name] for name in BATCH_COUNT_FIELDS] == batch_item(batch):
            reading.batches[batch_id] = (row, None)  # unchanged: not checked again, not saved again
            reading.items[item] = batch_item(batch)
            continue
        data = {
            "kejuruan": str(batch.kejuruan_id),
            "program_name": batch.program_name,
            "funding_source": batch.funding_source,
            "start_date": batch.start_date.isoformat(),
            "end_date": batch.end_date.isoformat(),
            **texts,
        }
        # The form sets the cleaned values on `batch`; it is this function's own copy, not used after.
        form = BatchForm(data, instance=batch, centre=report.centre)
        if not form.is_valid():
            for name, errors in form.errors.items():
                key_name = name if name in sheet.columns else first_input
                col = next(c for c in cols if c.key == key_name)
                for error in errors:
                    reading.problem(
                        **where,
                        column=sheet.columns[key_name],
                        label=f"{batch.program_name} · {col.label}",
                        message=error,
                        value=sheet.get(row, key_name),
                    )
            continue
        counts = {name: form.cleaned_data[name] for name in BATCH_COUNT_FIELDS}
        reading.batches[batch_id] = (row, counts)
        reading.items[item] = [canon(counts[name]) for name in BATCH_COUNT_FIELDS]


def _line_sheet(book, reading: Reading, kind: str) -> None:
    from ..forms import LINE_FORMS

    line_kind = LINE_KINDS[kind]
    cols = layout.line_columns(kind)
    sheet = _Sheet(book, reading.marker.sheets[kind], [c.key for c in cols])
    allowed = {str(n) for n in range(1, layout.line_rows() + 1)}
    rows = []
    seen: set[str] = set()
    reading.refs[f"l.{kind}"] = cell_ref(sheet.title, sheet.columns[cols[0].key], FIRST_ROW)
    for row in sheet.data_rows([c.key for c in cols]):
        values = {c.key: sheet.get(row, c.key) for c in cols}
        if all(v is None for v in values.values()):
            continue
        key = sheet.row_keys.get(row, "")
        if key not in allowed or key in seen:
            reading.problem(
                sheet=sheet.title,
                column=sheet.columns[cols[0].key],
                row=row,
                label=str(line_kind.label),
                target=kind,
                message=_(
                    "Baris ini di luar tabel (paling banyak %(n)s baris). Pindahkan isinya ke baris kosong di "
                    "dalam tabel."
                )
                % {"n": layout.line_rows()},
            )
            continue
        seen.add(key)
        form = LINE_FORMS[kind]({c.key: form_text(c, values[c.key]) for c in cols})
        if not form.is_valid():
            for name, errors in form.errors.items():
                key_name = name if name in sheet.columns else cols[0].key
                col = next(c for c in cols if c.key == key_name)
                for error in errors:
                    reading.problem(
                        sheet=sheet.title,
                        column=sheet.columns[key_name],
                        row=row,
                        label=_("%(section)s baris %(n)s · %(column)s")
                        % {"section": line_kind.label, "n": key, "column": col.label},
                        message=error,
                        target=kind,
                        value=values.get(key_name),
                    )
            continue
        rows.append((row, {name: form.cleaned_data.get(name) for name in line_kind.fields}))
    reading.lines[kind] = rows
    reading.items[f"l.{kind}"] = sorted(line_row(kind, cleaned) for _row, cleaned in rows)


def read_workbook(upload, *, report: Report, file_name: str = "") -> Reading:
    """Read and validate an uploaded workbook of `report`. A file that cannot be read at all, or is
    not this report's, raises a DomainError; problems in its cells are listed on the Reading."""
    with spreadsheets.open_xlsx(upload, file_name=file_name, max_unzipped=MAX_UNZIPPED) as book:
        marker = _read_marker(book)
        check_marker(marker, report)
        missing = [key for key in ("report", "batches", *LINE_KINDS) if key not in marker.sheets]
        if missing:
            raise not_ours()
        reading = Reading(marker=marker)
        _report_sheet(book, reading, report)
        _batch_sheet(book, reading, report)
        for kind in LINE_KINDS:
            _line_sheet(book, reading, kind)
    return reading
