"""Forms of the reporting pages. They check types and ranges; the services check the rules."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from blkportal.core import months
from blkportal.core.choices import pick_placeholder
from blkportal.core.forms import DateInput, RupiahField, WithoutConstraintQueries
from blkportal.registry.models import Kejuruan

from .fields import REPORT_INPUT_FIELDS
from .lines import LINE_KINDS
from .models import (
    EvidenceKind,
    Report,
    TrainingBatch,
)
from .rules import BATCH_MAX_COUNT, check_batch

MAX_COUNT = 100_000


def _limit_counts(form, maximum=MAX_COUNT):
    for field in form.fields.values():
        if isinstance(field, forms.IntegerField):
            field.max_value = maximum
            field.widget.attrs.update({"max": maximum, "min": 0, "inputmode": "numeric"})
            field.validators.append(MaxValueValidator(maximum))
            field.error_messages.update(
                {
                    "invalid": _("Isi dengan angka bulat, misalnya 12."),
                    "max_value": _("Angka terlalu besar (paling banyak %(limit_value)s)."),
                    "min_value": _("Tidak boleh negatif."),
                }
            )


class ReportForm(WithoutConstraintQueries, forms.ModelForm):
    """Sections B and C of the report (scalar values). Every field is optional in a draft. The
    report's database constraints are about its period, status and return reason, none of them in
    this form, so the form does not build them (it is validated at every autosave)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    operating_cost = RupiahField(label=_("Biaya operasional bulan ini (Rp)"), required=False)

    class Meta:
        model = Report
        fields = REPORT_INPUT_FIELDS
        widgets = {"permit_expiry": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "alumni_bekerja": _("Bekerja"),
            "alumni_wirausaha": _("Berwirausaha"),
            "alumni_studi": _("Melanjutkan studi"),
            "alumni_belum_bekerja": _("Belum bekerja"),
            "alumni_tidak_terlacak": _("Tidak terlacak"),
            "notes": _("Catatan untuk verifikator (opsional)"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        _limit_counts(self)
        pick_placeholder(self)

    def valid_data(self) -> dict:
        """The values that passed validation, for a partial autosave (a bad field keeps its old value)."""
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in self.Meta.fields and name not in self.errors and name in self.data
        }


class SubmitForm(forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid": _("Halaman ini tidak lengkap atau rusak. Muat ulang halaman lalu coba lagi.")},
    )
    explanation = forms.CharField(
        label=_("Penjelasan atas peringatan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"), min_length=10, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        self.fields["reason"].error_messages.update(
            {
                "required": _("Alasan wajib diisi."),
                "min_length": _("Tulis alasan yang jelas (minimal 10 karakter)."),
            }
        )


class UnlockForm(ReasonForm):
    days = forms.IntegerField(label=_("Dibuka selama (hari)"), min_value=1, max_value=90, initial=14)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Izinkan koreksi")), ("reject", _("Tolak"))])
    note = forms.CharField(
        label=_("Catatan"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Komentar"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis bukti"), choices=EvidenceKind.choices)
    file = forms.FileField(
        label=_("Berkas (PDF, JPEG atau PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Paling besar %(mb)s MB per berkas.") % {
            "mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
        }
        self.fields["file"].error_messages["required"] = _("Pilih berkas yang akan diunggah.")


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Lembar kerja yang sudah diisi (.xlsx)"),
        error_messages={
            "required": _("Pilih berkas lembar kerja (.xlsx) yang akan diunggah."),
            "empty": _("Berkas kosong."),
        },
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


class PartnershipForm(forms.ModelForm):
    class Meta:
        model = LINE_KINDS["partnership"].model
        fields = LINE_KINDS["partnership"].fields
        widgets = {"mou_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pick_placeholder(self)


class IncomeForm(forms.ModelForm):
    amount = RupiahField(label=_("Jumlah (Rp)"))

    class Meta:
        model = LINE_KINDS["income"].model
        fields = LINE_KINDS["income"].fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pick_placeholder(self)


class ProductForm(forms.ModelForm):
    revenue = RupiahField(label=_("Omzet (Rp)"))

    class Meta:
        model = LINE_KINDS["product"].model
        fields = LINE_KINDS["product"].fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_counts(self, 10_000_000)
        pick_placeholder(self)


class ProblemForm(forms.ModelForm):
    class Meta:
        model = LINE_KINDS["problem"].model
        fields = LINE_KINDS["problem"].fields
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "support_needed": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pick_placeholder(self)


LINE_FORMS = {"partnership": PartnershipForm, "income": IncomeForm, "product": ProductForm, "problem": ProblemForm}


class BatchForm(forms.ModelForm):
    class Meta:
        model = TrainingBatch
        fields = [
            "kejuruan",
            "program_name",
            "funding_source",
            "start_date",
            "end_date",
            "hours_jp",
            "enrolled_male",
            "enrolled_female",
            "santri_count",
            "umum_count",
            "graduated",
            "failed",
            "withdrawn",
            "certified",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, centre=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        qs = Kejuruan.objects.filter(is_active=True)
        if centre is not None and self.instance.kejuruan_id:
            qs = Kejuruan.objects.filter(pk=self.instance.kejuruan_id) | qs
        self.fields["kejuruan"].queryset = qs.order_by("name")
        _limit_counts(self, BATCH_MAX_COUNT)
        self.fields["hours_jp"].help_text = _("1 JP = 45 menit.")
        self.fields["graduated"].help_text = _("Isi setelah angkatan selesai; 0 selama masih berjalan.")
        pick_placeholder(self)

    def clean(self):
        """Run the batch rules here too, so each message lands beside its field."""
        from blkportal.core.errors import DomainError

        data = super().clean()
        if self.errors or self.centre is None:
            return data
        probe = TrainingBatch(centre=self.centre, **{name: data.get(name) for name in self.Meta.fields})
        try:
            check_batch(probe, today=months.today())
        except DomainError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return data


class BatchImportForm(WithoutConstraintQueries, BatchForm):
    """The batch form's fields for one imported row: the kejuruan comes from a dictionary the import
    loads once, and the rules (reporting/rules.py) and the month's lock are checked by the import
    itself, all of them at once (not the first only), without a query per database constraint. The
    import passes no centre, so BatchForm.clean leaves the rules to it."""

    unchecked_fields = frozenset({"kejuruan", "centre"})

    def __init__(self, *args, kejuruan: dict, **kwargs):
        from blkportal.core.forms import PreloadedChoiceField

        super().__init__(*args, **kwargs)
        self.fields["kejuruan"] = PreloadedChoiceField(kejuruan, label=self.fields["kejuruan"].label)
