"""Form rendering shared by every app: Django's own form renderer with Bootstrap-styled templates.

`FORM_RENDERER` points at `PortalFormRenderer`. Its bound fields give every widget its Bootstrap
class (and `is-invalid` when the field has errors); Django itself adds `aria-invalid` and an
`aria-describedby` naming the help text (`<id>_helptext`) and the errors (`<id>_error`), prefixes
included. `templates/django/forms/field.html` lays a field out (label, widget, help, errors beside
it); templates render one with `{{ form.x.as_field_group }}` or `includes/field.html`.
"""

import re
from decimal import Decimal

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from .formatting import format_number

BOOTSTRAP_CLASSES = ("form-control", "form-select", "form-check-input", "btn-check")


def widget_class(widget, small: bool = False) -> str:
    """The Bootstrap class of a widget: form-check-input, form-select or form-control (-sm)."""
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):  # RadioSelect: also checkbox lists
        return "form-check-input"
    if isinstance(widget, (forms.Select, forms.SelectMultiple)):
        return "form-select form-select-sm" if small else "form-select"
    return "form-control form-control-sm" if small else "form-control"


class BootstrapBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if widget.is_hidden:
            return attrs
        css = attrs.get("class") or widget.attrs.get("class") or ""
        classes = css.split()
        if not any(c in BOOTSTRAP_CLASSES for c in classes):
            classes += widget_class(widget, small=getattr(self.form, "compact", False)).split()
        if self.errors and "is-invalid" not in classes:
            classes.append("is-invalid")
        attrs["class"] = " ".join(classes)
        return attrs


class PortalFormRenderer(TemplatesSetting):
    """Django's renderer reading the project's templates (which restyle django/forms/field.html)."""

    bound_field_class = BootstrapBoundField


def compact(form):
    """Render `form`'s widgets in Bootstrap's small size (filter bars)."""
    form.compact = True
    return form


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


MAX_RUPIAH = Decimal("999999999999999")


class RupiahField(forms.Field):
    """Whole rupiah, typed as people type it: "1.500.000", "Rp 1500000", "1,500,000" (grouped in
    Indonesian or English), "1.500.000,00"; refuses fractions of a rupiah, and negatives unless
    `allow_negative` (a loss). Shown grouped in the request's language."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Isi angka rupiah tanpa sen, misalnya 1.500.000."),
        "negative": _("Jumlah rupiah tidak boleh negatif."),
        "max_value": _("Jumlah terlalu besar."),
    }

    def __init__(self, *, allow_negative: bool = False, **kwargs):
        self.allow_negative = allow_negative
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        numeric = "text" if self.allow_negative else "numeric"  # phones' numeric pads have no minus
        attrs.update({"inputmode": numeric, "autocomplete": "off", "placeholder": "0", "maxlength": 30})
        return attrs

    def prepare_value(self, value):
        if isinstance(value, (int, Decimal)):
            return format_number(value)
        return value

    def to_python(self, value):
        value = str(value).strip()[:40] if value is not None else ""
        if value in self.empty_values:
            return None
        text = re.sub(r"(?i)^\s*rp\.?\s*", "", value).replace(" ", "")
        negative = text.startswith("-")
        if negative and not self.allow_negative:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        text = text.lstrip("-")
        if re.fullmatch(r"\d{1,3}(\.\d{3})+|\d{1,3}(,\d{3})+", text):
            text = text.replace(".", "").replace(",", "")
        elif re.fullmatch(r"\d+,00?", text):
            text = text.split(",")[0]
        if not re.fullmatch(r"\d+", text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        amount = Decimal(text)
        if amount > MAX_RUPIAH:
            raise forms.ValidationError(self.error_messages["max_value"], code="max_value")
        return -amount if negative else amount


class PreloadedChoiceField(forms.Field):
    """A choice looked up in a dictionary an import loads once per file, not one query per row
    (`many`: a list of keys)."""

    default_error_messages = {"invalid_choice": _("Pilihan tidak dikenal.")}

    def __init__(self, choices: dict, *, many: bool = False, **kwargs):
        self.lookup, self.many = choices, many
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return [] if self.many else None
        keys = value if self.many else [value]
        found = [self.lookup.get(str(k)) for k in keys]
        if None in found:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found if self.many else found[0]


class WithoutConstraintQueries:
    """A ModelForm mixin: the model's field validation, without its unique and constraint checks.

    For forms whose database rules are checked elsewhere, at once and without a query or a
    constraint build per call: the import rows (the import checks them for the whole file) and the
    report's values, validated at every autosave (the report's constraints are all about fields the
    form does not hold). `unchecked_fields`: fields left out of the instance's validation too (those
    the caller resolves itself). `check_instance()`: the form's own rule check on the built instance.

    Django's ModelForm._post_clean, without validate_unique and with validate_constraints=False
    (compare with it on a Django upgrade)."""

    unchecked_fields: frozenset[str] = frozenset()

    def _post_clean(self):
        from django.forms.models import construct_instance

        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
            exclude = self._get_validation_exclusions() | set(self.unchecked_fields)
            self.instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
            if not self.errors:
                self.check_instance()
        except forms.ValidationError as exc:
            self._update_errors(exc)

    def check_instance(self) -> None:
        """Raise ValidationError (or add errors) for the form's own rules; nothing by default."""
