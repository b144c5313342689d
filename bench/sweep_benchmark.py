"""Benchmark of the deadline sweep on a generated database (see bench/generate_hazards.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/sweep_benchmark.py

Measures, each in a fresh Python process so that peak memory is the sweep's own:

(a) deadlines_sweep() on the generated data, --runs times: wall time, CPU time of the Python process (the
    rest is waiting for PostgreSQL), the time of each rung and of the deliveries, notices and deliveries
    created; then once more under tracemalloc for the peak of Python allocations. Every process reports the
    growth of its peak resident set (ru_maxrss) over what it had before the sweep. The sweep sends no
    task (its deliveries wait in the outbox), so no Celery broker is involved, and the notices and deliveries
    a run made are deleted after it (and before it, should an earlier run have died), so runs compare.
(b) a naive per-row ORM loop (per hazard, per recipient: Notice.objects.get_or_create, then a
    NoticeDelivery get_or_create per channel) over --sample overdue hazards, in one transaction, with the
    ratio of its time per notice to the sweep's; it checks that the loop made exactly the notices and
    deliveries the sweep makes for those hazards.
(c) the sweep's time and peak memory on the smaller databases <name>_250k and <name>_500k when they exist
    (generated with the same --overdue), for memory against the number of hazards.
(d) EXPLAIN (ANALYZE, BUFFERS) of every rung query (captured from a dry run), slowest first.
(e) unless --no-extras: a what-if run in which the deliveries are made by one INSERT ... SELECT instead of
    the product's _insert_deliveries (a measurement for a suggested change, not the product's code), and one
    sweep under cProfile.
Each timed run also times a second sweep straight after the first, when there is nothing left to create.

The processes run with DEBUG=false, as a worker does in production (with DEBUG on, Django keeps the text of
the last 9000 queries). The sweep runs "as of" the moment the data were generated (bench_generation).
"""

import argparse
import contextlib
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safety_portal.settings")

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"
RESULT_PREFIX = "BENCH-RESULT "
GOAL_SECONDS = 30
GOAL_RATIO = 20
FLAT_TOLERANCE = 1.25  # peak memory at the largest size at most this times the smallest size's


# --------------------------------------------------------------------------------------------------------
# In the child processes (Django set up against one database)
# --------------------------------------------------------------------------------------------------------


def _setup():
    import django

    django.setup()


def _meta() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_generation')")
        if cursor.fetchone()[0] is None:
            sys.exit(f"{connection.settings_dict['NAME']} holds no generation: run bench/generate_hazards.py")
        cursor.execute(
            "SELECT generated_at, params, counts, notice_max_id, delivery_max_id, seconds "
            "FROM bench_generation WHERE id = 1"
        )
        generated_at, params, counts, notice_max, delivery_max, seconds = cursor.fetchone()
    return {
        "database": connection.settings_dict["NAME"],
        "generated_at": generated_at,
        # Django reads jsonb as text
        "params": json.loads(params) if isinstance(params, str) else params,
        "counts": json.loads(counts) if isinstance(counts, str) else counts,
        "notice_max_id": notice_max,
        "delivery_max_id": delivery_max,
        "generation_seconds": seconds,
    }


def _clean(meta: dict) -> int:
    """Delete the notices and deliveries made since the generation; vacuum so the next run starts alike."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM hazards_noticedelivery WHERE id > %s OR notice_id > %s",
            [meta["delivery_max_id"], meta["notice_max_id"]],
        )
        cursor.execute("DELETE FROM hazards_notice WHERE id > %s", [meta["notice_max_id"]])
        deleted = cursor.rowcount
    if deleted:
        autocommit = connection.get_autocommit()
        connection.set_autocommit(True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) hazards_notice, hazards_noticedelivery")
        connection.set_autocommit(autocommit)
    return deleted


def _sample_ids(now, size: int) -> list[int]:
    """Every k-th overdue hazard by id: spread over enterprises, regions and days overdue."""
    from django.utils import timezone

    from hazards.models import Hazard

    ids = list(Hazard.objects.overdue(timezone.localdate(now)).order_by("pk").values_list("pk", flat=True))
    step = max(1, len(ids) // size)
    return ids[::step][:size]


def _made_for(hazard_ids: list[int], meta: dict) -> dict:
    """The overdue notices made since the generation for these hazards, with deliveries, as tuples."""
    from hazards.models import Notice, NoticeDelivery

    notices = Notice.objects.filter(hazard_id__in=hazard_ids, kind="overdue", pk__gt=meta["notice_max_id"])
    deliveries = NoticeDelivery.objects.filter(notice__in=notices)
    return {
        "notices": sorted(
            notices.values_list("hazard_id", "kind", "step", "recipient_id", "requires_acknowledgement")
        ),
        "deliveries": sorted(
            deliveries.values_list("notice__hazard_id", "notice__step", "notice__recipient_id", "channel")
        ),
    }


def _rss_now_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _maxrss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


SET_BASED_DELIVERIES_SQL = """
INSERT INTO hazards_noticedelivery (notice_id, channel, state, attempts, last_error)
SELECT n.id, c.channel, 'pending', 0, ''
FROM hazards_notice n JOIN hazards_user u ON u.id = n.recipient_id
CROSS JOIN (VALUES ('in_app'), ('email')) AS c(channel)
WHERE n.created_at = %s AND (c.channel = 'in_app' OR u.email <> '')
  AND NOT EXISTS (SELECT 1 FROM hazards_noticedelivery d WHERE d.notice_id = n.id)
