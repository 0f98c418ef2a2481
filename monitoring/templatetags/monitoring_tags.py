"""Template helpers: every figure shows its value with its numerator and denominator."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def _round(value, places=1) -> Decimal:
    """Round half up first: number_format truncates."""
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _num(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return number_format(_round(value, 2), decimal_pos=2, use_l10n=True, force_grouping=True)
    return number_format(int(value), use_l10n=True, force_grouping=True)


@register.filter
def num(value) -> str:
    """A count or Rp amount with Indonesian grouping (1.234.567)."""
    return _num(value)


@register.filter
def value_text(fig) -> str:
    """87,5 % (rates), 1,3 (averages), 3,5 / 5 (kemandirian), — (no denominator)."""
    if fig is None or fig.value is None:
        return "—"
    ind = fig.indicator
    if ind.kind == "score":
        return f"{number_format(_round(fig.points), decimal_pos=1, use_l10n=True)} / 5"
    text = number_format(_round(fig.value), decimal_pos=1, use_l10n=True, force_grouping=True)
    if ind.kind == "growth" and fig.value > 0:
        text = "+" + text
    return f"{text} %" if ind.unit == "%" else text


@register.filter
def fraction_title(fig) -> str:
    """Hover text: "laporan masuk 35 dari BLK wajib lapor 40"."""
    if fig is None:
        return ""
    ind = fig.indicator
    return _("%(num_label)s %(num)s dari %(den_label)s %(den)s") % {
        "num_label": ind.numerator_label,
        "num": _num(fig.numerator),
        "den_label": ind.denominator_label,
        "den": _num(fig.denominator),
    }


@register.simple_tag
def figure(fig, href=None, block=False):
    """The value (linked one level down when `href`), with numerator/denominator beside it and on hover."""
    value = value_text(fig)
    title = fraction_title(fig)
    frac = f"{_num(fig.numerator)}/{_num(fig.denominator)}"
    inner = format_html('<a href="{}">{}</a>', href, value) if href else value
    tag = "div" if block else "span"
    return format_html(
        '<{} class="fig" title="{}" data-num="{}" data-den="{}"><span class="fig-value">{}</span> '
        '<small class="fig-frac text-body-secondary">{}</small></{}>',
        tag,
        title,
        fig.numerator,
        fig.denominator,
        inner,
        frac,
        tag,
    )


@register.filter
def sort_value(fig) -> str:
    """A plain number for client-side sorting (empty figures sort last)."""
    return "" if fig is None or fig.value is None else str(fig.value)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
