"""The pre-filled workbook of one centre-month: the draft's values, the month's training batches,
last month's stock values for reference, input cells unlocked (everything else locked), validation
on numbers, dates and lists, instructions in Indonesian, and the signed marker."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from blkportal.core import months
from blkportal.core.formatting import format_number
from blkportal.core.sheet_layout import HEADER_BOLD, TEXT_WIDTH, print_setup, row_height, wrapped_lines

from ..lines import LINE_KINDS
from ..models import Report
from ..policy import month_label
from ..rules import REQUIRED_FIELDS
from ..selectors import report_batches
from ..services.reports import CARRY_OVER
from ..snapshot import display_value
from . import layout
from .layout import FIRST_ROW, HEADER_ROW, KEY_COLUMN, KEY_ROW, NOTE_ROW, TITLE_ROW, Col
from .marker import marker_dumps
from .values import digest, server_items

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
SECTION_FILL = PatternFill("solid", fgColor="D9E2F3")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)
FORMATS = {"count": "#,##0", "rupiah": "#,##0", "date": "DD/MM/YYYY"}


def workbook_filename(report: Report) -> str:
    return f"laporan-{slugify(report.centre.reg_code)}-{report.period:%Y-%m}.xlsx"


def _put(ws, row: int, column: int, value):
    """Write a value as itself: text that starts with "=" stays text, never a formula."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        if value[:1] in ("=", "+", "-", "@"):
            cell.data_type = "s"
            cell.quotePrefix = True
    elif isinstance(value, Decimal):
        cell.value = int(value) if value == value.to_integral_value() else float(value)
    else:
        cell.value = value
    return cell


def _cell_value(col: Col, value):
    """A stored value as the sheet shows it (a choice by its label)."""
    if value is None or value == "":
        return None
    if col.kind == "choice":
        return dict(col.choices).get(str(value), str(value))
    if col.kind == "lookup":
        return str(value)
    return value


