"""Celery tasks of the hazards app: thin, ids in, a service call."""

import os
import socket

from celery import shared_task
from django.conf import settings

from hazards.services.notices.delivery import DeliveryFailed, delivery_send, pending_deliveries
from hazards.services.notices.sweep import deadlines_sweep


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
