"""Form rendering shared by every app: Django's own form renderer with Bootstrap-styled templates.

`FORM_RENDERER` points at `PortalFormRenderer`. Its bound fields give every widget its Bootstrap
class (and `is-invalid` when the field has errors); Django itself adds `aria-invalid` and an
`aria-describedby` naming the help text (`<id>_helptext`) and the errors (`<id>_error`), prefixes
included. `templates/django/forms/field.html` lays a field out (label, widget, help, errors beside
it); templates render one with `{{ form.x.as_field_group }}` or `includes/field.html`.
"""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

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
