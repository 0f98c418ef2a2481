"""Exports opened as a user opens them: LibreOffice Calc (headless) prints each file to PDF, and the
PDF shows every column on the page width, the header row on every page, the footer, plain years,
and no English header in an Indonesian export. The monthly report's workbook is printed with them.

Needs /usr/bin/soffice (Debian: libreoffice-calc-nogui); without it the test skips, unless
REQUIRE_BROWSER=1 (CI, whose .ci/run installs it), where a missing LibreOffice fails the run. One
soffice run converts the six files, with a private profile so parallel runs never share a lock.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

from blkportal.core.months import add_months, first_of_month
from reporting import services as reporting
from reporting.policy import month_label
from reporting.workbook import layout
from reporting.workbook.writer import workbook_xlsx
from tests.monitoring.test_export_helpers import (
    EXPORT_PARAMS,
    english_in,
    make_every_kind,
    read_xlsx,
    run_export,
)

pytestmark = [pytest.mark.django_db, pytest.mark.libreoffice]

SOFFICE = os.environ.get("SOFFICE_PATH") or shutil.which("soffice") or "/usr/bin/soffice"
FOOTER = re.compile(r"^\s*(?P<title>.+?)\s+Halaman (?P<page>\d+) dari (?P<pages>\d+)\s+(Diekspor|Diunduh) ", re.M)
# Headers Django makes up for fields without a verbose_name: none may be printed.
ENGLISH_HEADERS = ["Warnings", "Created by", "Created at", "Updated at", "Submitted by", "Verified by"]
ENGLISH_HEADERS += ["Approved by", "Returned by", "Content type", "Uploaded by", "Uploaded at"]


@pytest.fixture
def soffice():
    if not Path(SOFFICE).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"LibreOffice not found at {SOFFICE} and REQUIRE_BROWSER=1 (install libreoffice-calc-nogui)")
        pytest.skip(f"LibreOffice not found at {SOFFICE} (apt-get install libreoffice-calc-nogui)")
    return SOFFICE


def to_pdf(soffice, files: list[Path], out: Path) -> dict[str, Path]:
    profile = out.parent / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return {f.stem: out / f"{f.stem}.pdf" for f in files}


def words(text: str) -> set[str]:
    return set(text.split())


def distinctive(header: str, others: list[str]) -> set[str]:
    """The words of `header` no other header of the sheet has (all its words if none is unique)."""
    taken = set().union(*(words(str(h)) for h in others)) if others else set()
    return (words(header) - taken) or words(header)


def check_printed(name: str, sheets: dict, pdf: Path) -> None:
    """Every page of `pdf` has the footer of one of `sheets` (footer title -> (sheet, its column
    headers or None, whether it must fit on one page)) and, on a sheet with headers, the header row
    from its first column to its last: a column pushed onto another page would leave one of them out.
    Every sheet is printed."""
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    printed = {}  # footer title -> pages printed
    for number, text in enumerate(pages, 1):
        footer = FOOTER.search(text)
        assert footer, f"{name} page {number}: no footer in {text[:200]!r}"
        title = footer["title"].strip()
        assert title in sheets, f"{name} page {number}: unknown footer title {title!r}"
        ws, header, _one_page = sheets[title]
        for where, column in (("first", 0), ("last", -1)) if header else ():
            others = header[1:] if column == 0 else header[:-1]
            missing = [w for w in distinctive(header[column], others) if w not in text]
            assert not missing, f"{name}/{ws.title} p.{number}: {where} column {header[column]!r} not printed"
        for english in ENGLISH_HEADERS:
            assert english not in text, f"{name}/{ws.title} p.{number}: {english!r}"
        # LibreOffice numbers the pages of the whole file.
        assert (int(footer["page"]), int(footer["pages"])) == (number, len(pages))
        printed[title] = printed.get(title, 0) + 1
    assert set(printed) == set(sheets), f"{name}: sheets not printed: {set(sheets) - set(printed)}"
    for title, count in printed.items():
        # A handful of rows fit on one page once the columns fit the width: more pages would mean
        # the columns ran over onto further pages.
        assert count == 1 or not sheets[title][2], (name, title, count)


def test_exports_print_every_column_on_the_page_width(soffice, world, tmp_path):
    from pypdf import PdfReader

    make_every_kind(world)
    files, books = [], {}
    for kind, params in EXPORT_PARAMS.items():
        job = run_export(world.directorate, kind, **params)
        path = tmp_path / f"{kind}.xlsx"
        with job.file.storage.open(job.file.name, "rb") as fh:
            path.write_bytes(fh.read())
        files.append(path)
        books[kind] = read_xlsx(job)
    # The monthly report's workbook, another file the portal writes, read-only copy.
    report = reporting.report_get_or_create_draft(
        centre=world.centre_a, period=add_months(first_of_month(timezone.localdate()), -1), by=world.manager_a
    )
    workbook = tmp_path / "workbook.xlsx"
    workbook.write_bytes(workbook_xlsx(report, editable=False))
    files.append(workbook)
    pdfs = to_pdf(soffice, files, tmp_path / "pdf")

    for kind, wb in books.items():
        first = wb.sheetnames[0]
        sheets = {}
        for ws in wb.worksheets:
            header = [str(c.value) for c in ws[1]]
            # No English header in the Indonesian file.
            assert not [h for h in header if english_in(h)], (kind, ws.title)
            title = first if ws.title == first else f"{first} · {ws.title}"
            one_page = ws.max_row <= 20 and not any(cell.alignment.wrap_text for cell in ws[2])
            sheets[title] = (ws, header, one_page)
        check_printed(kind, sheets, pdfs[kind])

    book = openpyxl.load_workbook(workbook)
    guide = layout.sheet_titles()["guide"]
    sheets = {}
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        header = None
        if ws.title != guide:
            header = [str(c.value) for c in ws[layout.HEADER_ROW][1:] if c.value]
        title = f"{world.centre_a.reg_code} · {month_label(report.period)} · {ws.title}"
        sheets[title] = (ws, header, ws.title not in (guide, layout.sheet_titles()["report"]))
    check_printed("workbook", sheets, pdfs["workbook"])

    # Years print as years: "2019", never "2,019" or "2.019".
    text = "\n".join(page.extract_text() for page in PdfReader(pdfs["compliance"]).pages)
    assert "2019" in text and "2,019" not in text and "2.019" not in text
