"""The one shape of an export (after pretix's exporters; docs/architecture.md, "Exports").

An exporter knows WHAT to export: its columns and a stream of rows, already restricted to the
owner's scope. The writers here know HOW: an openpyxl write-only workbook (styled, wrapped header,
frozen panes, autofilter, number formats for Rp, %, dates and plain years, column widths fitted to
the first rows, A4 landscape print set-up fitted to the page width with the header repeated and a
footer) or CSV. Rows are never held in memory; the writer reports progress every `PROGRESS_EVERY`
rows through a callback.

A write-only sheet writes its properties and column widths with the first row and its print set-up
when it is closed, so both are set before the first `append` (docs/architecture.md, "Exports"); the
layout rules shared with other writers are in blkportal/core/sheet_layout.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import itertools
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from blkportal.core import months as clock
from blkportal.core.errors import DomainError
from blkportal.core.formatting import format_number
from blkportal.core.sheet_layout import HEADER_BOLD, TEXT_WIDTH, header_width, print_setup, row_height, wrapped_lines
from blkportal.registry import access
from blkportal.registry.access import Perm, Scope

PROGRESS_EVERY = 2000
CHUNK_SIZE = 2000

# Excel number formats per column kind. Money is whole Rupiah; percentages are fractions (0.85).
# Years and ids are plain integers: "2017", never "2,017". A "number" column (a numerator, a
# weight) shows whole values without decimals and others with two (see NUMBER_FRACTION_FORMAT).
NUMBER_FORMATS = {
    "int": "#,##0",
    "year": "0",
    "id": "0",
    "number": "#,##0",
    "money": '"Rp" #,##0',
    "percent": "0.0%",
    "decimal": "#,##0.00",
    "date": "DD/MM/YYYY",
    "datetime": "DD/MM/YYYY HH:MM",
    "month": "MM/YYYY",
}
NUMBER_FRACTION_FORMAT = "#,##0.00"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="top")
WRAP_ALIGN = Alignment(wrap_text=True, vertical="top")
TOP_ALIGN = Alignment(vertical="top")

# Column widths (in characters) are fitted to the header (wrapped on at most three lines) and to the
# first SAMPLE_ROWS rows, within [MIN_WIDTH, MAX_WIDTH]; a wrapping column keeps at most the width
# its Column declares and wraps the rest (blkportal/core/sheet_layout.py).
SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 6, 40
# Shown widths of the kinds whose text length is not the value's: "31/12/2024", "31/12/2024 23:59".
KIND_WIDTHS = {"date": 10, "datetime": 16, "month": 7, "percent": 6, "bool": 5}


@dataclass(frozen=True)
class Column:
    """One column: its header (Indonesian) and kind, which decides the number format."""

    header: str
    kind: str = "text"  # text, int, year, id, number, money, percent, decimal, date, datetime, month, bool
    width: float = 14  # the most a wrapping column takes; others are fitted to their content
    wrap: bool = False  # long text (the methodology): wrapped within the column


@dataclass
class Sheet:
    """An extra sheet (e.g. "Metodologi") written after the main one."""

    title: str
    columns: list[Column]
    rows: Iterable[tuple]
    widths: list[float] = field(default_factory=list)


@lru_cache(maxsize=8)
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name or "Asia/Jakarta")


def to_local(value: dt.datetime | None, tzname: str | None) -> dt.datetime | None:
    """An aware datetime as naive wall-clock time in the centre's zone (Excel has no time zones)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value
    return value.astimezone(_zone(tzname)).replace(tzinfo=None)


def clean_text(value):
    """Text a spreadsheet shows as typed: no control characters (openpyxl refuses them) and no
    leading = + - @ that Excel would run as a formula (formula injection)."""
    if value.__class__ is not str or not value:
        return value
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value[:1] in ("=", "+", "-", "@"):
        value = "'" + value
    return value


