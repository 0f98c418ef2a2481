"""One placeholder for every select that starts empty ("— pilih —", never Django's "---------")."""

from django import forms
from django.utils.translation import gettext_lazy as _

PICK = _("— pilih —")


def pick_placeholder(form) -> None:
    """Give the form's selects that have an empty first option the portal's placeholder."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None:
                field.empty_label = PICK
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
            choices = list(field.choices)
            if choices and choices[0][0] == "" and str(choices[0][1]).startswith("---"):
                field.choices = [("", PICK), *choices[1:]]
