"""Numbers that are part of a link, an element id or a sort key stay plain digits.

Indonesian formatting writes 1234 as "1.234" (USE_THOUSAND_SEPARATOR): right on screen, wrong in
"?page=1.234" (the paginator cannot read it), in "export-job-1.234" (htmx swaps by that id) and in a
sort key the table's script reads as 1.234.
"""

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import translation

from monitoring.models.exports import ExportJob, ExportKind, ExportStatus


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


def test_pagination_links_past_page_999_are_readable():
    page = Paginator(range(30_000), 25).page(1001)
    html = render_to_string("includes/pagination.html", {"page": page, "query": "status=submitted"})
    assert "?status=submitted&page=1000" in html
    assert "page=1002" in html
    assert "1.200" in html  # the page count shown to people keeps Indonesian grouping


def test_export_row_id_and_breakdown_sort_key_are_plain_digits():
    job = ExportJob(pk=12345, kind=ExportKind.REPORTS, status=ExportStatus.DONE)
    html = render_to_string("monitoring/export_row.html", {"job": job})
    assert 'id="export-job-12345"' in html

    rows = [{"name": "Jawa Timur", "href": "/x/", "expected": 1234, "figures": {}}]
    html = render_to_string(
        "monitoring/_breakdown_table.html",
        {"rows": rows, "columns": [], "name_field": "name", "name_label": "Provinsi", "table_id": "t"},
    )
    assert 'data-sort="1234"' in html
    assert ">1.234<" in html
