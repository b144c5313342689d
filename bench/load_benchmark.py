"""Load test on loopback: wrk against gunicorn as logged-in users, beside a bare view (docs/benchmarks.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_load .venv/bin/python bench/load_benchmark.py

Steps, each of which can be left out when done already:
1. data: bench/generate_hazards.py (--hazards hazards at --enterprises enterprises, skipped when the database
   holds that generation) and then `manage.py seed_demo` on top, whose hazards have the whole story a hazard
   page shows (events, evidence, plan, listing, extension, suspension);
2. `migrate` and `collectstatic` (the pages run with DEBUG=false and the manifest storage);
3. targets: a session in the database for each user (as a login makes it) and the pairs of path and Cookie
   header wrk sends: hazard pages of hazards in each user's scope, the ledger's first page of each user, and
   the bare view; every target is fetched once and must answer 200 (the hazard page with its number);
4. gunicorn with --workers sync workers (2 × cores + 1), DEBUG=false, the production settings, and
   BENCH_BARE_VIEW=true; requests carry X-Forwarded-Proto: https, as behind the TLS proxy of a deployment;
5. for the bare view, the hazard page and the ledger: a --warmup s warm-up, then `wrk --latency` with
   --connections connections for --duration s through bench/load_targets.lua (round-robin over the targets,
   counting every answer other than 200); the load average before each run.

It prints a table (requests per second, p50, p99, errors: socket errors and answers other than 200) and the
ratio of the hazard page's rate to the bare view's, and exits 1 when a run had errors or the ratio is below
--min-ratio (0.5).
"""

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safety_portal.settings")

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/portal_bench_load"
RESULT_PREFIX = "BENCH-RESULT "
LUA_SCRIPT = BASE_DIR / "bench" / "load_targets.lua"
HOST = "127.0.0.1"
SCENARIOS = ["bare", "hazard", "ledger"]
SECRET = "bench-load-" + "k" * 50
# The server's files (static files, the demo's evidence) outlive a run, as the database does.
VAR_DIR = BASE_DIR / "var" / "bench-load"


# --------------------------------------------------------------------------------------------------------
# wrk's output
# --------------------------------------------------------------------------------------------------------

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_DURATION = r"([\d.]+)(us|ms|s|m|h)"


def _ms(number: str, unit: str) -> float:
    return float(number) * _UNITS_MS[unit]


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p75_ms: float
    p90_ms: float
    p99_ms: float
    socket_errors: int
    non_2xx_3xx: int
    non_200: int | None  # from bench/load_targets.lua; None when the script did not run

    @property
    def errors(self) -> int:
        """Every request that did not get a 200: socket errors (timeouts too) and other statuses."""
        wrong = self.non_200 if self.non_200 is not None else self.non_2xx_3xx
        return self.socket_errors + wrong


def parse_wrk(output: str) -> WrkResult:
    """The figures of `wrk --latency` output (and of bench/load_targets.lua's line); ValueError if absent."""

    def find(pattern: str) -> re.Match:
        match = re.search(pattern, output, re.M)
        if not match:
            raise ValueError(f"wrk output has no {pattern!r}:\n{output}")
        return match

    done = find(r"^\s*(\d+) requests in " + _DURATION)
    percentiles = {p: _ms(*find(rf"^\s*{p}%\s+{_DURATION}\s*$").groups()) for p in ("50", "75", "90", "99")}
    socket_errors = 0
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if match:
        socket_errors = sum(int(value) for value in match.groups())
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    non_2xx_3xx = int(match.group(1)) if match else 0
    match = re.search(r"^Non-200 responses: (\d+)", output, re.M)
    return WrkResult(
        requests=int(done.group(1)),
        seconds=round(_ms(done.group(2), done.group(3)) / 1000, 2),
        rps=float(find(r"^Requests/sec:\s+([\d.]+)").group(1)),
        p50_ms=round(percentiles["50"], 2),
        p75_ms=round(percentiles["75"], 2),
        p90_ms=round(percentiles["90"], 2),
        p99_ms=round(percentiles["99"], 2),
        socket_errors=socket_errors,
        non_2xx_3xx=non_2xx_3xx,
        non_200=int(match.group(1)) if match else None,
    )


# --------------------------------------------------------------------------------------------------------
# In the child process: sessions and targets
# --------------------------------------------------------------------------------------------------------


