"""The monthly report as a spreadsheet, both ways (docs/reporting-workbook.md).

`layout` says where everything is, `writer` builds the pre-filled .xlsx of one centre-month,
`reader` reads an uploaded copy back through the web form's own forms, and `marker` signs the
file to its report and remembers what the draft was when it was downloaded. The service that
turns an upload into the draft is reporting.services.workbook.
"""

from .marker import MarkerError
from .reader import Reading, read_workbook
from .values import Change, conflicts_between, server_items
from .writer import workbook_filename, workbook_xlsx

__all__ = [
    "Change",
    "MarkerError",
    "Reading",
    "conflicts_between",
    "read_workbook",
    "server_items",
    "workbook_filename",
    "workbook_xlsx",
]
