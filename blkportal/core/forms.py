"""Form rendering shared by every app."""

from django import forms


def bootstrapify(form, small: bool = False):
    """Give every widget of `form` its Bootstrap class, so templates stay plain."""
    size = "-sm" if small else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput,)):
            css = "form-check-input"
        elif isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
            css = "form-check-input"  # set on every option's input
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
            css = f"form-select form-select{size}" if small else "form-select"
        else:
            css = f"form-control form-control{size}" if small else "form-control"
        if css:
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
    return form


class BootstrapMixin:
    """Mixin for forms: Bootstrap classes and aria-invalid on fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)

    def full_clean(self):
        super().full_clean()
        self._mark_invalid()

    def add_error(self, field, error):
        # Also after validation: a view adds a service's DomainError to the field it names.
        super().add_error(field, error)
        self._mark_invalid()

    def _mark_invalid(self):
        for name in self._errors or {}:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"id_{name}_errors"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
