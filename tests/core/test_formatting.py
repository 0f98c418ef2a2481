"""The one number formatter: rounded once, at display, half up, in the active language."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from blkportal.core.formatting import format_number, format_percent, format_rupiah
from monitoring import indicators
from monitoring.templatetags.monitoring_tags import value_text


def render(source: str, **context) -> str:
    return Template("{% load portal_format %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("lang", "number", "percent", "rupiah", "two_places"),
    [
        ("id", "1.234.567", "4,5 %", "Rp 1.800.000", "0,13"),
        ("en", "1,234,567", "4.5 %", "Rp 1,800,000", "0.13"),
    ],
)
def test_numbers_read_in_the_active_language(lang, number, percent, rupiah, two_places):
    with translation.override(lang):
        assert format_number(1234567) == number
        assert format_percent(Decimal(100) / 22) == percent
        assert format_rupiah(Decimal("1800000")) == rupiah
        assert format_number(Decimal("0.125"), 2) == two_places
        assert render(
            "{{ n|num }} {{ p|percent }} {{ r|rupiah }} {{ x|num:2 }}", n=1234567, p=100 / 22, r=1800000, x=0.125
        ) == (f"{number} {percent} {rupiah} {two_places}")


def test_rounding_is_half_up_once():
    with translation.override("id"):
        assert format_number(Decimal("2.5")) == "3"
        assert format_number(0.125, 2) == "0,13"  # the float's shortest repr, not its binary value
        assert format_number(Decimal("-2.5")) == "-3"
        assert format_percent(Decimal("4.55")) == "4,6 %"
        assert format_percent(Decimal("4.549")) == "4,5 %"
        assert format_number(Decimal("-0.04"), 1) == "0,0"  # never "-0,0"
        assert format_number(Decimal("12.50"), 2, trim=True) == "12,5"
        assert format_number(Decimal("40.00"), 2, trim=True) == "40"
        assert format_number(Decimal("12.5"), None) == "12,50" and format_number(Decimal("85.00"), None) == "85"
        assert format_percent(Decimal("12.34"), signed=True) == "+12,3 %"


def test_missing_values_read_as_a_dash():
    for value in (None, "", "abc"):
        assert format_number(value) == "—"
        assert format_percent(value) == "—"
        assert format_rupiah(value) == "—"
    assert render("{{ v|percent }}|{{ v|rupiah }}|{{ v|num }}", v=None) == "—|—|—"


def test_the_dashboard_rounds_one_in_twenty_two_once():
    """1/22 = 4.5454… %: rounding first to 4.55 and then to one place would show "4,6 %"."""
    figure = indicators.get("reporting_rate").figure(1, 22)
    assert figure.value > Decimal("4.545")  # kept unrounded
    with translation.override("id"):
        assert value_text(figure) == "4,5 %"
    with translation.override("en"):
        assert value_text(figure) == "4.5 %"


@pytest.mark.parametrize(("lang", "shown"), [("id", "1.500.000"), ("en", "1,500,000")])
def test_a_rupiah_field_shows_the_amount_grouped_and_reads_it_back(lang, shown):
    from reporting.forms import RupiahField

    field = RupiahField()
    with translation.override(lang):
        assert field.prepare_value(Decimal("1500000")) == shown
        assert field.clean(shown) == Decimal("1500000")
