"""Receivers: domain signals of reporting and incubator (and registry saves of a centre) become fact
refreshes enqueued on commit, so a rolled-back change refreshes nothing and the refresh sees the
committed data. Connected in MonitoringConfig.ready(); reporting and incubator never import
monitoring."""

from django.db import transaction


def on_report_changed(sender, centre_id, period, **kwargs):
    from .tasks import facts_refresh

    month = period.replace(day=1).isoformat()
    transaction.on_commit(lambda: facts_refresh.delay(centre_id, month))


def on_tenant_changed(sender, centre_id, month, **kwargs):
    # A tenant's stage and latest progress carry forward: refresh from that month to now.
    from .tasks import facts_refresh_from

    start = month.replace(day=1).isoformat()
    transaction.on_commit(lambda: facts_refresh_from.delay(centre_id, start))


def on_centre_saved(sender, instance, created, raw=False, **kwargs):
    # Province, class, incubator flag and activation dates are copied onto every fact of the centre.
    if raw:
        return
    from .tasks import facts_refresh_centre

    centre_id = instance.pk
    transaction.on_commit(lambda: facts_refresh_centre.delay(centre_id))


def connect():
    from django.db.models.signals import post_save

    from blkportal.registry.models import Centre
    from incubator.signals import tenant_changed
    from reporting.signals import report_changed

    report_changed.connect(on_report_changed, dispatch_uid="monitoring.report_changed")
    tenant_changed.connect(on_tenant_changed, dispatch_uid="monitoring.tenant_changed")
    post_save.connect(on_centre_saved, sender=Centre, dispatch_uid="monitoring.centre_saved")
