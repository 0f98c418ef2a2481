"""Forms of monitoring: ranking schemes and the ranking page's filters."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from blkportal.core.forms import compact
from blkportal.registry.models import Kejuruan, Province

from . import indicators
from .filters import cohort_choices


class RankingSchemeForm(forms.Form):
    """A scheme's rules; one weight field per rankable indicator (0 or empty = not used).

    Each weight is checked beside its own field (negative, too large, not a number); the total of
    100 % is checked beside the group of weights (`weights_total` is where that message shows)."""

    name = forms.CharField(label=_("Nama skema"), max_length=150)
    description = forms.CharField(
        label=_("Uraian metodologi"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    window_months = forms.IntegerField(
        label=_("Jendela (bulan)"),
        min_value=1,
        max_value=36,
        initial=12,
        help_text=_("Jumlah bulan data yang dinilai, berakhir pada periode peringkat."),
        error_messages={
            "min_value": _("Jendela paling sedikit 1 bulan."),
            "max_value": _("Jendela paling lama 36 bulan."),
        },
    )
    min_verified_months = forms.IntegerField(
        label=_("Syarat data minimal (bulan terverifikasi)"),
        min_value=0,
        max_value=36,
        initial=6,
        help_text=_("BLK dengan laporan terverifikasi/disetujui lebih sedikit dari ini tidak diberi peringkat."),
        error_messages={"min_value": _("Syarat data minimal tidak boleh negatif.")},
    )
    peer_by_cohort = forms.BooleanField(
        label=_("Bandingkan dalam tahun dibangun yang sama"), required=False, initial=True
    )
    peer_by_kejuruan = forms.BooleanField(label=_("Bandingkan dalam kejuruan utama yang sama"), required=False)
    change_note = forms.CharField(
        label=_("Alasan perubahan"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, version=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            self.fields["name"].disabled = True
            self.fields["name"].required = False
            self.fields["change_note"].required = True
            self.fields["change_note"].help_text = _("Wajib: perubahan membuat versi baru dengan alasan ini.")
        weights = {}
        if version is not None:
            weights = {c.indicator: _plain(c.weight) for c in version.components.all()}
        for code in indicators.RANKABLE:
            ind = indicators.get(code)
            field = forms.DecimalField(
                label=ind.label,
                required=False,
                max_digits=5,
                decimal_places=2,
                initial=weights.get(code),
                help_text=ind.description,
                error_messages={
                    "invalid": _("Bobot harus berupa angka."),
                    "max_digits": _("Bobot paling banyak 100."),
                    "max_decimal_places": _("Bobot paling banyak dua angka di belakang koma."),
                    "max_whole_digits": _("Bobot paling banyak 100."),
                },
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            )
            self.fields[f"weight_{code}"] = field

    def weight_fields(self):
        return [self[f"weight_{code}"] for code in indicators.RANKABLE]

    def other_fields(self):
        return [self[name] for name in self.fields if not name.startswith("weight_")]

    def clean(self):
        data = super().clean()
        total = Decimal(0)
        for code in indicators.RANKABLE:
            name = f"weight_{code}"
            value = data.get(name)
            if value is None:
                continue
            if value < 0:
                self.add_error(name, _("Bobot tidak boleh negatif."))
            elif value > 100:
                self.add_error(name, _("Bobot tidak boleh lebih dari 100 %."))
            else:
                total += value
        has_weight_errors = any(f"weight_{code}" in self.errors for code in indicators.RANKABLE)
        if not has_weight_errors and total != 100:
            self.weights_error = _("Jumlah bobot harus tepat 100 %%; sekarang %(total)s %%.") % {
                "total": f"{total.normalize():f}".replace(".", ",")
            }
            self.add_error(None, self.weights_error)
        window, minimum = data.get("window_months"), data.get("min_verified_months")
        if window and minimum is not None and minimum > window:
            self.add_error("min_verified_months", _("Syarat data minimal tidak boleh lebih dari panjang jendela."))
        return data

    def weights(self) -> dict:
        return {code: self.cleaned_data.get(f"weight_{code}") for code in indicators.RANKABLE}

    def rules(self) -> dict:
        keys = ["description", "window_months", "min_verified_months", "peer_by_cohort", "peer_by_kejuruan"]
        return {k: self.cleaned_data[k] for k in keys}


def _plain(weight: Decimal):
    """40.00 -> 40, 12.50 -> 12.5 (as typed, not as stored)."""
    return int(weight) if weight == weight.to_integral_value() else weight.normalize()


class RankingFilterForm(forms.Form):
    """Filters of the ranking page. Invalid values get a message and are ignored."""

    snapshot = forms.TypedChoiceField(
        label=_("Periode dan versi"),
        choices=[],
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Perhitungan peringkat itu tidak ada; ditampilkan yang terbaru.")},
    )
    province = forms.ModelChoiceField(
        label=_("Provinsi"),
        queryset=Province.objects.all(),
        required=False,
        empty_label=_("Semua provinsi"),
        error_messages={"invalid_choice": _("Provinsi tidak dikenal atau di luar cakupan Anda.")},
    )
    cohort_year = forms.TypedChoiceField(
        label=_("Tahun dibangun"),
        choices=[],
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Tahun dibangun %(value)s tidak tersedia.")},
    )
    kejuruan = forms.ModelChoiceField(
        label=_("Kejuruan"),
        queryset=Kejuruan.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("Semua kejuruan"),
        error_messages={"invalid_choice": _("Kejuruan tidak dikenal.")},
    )
    q = forms.CharField(label=_("Cari BLK"), required=False, max_length=100)
    ranked_only = forms.BooleanField(label=_("Hanya yang berperingkat"), required=False)

    def __init__(self, *args, provinces=None, snapshots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["snapshot"].choices = [(s.pk, snapshot_label(s)) for s in snapshots]
        if provinces is not None:
            self.fields["province"].queryset = provinces
        self.fields["cohort_year"].choices = [("", _("Semua tahun")), *cohort_choices()]
        compact(self)

    def params(self) -> dict:
        """The valid values only."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}


def snapshot_label(snapshot) -> str:
    from django.utils.formats import date_format

    kind = _("dibekukan") if snapshot.frozen else _("terkini")
    return f"{date_format(snapshot.period, 'F Y')} · v{snapshot.version.number} · {kind}"
