"""Benchmark of the quarterly ranking of a province (see docs/benchmarks.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_province \\
        .venv/bin/python bench/ranking_benchmark.py --quarter 2026Q3

On the database of bench/generate_hazards.py (1,000,000 hazards, 100,000 enterprises, Liaoning's 14 cities),
each run in a fresh Python process with DEBUG=false: ranking_compute() of the province for the quarter, as
`manage.py compute_ranking` and the beat task run it (the first run creates the draft, the others replace
it): wall time of the call, the time of its parts (counting, scoring, writing the entries, the rest), the
entries written and the peak resident set of the process against its size before the call.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safety_portal.settings")

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/portal_bench_province"
RESULT_PREFIX = "BENCH-RESULT "
GOAL_SECONDS = 20


def rss_now_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def child(quarter: str, scope_code: str) -> dict:
    os.environ["DEBUG"] = "false"
    import django

    django.setup()
    from hazards.models import RankingEntry, Region
    from hazards.services.rankings import compute

    parts: dict[str, float] = {"count_units": 0.0, "score_units": 0.0, "_write_entries": 0.0}

    def timed(name: str):
        function = getattr(compute, name)

        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                parts[name] += time.perf_counter() - started

        setattr(compute, name, wrapper)

    for name in parts:
        timed(name)
    year, number = compute.parse_quarter(quarter)
    scope = Region.objects.get(code=scope_code)
    before = rss_now_mb()
    started = time.perf_counter()
    run = compute.ranking_compute(year=year, quarter=number, scope=scope)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "seconds": round(seconds, 2),
        "parts": {name: round(value, 2) for name, value in parts.items()},
        "rest": round(seconds - sum(parts.values()), 2),
        "entries": RankingEntry.objects.filter(run=run).count(),
        "rss_before_mb": round(before, 1),
        "peak_rss_mb": round(peak, 1),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quarter", default="2026Q3")
    parser.add_argument("--scope", default="210000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(RESULT_PREFIX + json.dumps(child(args.quarter, args.scope)))
        return
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    runs = []
    for number in range(args.runs):
        done = subprocess.run(
            [sys.executable, __file__, "--child", "--quarter", args.quarter, "--scope", args.scope],
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            check=False,
        )
        lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
        if done.returncode or not lines:
            sys.exit(f"run {number + 1} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
        runs.append(json.loads(lines[-1][len(RESULT_PREFIX) :]))
        print(f"run {number + 1}: {runs[-1]}", flush=True)
    print()
    print("| run | s | counting s | scoring s | writing s | rest s | entries | RSS before MB | peak RSS MB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for number, run in enumerate(runs, start=1):
        p = run["parts"]
        print(
            f"| {number} | {run['seconds']} | {p['count_units']} | {p['score_units']} "
            f"| {p['_write_entries']} | {run['rest']} | {run['entries']:,} "
            f"| {run['rss_before_mb']} | {run['peak_rss_mb']} |"
        )
    median = statistics.median(run["seconds"] for run in runs)
    print(f"\nmedian {median:.2f} s against the goal of {GOAL_SECONDS} s")
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
