"""Indonesian phone numbers: one stored form (+62…), validated where people type them."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PATTERN = re.compile(r"^\+62\d{8,13}$")


def normalise_phone(text: str) -> str:
    """ "0812-3456-7890", "62 812 3456 7890" or "+62 (812) 3456 7890" -> "+6281234567890".
    Empty stays empty; anything else raises ValidationError with a message for the person."""
    raw = (text or "").strip()
    if not raw:
        return ""
    digits = re.sub(r"[\s.\-()/]", "", raw)
    if digits.startswith("+"):
        number = digits
    elif digits.startswith("62"):
        number = "+" + digits
    elif digits.startswith("0"):
        number = "+62" + digits[1:]
    elif digits.startswith("8"):
        number = "+62" + digits
    else:
        number = digits
    if not PATTERN.match(number):
        raise ValidationError(
            _("Nomor telepon tidak dikenali. Tulis nomor Indonesia, misalnya 0812 3456 7890 atau +62 812 3456 7890."),
            code="phone",
        )
    return number


def phone_or_none(text: str) -> str | None:
    """The normalised number, or None when the stored text is not a usable number."""
    try:
        return normalise_phone(text) or None
    except ValidationError:
        return None


class PhoneField(forms.CharField):
    """A phone number field that stores +62… and explains a number it cannot read."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Nomor WhatsApp, misalnya 0812 3456 7890; disimpan sebagai +62…"))
        super().__init__(**kwargs)
        self.widget.attrs.update({"type": "tel", "autocomplete": "tel", "inputmode": "tel"})

    def clean(self, value):
        return normalise_phone(super().clean(value))
