"""Helpers of the notice reliability tests: a mail sink that can refuse or hang, and real Celery workers.

The sink is a Django email backend that writes each message to a file of its own under EMAIL_FILE_PATH, so a
test counts what reached "the mail server" whichever process sent it. Faults are switched on by files in
NOTICE_TEST_CONTROL_DIR, which the test process and the worker process both see:

- ``refuse`` holds a number: that many sends are refused (ConnectionRefusedError) before the sink accepts;
  each refusal is counted in ``refused``;
- while ``block`` exists, the sink hangs after accepting a message, having created ``blocked``: the worker can
  be killed "in the middle of sending", after the mail server took the message and before the portal knew.
"""

import email
import email.policy
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

ROOT = Path(__file__).resolve().parents[2]
BLOCK_AT_MOST_SECONDS = 60


class SinkBackend(BaseEmailBackend):
    """Each message to a file of its own, after the refusals asked for; hangs while asked to."""

    def send_messages(self, email_messages) -> int:
        mail_dir = Path(settings.EMAIL_FILE_PATH)
        control = Path(settings.NOTICE_TEST_CONTROL_DIR)
        for message in email_messages:
            refuse = control / "refuse"
            left = int(refuse.read_text()) if refuse.exists() else 0
            if left > 0:
                refuse.write_text(str(left - 1))
                refused = control / "refused"
                refused.write_text(str((int(refused.read_text()) if refused.exists() else 0) + 1))
                raise ConnectionRefusedError(111, "Connection refused")
            name = f"{time.time_ns()}-{os.getpid()}-{uuid.uuid4().hex}"
            partial = mail_dir / f"{name}.partial"
            partial.write_bytes(message.message().as_bytes())
            partial.replace(mail_dir / f"{name}.eml")
            if (control / "block").exists():
                (control / "blocked").write_text(str(os.getpid()))
                until = time.monotonic() + BLOCK_AT_MOST_SECONDS
                while (control / "block").exists() and time.monotonic() < until:
                    time.sleep(0.05)
        return len(email_messages)


class MailSink:
    """The test's side of the sink: what arrived, and the faults to inject."""

    def __init__(self, root: Path):
        self.mail_dir = root / "mail"
        self.control_dir = root / "control"
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self.control_dir.mkdir(parents=True, exist_ok=True)

    def messages(self) -> list[email.message.Message]:
        return [
            email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(self.mail_dir.glob("*.eml"))
        ]

    def recipients(self) -> list[str]:
        return sorted(message["To"] for message in self.messages())

    def refuse(self, times: int) -> None:
        (self.control_dir / "refuse").write_text(str(times))

    def refused(self) -> int:
        path = self.control_dir / "refused"
        return int(path.read_text()) if path.exists() else 0

    def block(self) -> None:
        (self.control_dir / "block").touch()

    def unblock(self) -> None:
        (self.control_dir / "block").unlink(missing_ok=True)

    def blocked(self) -> bool:
        """Whether a sender hangs in the sink (or hung there before it was killed)."""
        return (self.control_dir / "blocked").exists()


class Worker:
    """`celery worker --pool=solo` in a process of its own, on the test's queue, against the test database."""

    def __init__(self, *, name: str, queue: str, sink: MailSink, log_dir: Path, env: dict[str, str]):
        self.name = name
        self.queue = queue
        self.sink = sink
        self.log_path = log_dir / f"{name}.log"
        self.env = env
        self.process: subprocess.Popen | None = None

    def start(self) -> "Worker":
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "safety_portal",
                    "worker",
                    "--pool=solo",
                    "--queues",
                    self.queue,
                    "--hostname",
                    f"{self.queue}-{self.name}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--loglevel=INFO",
                ],
                cwd=ROOT,
                env={
                    **os.environ,
                    "DJANGO_SETTINGS_MODULE": "tests.notices.worker_settings",
                    "NOTICE_TEST_DATABASE": settings.DATABASES["default"]["NAME"],
                    "NOTICE_TEST_QUEUE": self.queue,
                    "NOTICE_TEST_MAIL_DIR": str(self.sink.mail_dir),
                    "NOTICE_TEST_CONTROL_DIR": str(self.sink.control_dir),
                    **self.env,
                },
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, nothing written after."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if not self.alive:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def wait_for(
    condition: Callable[[], object], *, what: str, timeout: float = 15, workers: list[Worker] = ()
) -> object:
    """Poll until condition() is truthy; fail naming what was awaited, with the workers' logs."""
    until = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > until:
            logs = "\n".join(f"--- {worker.name} ---\n{worker.log()[-6000:]}" for worker in workers)
            pytest.fail(f"Waited {timeout} s for {what}.\n{logs}", pytrace=False)
        time.sleep(0.05)
