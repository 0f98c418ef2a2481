"""Reading an uploaded spreadsheet safely, and the cell values people really type.

openpyxl parses the workbook; this module decides what a person's file may be and turns each data
row into plain text per column, so the importing app can feed it to the same form the web page uses.
Everything refused here is refused with an Indonesian message (a DomainError) before anything is
written: a file that is not a spreadsheet, a password-protected workbook, a file over the size
limit, an archive that expands past a sane size (zip bomb), formulas, merged header cells, missing
or unknown columns, or more rows than an import takes.

`read_table` reads one table (a header row and data rows) for an import; `open_xlsx` gives the
checked workbook itself to a reader that knows its own layout (the monthly report's workbook), which
reads cells through `sheet_cells` / `cell_value` so formulas are refused there too.

Cell values: dates typed as "17/08/2025", "2025-08-17" or "17 Agustus 2025" and real date cells are
read; numbers typed as text with "." or "," thousands separators or an "Rp" prefix are read where
the meaning is unambiguous. A text starting with "=", "+", "-" or "@" is kept as text (it is never
evaluated here, and exports write it as text).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from blkportal.core.errors import DomainError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# An .xlsx is a zip: its parts may expand to at most this much, and at most this ratio of the
# compressed size (real workbooks compress ~5-20x; a zip bomb compresses 1000x).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls both start so

MONTHS_ID = {
    "januari": 1, "februari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "agustus": 8, "september": 9, "oktober": 10, "november": 11, "desember": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7,
    "august": 8, "october": 10, "december": 12,
}  # fmt: skip


@dataclass(frozen=True)
class Column:
    """One column of an import sheet: its header as people see it, and the field it fills."""

    header: str
    field: str
    required: bool = False
    help: str = ""


@dataclass
class Table:
    """The data rows of a sheet: (row number in the sheet, {field: text}) with blank rows skipped."""

    sheet: str
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _fail(message: str) -> DomainError:
    return DomainError(message, field="file")


def _normal_header(value) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip().rstrip("*").strip().lower()


def cell_text(value) -> str:
    """A cell as the text a person meant: dates as ISO, whole floats without ".0", text stripped."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(
    upload, *, columns: list[Column], max_rows: int, sheet_name: str | None = None, file_name: str = ""
) -> Table:
    """The rows of the uploaded .xlsx or .csv (`file_name`: as the user named it), checked as the
    module describes."""
    if _sniff(upload, file_name=file_name, csv_allowed=True) == "csv":
        return _read_csv(upload, columns=columns, max_rows=max_rows)
    with open_xlsx(upload) as book:
        return _read_sheet(book, columns=columns, max_rows=max_rows, sheet_name=sheet_name)


def _sniff(upload, *, file_name: str = "", csv_allowed: bool = False) -> str:
    """ "xlsx" or "csv" for a file that may be read; a DomainError for one that may not (too big,
    password-protected or old .xls, not a spreadsheet)."""
    name = (file_name or getattr(upload, "name", "") or "").lower()
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise _fail(_("Berkas lebih dari 10 MB. Pecah menjadi beberapa berkas."))
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(OLE2_SIGNATURE):
        raise _fail(
            _(
                "Berkas ini dilindungi kata sandi atau berformat Excel lama (.xls). Buka di Excel, hapus "
                "kata sandinya, lalu simpan sebagai .xlsx."
            )
        )
    if head.startswith(b"PK"):
        return "xlsx"
    if csv_allowed and name.endswith(".csv"):
        return "csv"
    if csv_allowed:
        raise _fail(_("Berkas ini bukan lembar kerja. Unggah berkas .xlsx (Excel) atau .csv."))
    raise _fail(_("Berkas ini bukan lembar kerja Excel. Unggah berkas .xlsx."))


@contextmanager
def open_xlsx(upload, *, file_name: str = "", max_unzipped: int = MAX_UNZIPPED_BYTES) -> Iterator:
    """The uploaded .xlsx as a read-only openpyxl workbook, after the module's checks of the file
    (size, password or old .xls, zip bomb, a workbook inside); closed on leaving the block. For
    readers that pick cells themselves: read each cell's value through `cell_value`, which refuses
    formulas."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    _sniff(upload, file_name=file_name)
    _check_zip(upload, max_unzipped=max_unzipped)
    try:
        book = openpyxl.load_workbook(upload, read_only=True, data_only=False)
    except (InvalidFileException, KeyError, ValueError, OSError, zipfile.BadZipFile):
        raise _fail(_("Berkas rusak atau bukan lembar kerja Excel (.xlsx).")) from None
    try:
        yield book
    finally:
        book.close()


def cell_value(cell, *, sheet: str, ref: str):
    """A read-only cell's value; a formula is refused (it is never evaluated here)."""
    if getattr(cell, "data_type", None) == "f":
        raise formula_error(sheet=sheet, ref=ref)
    return getattr(cell, "value", None)


