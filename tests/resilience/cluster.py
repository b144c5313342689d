"""A throwaway PostgreSQL cluster owned by one test, to be stopped and restarted at will.

The machine's PostgreSQL is shared by every test run; a test that restarts a database server starts its
own: initdb into a temporary folder, a free port on 127.0.0.1, trust authentication for the user postgres.
PostgreSQL refuses to run as root, so as root the cluster's programs run as the user postgres (runuser).
A missing initdb or pg_ctl fails the test, naming it.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

SERVER_PROGRAMS = ("initdb", "pg_ctl")


def server_program(name: str) -> str:
    """A PostgreSQL server program: on PATH, else the newest under /usr/lib/postgresql/*/bin (Debian)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: [int(part) if part.isdigit() else part for part in Path(path).parts],
    )
    if not candidates:
        pytest.fail(
            f"{name} is missing: install the PostgreSQL server (Debian: postgresql) to run this test.",
            pytrace=False,
        )
    return candidates[-1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """initdb, then start, restart and stop one cluster; `url(name)` for a database in it."""

    def __init__(self) -> None:
        self.programs = {name: server_program(name) for name in SERVER_PROGRAMS}
        self.as_postgres: list[str] = []
        owner = None
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                pytest.fail("PostgreSQL will not run as root and there is no user postgres.", pytrace=False)
            runuser = shutil.which("runuser")
            if runuser is None:
                pytest.fail("runuser is missing: the test's PostgreSQL runs as postgres.", pytrace=False)
            self.as_postgres = [runuser, "-u", "postgres", "--"]
        # Directly under /tmp: pytest's own temporary folders are closed to other users.
        self.root = Path(tempfile.mkdtemp(prefix="portal-cluster-"))
        if owner is not None:
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        self.running = False

    def _run(self, program: str, *args: str, timeout: float = 60) -> None:
        command = [*self.as_postgres, self.programs[program], *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            pytest.fail(
                f"{' '.join(command)} failed ({done.returncode}):\n"
                f"{done.stdout}\n{done.stderr}\n{self.server_log()}",
                pytrace=False,
            )

    def _pg_ctl(self, action: str, *args: str) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", action, "-D", str(self.data), "-l", str(self.log), "-w", "-o", options, *args)

    def init(self) -> "Cluster":
        self._run(
            "initdb",
            *(
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ),
        )
        return self

    def start(self) -> None:
        self._pg_ctl("start")
        self.running = True

    def restart(self) -> None:
        """A fast restart: every connection is cut, the server is back when this returns."""
        self._pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        if self.running:
            self._pg_ctl("stop", "-m", "immediate")
            self.running = False

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def server_log(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""
