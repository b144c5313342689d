"""Benchmark of the dashboards, the ledger and the Excel export at province scale (see docs/benchmarks.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_province \\
        .venv/bin/python bench/dashboard_benchmark.py

On a database made by bench/generate_hazards.py (1,000,000 hazards, 100,000 enterprises), each in a fresh
Python process with DEBUG=false:

(a) pages: the province dashboard, a city dashboard and filtered ledger pages, each requested --runs times
    (after --warmup requests) through Django's test client as the logged-in supervisor of that region: the
    whole request (middleware, session, queries, template), p50 and p95 and the number of SQL queries.
    Beside each page:
    - "own SQL": the very SQL statements the page sent, captured once and executed directly with a cursor,
      --runs times: what the page costs in PostgreSQL alone (page / own SQL is the ORM and template share);
    - for the dashboards, "raw SQL over the hazards": hand-written SQL computing the same figures from the
      hazard table, without the kept counts (what the page would cost without them); the benchmark checks
      that its figures equal the page's;
    - for the ledger pages, a hand-written count and page of the same rows.
(b) the Excel export (the code the background export task runs, hazards.services.ledger.export_to_file) of
    --export-rows rows each (a range of found dates picked to hold that many): wall time, rows, file size
    and the peak resident set of the process against its size before the export, to show memory flat in
    the number of rows.
"""

import argparse
import datetime
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safety_portal.settings")

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/portal_bench_province"
RESULT_PREFIX = "BENCH-RESULT "
PROVINCE, CITY = "210000", "210100"  # 辽宁省 and 沈阳市: the generator's supervisors sup-<code>
GOALS = {
    "dashboard_p95_ms": 150,
    "dashboard_ratio": 2.0,
    "ledger_p95_ms": 100,
    "export_s": 30,
    "export_mb": 200,
}

# (name, supervisor's region, path and query)
PAGES = [
    ("province dashboard", PROVINCE, "/dashboard/"),
    ("city dashboard", CITY, "/dashboard/"),
    (
        "ledger: province, overdue hazardous chemicals",
        PROVINCE,
        "/hazards/?status=overdue&sector=hazardous-chemicals",
    ),
    (
        "ledger: city, all, major, found in 2026",
        CITY,
        "/hazards/?status=all&level=major&found_from=2026-01-01",
    ),
    ("ledger: province, everything (first page)", PROVINCE, "/hazards/?status=all"),
]


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def summary(values_ms: list[float]) -> dict:
    return {
        "p50_ms": round(statistics.median(values_ms), 1),
        "p95_ms": round(percentile(values_ms, 0.95), 1),
        "min_ms": round(min(values_ms), 1),
        "max_ms": round(max(values_ms), 1),
        "n": len(values_ms),
    }


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_now_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


# --------------------------------------------------------------------------------------------------------
# In the child processes
# --------------------------------------------------------------------------------------------------------


def _setup() -> None:
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    import django

    django.setup()


def _timed_sql(statements: list[str], runs: int) -> list[float]:
    from django.db import connection

    times = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            started = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return times


DECLARE = re.compile(r'^DECLARE "[^"]+" NO SCROLL CURSOR WITH HOLD FOR ', re.S)


