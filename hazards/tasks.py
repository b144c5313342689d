"""Celery tasks of the hazards app: thin, ids in, a service call."""

import os
import socket

from celery import Task, shared_task
from django.db import transaction

from hazards.lib.calendar import local_today, previous_quarter
from hazards.models import RankingRun, Region, RegionLevel
from hazards.services.ledger import ledger_export_run, ledger_exports_due, ledger_exports_expire
from hazards.services.notices.delivery import (
    DeliveryFailed,
    deliveries_hand_out,
    delivery_retry_seconds,
    delivery_send,
)
from hazards.services.notices.sweep import deadlines_sweep
from hazards.services.rankings.compute import ranking_compute
from hazards.services.rankings.notices import ranking_notices_create_due
from hazards.services.statistics import quarterly_statistics_generate


def send_on_commit(task: Task, *args) -> None:
    """Send the task once the caller's transaction commits (at once outside one): the interfaces' nudge.

    A broker that is down is logged, not raised: what the task would do is a row in the database already,
    and beat's drain sends it once the broker is back.
    """
    transaction.on_commit(lambda: task.delay(*args), robust=True)


def outbox_nudge() -> None:
    """Drain the outbox once the caller's transaction commits, rather than at beat's next minute."""
    send_on_commit(drain_outbox)


@shared_task(name="hazards.health_check")
def health_check() -> dict:
    """Prove the wiring: a worker took this task from the broker and ran it."""
    return {"status": "ok", "hostname": socket.gethostname(), "pid": os.getpid()}


@shared_task(name="hazards.sweep_deadlines")
def sweep_deadlines() -> dict:
    """Create the notices that are due (run by beat); the outbox is drained once it commits."""
    result = deadlines_sweep()
    outbox_nudge()
    return {"created": result.created, "requeued": result.requeued}


@shared_task(name="hazards.drain_outbox")
def drain_outbox() -> dict:
    """Hand what the database holds as due to the workers (run by beat every minute, and on commit): the
    notices of each published ranking not yet notified are created first, then each pending delivery goes
    to a task of its own, and each export no worker took."""
    rankings = ranking_notices_create_due()
    deliveries = deliveries_hand_out()
    for delivery_id in deliveries:
        send_delivery.delay(delivery_id)
    exports = ledger_exports_due()
    for export_id in exports:
        export_ledger.delay(export_id)
    return {"rankings": len(rankings), "deliveries": len(deliveries), "exports": len(exports)}


@shared_task(name="hazards.send_delivery", bind=True, max_retries=None)
def send_delivery(self, delivery_id: int) -> str | None:
    """Send one delivery; a failed email is tried again later, waiting longer each time."""
    try:
        state = delivery_send(delivery_id=delivery_id)
    except DeliveryFailed as failure:
        raise self.retry(exc=failure, countdown=delivery_retry_seconds(failure.attempts)) from failure
    return str(state) if state else None


@shared_task(name="hazards.export_ledger")
def export_ledger(export_id: int) -> str | None:
    """Write a background export of the ledger (a LedgerExport row) to its file under VAR_DIR/exports."""
    state = ledger_export_run(export_id=export_id)
    return str(state) if state else None


@shared_task(name="hazards.delete_expired_exports")
def delete_expired_exports() -> int:
    """Delete the files of background exports whose expiry has passed (run by beat)."""
    return ledger_exports_expire()


@shared_task(name="hazards.compute_rankings")
def compute_rankings() -> int:
    """Draft the ranking of the quarter that ended for every province and city (run by beat); a published
    run is left as it is. Returns the runs computed."""
    year, quarter = previous_quarter(local_today())
    computed = 0
    for scope in Region.objects.exclude(level=RegionLevel.COUNTY).order_by("code"):
        if not RankingRun.objects.filter(year=year, quarter=quarter, scope=scope, published_at__isnull=False):
            ranking_compute(year=year, quarter=quarter, scope=scope)
            computed += 1
    return computed


@shared_task(name="hazards.generate_quarterly_statistics")
def generate_quarterly_statistics() -> dict:
    """Generate every enterprise's statistics of the quarter that has just ended (run by beat)."""
    year, quarter = previous_quarter(local_today())
    return {
        "year": year,
        "quarter": quarter,
        "rows": quarterly_statistics_generate(year=year, quarter=quarter),
    }
