"""Domain signals of the incubator.

``tenant_changed`` is sent by every service that changes a tenant or its progress, aid or sessions
(tenant_register, tenant_update, tenant_move_stage, bantuan_add, progress_record, session_log),
inside the service's transaction, with:

- ``centre_id`` (int): the tenant's centre;
- ``month`` (date, first day of a month): the FIRST month whose figures may have changed. Stages and
  the latest progress carry forward, so figures from that month up to now may differ (a change of
  entry date or baseline sends the earlier of the old and new entry months).

The monitoring app connects to it and refreshes its facts on commit, so incubator never imports
monitoring.
"""

from django.dispatch import Signal

tenant_changed = Signal()  # kwargs: centre_id, month