def _own_sql(client, url: str) -> list[str]:
    """The SQL statements one request of the page sends, as sent (cursor declarations unwrapped)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [DECLARE.sub("", query["sql"]) for query in captured.captured_queries]


def _raw_dashboard(prefix: str, today: datetime.date, now: datetime.datetime, review_days: int) -> tuple:
    """The dashboard's figures by hand-written SQL over the hazard table: the statements and a reader."""
    from django.conf import settings
    from django.db import connection

    from hazards.lib.calendar import local_midnight, months_back, quarter_start
    from hazards.selectors.dashboard import AGE_BUCKETS, TREND_MONTHS, _percent

    q = connection.ops.adapt_datefield_value
    tz = settings.TIME_ZONE
    y_start = months_back(today, TREND_MONTHS - 1)
    ages = []
    for key, _label, first, last in AGE_BUCKETS:
        condition = f"h.deadline <= '{today - datetime.timedelta(days=first)}'"
        if last is not None:
            condition += f" AND h.deadline >= '{today - datetime.timedelta(days=last)}'"
        ages.append(f"count(*) FILTER (WHERE h.status = 'open' AND {condition}) AS {key}")
    scope = f"r.code LIKE '{prefix}%%'"
    statements = [
        f"""SELECT r.code, h.sector_id,
               count(*) FILTER (WHERE h.status = 'open') AS n_open,
               count(*) FILTER (WHERE h.status = 'open' AND h.deadline < '{q(today)}') AS n_overdue,
               count(*) FILTER (WHERE h.status = 'open' AND h.level = 'major') AS n_major_open,
               count(*) FILTER (WHERE h.status = 'open' AND h.level = 'major'
                                AND h.deadline < '{q(today)}') AS n_major_overdue,
               {", ".join(ages)},
               count(l.id) AS n_listed
        FROM hazards_hazard h JOIN hazards_region r ON r.id = h.region_id
        LEFT JOIN hazards_supervisionlisting l ON l.hazard_id = h.id AND l.delisted_at IS NULL
        WHERE {scope} AND (h.status = 'open' OR l.id IS NOT NULL)
        GROUP BY r.code, h.sector_id""",  # nosec B608 # benchmark SQL from region codes and dates of its own database, no user input
        f"""SELECT date_trunc('month', h.found_at AT TIME ZONE '{tz}')::date AS month, count(*),
               count(*) FILTER (WHERE h.status = 'closed'), count(*) FILTER (WHERE h.status = 'void')
        FROM hazards_hazard h JOIN hazards_region r ON r.id = h.region_id
        WHERE {scope} AND h.found_at >= '{local_midnight(y_start).isoformat()}'
        GROUP BY 1""",  # nosec B608 # benchmark SQL from region codes and dates of its own database, no user input
        f"""SELECT date_trunc('month', h.closed_at AT TIME ZONE '{tz}')::date AS month, count(*),
               count(*) FILTER (WHERE (h.submitted_at AT TIME ZONE '{tz}')::date <= h.deadline)
        FROM hazards_hazard h JOIN hazards_region r ON r.id = h.region_id
        WHERE {scope} AND h.status = 'closed' AND h.closed_at >= '{local_midnight(y_start).isoformat()}'
        GROUP BY 1""",  # nosec B608 # benchmark SQL from region codes and dates of its own database, no user input
        f"""SELECT count(*) FROM hazards_hazard h JOIN hazards_region r ON r.id = h.region_id
        WHERE {scope} AND h.status = 'submitted'
          AND h.submitted_at < '{(now - datetime.timedelta(days=review_days)).isoformat()}'""",  # nosec B608 # benchmark SQL from region codes and dates of its own database, no user input
        f"""SELECT h.id, h.number, e.name, h.responsible_person, h.deadline
        FROM hazards_hazard h JOIN hazards_region r ON r.id = h.region_id
        JOIN hazards_enterprise e ON e.id = h.enterprise_id
        WHERE {scope} AND h.status = 'open' AND h.level = 'major' AND h.deadline < '{q(today)}'
        ORDER BY h.deadline, h.id LIMIT 10""",  # nosec B608 # benchmark SQL from region codes and dates of its own database, no user input
    ]
    statements = [sql.replace("%%", "%") for sql in statements]
    q_start = quarter_start(today)
    months = [months_back(today, back) for back in range(TREND_MONTHS - 1, -1, -1)]

    def figures() -> dict:
        with connection.cursor() as cursor:
            cursor.execute(statements[0])
            names = [column.name for column in cursor.description]
            groups = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            cursor.execute(statements[1])
            found = {row[0]: row[1:] for row in cursor.fetchall()}
            cursor.execute(statements[2])
            closed = {row[0]: row[1:] for row in cursor.fetchall()}
            cursor.execute(statements[3])
            review_late = cursor.fetchone()[0]
            cursor.execute(statements[4])
            oldest = [row[1] for row in cursor.fetchall()]
        total = {name: sum(g[name] for g in groups) for name in names[2:]}
        closed_quarter = sum(v[0] for month, v in closed.items() if month >= q_start)
        on_time = sum(v[1] for month, v in closed.items() if month >= q_start)
        return {
            "open": total["n_open"],
            "overdue": total["n_overdue"],
            "major_open": total["n_major_open"],
            "major_overdue": total["n_major_overdue"],
            "listed": total["n_listed"],
            "ages": [total[key] for key, *_rest in AGE_BUCKETS],
            "closed_quarter": closed_quarter,
            "on_time_rate": _percent(on_time, closed_quarter),
            "rectification_rate": _percent(
                sum(v[1] for v in found.values()), sum(v[0] - v[2] for v in found.values())
            ),
            "review_late": review_late,
            "trend_found": [found.get(month, (0,))[0] for month in months],
            "trend_closed": [closed.get(month, (0,))[0] for month in months],
            "oldest_major": oldest,
        }

    return statements, figures


