"""The export request form: kind, format and the parameters every kind understands."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from blkportal.core.months import INVALID_MONTH, parse_month
from blkportal.registry import access
from blkportal.registry.access import Perm

from ..models import ExportFormat, ExportKind

# Kinds that need a month range; the others take it as an optional filter or ignore it.
PERIOD_REQUIRED = {ExportKind.REPORTS, ExportKind.COMPLIANCE}
MAX_MONTHS = 120


class MonthInput(forms.TextInput):
    input_type = "month"


def _month(value: str):
    if not value:
        return None
    month = parse_month(value)
    if month is None:
        raise forms.ValidationError(INVALID_MONTH, code="invalid")
    return month


class ExportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis data"),
        choices=ExportKind.choices,
        error_messages={"invalid_choice": _("Jenis ekspor tidak dikenal."), "required": _("Pilih jenis data.")},
    )
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=ExportFormat.choices,
        initial=ExportFormat.XLSX,
        error_messages={"invalid_choice": _("Format berkas tidak dikenal.")},
    )
    period_from = forms.CharField(label=_("Dari bulan"), required=False, widget=MonthInput())
    period_to = forms.CharField(label=_("Sampai bulan"), required=False, widget=MonthInput())
    province = forms.ChoiceField(
        label=_("Provinsi"),
        required=False,
        error_messages={"invalid_choice": _("Provinsi tidak dikenal atau berada di luar cakupan Anda.")},
    )
    centre = forms.CharField(
        label=_("Kode registrasi BLK (opsional)"),
        required=False,
        max_length=30,
        help_text=_("Kosongkan untuk semua BLK dalam cakupan Anda."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        provinces = access.provinces_for(user, Perm.EXPORT_DATA).order_by("name").values_list("code", "name")
        self.fields["province"].choices = [("", _("Semua dalam cakupan"))] + list(provinces)

    def clean_period_from(self):
        value = self.cleaned_data["period_from"].strip()
        return _month(value)

    def clean_period_to(self):
        value = self.cleaned_data["period_to"].strip()
        return _month(value)

    def clean_centre(self):
        code = self.cleaned_data["centre"].strip()
        if not code:
            return None
        centre = access.centres_for(self.user, Perm.EXPORT_DATA).filter(reg_code__iexact=code).first()
        if centre is None:
            raise forms.ValidationError(_("BLK dengan kode ini tidak ditemukan atau berada di luar cakupan Anda."))
        return centre

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if data.get("kind") in PERIOD_REQUIRED and "period_from" not in self.errors and "period_to" not in self.errors:
            if not start:
                self.add_error("period_from", _("Isi bulan awal untuk jenis data ini."))
            if not end:
                self.add_error("period_to", _("Isi bulan akhir untuk jenis data ini."))
        if start and end:
            if start > end:
                self.add_error("period_to", _("Bulan akhir tidak boleh sebelum bulan awal."))
            elif (end.year - start.year) * 12 + end.month - start.month + 1 > MAX_MONTHS:
                self.add_error("period_to", _("Rentang paling panjang %(n)d bulan.") % {"n": MAX_MONTHS})
        return data

    def parameters(self) -> dict:
        """JSON-safe parameters for the job (ids and ISO months only)."""
        data = self.cleaned_data
        params = {}
        if data.get("period_from"):
            params["period_from"] = data["period_from"].strftime("%Y-%m")
        if data.get("period_to"):
            params["period_to"] = data["period_to"].strftime("%Y-%m")
        if data.get("province"):
            params["province"] = data["province"]
        if data.get("centre"):
            params["centre"] = data["centre"].pk
        return params
