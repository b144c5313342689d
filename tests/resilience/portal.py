"""The portal as production runs it, against a test's own database: migrated, seeded, served by gunicorn.

Everything runs in processes of its own with DATABASE_URL set, so nothing here touches pytest-django's
test database or the settings of the test process.
"""

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
READY_SECONDS = 30

SEED = """
import json
import django

django.setup()
from hazards.models import RegionLevel
from tests.factories import EnterpriseFactory, HazardFactory, RegionFactory, inspector

province = RegionFactory(code="210000", name="辽宁省", level=RegionLevel.PROVINCE)
city = RegionFactory(code="210100", name="沈阳市", level=RegionLevel.CITY, parent=province)
county = RegionFactory(code="210102", name="和平区", level=RegionLevel.COUNTY, parent=city)
enterprise = EnterpriseFactory(region=county, name="和平区燃气有限公司")
user = inspector(city, username="resilience-inspector")
hazards = [HazardFactory(enterprise=enterprise, found_by=user) for _ in range(3)]
print(json.dumps({"username": user.username, "hazards": [hazard.pk for hazard in hazards]}))
"""


def portal_env(database_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a portal process: the test settings against the given database, files in var_dir."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url,
        "VAR_DIR": str(var_dir),
        "EVIDENCE_ROOT": str(var_dir / "evidence"),
        "DEBUG": "true",
        **extra,
    }


def manage(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}", pytrace=False)
    return done.stdout


@dataclass
class Seeded:
    username: str
    hazards: list[int]


def seed(env: dict[str, str]) -> Seeded:
    """Migrate the database and add an inspector of 沈阳市 with three hazards of an enterprise there."""
    manage(env, "migrate", "--noinput", "-v", "0", timeout=300)
    done = subprocess.run(
        [sys.executable, "-c", SEED], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        pytest.fail(f"Seeding the portal failed:\n{done.stderr}", pytrace=False)
    return Seeded(**json.loads(done.stdout.strip().splitlines()[-1]))


class Gunicorn:
    """gunicorn serving the portal's WSGI application on a free port, its log in a file."""

    def __init__(self, env: dict[str, str], *, port: int, log_path: Path, workers: int = 2):
        self.env = env
        self.port = port
        self.log_path = log_path
        self.workers = workers
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Gunicorn":
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "safety_portal.wsgi:application",
                    *("--workers", str(self.workers)),
                    *("--bind", f"127.0.0.1:{self.port}"),
                    *("--timeout", "30", "--graceful-timeout", "5"),
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        until = time.monotonic() + READY_SECONDS
        while len(self.worker_pids()) < self.workers or not self._answers():
            if self.process.poll() is not None or time.monotonic() > until:
                self.stop()
                pytest.fail(f"gunicorn did not start serving:\n{self.log()}", pytrace=False)
            time.sleep(0.1)
        return self

    def _answers(self) -> bool:
        try:
            return requests.get(f"{self.base_url}/accounts/login/", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def worker_pids(self) -> set[int]:
        """The master's children: gunicorn replaces a worker that died, under a new process id."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return {int(pid) for pid in children.read_text().split()} if children.exists() else set()

    def stop(self) -> None:
        if not self.alive:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:] if self.log_path.exists() else ""


def logged_in(base_url: str, username: str) -> requests.Session:
    """A browser's session: the login form fetched for its CSRF cookie, then posted."""
    session = requests.Session()
    login = f"{base_url}/accounts/login/"
    session.get(login, timeout=10).raise_for_status()
    answer = session.post(
        login,
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": login},
        timeout=10,
        allow_redirects=False,
    )
    assert answer.status_code == 302, f"The login was refused: {answer.status_code}"
    assert "sessionid" in session.cookies
    return session