def choice_labels(choices) -> dict[str, str]:
    """value -> label (translated now) for a TextChoices class, to map codes without queries."""
    return {value: str(label) for value, label in choices.choices}


def ratio(numerator, denominator) -> float | None:
    """numerator/denominator as a fraction for a % cell; empty when the denominator is zero."""
    if not denominator:
        return None
    return numerator / denominator


def methodology_sheet_rows(codes=None) -> list[tuple]:
    """(section, item, content, weight, note) rows: the shared rules, then each indicator with its
    formula, definition, what counts, source, month and rounding."""
    from monitoring import indicators

    rows = [(str(_("Aturan")), title, text, None, None) for title, text in indicators.methodology_rules()]
    for row in indicators.methodology_rows(codes):
        rows += [
            (str(_("Indikator")), row["label"], row["formula"], None, row["description"]),
            (str(_("Indikator")), row["label"], str(_("Yang dihitung")), None, row["counts"]),
            (str(_("Indikator")), row["label"], str(_("Sumber")), None, row["source"]),
            (str(_("Indikator")), row["label"], str(_("Bulan")), None, row["period"]),
            (str(_("Indikator")), row["label"], str(_("Pembulatan")), None, row["rounding"]),
        ]
    return rows


class Exporter:
    """Base of every export kind.

    Subclasses set `kind`, `title` and implement `columns()`, `queryset()` (for counting) and
    `rows()`. `self.scope` is the owner's scope for EXPORT_DATA, re-read when the task runs, and
    every queryset must start from it (see `scoped`).
    """

    kind = ""
    title = ""
    needs_period = False

    def __init__(self, *, user, params: dict):
        self.user = user
        self.params = params or {}
        # What the reader should know about the file (a table split over sheets), for the job's message.
        self.notes: list[str] = []
        self._total: int | None = None
        self.scope: Scope = access.scope_for(user, Perm.EXPORT_DATA)
        if self.scope.empty:
            raise DomainError(_("Anda tidak lagi memiliki izin untuk mengekspor data."))
        self.check_params_in_scope()

    # Scope ---------------------------------------------------------------------------------
    def check_params_in_scope(self) -> None:
        """Re-check, at run time, that what the job asks for is still within the owner's scope."""
        province = self.params.get("province")
        centre = self.params.get("centre")
        outside = _("Data yang diminta berada di luar cakupan Anda.")
        if province and not access.provinces_for(self.user, Perm.EXPORT_DATA).filter(code=province).exists():
            raise DomainError(outside)
        if centre and not access.centres_for(self.user, Perm.EXPORT_DATA).filter(pk=centre).exists():
            raise DomainError(outside)

    def scoped(self, qs: QuerySet, centre_field: str = "centre") -> QuerySet:
        """`qs` restricted to the owner's scope and to the province/centre the job asked for."""
        qs = qs.filter(self.scope.q(centre_field))
        prefix = f"{centre_field}__" if centre_field else ""
        if self.params.get("province"):
            qs = qs.filter(**{f"{prefix}province_id": self.params["province"]})
        if self.params.get("centre"):
            qs = qs.filter(**{f"{prefix}pk": self.params["centre"]})
        return qs

    # What to export -----------------------------------------------------------------------
    def columns(self) -> list[Column]:
        raise NotImplementedError

    def count(self) -> int:
        """Rows that rows() will yield (for the progress bar); an estimate is acceptable."""
        raise NotImplementedError

    def total(self) -> int:
        """count(), run once per export: the progress bar and the split of a large table both need it,
        and on a national export it is a COUNT over every report."""
        if self._total is None:
            self._total = self.count()
        return self._total

    def rows(self) -> Iterator[tuple]:
        raise NotImplementedError

    def year_of(self) -> Callable[[tuple], int | None] | None:
        """The year of a row of rows() (rows come ordered by it), by which a main sheet too large for
        one worksheet is split; None: such a sheet is continued in "(2)", "(3)"…"""
        return None

    def extra_sheets(self) -> list[Sheet]:
        return []

    def methodology_sheet(self) -> Sheet | None:
        """The "Metodologi" sheet: the shared rules and every indicator, the text of the methodology
        page (monitoring.indicators)."""
        columns = [
            Column(_("Bagian"), width=12),
            Column(_("Butir"), width=30, wrap=True),
            Column(_("Isi"), width=50, wrap=True),
            Column(_("Bobot (%)"), "number", 10),
            Column(_("Keterangan"), width=60, wrap=True),
        ]
        return Sheet(title=str(_("Metodologi")), columns=columns, rows=methodology_sheet_rows())

    @property
    def sheet_title(self) -> str:
        return str(self.title)[:31]


