"""The four kinds of report lines (child rows of a report: partnerships, income, products, problems),
defined once. Services, forms, serializers, the API's actions, the edit page, the history, the
correction diff and the export all read this catalogue; a kind's name is its model's verbose name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class LineKind:
    key: str  # in URLs, the API's actions and the services: "partnership"
    related: str  # Report's related name (and the key in stored snapshots): "partnerships"
    model_name: str
    fields: tuple[str, ...]  # what a person enters, in form order
    heading: str  # the section's heading on the edit page

    @property
    def model(self):
        return apps.get_model("reporting", self.model_name)

    @property
    def label(self) -> str:
        return capfirst(self.model._meta.verbose_name_plural)


LINE_KINDS: dict[str, LineKind] = {
    kind.key: kind
    for kind in (
        LineKind(
            "partnership",
            "partnerships",
            "ReportPartnership",
            ("partner_name", "partner_type", "mou_date"),
            _("Kemitraan"),
        ),
        LineKind(
            "income",
            "income_lines",
            "ReportIncome",
            ("source", "amount", "description"),
            _("Pendapatan mandiri per sumber"),
        ),
        LineKind(
            "product",
            "products",
            "ReportProduct",
            ("name", "units_sold", "revenue", "channel"),
            _("E. Produk unggulan"),
        ),
        LineKind(
            "problem",
            "problems",
            "ReportProblem",
            ("category", "description", "support_needed"),
            _("F. Kendala"),
        ),
    )
}
