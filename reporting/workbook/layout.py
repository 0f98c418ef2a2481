"""Where everything is in the report's workbook, read by both the writer and the reader.

Every data sheet has the same frame: column A (hidden) holds each row's key (a field name on the
report sheet, a batch id on the batch sheet, a line number on the line sheets); row 1 is the title,
row 2 a note, row 3 (hidden) the key of each column, row 4 the column headings people read, and the
data starts on row 5. The reader finds rows and columns by these keys, not by their position or
their (translated) headings, and refuses a file whose keys went missing.

The columns are the web form's own fields (ReportForm, BatchForm and the line forms), so labels,
limits and choices come from one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from blkportal.core.forms import RupiahField

from ..fields import BATCH_COUNT_FIELDS, REPORT_INPUT_FIELDS
from ..lines import LINE_KINDS

KEY_COLUMN = 1
TITLE_ROW, NOTE_ROW, KEY_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3, 4, 5
# Rows and columns read per sheet. Every table ends well above; anything typed below is refused.
SCAN_ROWS = FIRST_ROW + 500
SCAN_COLUMNS = 40
MARKER_SHEET = "_portal"
LISTS_SHEET_KEY = "lists"
# The report sheet's columns, by key (row 3).
LABEL, VALUE, HINT, PREVIOUS = "label", "value", "hint", "previous"
REPORT_COLUMNS = [LABEL, VALUE, HINT, PREVIOUS]

# Sections B and C of the edit page, in its order: the report's input fields, split where C starts,
# so a field added to REPORT_INPUT_FIELDS reaches the workbook too.
_SECTION_C = REPORT_INPUT_FIELDS.index("permit_status")
REPORT_SECTIONS = [
    ("B. Alumni dan penempatan", REPORT_INPUT_FIELDS[:_SECTION_C]),
    ("C. Kelembagaan dan kemandirian", REPORT_INPUT_FIELDS[_SECTION_C:]),
]
# The edit page's section letter of each line kind (D: partnerships and income, E, F).
LINE_LETTERS = {"partnership": "D", "income": "D", "product": "E", "problem": "F"}
BATCH_IDENTITY = ["program_name", "kejuruan", "funding_source", "start_date", "end_date"]


@dataclass(frozen=True)
class Col:
    """One value people read or type: a form field and how the sheet holds it."""

    key: str
    label: str
    kind: str  # count | rupiah | date | choice | text | lookup (a model choice, shown by name)
    editable: bool = True
    maximum: int | None = None
    max_length: int | None = None
    choices: tuple[tuple[str, str], ...] = ()
    multiline: bool = False

    @property
    def width(self) -> int:
        if self.multiline:
            return 48
        if self.kind in ("count", "rupiah", "date"):
            return max(12, min(18, len(self.label) + 2))
        return max(16, min(36, len(self.label) + 4))


def column_for(name: str, field: forms.Field, *, editable: bool = True) -> Col:
    label = str(field.label or name)
    if isinstance(field, RupiahField):
        return Col(name, label, "rupiah", editable)
    if isinstance(field, forms.IntegerField):
        return Col(name, label, "count", editable, maximum=field.max_value)
    if isinstance(field, forms.DateField):
        return Col(name, label, "date", editable)
    if isinstance(field, forms.ModelChoiceField):
        return Col(name, label, "lookup", False)
    if isinstance(field, forms.ChoiceField):
        choices = tuple((str(v), str(text)) for v, text in field.choices if v not in ("", None))
        return Col(name, label, "choice", editable, choices=choices)
    return Col(
        name,
        label,
        "text",
        editable,
        max_length=getattr(field, "max_length", None),
        multiline=isinstance(field.widget, forms.Textarea),
    )


def report_columns() -> list[tuple[str, list[Col]]]:
    """Sections B and C: (heading, fields) with the web form's labels and limits."""
    from ..forms import ReportForm

    fields = ReportForm().fields
    return [(_(heading), [column_for(name, fields[name]) for name in names]) for heading, names in REPORT_SECTIONS]


def batch_columns() -> list[Col]:
    """Section A's columns: the batch's name, kejuruan, funding and dates (changed on the portal's
    batch page, locked here), then its counts in the batch form's order (typed here)."""
    from ..forms import BatchForm

    fields = BatchForm().fields
    counts = [name for name in BatchForm.Meta.fields if name in BATCH_COUNT_FIELDS]
    return [column_for(name, fields[name], editable=False) for name in BATCH_IDENTITY] + [
        column_for(name, fields[name]) for name in counts
    ]


def line_columns(kind: str) -> list[Col]:
    from ..forms import LINE_FORMS

    fields = LINE_FORMS[kind]().fields
    return [column_for(name, fields[name]) for name in LINE_KINDS[kind].fields]


def line_rows() -> int:
    """Rows of each line table: as many as a section may hold."""
    from ..services.reports import MAX_LINES

    return MAX_LINES


def _sheet_title(text: str) -> str:
    for bad in "[]:*?/\\":
        text = text.replace(bad, "-")
    return text[:31]


def sheet_titles() -> dict[str, str]:
    """Each sheet's title in the active language, by key (the marker keeps the titles a file was
    written with, so a file reads back whatever the language at upload)."""
    titles = {
        "guide": _sheet_title(_("Petunjuk")),
        "report": _sheet_title(_("Laporan")),
        "batches": _sheet_title(_("A. Pelatihan")),
    }
    for kind in LINE_KINDS.values():
        titles[kind.key] = _sheet_title(f"{LINE_LETTERS[kind.key]}. {kind.label}")
    titles[LISTS_SHEET_KEY] = _sheet_title(_("Daftar pilihan"))
    return titles


def cell_ref(sheet_title: str, column: int, row: int) -> str:
    """An Excel reference a person can paste into the Name Box: 'A. Pelatihan'!H7, Laporan!C9."""
    return f"{quote_sheet(sheet_title)}!{get_column_letter(column)}{row}"


def quote_sheet(title: str) -> str:
    """A sheet name as Excel writes it in a reference: quoted only when it must be."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", title) and not re.fullmatch(r"[A-Za-z]{1,3}\d+", title):
        return title
    return "'" + title.replace("'", "''") + "'"


def rule_refs() -> dict[str, str]:
    """Where each field a report rule names sits in a freshly written workbook (the report sheet's
    value cells, and the first cell of each table), so a rule's message can point at a cell."""
    titles = sheet_titles()
    refs = {}
    row, value_column = FIRST_ROW, 2 + REPORT_COLUMNS.index(VALUE)
    for _heading, names in REPORT_SECTIONS:
        row += 1  # the section's heading
        for name in names:
            refs[name] = cell_ref(titles["report"], value_column, row)
            row += 1
    refs["batches"] = cell_ref(titles["batches"], 2, FIRST_ROW)
    for kind in LINE_KINDS.values():
        refs[kind.key] = refs[kind.related] = cell_ref(titles[kind.key], 2, FIRST_ROW)
    refs["own_income"] = refs["income"]
    return refs
