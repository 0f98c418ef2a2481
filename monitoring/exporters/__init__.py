"""Export kinds: one module per kind, all in the shape of exporters.base.Exporter."""

from __future__ import annotations

import importlib

from .base import Column, Exporter, Sheet, write_csv, write_xlsx  # noqa: F401

# kind -> "module:Class"; imported lazily so a page listing kinds does not load every model.
REGISTRY = {
    "ranking": "monitoring.exporters.ranking:RankingExporter",
    "reports": "monitoring.exporters.reports:ReportExporter",
    "compliance": "monitoring.exporters.compliance:ComplianceExporter",
    "tenants": "monitoring.exporters.tenants:TenantExporter",
    "batches": "monitoring.exporters.batches:BatchExporter",
}


def exporter_class(kind: str) -> type[Exporter] | None:
    target = REGISTRY.get(kind)
    if not target:
        return None
    module, name = target.split(":")
    return getattr(importlib.import_module(module), name)
