"""A production-like portal for the end-to-end test: gunicorn, a Celery worker and beat, PostgreSQL, Redis.

Everything runs in subprocesses from this worktree's code with production settings (DEBUG off, static files
collected into a temporary STATIC_ROOT and served by WhiteNoise), against a database of its own
(portal_e2e_<pid>: created, migrated, seeded with `seed_demo`, dropped at the end) and a Redis database of its
own (E2E_REDIS_DB, default 14, moved for each pytest-xdist worker by tests/parallel.py; flushed before and
after). Plain HTTP on 127.0.0.1 is the one concession: no TLS redirect, no HSTS.

    with Stack.started() as stack:
        stack.url  # http://127.0.0.1:PORT
        stack.logs()  # every process's output, for a failure report
"""

import contextlib
import importlib.util
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import psycopg2
import redis
from django.conf import settings
from psycopg2 import sql

from tests.parallel import redis_database

BASE_DIR = Path(settings.BASE_DIR)
REDIS_DB = int(os.environ.get("E2E_REDIS_DB", "14"))
SWEEP_EVERY_SECONDS = 10  # the deadline sweep's period under beat: the smallest the setting allows
START_TIMEOUT = 60
INHERITED = {"PATH", "HOME", "USER", "LANG", "TMPDIR", "VIRTUAL_ENV", "PYTHONPATH"}


class StackError(RuntimeError):
    """A part of the stack is missing or did not start; the message names it."""


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def output(self, limit: int = 12_000) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return text[-limit:]

    def check_running(self) -> None:
        if self.popen.poll() is not None:
            raise StackError(
                f"{self.name} stopped with exit code {self.popen.returncode}:\n{self.output(4000)}"
            )


