"""Template helpers: every figure shows its value with its numerator and denominator."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from blkportal.core.formatting import EMPTY, format_number, format_percent

register = template.Library()


def _num(value) -> str:
    """A count or Rp amount (1.234.567); a sum with decimals keeps two of them."""
    return format_number(value, None)


@register.filter
def value_text(fig) -> str:
    """87,5 % (rates), 1,3 (averages), 3,5 / 5 (kemandirian), — (no denominator)."""
    if fig is None or fig.value is None:
        return EMPTY
    ind = fig.indicator
    if ind.kind == "score":
        return f"{format_number(fig.points, 1)} / 5"
    signed = ind.kind == "growth"
    if ind.unit == "%":
        return format_percent(fig.value, 1, signed=signed)
    return format_number(fig.value, 1, signed=signed)


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


@register.filter
def month_text(value) -> str:
    """ "2026-10" (as stored on an export's parameters) -> "Oktober 2026"; unreadable stays as is."""
    from blkportal.core.months import month_label, parse_month

    month = parse_month(str(value or ""), allow_future=True)
    return month_label(month) if month else str(value or "")
