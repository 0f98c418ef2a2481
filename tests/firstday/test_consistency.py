"""Issue 12, point 8: small inconsistencies a person notices."""

import re

from django.template.loader import render_to_string
from django.urls import reverse

from incubator.forms import ProgressForm
from monitoring.templatetags.monitoring_tags import month_text
from reporting import services
from reporting.forms import IncomeForm, ReportForm
from reporting.models import ReportIncome, ReportProduct


def test_report_sections_have_one_letter_each(world, client_for, draft):
    for name in ("reporting:report_edit", "reporting:report_detail"):
        html = client_for("manager_a").get(reverse(name, args=[draft.pk])).content.decode()
        letters = re.findall(r'<h2 class="h5[^"]*">([A-Z])\. ', html)
        assert letters == sorted(letters) and len(letters) == len(set(letters)), (name, letters)


def test_income_and_product_lines_group_their_thousands(world, client_for, draft):
    source = ReportIncome._meta.get_field("source").choices[0][0]
    services.report_line_add(
        report=draft, by=world.manager_a, kind="income", data={"source": source, "amount": 688000, "description": ""}
    )
    channel = ReportProduct._meta.get_field("channel").choices[0][0]
    services.report_line_add(
        report=draft,
        by=world.manager_a,
        kind="product",
        data={"name": "Keripik", "units_sold": 10, "revenue": 1250000, "channel": channel},
    )
    html = client_for("manager_a").get(reverse("reporting:report_edit", args=[draft.pk])).content.decode()
    assert "Rp 688000" not in html and "Rp 688.000" in html
    assert "Rp 1.250.000" in html


def test_selects_start_with_one_placeholder(world, client_for, draft):
    pages = [
        reverse("reporting:report_edit", args=[draft.pk]),
        reverse("reporting:batch_create", args=[world.centre_a.pk]),
        reverse("incubator:tenant_create", args=[world.centre_a.pk]),
    ]
    for url in pages:
        html = client_for("manager_a").get(url).content.decode()
        assert "---------" not in html, url
        assert "— pilih —" in html, url


def test_rupiah_message_is_the_same_in_report_and_incubator_forms():
    report = ReportForm({"operating_cost": "abc"})
    report.is_valid()
    incubator = ProgressForm({"month": "2024-01", "omzet": "abc", "profit": "0", "workers": "1"})
    incubator.is_valid()
    income = IncomeForm({"amount": "abc"}, prefix="")
    income.is_valid()
    assert report.errors["operating_cost"] == incubator.errors["omzet"] == income.errors["amount"]


def test_returned_reads_red_on_the_dashboard_as_in_lists():
    badge = render_to_string("monitoring/_state_badge.html", {"f": {"expected": True, "state": "returned"}})
    listed = render_to_string("reporting/_status_badge.html", {"status": "returned", "label": "Dikembalikan"})
    assert "text-bg-danger" in badge and "text-bg-danger" in listed


def test_export_months_read_as_words():
    assert month_text("2026-10") == "Oktober 2026"
    job = type("Job", (), {"pk": 1, "status": "done", "finished": True, "parameters": {"period_to": "2026-10"}})
    html = render_to_string("monitoring/export_row.html", {"job": job})
    assert "Sampai Oktober 2026" in html and "2026-10" not in html.replace('"2026-10"', "")
