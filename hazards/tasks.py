"""Celery tasks of the hazards app: thin, ids in, a service call."""

import logging
import os
import socket

from celery import shared_task
from celery.exceptions import Ignore
from django.conf import settings
from django.utils import translation

from hazards import ledger
from hazards.domain.calendar import local_today, previous_quarter
from hazards.models import RankingRun, Region, RegionLevel, User
from hazards.services.notices.delivery import DeliveryFailed, delivery_send, pending_deliveries
from hazards.services.notices.sweep import deadlines_sweep
from hazards.services.rankings.compute import ranking_compute
from hazards.services.rankings.notices import ranking_notices_create
from hazards.services.statistics import quarterly_statistics_generate

logger = logging.getLogger(__name__)

# The states of a background export besides Celery's own: waiting for a worker, and failed. Each one's meta
# holds the user_id, like PROGRESS and the result, so that only the user who asked may see it.
EXPORT_QUEUED = "QUEUED"
EXPORT_FAILED = "EXPORT_FAILED"


@shared_task(name="hazards.health_check")
def health_check() -> dict:
    """Prove the wiring: a worker took this task from the broker and ran it."""
    return {"status": "ok", "hostname": socket.gethostname(), "pid": os.getpid()}


@shared_task(name="hazards.sweep_deadlines")
def sweep_deadlines() -> dict:
    """Create the notices that are due (run by beat); the deliveries are dispatched once it commits."""
    result = deadlines_sweep()
    return {"created": result.created, "requeued": result.requeued}


@shared_task(name="hazards.dispatch_deliveries")
def dispatch_deliveries() -> int:
    """Hand every pending delivery to the sender, one task each."""
    ids = pending_deliveries()
    for delivery_id in ids:
        send_delivery.delay(delivery_id)
    return len(ids)


@shared_task(name="hazards.send_delivery", bind=True, max_retries=None)
def send_delivery(self, delivery_id: int) -> str | None:
    """Send one delivery; a failed email is tried again later, waiting longer each time."""
    try:
        state = delivery_send(delivery_id=delivery_id)
    except DeliveryFailed as failure:
        countdown = min(settings.NOTICES["email_retry_seconds"] * 2**self.request.retries, 6 * 3600)
        raise self.retry(exc=failure, countdown=countdown) from failure
    return str(state) if state else None


@shared_task(name="hazards.export_ledger", bind=True)
def export_ledger(self, user_id: int, fmt: str, params: dict[str, list[str]], language: str) -> dict:
    """Write the user's filtered ledger (an export over EXPORT_ROW_LIMIT) to a file under VAR_DIR/exports."""
    path = ledger.export_path(self.request.id, fmt)

    def progress(done: int, total: int) -> None:
        self.update_state(state="PROGRESS", meta={"done": done, "total": total, "user_id": user_id})

    try:
        with translation.override(language):
            rows = ledger.export_to_file(User.objects.get(pk=user_id), params, fmt, path, progress)
    except Exception as failure:
        # Recorded with the user id (a plain FAILURE would hide it from its user) and not raised again.
        logger.exception("Background export %s failed", self.request.id)
        error = "; ".join(failure.errors) if isinstance(failure, ledger.ExportRefused) else ""
        self.update_state(state=EXPORT_FAILED, meta={"user_id": user_id, "error": error})
        raise Ignore() from failure
    return {"path": str(path), "rows": rows, "user_id": user_id, "format": fmt}


@shared_task(name="hazards.delete_expired_exports")
def delete_expired_exports() -> int:
    """Delete the files of background exports whose download has expired (run by beat)."""
    return ledger.exports_delete_expired()


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


@shared_task(name="hazards.notify_ranking")
def notify_ranking(run_id: int) -> int:
    """Tell the ranked of a published run their place, then hand the deliveries to the sender."""
    created = ranking_notices_create(run_id=run_id)
    dispatch_deliveries.delay()
    return created


@shared_task(name="hazards.generate_quarterly_statistics")
def generate_quarterly_statistics() -> dict:
    """Generate every enterprise's statistics of the quarter that has just ended (run by beat)."""
    year, quarter = previous_quarter(local_today())
    return {
        "year": year,
        "quarter": quarter,
        "rows": quarterly_statistics_generate(year=year, quarter=quarter),
    }
