"""The report page's prefixed line forms link each field to its error message."""

import re

import pytest
from django.urls import reverse

from tests.core.test_form_rendering import ids_described, tag_of
from tests.reporting.test_views import HTMX

pytestmark = pytest.mark.django_db


def test_a_prefixed_line_form_on_the_report_page_points_at_its_error(client_for, draft):
    url = reverse("reporting:line_add", args=[draft.pk, "income"])
    body = client_for("manager_a").post(url, {"income-source": "jasa", "income-amount": "-10"}, **HTMX).content.decode()
    widget = tag_of(body, 'name="income-amount"')
    assert "is-invalid" in widget and 'aria-invalid="true"' in widget
    assert ids_described(widget) == ["id_income-amount_error"]
    assert re.search(r'id="id_income-amount_error"><li>[^<]*tidak boleh negatif', body)