ProgressCallback = Callable[[int], None]


def _text_width(value) -> int:
    if value.__class__ is str:
        return max((len(line) for line in value.splitlines()), default=0)
    return len(str(value))


def _value_width(value, kind: str) -> int:
    """Characters `value` takes once formatted as a `kind` cell (an estimate; digits are narrow)."""
    if value is None:
        return 0
    if kind in KIND_WIDTHS:
        return KIND_WIDTHS[kind]
    if isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool):
        if kind in ("year", "id"):
            return len(str(int(value)))
        if kind == "money":
            return 3 + len(f"{value:,.0f}")
        if kind in ("int", "number") and value == int(value):
            return len(f"{int(value):,}")
        return len(f"{value:,.2f}")
    return _text_width(value)


def fitted_widths(columns: list[Column], sample: list[tuple]) -> list[float]:
    """One width per column from its header and the sampled rows, bounded (see MAX_WIDTH)."""
    widths = []
    for index, column in enumerate(columns):
        content = max((_value_width(row[index], column.kind) for row in sample), default=0)
        width = max(header_width(str(column.header)), content + 2, MIN_WIDTH)
        widths.append(min(width, column.width if column.wrap else MAX_WIDTH))
    return widths


def _xlsx_sheet(
    wb,
    title: str,
    columns: list[Column],
    rows: Iterable[tuple],
    progress: ProgressCallback | None,
    *,
    footer_title: str,
    exported_at: dt.datetime,
):
    ws = wb.create_sheet(title=title[:31])
    rows = iter(rows)
    sample = list(itertools.islice(rows, SAMPLE_ROWS))
    widths = fitted_widths(columns, sample)
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width
    # A spreadsheet does not grow a row for wrapped text when it opens a file (LibreOffice does not):
    # the header row, and each row of a wrapping column, gets the height of its wrapped text.
    lines = max((wrapped_lines(str(c.header), w, HEADER_BOLD) for c, w in zip(columns, widths, strict=True)), default=1)
    ws.row_dimensions[1].height = row_height(lines)
    wrapping = [(i, widths[i]) for i, c in enumerate(columns) if c.wrap]
    ws.freeze_panes = "A2"
    print_setup(ws, title=footer_title, exported_at=exported_at)
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=str(column.header))
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGN
        header.append(cell)
    ws.append(header)
    # One styled template cell per formatted column, re-used for every row: openpyxl writes the row
    # at append() time, so re-using the cell costs nothing and keeps styles out of the hot loop.
    # In a sheet with wrapping text every cell sits at the top of its (tall) row.
    templates = []
    for column in columns:
        fmt = NUMBER_FORMATS.get(column.kind)
        if fmt or wrapping:
            cell = WriteOnlyCell(ws)
            if fmt:
                cell.number_format = fmt
            if wrapping:
                cell.alignment = WRAP_ALIGN if column.wrap else TOP_ALIGN
            templates.append(cell)
        else:
            templates.append(None)
    fractions = {}
    for i, column in enumerate(columns):
        if column.kind == "number":
            cell = WriteOnlyCell(ws)
            cell.number_format = NUMBER_FRACTION_FORMAT
            if wrapping:
                cell.alignment = TOP_ALIGN
            fractions[i] = cell
    formatted = [i for i, t in enumerate(templates) if t is not None and i not in fractions]
    bools = [i for i, c in enumerate(columns) if c.kind == "bool"]
    texts = [i for i, c in enumerate(columns) if c.kind == "text"]
    yes, no = _("Ya"), _("Tidak")
    count = 0
    for row in itertools.chain(sample, rows):
        out = list(row)
        for i in texts:
            out[i] = clean_text(out[i])
        for i in bools:
            if out[i] is not None:
                out[i] = yes if out[i] else no
        for i in formatted:
            value = out[i]
            if value is not None:
                cell = templates[i]
                cell.value = value
                out[i] = cell
        for i, fraction in fractions.items():
            value = out[i]
            if value is not None:
                cell = templates[i] if value == int(value) else fraction
                cell.value = value
                out[i] = cell
        if wrapping:
            lines = max(wrapped_lines(str(row[i]), w, TEXT_WIDTH) if row[i] is not None else 1 for i, w in wrapping)
            if lines > 1:
                ws.row_dimensions[count + 2].height = row_height(lines)
        ws.append(out)
        count += 1
        if progress and count % PROGRESS_EVERY == 0:
            progress(count)
    last = get_column_letter(max(len(columns), 1))
    ws.auto_filter.ref = f"A1:{last}{count + 1}"
    return count