def sheet_cells(sheet, *, max_row: int, max_col: int) -> dict[tuple[int, int], object]:
    """The non-empty cells of a read-only sheet within max_row x max_col, by (row, column), blank
    text left out; a formula in that range is refused. Nothing below max_row is read."""
    from openpyxl.utils import get_column_letter

    cells = {}
    for row in sheet.iter_rows(min_row=1, max_row=max_row, max_col=max_col):
        for cell in row:
            column = getattr(cell, "column", None)
            if column is None:  # an empty cell of a read-only sheet carries no position
                continue
            value = cell_value(cell, sheet=sheet.title, ref=f"{get_column_letter(column)}{cell.row}")
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            cells[(cell.row, column)] = value
    return cells


def formula_error(*, sheet: str, ref: str) -> DomainError:
    return _fail(
        _(
            "Sel %(cell)s di lembar %(sheet)s berisi rumus. Salin lalu tempel sebagai nilai "
            "(Paste Special → Values), lalu unggah lagi."
        )
        % {"cell": ref, "sheet": sheet}
    )


def _check_zip(upload, *, max_unzipped: int = MAX_UNZIPPED_BYTES) -> None:
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise _fail(_("Berkas rusak atau bukan lembar kerja Excel (.xlsx).")) from None
    unzipped = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if unzipped > max_unzipped or unzipped / packed > MAX_COMPRESSION_RATIO:
        raise _fail(_("Isi berkas ini mengembang terlalu besar saat dibuka; berkas ditolak."))
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise _fail(_("Berkas rusak atau bukan lembar kerja Excel (.xlsx)."))
    upload.seek(0)


def _merged_header(book, sheet) -> str | None:
    """The first merged range touching row 1 of a read-only sheet, read from its XML (read-only
    worksheets do not parse merged cells)."""
    with book._archive.open(sheet._worksheet_path) as xml:
        for line in io.TextIOWrapper(xml, encoding="utf-8", errors="replace"):
            for ref in re.findall(r'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"', line):
                if int(ref[1]) <= 1:
                    return f"{ref[0]}{ref[1]}:{ref[2]}{ref[3]}"
    return None


def _read_sheet(book, *, columns, max_rows, sheet_name) -> Table:
    from openpyxl.utils import get_column_letter

    visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    if sheet_name and sheet_name in book.sheetnames and book[sheet_name].sheet_state == "visible":
        sheet = book[sheet_name]
    elif visible:
        sheet = visible[0]
    else:
        raise _fail(_("Tidak ada lembar yang terlihat di berkas ini."))
    too_many = _("Lembar %(sheet)s berisi lebih dari %(max)s baris data; satu impor paling banyak %(max)s baris.") % {
        "sheet": sheet.title,
        "max": max_rows,
    }
    if sheet.max_row and sheet.max_row - 1 > max_rows:
        raise _fail(too_many)
    merged = _merged_header(book, sheet)
    if merged:
        raise _fail(
            _("Sel judul kolom di lembar %(sheet)s digabung (%(range)s). Pisahkan sel judul, satu kolom satu judul.")
            % {"sheet": sheet.title, "range": merged}
        )
    rows = sheet.iter_rows()
    header_cells = next(rows, None)
    if not header_cells:
        raise _fail(_("Lembar %(sheet)s kosong.") % {"sheet": sheet.title})
    index = _header_index([c.value for c in header_cells], columns, sheet.title)
    table = Table(sheet=sheet.title)
    for number, cells in enumerate(rows, start=2):
        if number - 1 > max_rows:
            raise _fail(too_many)
        values = {}
        for col, position in index.items():
            cell = cells[position] if position < len(cells) else None
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f":
                raise formula_error(sheet=sheet.title, ref=f"{get_column_letter(position + 1)}{number}")
            values[col.field] = cell_text(value)
        if any(values.values()):
            table.rows.append((number, values))
    return table


