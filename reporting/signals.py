"""Domain signals of the reporting app.

`report_changed` is sent by every service that changes a report or a training batch, with
kwargs `centre_id` and `period` (the first day of the month). A batch sends one per month it
touches. Receivers (monitoring) defer their own work with transaction.on_commit; nothing here
runs a workflow.

`reports_imported` is sent once by the history import for all the past reports it created, with
kwarg `centre_months` (a list of (centre id, first day of the month)), so a receiver can refresh a
large import in a few set-based steps instead of one per centre-month.
"""

import django.dispatch

report_changed = django.dispatch.Signal()
reports_imported = django.dispatch.Signal()


def send_report_changed(*, centre_id: int, period) -> None:
    report_changed.send(sender="reporting", centre_id=centre_id, period=period)


def send_reports_imported(*, centre_months: list) -> None:
    reports_imported.send(sender="reporting", centre_months=centre_months)