ON CONFLICT DO NOTHING
"""


def set_based_deliveries(created_at) -> None:
    """What-if, not the product's code: the deliveries of the sweep's notices in one INSERT ... SELECT."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(SET_BASED_DELIVERIES_SQL, [created_at])


def child_sweep(trace: bool, sample: int, rerun: bool, profile: bool, what_if: bool) -> dict:
    import tracemalloc

    _setup()
    from django.db import connection

    from hazards.models import NoticeDelivery
    from hazards.services.notices import sweep

    meta = _meta()
    now = meta["generated_at"]
    leftover = _clean(meta)

    phases: dict[str, float] = {}
    if what_if:
        sweep._insert_deliveries = set_based_deliveries
    original_insert_notices, original_insert_deliveries = sweep._insert_notices, sweep._insert_deliveries

    def timed_insert_notices(rung, *args, **kwargs):
        started = time.perf_counter()
        try:
            return original_insert_notices(rung, *args, **kwargs)
        finally:
            name = f"{rung.kind}/{rung.step}"
            phases[name] = phases.get(name, 0.0) + time.perf_counter() - started

    def timed_insert_deliveries(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original_insert_deliveries(*args, **kwargs)
        finally:
            phases["deliveries"] = phases.get("deliveries", 0.0) + time.perf_counter() - started

    sweep._insert_notices, sweep._insert_deliveries = timed_insert_notices, timed_insert_deliveries
    connection.ensure_connection()
    rss_before, maxrss_before = _rss_now_mb(), _maxrss_mb()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    if trace:
        tracemalloc.start()
    cpu_started, started = time.process_time(), time.perf_counter()
    result = sweep.deadlines_sweep(now=now)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    traced_peak = tracemalloc.get_traced_memory()[1] if trace else None
    if trace:
        tracemalloc.stop()
    profile_text = None
    if profiler:
        import io
        import pstats

        profiler.disable()
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(25)
        profile_text = stream.getvalue()
    maxrss_after = _maxrss_mb()
    first_phases = dict(phases)

    deliveries = NoticeDelivery.objects.filter(pk__gt=meta["delivery_max_id"]).count()
    made = _made_for(_sample_ids(now, sample), meta) if sample else None
    second = None
    if rerun:  # the same sweep again at once: everything is there already, nothing is created
        started = time.perf_counter()
        again = sweep.deadlines_sweep(now=now)
        second = {"seconds": time.perf_counter() - started, "created": again.created}
    _clean(meta)
    return {
        "meta": meta,
        "leftover_deleted": leftover,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "phases": first_phases,
        "candidates": result.candidates,
        "created": result.created,
        "deliveries": deliveries,
        "traced_peak_mb": traced_peak / 2**20 if trace else None,
        "rss_before_mb": rss_before,
        "maxrss_before_mb": maxrss_before,
        "maxrss_after_mb": maxrss_after,
        "maxrss_growth_mb": maxrss_after - maxrss_before,
        "made": made,
        "rerun": second,
        "profile": profile_text,
    }


def naive_loop(hazard_ids: list[int], now) -> tuple[int, int]:
    """The same work, the obvious way: row by row through the ORM. Returns (notices, hazards) handled."""
    from django.conf import settings
    from django.utils import timezone

    from hazards.models import (
        Channel,
        Hazard,
        HazardLevel,
        HazardStatus,
        Notice,
        NoticeDelivery,
        NoticeKind,
        Role,
        SupervisionListing,
        User,
    )

    days = settings.NOTICES
    today = timezone.localdate(now)
    notices = hazards = 0
    for hazard in Hazard.objects.filter(pk__in=hazard_ids).order_by("pk"):
        if hazard.status != HazardStatus.OPEN or hazard.deadline >= today:
            continue
        hazards += 1
        overdue_days = (today - hazard.deadline).days
        listed = SupervisionListing.objects.filter(hazard=hazard, delisted_at__isnull=True).exists()
        urgent = hazard.level == HazardLevel.MAJOR or listed
        ladder = [
            (
                0,
                list(
                    User.objects.filter(
                        enterprise_id=hazard.enterprise_id, role=Role.ENTERPRISE, is_active=True
                    )
                ),
            )
        ]
        if overdue_days >= days["major_inspector_after_days" if urgent else "inspector_after_days"]:
            finder = hazard.found_by
            ladder.append((1, [finder] if finder.role == Role.INSPECTOR and finder.is_active else []))
        if overdue_days >= days["major_supervisor_after_days" if urgent else "supervisor_after_days"]:
            supervisors = User.objects.filter(role=Role.SUPERVISOR, is_active=True).select_related("region")
            ladder.append(
                (2, [s for s in supervisors if hazard.region.code.startswith(s.region.code_prefix)])
            )
        for step, recipients in ladder:
            for recipient in recipients:
                notice, _ = Notice.objects.get_or_create(
                    hazard=hazard,
                    kind=NoticeKind.OVERDUE,
                    step=step,
                    recipient=recipient,
                    defaults={"requires_acknowledgement": urgent},
                )
                notices += 1
                NoticeDelivery.objects.get_or_create(notice=notice, channel=Channel.IN_APP)
                if recipient.email:
                    NoticeDelivery.objects.get_or_create(notice=notice, channel=Channel.EMAIL)
    return notices, hazards


def child_loop(sample: int) -> dict:
    _setup()
    from django.db import transaction

    meta = _meta()
    now = meta["generated_at"]
    _clean(meta)
    hazard_ids = _sample_ids(now, sample)
    cpu_started, started = time.process_time(), time.perf_counter()
    with transaction.atomic():
        notices, hazards = naive_loop(hazard_ids, now)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    made = _made_for(hazard_ids, meta)
    _clean(meta)
    return {
        "meta": meta,
        "sample": len(hazard_ids),
        "hazards": hazards,
        "notices": notices,
        "deliveries": len(made["deliveries"]),
        "seconds": seconds,
        "cpu_seconds": cpu,
        "made": made,
    }


def child_explain() -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) of every query a dry run makes, grouped by rung."""
    _setup()
    from django.db import connection

    from hazards.services.notices import sweep

    meta = _meta()
    _clean(meta)
    captured: list[tuple[str, str, tuple]] = []
    current = {"rung": "setup"}
    original_pairs = sweep._pairs

    def named_pairs(rung):
        current["rung"] = f"{rung.kind}/{rung.step}"
        yield from original_pairs(rung)

    def capture(execute, sql, params, many, context):
        captured.append((current["rung"], sql, params))
        return execute(sql, params, many, context)

    sweep._pairs = named_pairs
    with connection.execute_wrapper(capture):
        sweep.deadlines_sweep(now=meta["generated_at"], dry_run=True)
    queries = []
    with connection.cursor() as cursor:
        for rung, sql, params in captured:
            if not sql.lstrip().upper().startswith("SELECT") or "hazards_hazard" not in sql:
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            match = re.search(r"Execution Time: ([0-9.]+) ms", plan)
            queries.append(
                {
                    "rung": rung,
                    "ms": float(match.group(1)) if match else 0.0,
                    "sql": cursor.mogrify(sql, params).decode(),
                    "plan": plan,
                }
            )
    queries.sort(key=lambda query: -query["ms"])
    return {"meta": meta, "queries": queries}


def run_child(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", choices=["sweep", "loop", "explain"], required=True)
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--rerun", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--what-if", action="store_true")
    args = parser.parse_args(argv)
    if args.child == "sweep":
        result = child_sweep(args.trace, args.sample, args.rerun, args.profile, args.what_if)
    elif args.child == "loop":
        result = child_loop(args.sample)
    else:
        result = child_explain()
    print(RESULT_PREFIX + json.dumps(result, default=str))


# --------------------------------------------------------------------------------------------------------
# The orchestrating process: no Django, runs the children and prints the summary
# --------------------------------------------------------------------------------------------------------


def spawn(url: str, *args: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "LOG_LEVEL": "WARNING",
    }
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in completed.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            return json.loads(line.removeprefix(RESULT_PREFIX))
    sys.stderr.write(completed.stdout + completed.stderr)
    sys.exit(f"the child {' '.join(args)} on {url} failed (exit {completed.returncode})")


def with_suffix(url: str, suffix: str) -> str:
    head, _, name = url.rpartition("/")
    name, question, query = name.partition("?")
    return f"{head}/{name}{suffix}{question}{query}"


def database_exists(url: str) -> bool:
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    try:
        psycopg2.connect(
            dbname=config["NAME"],
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            host=config["HOST"] or None,
            port=config["PORT"] or None,
        ).close()
    except psycopg2.OperationalError:
        return False
    return True


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def machine() -> dict:
    import platform

    memory = ""
    with contextlib.suppress(OSError), open("/proc/meminfo") as meminfo:
        memory = f"{int(meminfo.readline().split()[1]) / 2**20:.1f} GiB"
    cpu = ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as cpuinfo:
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "")

    def git(*args: str) -> str:  # read-only git commands
        return subprocess.run(
            ["git", *args], cwd=BASE_DIR, capture_output=True, text=True, check=False
        ).stdout

    sweep_file = "hazards/services/notices/sweep.py"
    commit = git("rev-parse", "--short", "HEAD").strip()
    changed = (
        " with local changes to sweep.py" if git("status", "--porcelain", "--", sweep_file).strip() else ""
    )
    blob = git("hash-object", sweep_file).strip()[:10]
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "commit": f"{commit}{changed}",
        "sweep_blob": blob,
    }


def postgres_facts(url: str) -> dict:
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    connection = psycopg2.connect(
        dbname=config["NAME"],
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )
    with connection, connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute(
            "SELECT name, current_setting(name) FROM pg_settings WHERE name IN "
            "('shared_buffers', 'work_mem', 'synchronous_commit', 'jit')"
        )
        settings = dict(cursor.fetchall())
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    connection.close()
    return {"version": version, "settings": settings, "size": size}


def table(rows: list[list[str]]) -> str:
    """A Markdown table; the first row is the header."""
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "| " + " | ".join("-" * width for width in widths) + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed sweeps on the main database")
    parser.add_argument("--sample", type=int, default=2000, help="overdue hazards for the ORM loop")
    parser.add_argument(
        "--scale-suffixes",
        default="_250k,_500k",
        help="databases <name><suffix> for the memory-against-size table (skipped when missing)",
    )
    parser.add_argument("--no-loop", action="store_true")
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument(
        "--no-extras",
        action="store_true",
        help="skip the profiled run and the what-if run (deliveries in one INSERT ... SELECT)",
    )
    parser.add_argument("--json", help="also write every figure to this file")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)

    report: dict = {"machine": machine(), "postgres": postgres_facts(url)}
    say(f"sweep x{args.runs} on {url}")
    runs = []
    for number in range(args.runs):
        runs.append(spawn(url, "--child", "sweep", "--sample", str(args.sample), "--rerun"))
        say(f"  run {number + 1}: {runs[-1]['seconds']:.2f} s, {runs[-1]['created']} notices")
    traced = spawn(url, "--child", "sweep", "--trace")
    say(f"  traced: {traced['seconds']:.2f} s, peak {traced['traced_peak_mb']:.1f} MB")
    meta = runs[0]["meta"]
    report.update(runs=runs, traced=traced, meta=meta)

    loop = None
    if not args.no_loop:
        say(f"ORM loop over {args.sample} overdue hazards")
        loop = spawn(url, "--child", "loop", "--sample", str(args.sample))
        say(f"  {loop['seconds']:.2f} s, {loop['notices']} notices")
        report["loop"] = loop

    scale = [(meta["params"]["hazards"], runs, traced)]
    for suffix in filter(None, args.scale_suffixes.split(",")):
        other = with_suffix(url, suffix)
        if not database_exists(other):
            say(f"no database {other}: skipped (generate it to measure memory against size)")
            continue
        say(f"sweep on {other}")
        timed = spawn(other, "--child", "sweep")
        other_traced = spawn(other, "--child", "sweep", "--trace")
        scale.append((timed["meta"]["params"]["hazards"], [timed], other_traced))
    scale.sort(key=lambda point: point[0])
    report["scale"] = [
        {"hazards": hazards, "runs": point_runs, "traced": point_traced}
        for hazards, point_runs, point_traced in scale
    ]

    if not args.no_explain:
        say("EXPLAIN ANALYZE of the rung queries (dry run)")
        report["explain"] = spawn(url, "--child", "explain")

    if not args.no_extras:
        say("profiled sweep (cProfile)")
        report["profiled"] = spawn(url, "--child", "sweep", "--profile")
        say("what-if sweep: deliveries in one INSERT ... SELECT")
        report["what_if"] = spawn(url, "--child", "sweep", "--what-if")

    after = machine()
    if after["sweep_blob"] != report["machine"]["sweep_blob"]:
        report["machine"]["commit"] += (
            f", then {after['commit']}: sweep.py changed during the run, run it again"
        )

    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, default=str))
    print(summary(report))


def summary(report: dict) -> str:
    meta, runs, traced = report["meta"], report["runs"], report["traced"]
    seconds = [run["seconds"] for run in runs]
    median = statistics.median(seconds)
    created, deliveries = runs[0]["created"], runs[0]["deliveries"]
    pg, host, counts = report["postgres"], report["machine"], meta["counts"]
    pg_settings = ", ".join(f"{key}={value}" for key, value in sorted(pg["settings"].items()))
    out = [
        f"Deadline sweep benchmark: {meta['database']} ({pg['size']}), "
        f"generated as of {meta['generated_at']} in {meta['generation_seconds']:.0f} s",
        f"Machine: {host['cpus']} CPUs ({host['cpu']}), {host['memory']}, "
        f"PostgreSQL {pg['version']} ({pg_settings}), Python {host['python']}, "
        f"code at {host['commit']} (sweep.py {host['sweep_blob']})",
        f"Data: {json.dumps(counts['hazards'])}, {counts['overdue']} overdue and never notified, "
        f"{counts['enterprises']} enterprises, users {json.dumps(counts['users'])}, "
        f"{counts['history_notices']} notices in the history",
        "",
        "(a) One sweep",
        table(
            [
                [
                    "run",
                    "wall s",
                    "Python CPU s",
                    "waiting on PostgreSQL s",
                    "notices",
                    "deliveries",
                    "RSS growth MB",
                ],
                *[
                    [
                        str(i + 1),
                        f"{run['seconds']:.2f}",
                        f"{run['cpu_seconds']:.2f}",
                        f"{run['seconds'] - run['cpu_seconds']:.2f}",
                        str(run["created"]),
                        str(run["deliveries"]),
                        f"{run['maxrss_growth_mb']:.1f}",
                    ]
                    for i, run in enumerate(runs)
                ],
                [
                    "traced",
                    f"{traced['seconds']:.2f}",
                    f"{traced['cpu_seconds']:.2f}",
                    f"{traced['seconds'] - traced['cpu_seconds']:.2f}",
                    str(traced["created"]),
                    str(traced["deliveries"]),
                    f"{traced['maxrss_growth_mb']:.1f}",
                ],
            ]
        ),
        f"median {median:.2f} s; tracemalloc peak {traced['traced_peak_mb']:.1f} MB "
        f"(the traced run is slower: tracemalloc's own cost); peak RSS {runs[0]['maxrss_after_mb']:.0f} MB "
        f"(before the sweep {runs[0]['maxrss_before_mb']:.0f} MB)",
        "a second sweep at once, with nothing left to create: "
        + ", ".join(f"{run['rerun']['seconds']:.2f} s ({run['rerun']['created']} created)" for run in runs),
        "",
        "Time by rung (run 1; a rung's time is its query and its inserts):",
        table(
            [
                ["rung", "candidates", "seconds"],
                *[
                    [name, str(runs[0]["candidates"].get(name, "")), f"{runs[0]['phases'][name]:.2f}"]
                    for name in runs[0]["phases"]
                ],
                [
                    "rest (counts, requeue, commit)",
                    "",
                    f"{runs[0]['seconds'] - sum(runs[0]['phases'].values()):.2f}",
                ],
            ]
        ),
    ]
    loop = report.get("loop")
    if loop:
        sweep_per_notice = median / created
        loop_per_notice = loop["seconds"] / loop["notices"]
        ratio = loop_per_notice / sweep_per_notice
        same = runs[0]["made"] == loop["made"]
        report["ratio"] = ratio
        out += [
            "",
            "(b) Naive per-row ORM loop on a sample",
            table(
                [
                    [
                        "",
                        "hazards",
                        "notices",
                        "deliveries",
                        "seconds",
                        "ms per notice",
                        "extrapolated to all",
                    ],
                    [
                        "ORM loop",
                        str(loop["hazards"]),
                        str(loop["notices"]),
                        str(loop["deliveries"]),
                        f"{loop['seconds']:.2f}",
                        f"{loop_per_notice * 1000:.3f}",
                        f"{loop_per_notice * created:.0f} s for {created} notices",
                    ],
                    [
                        "sweep",
                        str(meta["counts"]["overdue"]),
                        str(created),
                        str(deliveries),
                        f"{median:.2f}",
                        f"{sweep_per_notice * 1000:.3f}",
                        "",
                    ],
                ]
            ),
            f"ratio (loop per notice / sweep per notice): {ratio:.1f}x; the loop made "
            f"{'exactly the same' if same else 'NOT the same'} notices and deliveries as the sweep for the "
            f"{loop['sample']} sampled hazards",
        ]
    out += ["", "(c) Memory against the number of hazards (same overdue count)"]
    rows = [["hazards", "overdue", "notices", "sweep s", "tracemalloc peak MB", "RSS growth MB (untraced)"]]
    for point in report["scale"]:
        rows.append(
            [
                f"{point['hazards']:,}",
                f"{point['traced']['meta']['counts']['overdue']:,}",
                str(point["traced"]["created"]),
                f"{statistics.median(run['seconds'] for run in point['runs']):.2f}",
                f"{point['traced']['traced_peak_mb']:.1f}",
                f"{max(run['maxrss_growth_mb'] for run in point['runs']):.1f}",
            ]
        )
    out.append(table(rows))
    peaks = [point["traced"]["traced_peak_mb"] for point in report["scale"]]
    rss = [max(run["maxrss_growth_mb"] for run in point["runs"]) for point in report["scale"]]
    flat = len(peaks) > 1 and all(max(values) <= FLAT_TOLERANCE * min(values) for values in (peaks, rss))
    out += [
        "",
        "Goals:",
        f"  one sweep <= {GOAL_SECONDS} s: {'met' if median <= GOAL_SECONDS else 'NOT met'} ({median:.2f} s)",
    ]
    if loop:
        verdict = "met" if report["ratio"] >= GOAL_RATIO else "NOT met"
        out.append(f"  >= {GOAL_RATIO}x faster than the loop: {verdict} ({report['ratio']:.1f}x)")
    out.append(
        "  memory flat in the number of hazards: "
        + (
            "not measured (one size only)"
            if len(peaks) < 2
            else f"{'met' if flat else 'NOT met'} (largest within {FLAT_TOLERANCE}x the smallest; "
            f"tracemalloc peaks {', '.join(f'{p:.1f}' for p in peaks)} MB, "
            f"RSS growth {', '.join(f'{r:.1f}' for r in rss)} MB)"
        )
    )
    profiled, what_if = report.get("profiled"), report.get("what_if")
    if what_if:
        out += [
            "",
            "(e) What-if, not the product's code: the deliveries made by one INSERT ... SELECT",
            f"sweep {what_if['seconds']:.2f} s (Python CPU {what_if['cpu_seconds']:.2f} s), deliveries step "
            f"{what_if['phases'].get('deliveries', 0):.2f} s against "
            f"{runs[0]['phases'].get('deliveries', 0):.2f} s; "
            f"{what_if['deliveries']} deliveries "
            f"({'the same number' if what_if['deliveries'] == deliveries else 'NOT the same number'})",
        ]
    if profiled:
        out += ["", f"(f) One sweep under cProfile ({profiled['seconds']:.1f} s with the profiler's cost)"]
        out.append(profiled["profile"].strip())
    explain = report.get("explain")
    if explain:
        by_rung: dict[str, list[float]] = {}
        for query in explain["queries"]:
            by_rung.setdefault(query["rung"], []).append(query["ms"])
        out += [
            "",
            "(d) Rung queries under EXPLAIN ANALYZE (dry run)",
            table(
                [
                    ["rung", "queries", "total ms", "slowest ms"],
                    *[
                        [rung, str(len(ms)), f"{sum(ms):.1f}", f"{max(ms):.1f}"]
                        for rung, ms in sorted(by_rung.items(), key=lambda item: -sum(item[1]))
                    ],
                ]
            ),
            "",
            f"Slowest rung query ({explain['queries'][0]['rung']}):",
            explain["queries"][0]["sql"],
            explain["queries"][0]["plan"],
        ]
    return "\n".join(out)


if __name__ == "__main__":
    if "--child" in sys.argv:
        run_child(sys.argv[1:])
    else:
        main(sys.argv[1:])