# --- Tables larger than a worksheet ------------------------------------------------------------
# A worksheet holds 1,048,576 rows, the header included (settings.EXPORT_SHEET_MAX_ROWS: data rows
# per sheet; tests set a small one). A larger table goes on several sheets: one per year when the
# exporter knows its rows' year (a year still too large continues in "… (2)"), else "… (2)", "… (3)".


def split_sheets(
    title: str, rows: Iterable[tuple], *, limit: int, year_of: Callable[[tuple], int | None] | None = None
) -> Iterator[tuple[str, Iterator[tuple]]]:
    """(sheet title, rows) per sheet for one table, each part at most `limit` rows; the parts are
    lazy and must be consumed in order. With `year_of` every year gets its own sheet ("Laporan
    bulanan 2019"); without it the first sheet keeps `title`."""
    state = {"year": None, "part": 0, "rows": 0}

    def key(row):
        year = year_of(row) if year_of else None
        if state["part"] == 0 or year != state["year"]:
            state.update(year=year, part=1, rows=0)
        elif state["rows"] == limit:
            state.update(part=state["part"] + 1, rows=0)
        state["rows"] += 1
        return state["year"], state["part"]

    for (year, part), group in itertools.groupby(rows, key):
        suffix = (f" {year}" if year is not None else "") + (f" ({part})" if part > 1 else "")
        yield str(title)[: 31 - len(suffix)] + suffix, group


def _xlsx_table(wb, title, columns, rows, progress, *, limit, year_of=None, **options) -> list[tuple[str, int]]:
    """Write one table on as many sheets as it needs (each with _xlsx_sheet and its `options`);
    returns (sheet title, rows) per sheet."""
    written: list[tuple[str, int]] = []
    for part_title, part in split_sheets(title, rows, limit=limit, year_of=year_of):
        done = sum(n for _t, n in written)
        step = (lambda n, done=done: progress(done + n)) if progress else None
        written.append((part_title, _xlsx_sheet(wb, part_title, columns, part, step, **options)))
    return written or [(str(title)[:31], _xlsx_sheet(wb, title, columns, [], None, **options))]


def _split_note(title: str, written: list[tuple[str, int]], limit: int) -> str:
    return _(
        "Data %(title)s (%(rows)s baris) melebihi %(limit)s baris per lembar Excel, sehingga dibagi ke "
        "%(n)d lembar: %(sheets)s."
    ) % {
        "title": title,
        "rows": format_number(sum(n for _t, n in written)),
        "limit": format_number(limit),
        "n": len(written),
        "sheets": ", ".join(t for t, _n in written),
    }


