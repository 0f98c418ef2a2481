"""The four report line kinds come from one catalogue: form, serializer, API, history and export agree."""

from django.urls import reverse

from monitoring.exporters.reports import SECTIONS
from reporting.forms import LINE_FORMS
from reporting.lines import LINE_KINDS
from reporting.serializers import LINE_SERIALIZERS


def test_every_kind_has_a_form_and_a_serializer_with_the_catalogues_fields():
    assert list(LINE_FORMS) == list(LINE_SERIALIZERS) == list(LINE_KINDS)
    for key, kind in LINE_KINDS.items():
        assert LINE_FORMS[key]._meta.model is kind.model
        assert list(LINE_FORMS[key]().fields) == list(kind.fields)
        assert LINE_SERIALIZERS[key].Meta.model is kind.model
        assert list(LINE_SERIALIZERS[key]().fields) == ["id", *kind.fields]
        assert kind.model._meta.get_field("report").remote_field.related_name == kind.related


def test_one_name_per_kind_in_the_export_and_the_history():
    names = [str(kind.label) for kind in LINE_KINDS.values()]
    assert names == ["Kemitraan", "Pendapatan mandiri", "Produk unggulan", "Kendala"]
    assert [str(label) for _model, label, _skip in SECTIONS[:4]] == names


def test_the_api_has_add_and_remove_for_every_kind():
    for key in LINE_KINDS:
        assert reverse(f"api:report-add-{key}", args=[1])
        assert reverse(f"api:report-remove-{key}", args=[1, 2])
