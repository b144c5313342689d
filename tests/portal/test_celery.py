"""The Celery wiring: a real worker takes the health task from the real Redis broker and runs it."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery.exceptions import TimeoutError as CeleryTimeout

from hazards.tasks import health_check
from safety_portal.celery import app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(redis_url):
    """A worker process on a queue of its own, so that no other worker on the machine takes the task."""
    queue = f"test-{uuid.uuid4().hex}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "safety_portal",
            "worker",
            "--pool=solo",
            "--queues",
            queue,
            "--hostname",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process, queue
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_the_app_is_configured_from_settings_with_json_only_and_time_limits(redis_url):
    assert app.conf.broker_url == redis_url
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_serializer == app.conf.result_serializer == "json"
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit
    assert "hazards.health_check" in app.tasks


@pytest.mark.workers
def test_the_health_task_runs_on_a_real_worker(worker):
    process, queue = worker
    result = health_check.apply_async(queue=queue)
    try:
        answer = result.get(timeout=60)
    except CeleryTimeout:
        process.terminate()
        pytest.fail(f"The worker did not run the health task; its log:\n{process.communicate()[0]}")
    assert answer["status"] == "ok"
    assert answer["pid"] == process.pid  # run in the worker process, not eagerly in this one
