"""Forms rendered by Django's field templates: errors and help beside the field, linked by aria ids."""

import re

from django import forms
from django.template import Context, Template


class PlanForm(forms.Form):
    amount = forms.IntegerField(label="Jumlah", min_value=0, help_text="Tanpa titik.")
    channels = forms.MultipleChoiceField(
        label="Saluran",
        choices=[("a", "A"), ("b", "B")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Pilih sedikitnya satu.",
    )
    kind = forms.ChoiceField(label="Jenis", choices=[("x", "X")])
    agree = forms.BooleanField(label="Setuju", required=False)


def render_fields(form, *names) -> str:
    source = "".join(f'{{% include "includes/field.html" with field=form.{name} %}}' for name in names)
    return Template(source).render(Context({"form": form}))


def tag_of(body: str, attr: str) -> str:
    return re.search(rf"<(?:input|select|textarea|fieldset)\b[^>]*{attr}[^>]*>", body).group(0)


def ids_described(tag: str) -> list[str]:
    return re.search(r'aria-describedby="([^"]*)"', tag).group(1).split()


def test_a_prefixed_form_links_its_error_and_help_to_ids_that_exist():
    form = PlanForm({"plan-amount": "-1", "plan-kind": "x"}, prefix="plan")
    assert not form.is_valid()
    body = render_fields(form, "amount", "channels")
    widget = tag_of(body, 'name="plan-amount"')
    assert "is-invalid" in widget and 'aria-invalid="true"' in widget and "form-control" in widget
    described = ids_described(widget)
    assert described == ["id_plan-amount_helptext", "id_plan-amount_error"]
    for element_id in described:
        assert f'id="{element_id}"' in body
    assert re.search(r'id="id_plan-amount_error"><li>[^<]*0', body)  # the message sits beside the field
    assert re.search(r'id="id_plan-amount_helptext">Tanpa titik\.<', body)
    # A checkbox list is a fieldset; the fieldset names the help and the error.
    fieldset = tag_of(body, 'id="id_plan-channels"')
    assert fieldset.startswith("<fieldset") and ids_described(fieldset) == [
        "id_plan-channels_helptext",
        "id_plan-channels_error",
    ]
    assert 'id="id_plan-channels_error"' in body and 'id="id_plan-channels_helptext"' in body
    assert re.search(r'<input type="checkbox" name="plan-channels"[^>]*class="form-check-input is-invalid"', body)


def test_valid_fields_carry_only_their_help_and_the_bootstrap_class():
    form = PlanForm({"amount": "5", "channels": ["a"], "kind": "x"})
    assert form.is_valid()
    body = render_fields(form, "amount", "kind", "agree")
    widget = tag_of(body, 'name="amount"')
    assert (
        ids_described(widget) == ["id_amount_helptext"] and "is-invalid" not in widget and "aria-invalid" not in widget
    )
    assert 'class="form-select"' in tag_of(body, 'name="kind"')
    assert 'class="form-check-input"' in tag_of(body, 'name="agree"')


def test_an_error_added_after_validation_is_marked_too():
    form = PlanForm({"amount": "5", "channels": ["a"], "kind": "x"})
    assert form.is_valid()
    form.add_error("amount", "Melebihi sisa anggaran.")
    body = render_fields(form, "amount")
    widget = tag_of(body, 'name="amount"')
    assert "is-invalid" in widget and ids_described(widget) == ["id_amount_helptext", "id_amount_error"]
    assert 'id="id_amount_error"><li>Melebihi sisa anggaran.</li>' in body