def child_targets(folder: Path, per_user: int) -> dict:
    """Write the targets files of the three scenarios; fetch each once through Django, counting queries."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from hazards.models import Hazard, Role, User

    usernames = ["supervisor", "inspector", "enterprise", "sup-210000", "sup-210100"]
    # A few generated inspectors and enterprise users, with hazards in their scope.
    usernames += list(
        User.objects.filter(role=Role.INSPECTOR, username__startswith="insp-", hazards_found__isnull=False)
        .order_by("username")
        .values_list("username", flat=True)
        .distinct()[:3]
    )
    usernames += list(
        User.objects.filter(
            role=Role.ENTERPRISE, username__startswith="ent-", enterprise__hazards__isnull=False
        )
        .order_by("username")
        .values_list("username", flat=True)
        .distinct()[:3]
    )
    hazard_targets, ledger_targets, users = [], [], []
    queries: dict[str, list[int]] = {"hazard": [], "ledger": [], "bare": []}
    for username in usernames:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)  # a session in the database, as the login form makes it
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        visible = Hazard.objects.visible_to(user)
        # The demo's hazards (their pages carry the most) and the latest in the user's scope.
        demo = list(visible.filter(found_by__username="inspector").order_by("pk").values_list("pk", "number"))
        latest = list(visible.order_by("-pk").values_list("pk", "number")[:per_user])
        hazards = demo + [h for h in latest if h not in demo]
        if not hazards:
            raise SystemExit(f"{username} sees no hazard")
        for pk, number in hazards:
            path = f"/hazards/{pk}/"
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path, secure=True)
            if response.status_code != 200 or number not in response.content.decode():
                raise SystemExit(f"{path} as {username}: {response.status_code}")
            queries["hazard"].append(len(captured))
            hazard_targets.append((path, cookie))
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/hazards/", secure=True)
        if response.status_code != 200:
            raise SystemExit(f"/hazards/ as {username}: {response.status_code}")
        queries["ledger"].append(len(captured))
        ledger_targets.append(("/hazards/", cookie))
        users.append({"username": username, "role": user.role, "hazards": len(hazards)})
    with CaptureQueriesContext(connection) as captured:
        assert Client().get("/bench/bare/", secure=True).status_code == 200
    queries["bare"].append(len(captured))
    bare_targets = [("/bench/bare/", cookie) for _path, cookie in ledger_targets]
    for name, targets in (("bare", bare_targets), ("hazard", hazard_targets), ("ledger", ledger_targets)):
        (folder / f"{name}.txt").write_text("".join(f"{path}\t{cookie}\n" for path, cookie in targets))
    return {
        "users": users,
        "targets": {"bare": len(bare_targets), "hazard": len(hazard_targets), "ledger": len(ledger_targets)},
        "queries": {name: [min(n), max(n)] for name, n in queries.items()},
        "hazards": Hazard.objects.count(),
    }


# --------------------------------------------------------------------------------------------------------
# In the parent
# --------------------------------------------------------------------------------------------------------


def server_env(url: str, var_dir: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": f"{HOST},testserver",
        "VAR_DIR": str(var_dir),
        "STATIC_ROOT": str(var_dir / "staticfiles"),
        "BENCH_BARE_VIEW": "true",
        "LOG_LEVEL": "WARNING",
    }


def run(command: list[str], env: dict, what: str) -> str:
    print(f"-- {what}", flush=True)
    done = subprocess.run(command, env=env, cwd=BASE_DIR, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{what} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_for(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped with {server.returncode}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/bench/bare/", headers={"X-Forwarded-Proto": "https"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"gunicorn did not answer on port {port} within {seconds} s")


def check_targets(port: int, file: Path) -> None:
    """Every target answers 200 through gunicorn (no redirect to the login page)."""
    for line in file.read_text().splitlines():
        path, cookie = line.split("\t")
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        connection.request("GET", path, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            sys.exit(f"{path} answered {response.status} through gunicorn")


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def wrk(port: int, targets: Path, args, seconds: int) -> tuple[WrkResult, str]:
    command = [
        args.wrk,
        "--latency",
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={seconds}s",
        f"--timeout={args.timeout}s",
        f"--script={LUA_SCRIPT}",
        f"http://{HOST}:{port}",
        "--",
        str(targets),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"wrk failed ({done.returncode}): {done.stderr}")
    return parse_wrk(done.stdout), done.stdout


def machine() -> dict:
    import django

    cpu = ""
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    wrk_version = subprocess.run([shutil.which("wrk") or "wrk", "-v"], capture_output=True, text=True)
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "django": django.get_version(),
        "platform": platform.platform(),
        "wrk": (wrk_version.stdout or wrk_version.stderr).splitlines()[0],
    }


def report(result: dict) -> None:
    print()
    print("| page | targets | queries | requests | req/s | p50 ms | p99 ms | errors | load average before |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name in SCENARIOS:
        run_ = result["runs"][name]
        low, high = result["setup"]["queries"][name]
        print(
            f"| {name} | {result['setup']['targets'][name]} | {low}–{high} | {run_['requests']:,} | "
            f"{run_['rps']:.1f} | {run_['p50_ms']} | {run_['p99_ms']} | {run_['errors']} | "
            f"{' '.join(str(v) for v in run_['load_before'])} |"
        )
    print()
    print(f"hazard page ÷ bare view (req/s): {result['ratio_hazard']:.3f}")
    print(f"ledger ÷ bare view (req/s): {result['ratio_ledger']:.3f}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hazards", type=int, default=200_000)
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--duration", type=int, default=30, help="seconds of each measured run")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of warm-up before each run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument(
        "--timeout", type=int, default=5, help="wrk's request timeout, s (counted as an error)"
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn's")
    parser.add_argument("--per-user", type=int, default=6, help="generated hazards per user's targets")
    parser.add_argument("--min-ratio", type=float, default=0.5)
    parser.add_argument("--only", choices=SCENARIOS, action="append", help="measure only these (repeatable)")
    parser.add_argument("--no-data", action="store_true", help="use the database as it is")
    parser.add_argument("--wrk", default=shutil.which("wrk") or "/usr/bin/wrk")
    parser.add_argument("--json", help="also write every figure to this file")
    parser.add_argument("--child-targets", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_targets:
        result = child_targets(Path(args.child_targets), args.per_user)
        print(RESULT_PREFIX + json.dumps(result))
        return
    if not Path(args.wrk).exists():
        sys.exit(f"wrk is missing ({args.wrk}): apt-get install wrk")

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        folder = Path(tmp)
        env = server_env(url, VAR_DIR)
        if not args.no_data:
            run(
                [python, "bench/generate_hazards.py", "--hazards", str(args.hazards), "--enterprises",
                 str(args.enterprises), "--overdue", str(args.hazards // 20), "--due-soon",
                 str(args.hazards // 200), "--submitted", str(args.hazards // 50), "--if-missing"],
                {**os.environ, "DATABASE_URL": url},
                f"data: {args.hazards:,} hazards at {args.enterprises:,} enterprises",
            )  # fmt: skip
            run([python, "manage.py", "migrate", "--noinput"], env, "migrate")
            run([python, "manage.py", "seed_demo"], env, "the demo's users and hazards")
        run([python, "manage.py", "collectstatic", "--noinput", "-v", "0"], env, "collectstatic")
        setup = run([python, __file__, "--child-targets", str(folder), "--per-user", str(args.per_user)], env,
                    "sessions and targets")  # fmt: skip
        setup = json.loads(
            [line for line in setup.splitlines() if line.startswith(RESULT_PREFIX)][-1][len(RESULT_PREFIX) :]
        )
        port = free_port()
        command = [
            *(python, "-m", "gunicorn", "safety_portal.wsgi:application", "--bind", f"{HOST}:{port}"),
            *("--workers", str(args.workers), "--worker-class", "sync", "--log-level", "warning"),
        ]
        print(f"-- gunicorn: {args.workers} sync workers on {HOST}:{port}", flush=True)
        server = subprocess.Popen(command, env=env, cwd=BASE_DIR, start_new_session=True)
        try:
            wait_for(port, server)
            runs = {}
            for name in args.only or SCENARIOS:
                targets = folder / f"{name}.txt"
                check_targets(port, targets)
                print(f"-- {name}: warm-up {args.warmup} s, then {args.duration} s", flush=True)
                wrk(port, targets, args, args.warmup)
                time.sleep(2)
                before = load_average()
                measured, output = wrk(port, targets, args, args.duration)
                runs[name] = {**asdict(measured), "errors": measured.errors, "load_before": before}
                runs[name]["load_after"] = load_average()
                print(output, flush=True)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    result = {
        "machine": machine(),
        "database": url,
        "workers": args.workers,
        "connections": args.connections,
        "threads": args.threads,
        "duration_s": args.duration,
        "setup": setup,
        "runs": runs,
    }
    failed = [f"{name}: {r['errors']} errors" for name, r in runs.items() if r["errors"]]
    if "bare" in runs:
        for name in ("hazard", "ledger"):
            if name in runs:
                result[f"ratio_{name}"] = runs[name]["rps"] / runs["bare"]["rps"]
        if "ratio_hazard" in result and result["ratio_hazard"] < args.min_ratio:
            failed.append(f"hazard page ÷ bare view {result['ratio_hazard']:.3f} < {args.min_ratio}")
    if set(runs) == set(SCENARIOS):
        report(result)
    else:
        print(json.dumps(runs, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    if failed:
        sys.exit("goal missed: " + "; ".join(failed))


if __name__ == "__main__":
    main(sys.argv[1:])