@dataclass
class Stack:
    workdir: Path
    database: str
    redis_url: str
    port: int
    env: dict[str, str]
    processes: list[Process] = field(default_factory=list)
    failed: bool = False
    timings: dict[str, float] = field(default_factory=dict)  # seconds each start-up phase took

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @classmethod
    @contextlib.contextmanager
    def started(cls, logs_to: Path | None = None) -> Iterator["Stack"]:
        """Start the whole stack, yield it, stop it and remove its database, Redis data and files.

        When it fails to start, or the caller sets `failed`, the processes' logs are first copied to logs_to.
        """
        require_tools()
        workdir = Path(tempfile.mkdtemp(prefix="portal-e2e-"))
        stack = cls(
            workdir=workdir,
            database=f"portal_e2e_{os.getpid()}",
            redis_url=_redis_url(),
            port=_free_port(),
            env={},
        )
        stack.env = stack._environment()
        try:
            stack._start()
            yield stack
        except BaseException:
            stack.failed = True
            raise
        finally:
            stack._stop(logs_to=logs_to)

    # Starting.

    def _environment(self) -> dict[str, str]:
        db = settings.DATABASES["default"]
        user = quote(db["USER"], safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
        # Only what finds the programs is inherited: every setting of the portal is the stack's own.
        env = {key: value for key, value in os.environ.items() if key in INHERITED or key.startswith("LC_")}
        env.update(
            DJANGO_SETTINGS_MODULE="safety_portal.settings",
            PYTHONUNBUFFERED="1",
            DEBUG="false",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=f"postgres://{user}@{db['HOST']}:{db['PORT'] or 5432}/{self.database}",
            CELERY_BROKER_URL=self.redis_url,
            CACHE_URL=self.redis_url,
            VAR_DIR=str(self.workdir / "var"),  # evidence, exports, media and beat's schedule under it
            STATIC_ROOT=str(self.workdir / "static"),
            # Plain HTTP on the loopback: the cookies stay Secure (Chromium keeps them for 127.0.0.1).
            SECURE_SSL_REDIRECT="false",
            SECURE_HSTS_SECONDS="0",
            SWEEP_EVERY_SECONDS=str(SWEEP_EVERY_SECONDS),
            PORTAL_URL=self.url,
            LOG_LEVEL="INFO",
        )
        return env

    def _start(self) -> None:
        (self.workdir / "var" / "celery").mkdir(parents=True)
        self._create_database()
        redis.Redis.from_url(self.redis_url).flushdb()
        for command in (
            # The build steps of a deployment: the Chinese catalogue compiled, the static files collected.
            ["compilemessages", "--locale", "zh_Hans", "--ignore", ".venv", "--ignore", "node_modules"],
            ["migrate", "--noinput"],
            ["seed_demo"],
            ["collectstatic", "--noinput", "--verbosity", "0"],
        ):
            with self._timed(command[0]):
                self._manage(*command)
        python = sys.executable
        self._spawn(
            "gunicorn",
            [
                *(python, "-m", "gunicorn", "safety_portal.wsgi", "--bind", f"127.0.0.1:{self.port}"),
                *("--workers", "2", "--timeout", "60", "--access-logfile", "-", "--error-logfile", "-"),
            ],
        )
        self._spawn(
            "celery-worker",
            [
                *(python, "-m", "celery", "-A", "safety_portal", "worker", "--loglevel=INFO"),
                *("--concurrency=2", "--hostname", self.worker_name, "--without-gossip", "--without-mingle"),
            ],
        )
        self._spawn("celery-beat", [python, "-m", "celery", "-A", "safety_portal", "beat", "--loglevel=INFO"])
        with self._timed("processes ready"):
            self._wait("gunicorn", self._login_page_answers)
            self._wait("celery-worker", self._worker_answers_ping)
            self._wait("celery-beat", lambda: "beat: Starting..." in self.process("celery-beat").output())

    @contextlib.contextmanager
    def _timed(self, name: str) -> Iterator[None]:
        start = time.monotonic()
        yield
        self.timings[name] = round(time.monotonic() - start, 1)

    @property
    def worker_name(self) -> str:
        return f"e2e-{os.getpid()}@localhost"

    def _admin_connection(self, dbname: str = "postgres"):
        db = settings.DATABASES["default"]
        connection = psycopg2.connect(
            host=db["HOST"],
            port=db["PORT"] or 5432,
            user=db["USER"],
            password=db["PASSWORD"],
            dbname=dbname,
            connect_timeout=5,
        )
        connection.autocommit = True
        return connection

    def query(self, statement: str, *params) -> list[tuple]:
        """Rows read from the stack's database (what the pages cannot show, such as who ran a task)."""
        with (
            contextlib.closing(self._admin_connection(self.database)) as connection,
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, params)
            return cursor.fetchall()

    def _create_database(self) -> None:
        with contextlib.closing(self._admin_connection()) as connection, connection.cursor() as cursor:
            name = sql.Identifier(self.database)
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))

    def _manage(self, *arguments: str) -> None:
        log = self.workdir / "manage.log"
        with log.open("a") as out:
            out.write(f"$ manage.py {' '.join(arguments)}\n")
            out.flush()
            result = subprocess.run(
                [sys.executable, "manage.py", *arguments],
                cwd=BASE_DIR,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=START_TIMEOUT,
            )
        if result.returncode:
            raise StackError(f"manage.py {' '.join(arguments)} failed:\n{log.read_text()[-4000:]}")

    def _spawn(self, name: str, command: list[str]) -> None:
        log = self.workdir / f"{name}.log"
        with log.open("w") as out:
            popen = subprocess.Popen(
                command,
                cwd=BASE_DIR,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: stopping it stops its children
            )
        self.processes.append(Process(name, popen, log))

    def process(self, name: str) -> Process:
        return next(process for process in self.processes if process.name == name)

    def _wait(self, name: str, ready: Callable[[], bool]) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            self.process(name).check_running()
            if ready():
                return
            if time.monotonic() > deadline:
                raise StackError(
                    f"{name} was not ready after {START_TIMEOUT}s:\n{self.process(name).output(4000)}"
                )
            time.sleep(0.3)

    def _login_page_answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/accounts/login/", timeout=5) as response:
                return response.status == 200
        except urllib.error.HTTPError as error:
            raise StackError(
                f"gunicorn answers the login page with {error.code}:\n{self.process('gunicorn').output(4000)}"
            ) from None
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def _worker_answers_ping(self) -> bool:
        """`celery inspect ping`: the worker answers through the broker."""
        result = subprocess.run(
            [
                *(sys.executable, "-m", "celery", "-A", "safety_portal", "inspect", "ping"),
                *("--destination", self.worker_name, "--timeout", "1"),
            ],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        return result.returncode == 0 and "pong" in result.stdout

    # Stopping.

    def _stop(self, logs_to: Path | None = None) -> None:
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.popen.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.popen.pid, signal.SIGKILL)
                process.popen.wait(timeout=5)
        if self.failed and logs_to is not None:
            self.save_logs(logs_to)
        with contextlib.suppress(redis.RedisError):
            redis.Redis.from_url(self.redis_url).flushdb()
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.database))
        with (
            contextlib.suppress(psycopg2.Error),
            contextlib.closing(self._admin_connection()) as connection,
            connection.cursor() as cursor,
        ):
            cursor.execute(drop)
        shutil.rmtree(self.workdir, ignore_errors=True)

    # Reporting.

    def logs(self) -> str:
        """The output of the setup commands and of every process, for a failure report."""
        parts = []
        manage_log = self.workdir / "manage.log"
        if manage_log.exists():
            parts.append(f"===== manage.py =====\n{manage_log.read_text(errors='replace')[-4000:]}")
        parts += [f"===== {process.name} =====\n{process.output()}" for process in self.processes]
        return "\n".join(parts)

    def save_logs(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for log in self.workdir.glob("*.log"):
            shutil.copy(log, folder / log.name)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _redis_url() -> str:
    """The Redis of the test settings' broker, on the end-to-end suite's own database (the worker's own)."""
    broker = urlsplit(settings.CELERY_BROKER_URL)
    if broker.scheme not in ("redis", "rediss"):
        raise StackError(
            f"The end-to-end suite needs Redis: set CELERY_BROKER_URL=redis://... (make test does), "
            f"not {settings.CELERY_BROKER_URL}."
        )
    return f"{broker.scheme}://{broker.netloc}/{redis_database(REDIS_DB)}"


def require_tools() -> None:
    """Fail, naming it, when a part of the stack is not installed or not reachable."""
    for module, package in (("gunicorn", "gunicorn"), ("celery", "celery[redis]")):
        if importlib.util.find_spec(module) is None:
            raise StackError(f"{module} is not installed: pip install -r requirements.txt ({package}).")
    for entry in settings.STATICFILES_DIRS:
        folder = Path(entry[1] if isinstance(entry, tuple) else entry)
        if not folder.is_dir():
            raise StackError(f"{folder} is missing: run `npm ci` (the front-end libraries) first.")
    if shutil.which("msgfmt") is None:
        raise StackError("msgfmt is missing: install GNU gettext (apt-get install gettext).")
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise StackError(
            f"The end-to-end suite needs PostgreSQL: set DATABASE_URL=postgres://..., not {db['ENGINE']}."
        )
    try:
        psycopg2.connect(
            host=db["HOST"],
            port=db["PORT"] or 5432,
            user=db["USER"],
            password=db["PASSWORD"],
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg2.OperationalError as error:
        raise StackError(f"PostgreSQL is not reachable at {db['HOST']}:{db['PORT']}: {error}") from None
    url = _redis_url()
    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()
    except redis.RedisError as error:
        raise StackError(f"Redis is not reachable at {url}: {error}") from None
