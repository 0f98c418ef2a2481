"""The monthly report's workbook prints like the exports: every visible sheet on A4 landscape fitted
to the page width, its column headers on every page, a footer naming the centre, month and sheet.
(LibreOffice prints it in tests/monitoring/test_export_libreoffice.py.)"""

import pytest

from reporting.workbook import layout
from tests.reporting.workbook_files import download, open_book

pytestmark = pytest.mark.django_db


def test_every_visible_sheet_has_the_print_setup(filled, client_for):
    book = open_book(download(client_for("manager_a"), filled))
    guide = layout.sheet_titles()["guide"]
    visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    assert len(visible) >= 3
    for ws in visible:
        setup = ws.page_setup
        assert (setup.orientation, str(setup.paperSize)) == ("landscape", "9"), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        footer = ws.oddFooter
        assert footer.left.text.strip().startswith(f"{filled.centre.reg_code} · ")
        assert footer.left.text.strip().endswith(f" · {ws.title}")
        assert footer.center.text.strip() == "Halaman &P dari &N"
        assert footer.right.text.strip().startswith("Diunduh ")
        if ws.title != guide:
            assert ws.print_title_rows == f"${layout.HEADER_ROW}:${layout.HEADER_ROW}"
