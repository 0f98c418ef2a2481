"""Receivers: domain signals of reporting and incubator (and registry saves of a centre) become fact
refreshes recorded in the outbox in the same transaction, so a rolled-back change refreshes nothing,
a committed one is never lost (even with the broker down), and the refresh sees the committed data.
Refreshes are coalesced per key (one pending refresh per centre-month). Connected in
MonitoringConfig.ready(); reporting and incubator never import monitoring."""

from blkportal.core import outbox


def on_report_changed(sender, centre_id, period, **kwargs):
    month = period.replace(day=1).isoformat()
    outbox.enqueue("monitoring.facts_refresh", centre_id, month, key=f"facts:{centre_id}:{month}")


# Up to this many centre-months an import refreshes them one by one (coalesced with any other change
# of the same centre-month); beyond it, one set-based refresh per month.
IMPORT_REFRESH_ONE_BY_ONE = 50


def on_reports_imported(sender, centre_months, **kwargs):
    if len(centre_months) <= IMPORT_REFRESH_ONE_BY_ONE:
        for centre_id, period in centre_months:
            on_report_changed(sender, centre_id=centre_id, period=period)
        return
    by_month: dict[str, set[int]] = {}
    for centre_id, period in centre_months:
        by_month.setdefault(period.replace(day=1).isoformat(), set()).add(centre_id)
    for month, centre_ids in sorted(by_month.items()):
        # Keyless: each runs once (at least once; a refresh is idempotent).
        outbox.enqueue("monitoring.facts_refresh_month", month, sorted(centre_ids))


def on_tenant_changed(sender, centre_id, month, **kwargs):
    # A tenant's stage and latest progress carry forward: refresh from that month to now.
    start = month.replace(day=1).isoformat()
    outbox.enqueue("monitoring.facts_refresh_from", centre_id, start, key=f"facts-from:{centre_id}:{start}")


def on_centre_saved(sender, instance, created, raw=False, **kwargs):
    # Province, class, incubator flag and activation dates are copied onto every fact of the centre.
    if raw:
        return
    outbox.enqueue("monitoring.facts_refresh_centre", instance.pk, key=f"facts-centre:{instance.pk}")


def connect():
    from django.db.models.signals import post_save

    from blkportal.registry.models import Centre
    from incubator.signals import tenant_changed
    from reporting.signals import report_changed, reports_imported

    report_changed.connect(on_report_changed, dispatch_uid="monitoring.report_changed")
    reports_imported.connect(on_reports_imported, dispatch_uid="monitoring.reports_imported")
    tenant_changed.connect(on_tenant_changed, dispatch_uid="monitoring.tenant_changed")
    post_save.connect(on_centre_saved, sender=Centre, dispatch_uid="monitoring.centre_saved")
