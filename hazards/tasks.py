"""Celery tasks of the hazards app: thin, ids in, a service call."""

import os
import socket

from celery import shared_task


@shared_task(name="hazards.health_check")
def health_check() -> dict:
    """Prove the wiring: a worker took this task from the broker and ran it."""
    return {"status": "ok", "hostname": socket.gethostname(), "pid": os.getpid()}
