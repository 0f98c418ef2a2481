"""{% load portal_format %}: the number formatter of blkportal.core.formatting as template filters."""

from django import template

from blkportal.core import formatting

register = template.Library()


@register.filter
def num(value, places=None):
    """{{ n|num }} -> "1.234.567" (a value with decimals keeps two: "12,50");
    {{ x|num:2 }} -> "0,13" (half up, in the active language)."""
    return formatting.format_number(value, None if places is None else int(places))


@register.filter
def decimal(value, places=2):
    """{{ weight|decimal }} -> "12,5" or "40": up to `places` decimals, trailing zeros dropped."""
    return formatting.format_number(value, int(places), trim=True)


@register.filter
def percent(value, places=1):
    """{{ rate|percent }} -> "4,5 %" for a value on the 0-100 scale; "—" when there is none."""
    return formatting.format_percent(value, int(places))


@register.filter
def signed_percent(value, places=1):
    """{{ growth|signed_percent }} -> "+12,5 %" (a change)."""
    return formatting.format_percent(value, int(places), signed=True)


@register.filter
def rupiah(value):
    """{{ amount|rupiah }} -> "Rp 1.800.000"."""
    return formatting.format_rupiah(value)
