"""Numbers, percentages and Rupiah as a person reads them: the one number formatter.

Values are computed and stored unrounded; they are rounded once, here, at display, half up
(0,125 -> 0,13), with the separators of the active language (Indonesian "1.234.567" and "4,5 %",
English "1,234,567" and "4.5 %"). Templates use the filters in `portal_format`; services, exports,
e-mails and the API call these functions. A missing value reads as an em dash.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format

EMPTY = "—"


def to_decimal(value) -> Decimal | None:
    """`value` as a Decimal (floats through their shortest repr), None when it is not a number."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def round_half_up(value, places: int = 0) -> Decimal | None:
    """`value` rounded to `places` decimals, halves away from zero (2,5 -> 3; 0,125 -> 0,13)."""
    number = to_decimal(value)
    if number is None:
        return None
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_number(value, places: int | None = 0, *, trim: bool = False, signed: bool = False) -> str:
    """1234567 -> "1.234.567"; format_number(4.55, 1) -> "4,6". `places=None`: whole values without
    decimals, others with two (12 -> "12", 12.5 -> "12,50"). `trim` drops trailing zero decimals
    (12,50 -> "12,5", 40,00 -> "40"); `signed` writes "+" before a positive value."""
    if places is None:
        number = to_decimal(value)
        places = 0 if number is None or number == number.to_integral_value() else 2
    number = round_half_up(value, places)
    if number is None:
        return EMPTY
    if trim:
        places = max(0, -number.normalize().as_tuple().exponent)
        number = number.quantize(Decimal(1).scaleb(-places))
    if number == 0:
        number = abs(number)  # never "-0"
    text = number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)
    return f"+{text}" if signed and number > 0 else text


def format_percent(value, places: int = 1, *, trim: bool = False, signed: bool = False) -> str:
    """A value on the 0-100 scale: 4.5454 -> "4,5 %" (Indonesian), "4.5 %" (English)."""
    text = format_number(value, places, trim=trim, signed=signed)
    return text if text == EMPTY else f"{text} %"


def format_rupiah(value) -> str:
    """Whole Rupiah: 1800000 -> "Rp 1.800.000" (Indonesian), "Rp 1,800,000" (English)."""
    text = format_number(value, 0)
    return text if text == EMPTY else f"Rp {text}"