def _page_figures(user, region) -> dict:
    """The same figures as the dashboard page computes them."""
    from hazards.selectors.dashboard import dashboard

    d = dashboard(user, region)
    h = d.headline
    return {
        "open": h["open"].value,
        "overdue": h["overdue"].value,
        "major_open": h["major_open"].value,
        "major_overdue": h["major_overdue"].value,
        "listed": h["listed"].value,
        "ages": [figure.value for figure in d.ages],
        "closed_quarter": h["closed_quarter"].value,
        "on_time_rate": h["on_time_rate"].value,
        "rectification_rate": h["rectification_rate"].value,
        "review_late": h["review_late"].value,
        "trend_found": d.trend["found"],
        "trend_closed": d.trend["closed"],
        "oldest_major": [row.number for row in d.oldest_major],
    }


def child_pages(args) -> dict:
    _setup()
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from hazards.models import Region, User

    results = []
    for name, code, url in PAGES:
        user = User.objects.get(username=f"sup-{code}")
        client = Client()
        client.force_login(user)
        for _ in range(args.warmup):
            assert client.get(url).status_code == 200
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        own = _own_sql(client, url)
        entry = {"name": name, "url": url, "user": user.username, "page": summary(times), "queries": len(own)}
        entry["own_sql"] = summary(_timed_sql(own, args.runs))
        entry["bytes"] = len(response.content)
        if url == "/dashboard/":
            region = Region.objects.get(code=code)
            statements, figures = _raw_dashboard(
                region.code_prefix, timezone.localdate(), timezone.now(), settings.NOTICES["review_days"]
            )
            raw, page = figures(), _page_figures(user, region)
            entry["figures_equal"] = raw == page
            entry["figures"] = page
            if raw != page:
                entry["raw_figures"] = raw
            entry["raw_sql"] = summary(_timed_sql(statements, args.runs))
        else:
            entry["raw_sql"] = summary(_timed_sql(_raw_ledger(own), args.runs))
        results.append(entry)
    return {"pages": results}


def _raw_ledger(own: list[str]) -> list[str]:
    """The ledger page's own count and page statements: the rows a hand-written ledger would read."""
    return [sql for sql in own if "hazards_hazard" in sql and ("COUNT(*)" in sql or "LIMIT 25" in sql)]