def _read_csv(upload, *, columns, max_rows) -> Table:
    raw = upload.read()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if "\x00" in text:
        raise _fail(_("Berkas ini bukan lembar kerja. Unggah berkas .xlsx (Excel) atau .csv."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if not header:
        raise _fail(_("Berkas kosong."))
    index = _header_index(header, columns, "CSV")
    table = Table(sheet="CSV")
    for number, row in enumerate(reader, start=2):
        if number - 1 > max_rows:
            raise _fail(_("Satu impor paling banyak %(max)s baris.") % {"max": max_rows})
        values = {c.field: (row[i].strip() if i < len(row) else "") for c, i in index.items()}
        if any(values.values()):
            table.rows.append((number, values))
    return table


def _header_index(header: list, columns: list[Column], sheet: str) -> dict[Column, int]:
    wanted = {_normal_header(c.header): c for c in columns}
    index, unknown = {}, []
    for position, value in enumerate(header):
        key = _normal_header(value)
        if not key:
            continue
        if key in wanted:
            index[wanted[key]] = position
        else:
            unknown.append(str(value).strip())
    missing = [str(c.header) for c in columns if c.required and c not in index]
    problems = []
    if missing:
        problems.append(_("kolom wajib tidak ada: %(cols)s") % {"cols": ", ".join(missing)})
    if unknown:
        problems.append(_("kolom tidak dikenal: %(cols)s") % {"cols": ", ".join(unknown)})
    if problems:
        raise _fail(
            _("Judul kolom di lembar %(sheet)s tidak sesuai templat (%(problems)s). Unduh templat dan salin datanya.")
            % {"sheet": sheet, "problems": "; ".join(problems)}
        )
    return index


# --- values people type ------------------------------------------------------------------------


def parse_date(text: str) -> dt.date | None:
    """ "17/08/2025", "17-08-2025", "2025-08-17", "17 Agustus 2025" (or an ISO date from a date cell)."""
    text = (text or "").strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    elif match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
        day, month, year = (int(g) for g in match.groups())
    elif match := re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", text):
        day, year = int(match.group(1)), int(match.group(3))
        month = MONTHS_ID.get(match.group(2).lower())
        if month is None:
            return None
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_month(text: str) -> dt.date | None:
    """A month as people type it, as its first day: "2025-03", "03/2025", "Maret 2025", or any date
    in it ("2025-03-01" from a month cell, "17/03/2025")."""
    text = (text or "").strip()
    if not text:
        return None
    if match := re.fullmatch(r"(\d{4})[-/.](\d{1,2})", text):
        year, month = int(match.group(1)), int(match.group(2))
    elif match := re.fullmatch(r"(\d{1,2})[-/.](\d{4})", text):
        month, year = int(match.group(1)), int(match.group(2))
    elif match := re.fullmatch(r"([A-Za-z]+)\s+(\d{4})", text):
        month, year = MONTHS_ID.get(match.group(1).lower()), int(match.group(2))
        if month is None:
            return None
    else:
        day = parse_date(text)
        return day.replace(day=1) if day else None
    return dt.date(year, month, 1) if 1 <= month <= 12 else None


def parse_datetime(text: str) -> tuple[dt.date, dt.time | None] | None:
    """A date with an optional time of day: "2025-04-08T10:15:00" (a date-time cell), "08/04/2025
    10.15", "8 April 2025". Returns (date, time or None); None when the date is not readable."""
    text = (text or "").strip()
    when = None
    if match := re.fullmatch(r"(.+?)[T ](\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?", text):
        hour, minute, second = int(match.group(2)), int(match.group(3)), int(match.group(4) or 0)
        if hour > 23 or minute > 59 or second > 59:
            return None
        text, when = match.group(1).strip(), dt.time(hour, minute, second)
    day = parse_date(text)
    return (day, when) if day else None


def parse_number(text: str) -> Decimal | None:
    """ "1.800.000", "1,800,000", "Rp 1.800.000", "Rp1.800.000,00", "12" -> Decimal; None when
    the text is not a number or its meaning is ambiguous."""
    text = re.sub(r"^rp\.?\s*", "", (text or "").strip(), flags=re.I).replace(" ", "")
    if not text:
        return None
    # Thousands groups of exactly three digits, with an optional decimal part after the other mark.
    for thousands, decimal in ((".", ","), (",", ".")):
        pattern = rf"-?\d{{1,3}}(?:\{thousands}\d{{3}})+(?:\{decimal}\d+)?"
        if re.fullmatch(pattern, text):
            text = text.replace(thousands, "").replace(decimal, ".")
            break
    else:
        if re.fullmatch(r"-?\d+(?:[.,]\d+)?", text):
            # "12,5" or "12.5": one mark that is not a thousands group reads as a decimal point.
            text = text.replace(",", ".")
        else:
            return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def parse_yes_no(text: str) -> bool | None:
    value = (text or "").strip().lower()
    if value in {"ya", "y", "yes", "true", "1", "iya"}:
        return True
    if value in {"tidak", "t", "no", "n", "false", "0", "bukan", ""}:
        return False
    return None
