"""Domain signals of the reporting app.

`report_changed` is sent by every service that changes a report or a training batch, with
kwargs `centre_id` and `period` (the first day of the month). A batch sends one per month it
touches. Receivers (monitoring) defer their own work with transaction.on_commit; nothing here
runs a workflow.
"""

import django.dispatch

report_changed = django.dispatch.Signal()


def send_report_changed(*, centre_id: int, period) -> None:
    report_changed.send(sender="reporting", centre_id=centre_id, period=period)