class _Builder:
    def __init__(self, report: Report, *, editable: bool, now):
        self.report, self.editable, self.now = report, editable, now
        self.book = Workbook()
        self.titles = layout.sheet_titles()
        self.lists = None
        self.list_columns: dict[tuple, str] = {}

    # --- helpers ----------------------------------------------------------------------------

    def _frame(self, ws, title: str, note: str, keys: list[str], headers: list[str], widths: list[int]):
        ws.column_dimensions[get_column_letter(KEY_COLUMN)].hidden = True
        ws.row_dimensions[KEY_ROW].hidden = True
        _put(ws, TITLE_ROW, 2, title).font = TITLE_FONT
        note_cell = _put(ws, NOTE_ROW, 2, note)
        note_cell.alignment = Alignment(wrap_text=False, vertical="top")
        for index, (key, header, width) in enumerate(zip(keys, headers, widths, strict=True), start=2):
            _put(ws, KEY_ROW, index, key)
            cell = _put(ws, HEADER_ROW, index, header)
            cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
            ws.column_dimensions[get_column_letter(index)].width = width
        lines = max(wrapped_lines(str(h), w, HEADER_BOLD) for h, w in zip(headers, widths, strict=True))
        ws.row_dimensions[HEADER_ROW].height = row_height(lines)
        self._print(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
        ws.protection.sheet = True
        # People may still widen columns and rows to read long text.
        ws.protection.formatColumns = False
        ws.protection.formatRows = False

    def _list_source(self, col: Col) -> str:
        if self.lists is None:
            self.lists = self.book.create_sheet(self.titles[layout.LISTS_SHEET_KEY])
            self.lists.sheet_state = "hidden"
            self.lists.protection.sheet = True
        labels = tuple(label for _value, label in col.choices)
        if labels not in self.list_columns:
            letter = get_column_letter(len(self.list_columns) + 1)
            _put(self.lists, 1, len(self.list_columns) + 1, col.label)
            for row, label in enumerate(labels, start=2):
                _put(self.lists, row, len(self.list_columns) + 1, label)
            self.list_columns[labels] = f"{quote_sheetname(self.lists.title)}!${letter}$2:${letter}${len(labels) + 1}"
        return self.list_columns[labels]

    def _validate(self, ws, col: Col, cells: str):
        """Excel's own check as people type (the portal checks again on upload)."""
        if col.kind == "count":
            rule = DataValidation(type="whole", operator="between", formula1="0", formula2=str(col.maximum or 10**9))
            rule.error = _("Isi dengan angka bulat dari 0 sampai %(max)s.") % {
                "max": format_number(col.maximum or 10**9)
            }
        elif col.kind == "rupiah":
            rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
            rule.error = _("Isi angka rupiah tanpa sen, misalnya 1.500.000.")
        elif col.kind == "date":
            rule = DataValidation(
                type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)"
            )
            rule.error = _("Isi tanggal, misalnya 17/08/2025.")
        elif col.kind == "choice":
            rule = DataValidation(type="list", formula1=self._list_source(col))
            rule.error = _("Pilih dari daftar.")
        elif col.kind == "text" and col.max_length:
            rule = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(col.max_length))
            rule.error = _("Paling banyak %(n)s karakter.") % {"n": col.max_length}
        else:
            return
        rule.allow_blank = True
        rule.showErrorMessage = True
        rule.errorTitle = col.label[:32]
        ws.add_data_validation(rule)
        rule.add(cells)

    def _input(self, ws, row: int, column: int, col: Col, value):
        cell = _put(ws, row, column, _cell_value(col, value))
        if col.kind in FORMATS:
            cell.number_format = FORMATS[col.kind]
        if col.multiline:
            cell.alignment = WRAP
        if col.editable and self.editable:
            cell.fill, cell.protection = INPUT_FILL, UNLOCKED
        return cell

    def _hint(self, col: Col) -> str:
        if col.kind == "count":
            text = _("Angka bulat, 0 sampai %(max)s.") % {"max": format_number(col.maximum)}
        elif col.kind == "rupiah":
            text = _("Rupiah tanpa sen, misalnya 1.500.000.")
        elif col.kind == "date":
            text = _("Tanggal, misalnya 17/08/2025.")
        elif col.kind == "choice":
            text = _("Pilih dari daftar.")
        else:
            text = _("Teks.")
        if col.key in REQUIRED_FIELDS:
            text = _("Wajib diisi sebelum diajukan.") + " " + text
        return text

    def _print(self, ws, *, title_rows: str | None):
        """A4 landscape fitted to the width, the column headers on every page, a footer naming the
        centre, month and sheet (blkportal/core/sheet_layout.py)."""
        report = self.report
        print_setup(
            ws,
            title=f"{report.centre.reg_code} · {month_label(report.period)} · {ws.title}",
            exported_at=self.now,
            title_rows=title_rows,
            stamp=_("Diunduh %(when)s") % {"when": self.when},
        )

    # --- sheets -----------------------------------------------------------------------------

    def guide(self, batch_count: int):
        ws = self.book.active
        ws.title = self.titles["guide"]
        ws.column_dimensions["A"].width = 4
        ws.column_dimensions["B"].width = 100
        report = self.report
        _put(ws, 1, 2, _("Petunjuk mengisi laporan bulanan di Excel")).font = TITLE_FONT
        facts = _("%(centre)s (%(code)s) · laporan %(month)s · diunduh %(when)s") % {
            "centre": report.centre.name,
            "code": report.centre.reg_code,
            "month": month_label(report.period),
            "when": self.when,
        }
        _put(ws, 2, 2, facts)
        if self.editable:
            lines = [
                _(
                    "Berkas ini berisi draf laporan seperti di portal saat diunduh. Isi tanpa internet, simpan "
                    "sebagai .xlsx, lalu unggah di halaman isian laporan (bagian “Isi offline dengan Excel”)."
                ),
                _(
                    "Isi hanya sel berwarna kuning. Sel lain terkunci. Jangan membuka proteksi lembar, "
                    "menyisipkan atau menghapus baris dan kolom, atau mengganti nama lembar."
                ),
                _(
                    "Angka: tulis angkanya saja, misalnya 1500000 atau 1.500.000 (rupiah tanpa sen). Jangan "
                    "memakai rumus; bila menyalin dari berkas lain, tempel sebagai nilai (Paste Special → Values)."
                ),
                _(
                    "Tanggal: misalnya 17/08/2025. Pilihan (status izin, jenis mitra, sumber, saluran, kategori): "
                    "pilih dari daftar di sel."
                ),
                _(
                    "Lembar %(sheet)s: bagian B (alumni) dan C (kelembagaan). Kolom “Bulan lalu” menunjukkan "
                    "nilai laporan bulan sebelumnya sebagai acuan."
                )
                % {"sheet": self.titles["report"]},
                _(
                    "Lembar %(sheet)s: %(n)s angkatan yang berjalan pada bulan ini; perbarui jumlah peserta dan "
                    "hasilnya. Angkatan baru ditambahkan di portal (halaman Angkatan), lalu unduh ulang berkas "
                    "ini: baris tambahan di lembar ini ditolak."
                )
                % {"sheet": self.titles["batches"], "n": batch_count},
                _(
                    "Lembar kemitraan, pendapatan, produk dan kendala: satu baris per isian, paling banyak "
                    "%(n)s baris. Mengosongkan sebuah baris menghapusnya dari draf."
                )
                % {"n": layout.line_rows()},
                _(
                    "Portal memeriksa setiap sel dengan aturan yang sama dengan formulir di web. Bila ada sel "
                    "yang salah, tidak ada yang disimpan, dan setiap masalah ditunjukkan dengan lembar dan "
                    "selnya (misalnya Laporan!C7)."
                ),
                _(
                    "Bila draf di portal diubah setelah berkas ini diunduh, Anda diminta memilih untuk setiap "
                    "isian yang berbeda: nilai di portal atau nilai di berkas."
                ),
                _(
                    "Berkas ini hanya untuk laporan BLK dan bulan di atas; berkas BLK atau bulan lain ditolak. "
                    "Setelah diunggah, laporan masih draf: periksa lalu ajukan di portal."
                ),
            ]
        else:
            lines = [
                _(
                    "Salinan baca-saja: laporan ini tidak dapat diubah saat diunduh, jadi berkas ini tidak "
                    "dapat diunggah kembali."
                ),
            ]
        for number, text in enumerate(lines, start=1):
            _put(ws, 3 + number, 1, number)
            _put(ws, 3 + number, 2, text).alignment = WRAP
        self._print(ws, title_rows=None)
        ws.protection.sheet = True

    def report_sheet(self, previous: Report | None):
        report = self.report
        ws = self.book.create_sheet(self.titles["report"])
        previous_header = (
            _("Bulan lalu (%(month)s)") % {"month": month_label(previous.period)} if previous else _("Bulan lalu")
        )
        widths = [38, 26, 44, 24]
        self._frame(
            ws,
            _("Laporan %(month)s — %(centre)s (%(code)s)")
            % {"month": month_label(report.period), "centre": report.centre.name, "code": report.centre.reg_code},
            self.note,
            layout.REPORT_COLUMNS,
            [_("Isian"), _("Nilai"), _("Keterangan"), previous_header],
            widths,
        )
        value_column = 2 + layout.REPORT_COLUMNS.index(layout.VALUE)
        row = FIRST_ROW
        for heading, cols in layout.report_columns():
            for column in range(2, 2 + len(layout.REPORT_COLUMNS)):
                ws.cell(row=row, column=column).fill = SECTION_FILL
            _put(ws, row, 2, heading).font = Font(bold=True)
            row += 1
            for col in cols:
                _put(ws, row, KEY_COLUMN, col.key)
                _put(ws, row, 2, col.label).alignment = WRAP
                self._input(ws, row, value_column, col, getattr(report, col.key))
                if self.editable:
                    self._validate(ws, col, f"{get_column_letter(value_column)}{row}")
                hint = self._hint(col)
                _put(ws, row, value_column + 1, hint).alignment = WRAP
                if previous is not None and col.key in CARRY_OVER:
                    _put(ws, row, value_column + 2, display_value(col.key, getattr(previous, col.key)))
                # Excel and LibreOffice do not grow a row for wrapped text when they open a file.
                lines = max(
                    wrapped_lines(str(col.label), widths[0], TEXT_WIDTH), wrapped_lines(hint, widths[2], TEXT_WIDTH)
                )
                if col.multiline:
                    ws.row_dimensions[row].height = max(60, row_height(lines))
                elif lines > 1:
                    ws.row_dimensions[row].height = row_height(lines)
                row += 1
        ws.freeze_panes = ws.cell(row=FIRST_ROW, column=2)

    def batch_sheet(self, batches):
        cols = layout.batch_columns()
        ws = self.book.create_sheet(self.titles["batches"])
        note = _(
            "Angkatan yang berjalan pada %(month)s. Ubah hanya angka di sel kuning; nama, kejuruan dan tanggal "
            "diubah di portal. Angkatan baru ditambahkan di portal, bukan di lembar ini."
        ) % {"month": month_label(self.report.period)}
        if not batches:
            # In the note, not in the table: a row of text there would read back as an added row.
            note = _("Tidak ada angkatan pelatihan yang berjalan pada bulan ini.")
        self._frame(
            ws,
            _("A. Pelatihan"),
            note if self.editable or not batches else self.note,
            [c.key for c in cols],
            [c.label for c in cols],
            [c.width for c in cols],
        )
        for row, batch in enumerate(batches, start=FIRST_ROW):
            is_dict = isinstance(batch, dict)
            _put(ws, row, KEY_COLUMN, str(batch["id"] if is_dict else batch.pk))
            for column, col in enumerate(cols, start=2):
                value = batch.get(col.key) if is_dict else getattr(batch, col.key)
                self._input(ws, row, column, col, value)
        if self.editable and batches:
            last = FIRST_ROW + len(batches) - 1
            for column, col in enumerate(cols, start=2):
                if col.editable:
                    letter = get_column_letter(column)
                    self._validate(ws, col, f"{letter}{FIRST_ROW}:{letter}{last}")
        ws.freeze_panes = ws.cell(row=FIRST_ROW, column=3)

    def line_sheet(self, kind: str):
        line_kind = LINE_KINDS[kind]
        cols = layout.line_columns(kind)
        ws = self.book.create_sheet(self.titles[kind])
        rows = layout.line_rows()
        note = _(
            "Satu baris per isian, paling banyak %(n)s baris. Kolom bertanda * wajib diisi pada baris yang "
            "dipakai. Mengosongkan sebuah baris menghapusnya dari draf."
        ) % {"n": rows}
        from ..forms import LINE_FORMS

        required = {name for name, field in LINE_FORMS[kind]().fields.items() if field.required}
        self._frame(
            ws,
            str(line_kind.heading),
            note if self.editable else self.note,
            [c.key for c in cols],
            [c.label + (" *" if c.key in required else "") for c in cols],
            [c.width for c in cols],
        )
        lines = list(getattr(self.report, line_kind.related).all())
        for index in range(rows if self.editable else len(lines)):
            row = FIRST_ROW + index
            _put(ws, row, KEY_COLUMN, str(index + 1))
            line = lines[index] if index < len(lines) else None
            for column, col in enumerate(cols, start=2):
                self._input(ws, row, column, col, getattr(line, col.key) if line else None)
        if self.editable:
            last = FIRST_ROW + rows - 1
            for column, col in enumerate(cols, start=2):
                letter = get_column_letter(column)
                self._validate(ws, col, f"{letter}{FIRST_ROW}:{letter}{last}")
        ws.freeze_panes = ws.cell(row=FIRST_ROW, column=2)

    def marker(self, batches):
        ws = self.book.create_sheet(layout.MARKER_SHEET)
        live = [b for b in batches if not isinstance(b, dict)]
        items = server_items(self.report, live)
        text = marker_dumps(
            self.report,
            editable=self.editable,
            sheets=dict(self.titles),
            batches=[b.pk for b in live],
            digests={key: digest(value) for key, value in items.items()},
        )
        _put(ws, 1, 1, text)
        ws.sheet_state = "veryHidden"  # not even listed by Excel's Unhide
        ws.protection.sheet = True

    def build(self) -> bytes:
        report = self.report
        local = timezone.localtime(self.now, report.centre.tz)
        self.when = f"{date_format(local, 'j F Y H:i')} {report.centre.province.get_timezone_display()}"
        if self.editable:
            self.note = _("Status: %(status)s. Diunduh %(when)s. Isi hanya sel berwarna kuning.") % {
                "status": report.get_status_display(),
                "when": self.when,
            }
        else:
            self.note = _("Salinan baca-saja (status: %(status)s), diunduh %(when)s.") % {
                "status": report.get_status_display(),
                "when": self.when,
            }
        batches = report_batches(report)
        previous = Report.objects.filter(centre=report.centre, period__lt=report.period).order_by("-period").first()
        self.guide(len(batches))
        self.report_sheet(previous)
        self.batch_sheet(batches)
        for kind in LINE_KINDS:
            self.line_sheet(kind)
        self.marker(batches)
        self.book.active = 0
        self.book.security = WorkbookProtection(lockStructure=True)
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


def workbook_xlsx(report: Report, *, editable: bool, now=None) -> bytes:
    """The report's workbook. `editable`: the manager's copy to fill and upload; otherwise a locked,
    read-only copy that cannot be uploaded back."""
    return _Builder(report, editable=editable, now=now or months.now()).build()