def child_export(args) -> dict:
    _setup()
    from django.db import connection
    from django.http import QueryDict
    from django.utils import translation

    from hazards.models import User
    from hazards.services.ledger import export_to_file

    user = User.objects.get(username=f"sup-{PROVINCE}")
    # The day from which about --rows hazards were found, so the export holds about that many rows.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (found_at AT TIME ZONE 'Asia/Shanghai')::date FROM hazards_hazard "
            "ORDER BY found_at DESC OFFSET %s LIMIT 1",
            [args.rows],
        )
        found_from = cursor.fetchone()[0] + datetime.timedelta(days=1)
    params = QueryDict(mutable=True)
    params.update({"status": "all", "found_from": found_from.isoformat()})
    progress_calls = []
    before = rss_now_mb()
    with tempfile.TemporaryDirectory() as folder, translation.override("zh-hans"):
        path = Path(folder) / "export.xlsx"
        started = time.perf_counter()
        rows = export_to_file(user, dict(params.lists()), "xlsx", path, lambda d, t: progress_calls.append(d))
        seconds = time.perf_counter() - started
        size = path.stat().st_size
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True).worksheets[0]
        first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True))
    return {
        "target_rows": args.rows,
        "rows": rows,
        "found_from": found_from.isoformat(),
        "seconds": round(seconds, 2),
        "file_mb": round(size / 2**20, 1),
        "rss_before_mb": round(before, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "growth_mb": round(peak_rss_mb() - before, 1),
        "progress_reports": len(progress_calls),
        "header": list(first)[:3],
    }


# --------------------------------------------------------------------------------------------------------
# In the parent
# --------------------------------------------------------------------------------------------------------


def spawn(url: str, *arguments: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, __file__, *arguments], env=env, capture_output=True, text=True, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if done.returncode or not lines:
        sys.exit(f"child {arguments} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
    return json.loads(lines[-1][len(RESULT_PREFIX) :])


def machine() -> dict:
    import django

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "platform": platform.platform(),
    }


def report(result: dict) -> None:
    print()
    print(
        "| page | p50 ms | p95 ms | queries | own SQL p50 / p95 ms | page ÷ own SQL (p95) "
        "| raw SQL p50 / p95 ms | page ÷ raw SQL (p95) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for page in result["pages"]:
        p, own, raw = page["page"], page["own_sql"], page["raw_sql"]
        print(
            f"| {page['name']} | {p['p50_ms']} | {p['p95_ms']} | {page['queries']} | "
            f"{own['p50_ms']} / {own['p95_ms']} | {p['p95_ms'] / own['p95_ms']:.2f} | "
            f"{raw['p50_ms']} / {raw['p95_ms']} | {p['p95_ms'] / raw['p95_ms']:.2f} |"
        )
    for page in result["pages"]:
        if "figures_equal" in page:
            print(
                f"{page['name']}: figures equal to the raw SQL's: {page['figures_equal']} {page['figures']}"
            )
            if not page["figures_equal"]:
                print(f"   raw SQL gave {page['raw_figures']}")
    print()
    print("| export rows | s | file MB | RSS before MB | peak RSS MB | growth MB |")
    print("| --- | --- | --- | --- | --- | --- |")
    for export in result["exports"]:
        print(
            f"| {export['rows']:,} | {export['seconds']} | {export['file_mb']} | {export['rss_before_mb']} | "
            f"{export['peak_rss_mb']} | {export['growth_mb']} |"
        )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--export-rows", default="25000,50000,100000")
    parser.add_argument("--no-export", action="store_true")
    parser.add_argument("--json", help="also write every figure to this file")
    parser.add_argument("--child", choices=["pages", "export"], help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = {"pages": child_pages, "export": child_export}[args.child](args)
        print(RESULT_PREFIX + json.dumps(result, default=str))
        return

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    print(f"pages x{args.runs} (after {args.warmup} warm-up requests) on {url}", flush=True)
    result = {
        "machine": machine(),
        **spawn(url, "--child", "pages", "--runs", str(args.runs), "--warmup", str(args.warmup)),
    }
    result["exports"] = []
    if not args.no_export:
        for rows in [int(value) for value in args.export_rows.split(",")]:
            print(f"export of about {rows:,} rows", flush=True)
            result["exports"].append(spawn(url, "--child", "export", "--rows", str(rows)))
    report(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main(sys.argv[1:])
