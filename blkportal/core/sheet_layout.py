"""How a sheet the portal writes reads and prints, whichever writer makes it (exports, templates):
the width a bold header needs, how many lines wrapped text takes (spreadsheets do not grow a row for
wrapped text when they open a file, so writers set row heights), and one print set-up: A4 landscape,
every column on the page width, the header row on every page, a footer with title, page and time.

Widths are in the units of a column width (the width of a digit of the default font); the factors
below were checked by printing exports with LibreOffice (tests/monitoring/test_export_libreoffice.py).
"""

from __future__ import annotations

import datetime as dt
import math

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

PAPER_A4 = 9  # the paperSize code of A4 in SpreadsheetML
HEADER_LINES = 3  # a header wraps on at most this many lines
HEADER_BOLD = 1.2  # bold header letters are wider than the digits a column width counts
TEXT_WIDTH = 0.9  # letters of body text are a little narrower than those digits
LINE_HEIGHT = 15  # points per line of 11-point text
FOOTER_SIZE = 8


def header_width(header: str) -> int:
    """The width that shows `header` wrapped on at most HEADER_LINES lines, no word broken (bold
    letters are wider than the digits a column width counts: HEADER_BOLD)."""
    words = header.split() or [""]
    return math.ceil(max(max(len(w) for w in words), len(header) / HEADER_LINES) * HEADER_BOLD) + 2


def wrapped_lines(text: str, width: float, factor: float = 1.0) -> int:
    """Lines `text` takes wrapped in a column `width` characters wide (greedy, at spaces, as a
    spreadsheet wraps); `factor` is how much wider its letters are than a column's unit."""
    capacity = max(1.0, (width - 2) / factor)
    total = 0
    for paragraph in text.splitlines() or [""]:
        lines, used = 1, 0
        for word in paragraph.split():
            if used and used + 1 + len(word) > capacity:
                lines, used = lines + 1, 0
            used = used + 1 + len(word) if used else len(word)
            while used > capacity:  # a word longer than the column breaks inside
                lines, used = lines + 1, used - capacity
        total += lines
    return total


def row_height(lines: int) -> float:
    """Points for a row of `lines` lines of text."""
    return LINE_HEIGHT * lines + 3


def footer_text(text: str) -> str:
    """Literal text in a header/footer section: "&" starts a code there (&P is the page number)."""
    return text.replace("&", "&&")


def print_setup(
    ws, *, title: str, exported_at: dt.datetime, title_rows: str | None = "1:1", stamp: str | None = None
) -> None:
    """A4 landscape, every column on the page width (as many pages down as needed), the header row
    (`title_rows`) on every page, and a footer with the title, "Halaman x dari y" and the time the
    file was made (`stamp`, by default "Diekspor <time>").
    On a write-only sheet, call it before the first row: its page set-up properties go out with it."""
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.2, footer=0.25)
    if title_rows:
        ws.print_title_rows = title_rows
    footer = ws.oddFooter
    footer.left.text, footer.left.size = footer_text(title), FOOTER_SIZE
    footer.center.text, footer.center.size = _("Halaman &P dari &N"), FOOTER_SIZE
    if stamp is None:
        local = timezone.localtime(exported_at)
        stamp = _("Diekspor %(time)s") % {"time": f"{local:%d/%m/%Y %H:%M} {local.tzname() or ''}".strip()}
    footer.right.text, footer.right.size = footer_text(stamp), FOOTER_SIZE