def _with_notes(methodology: Sheet | None, notes: list[str]) -> Sheet:
    """The methodology sheet with the file's notes first (a notes-only sheet when there is none)."""
    rows = [(str(_("Berkas")), str(_("Pembagian lembar")), note, None, None) for note in notes]
    if methodology is None:
        columns = [Column(_("Bagian"), width=12), Column(_("Butir"), width=30, wrap=True)]
        columns += [Column(_("Isi"), width=60, wrap=True), Column(_("Bobot (%)"), "number", 10)]
        columns += [Column(_("Keterangan"), width=60, wrap=True)]
        return Sheet(title=str(_("Keterangan")), columns=columns, rows=rows)
    return Sheet(
        title=methodology.title,
        columns=methodology.columns,
        rows=itertools.chain(rows, methodology.rows),
        widths=methodology.widths,
    )


def write_xlsx(
    exporter: Exporter, path: str, progress: ProgressCallback | None = None, *, exported_at: dt.datetime | None = None
) -> int:
    """Write the exporter's rows (and extra sheets) to `path` as XLSX; returns the main row count.
    A table too large for one worksheet is split (split_sheets); the split is said in
    `exporter.notes` (the job's message) and first on the methodology sheet."""
    exported_at = exported_at or clock.now()
    wb = Workbook(write_only=True)
    title = str(exporter.title)
    limit = settings.EXPORT_SHEET_MAX_ROWS
    year_of = exporter.year_of()
    by_year = year_of if year_of is not None and exporter.total() > limit else None
    written = _xlsx_table(
        wb,
        exporter.sheet_title,
        exporter.columns(),
        exporter.rows(),
        progress,
        limit=limit,
        year_of=by_year,
        footer_title=title,
        exported_at=exported_at,
    )
    if len(written) > 1:
        exporter.notes.append(_split_note(exporter.sheet_title, written, limit))
    for sheet in exporter.extra_sheets():
        parts = _xlsx_table(
            wb,
            sheet.title,
            sheet.columns,
            sheet.rows,
            None,
            limit=limit,
            footer_title=f"{title} · {sheet.title}",
            exported_at=exported_at,
        )
        if len(parts) > 1:
            exporter.notes.append(_split_note(sheet.title, parts, limit))
    methodology = exporter.methodology_sheet()
    if exporter.notes:
        methodology = _with_notes(methodology, exporter.notes)
    if methodology is not None:
        _xlsx_sheet(
            wb,
            methodology.title,
            methodology.columns,
            methodology.rows,
            None,
            footer_title=f"{title} · {methodology.title}",
            exported_at=exported_at,
        )
    wb.save(path)
    return sum(n for _t, n in written)


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return value


def write_csv(
    exporter: Exporter, path: str, progress: ProgressCallback | None = None, *, exported_at: dt.datetime | None = None
) -> int:
    """Write the main sheet as CSV (UTF-8 with BOM so Excel reads the Indonesian text right)."""
    count = 0
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        columns = exporter.columns()
        writer.writerow([str(c.header) for c in columns])
        texts = [i for i, c in enumerate(columns) if c.kind == "text"]
        for row in exporter.rows():
            out = [_csv_value(v) for v in row]
            for i in texts:
                out[i] = clean_text(out[i])
            writer.writerow(out)
            count += 1
            if progress and count % PROGRESS_EVERY == 0:
                progress(count)
    if count > settings.EXPORT_SHEET_MAX_ROWS:
        exporter.notes.append(
            _(
                "Berkas CSV ini berisi %(rows)s baris, sedangkan Excel membuka paling banyak %(limit)s baris "
                "data per lembar. Pilih format XLSX agar data dibagi ke beberapa lembar."
            )
            % {"rows": format_number(count), "limit": format_number(settings.EXPORT_SHEET_MAX_ROWS)}
        )
    return count


WRITERS = {"xlsx": write_xlsx, "csv": write_csv}
