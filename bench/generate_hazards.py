"""Generate a large, realistic population in a benchmark database for the deadline sweep benchmark.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \
        .venv/bin/python bench/generate_hazards.py --hazards 1000000 --overdue 50000

What it makes (every row satisfies the schema's NOT NULL and check constraints):

- Liaoning's regions (a province, 14 cities, 100 counties), through the demo's own `regions_seed`;
- `--enterprises` enterprises across the counties, with valid unified social credit codes;
- one enterprise user for `--enterprise-user-share` of them (a second one for a tenth of those), inspectors
  in every county and one supervisor per city and for the province;
- `--hazards` hazards, in the order they were found (so ids follow found_at, as in production):
  exactly `--overdue` open with a deadline 1 to `--overdue-days` days past and no notice yet (what became
  overdue since the last sweep), `--due-soon` open and due within NOTICES["due_soon_days"], 6 % open with a
  later deadline, `--submitted` awaiting review (submitted 0 to 14 days ago), 1 % void and the rest closed
  (closed_at set). About 3 % are major, each with a criterion from the seeded catalogue; a few hundred
  major ones are listed for supervision and some of those have an extension request waiting;
- the notice history of closed hazards (due-soon and overdue notices, read or acknowledged, with their sent
  deliveries), so the notice tables are not empty as they never are in production;
- the hazard counts behind the dashboards, recounted from the hazards (hazards.services.counts).

Rows are written with COPY (enterprises, users) and INSERT ... SELECT over generate_series (hazards,
listings, notices), then the tables are vacuumed and analysed. The database is created when missing and
migrated; everything the previous generation made is truncated first. It refuses a database whose name
does not contain "bench" (--allow-any-database to override), since it truncates the portal's tables.

The time the data were generated for is kept in the table bench_generation, so that
bench/sweep_benchmark.py sweeps "as of" that moment even on a later day.
"""

import argparse
import csv
import io
import json
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safety_portal.settings")

PROVINCE = "210000"  # 辽宁省, as in the demo
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"

TRADE_NAMES = ["安泰", "华盛", "恒达", "鑫源", "北方", "辽河", "渤海", "兴隆", "金山", "宏远", "瑞丰", "长青"]
SUFFIXES = ["有限公司", "化工有限公司", "机械制造有限公司", "建筑工程有限公司", "运输有限公司", "商业广场"]
SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN_NAMES = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇"]
# The portal's tables this script fills; TRUNCATE ... CASCADE also empties every table that refers to them
# (notices, deliveries, events, evidence, listings, inspections ...). Sectors and the criteria catalogue,
# installed by migrations, are kept.
RESET_TABLES = ["hazards_region", "hazards_enterprise", "hazards_user", "hazards_hazard"]
META_TABLE = "bench_generation"


def log(started: float, message: str) -> None:
    print(f"[{time.perf_counter() - started:7.1f} s] {message}", flush=True)


def database_name(url: str) -> str:
    import dj_database_url

    return dj_database_url.parse(url)["NAME"]


def ensure_database(url: str) -> bool:
    """Create the database when it does not exist; True when it was created."""
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
            if cursor.fetchone():
                return False
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
            return True
    finally:
        connection.close()


def copy_rows(cursor, table: str, columns: list[str], rows) -> int:
    """COPY rows (tuples) into table from an in-memory CSV; None is written as NULL."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    count = 0
    for row in rows:
        writer.writerow(["\\N" if value is None else value for value in row])
        count += 1
    buffer.seek(0)
    cursor.copy_expert(
        f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
        buffer,
    )
    return count


def organisation_code(serial: int) -> str:
    """Nine characters of the credit code's alphabet, distinct for every serial below 31**9."""
    from hazards.lib.credit_code import ALPHABET

    number = (serial * 7919 + 104_729) % 31**9  # 7919 is prime to 31: a bijection, looks scattered
    return "".join(ALPHABET[(number // 31**i) % 31] for i in range(9))


def make_enterprises(cursor, args, counties, sectors, now) -> int:
    from hazards.lib.credit_code import check_character

    colours = ["red"] * 1 + ["orange"] * 2 + ["yellow"] * 4 + ["blue"] * 3

    def rows():
        for index in range(args.enterprises):
            county = counties[index % len(counties)]
            first17 = f"91{county.code}{organisation_code(index)}"
            yield (
                f"{county.name}{TRADE_NAMES[index % len(TRADE_NAMES)]}"
                f"{SUFFIXES[(index // 7) % len(SUFFIXES)]}第{index // len(counties) + 1}分公司",
                first17 + check_character(first17),
                f"{county.name}安全路{index % 300 + 1}号",
                SURNAMES[index % 10] + GIVEN_NAMES[(index // 10) % 10],
                f"024-{20000000 + (index * 7717) % 69999999}",
                colours[index % len(colours)],
                "suspended" if index % 37 == 0 else "operating",
                now.isoformat(),
                now.isoformat(),
                county.pk,
                sectors[(index * 3) % len(sectors)],
            )

    return copy_rows(
        cursor,
        "hazards_enterprise",
        [
            "name",
            "credit_code",
            "address",
            "principal_name",
            "principal_phone",
            "risk_colour",
            "status",
            "created_at",
            "updated_at",
            "region_id",
            "sector_id",
        ],
        rows(),
    )


def make_users(cursor, args, regions, now) -> dict[str, int]:
    """Inspectors per county, a supervisor per city and for the province, enterprise users, one admin."""
    columns = [
        "password",
        "last_login",
        "is_superuser",
        "username",
        "first_name",
        "last_name",
        "email",
        "is_staff",
        "is_active",
        "date_joined",
        "role",
        "enterprise_id",
        "region_id",
        "language",
    ]
    joined = now.isoformat()
    unusable = "!bench-generated-no-login"  # Django treats a password starting with "!" as unusable
    counts = {"inspector": 0, "supervisor": 0, "enterprise": 0, "administrator": 1}
    serial = 0

    def user(username, role, *, email="", region=None, enterprise=None, active=True, staff=False):
        nonlocal serial
        serial += 1
        last, first = SURNAMES[serial % 10], GIVEN_NAMES[(serial // 10) % 10]
        flag = {True: "t", False: "f"}
        superuser = flag[role == "administrator"]
        return (
            *(unusable, None, superuser, username, first, last, email, flag[staff], flag[active], joined),
            *(role, enterprise, region, "zh-hans"),
        )

    def rows():
        yield user("bench-admin", "administrator", email="admin@bench.example", staff=True)
        for region in regions:
            if region.level == "county":
                for k in range(args.inspectors_per_county):
                    counts["inspector"] += 1
                    name = f"insp-{region.code}-{k}"
                    yield user(name, "inspector", email=f"{name}@bench.example", region=region.pk)
            else:  # a city or the province
                counts["supervisor"] += 1
                name = f"sup-{region.code}"
                yield user(name, "supervisor", email=f"{name}@bench.example", region=region.pk)
        cursor.execute("SELECT id FROM hazards_enterprise ORDER BY id")
        enterprise_ids = [row[0] for row in cursor.fetchall()]
        share, email_share = round(args.enterprise_user_share * 1000), round(args.email_share * 1000)
        for index, enterprise_id in enumerate(enterprise_ids):
            # A deterministic scatter decides who has users; a tenth of those have a second one.
            spread = (index * 389) % 1000
            if spread >= share:
                continue
            for suffix in ("", "-b") if spread % 10 == 0 else ("",):
                counts["enterprise"] += 1
                name = f"ent-{enterprise_id}{suffix}"
                has_email = (serial * 613) % 1000 < email_share
                yield user(
                    name,
                    "enterprise",
                    email=f"{name}@bench.example" if has_email else "",
                    enterprise=enterprise_id,
                    active=serial % 97 != 0,
                )

    copy_rows(cursor, "hazards_user", columns, rows())
    return counts


HAZARDS_SQL = """
CREATE TEMP TABLE bench_ent AS
SELECT (row_number() OVER (ORDER BY e.id) - 1)::int AS idx, e.id, e.region_id, e.sector_id,
       r.code AS region_code,
       (SELECT min(u.id) FROM hazards_user u
         WHERE u.enterprise_id = e.id AND u.role = 'enterprise') AS user_id,
       (SELECT array_agg(u.id ORDER BY u.id) FROM hazards_user u
         WHERE u.role = 'inspector' AND u.region_id = e.region_id) AS inspectors
FROM hazards_enterprise e JOIN hazards_region r ON r.id = e.region_id;
CREATE UNIQUE INDEX ON bench_ent (idx);
ANALYZE bench_ent;

SELECT setseed(%(seed)s);
CREATE TEMP TABLE bench_src AS
SELECT i,
       CASE WHEN i <= %(b_overdue)s THEN 'overdue' WHEN i <= %(b_due_soon)s THEN 'due_soon'
            WHEN i <= %(b_open)s THEN 'open' WHEN i <= %(b_submitted)s THEN 'submitted'
            WHEN i <= %(b_void)s THEN 'void' ELSE 'closed' END AS cat,
       floor(%(enterprises)s * power(random(), 1.6))::int AS ent_idx,
       random() < %(major_share)s AS major,
       random() AS r_source, random() AS r_a, random() AS r_b, random() AS r_c, random() AS r_d,
       random() AS r_e, random() AS r_f, random() AS r_g
FROM generate_series(1, %(hazards)s) AS g(i);

CREATE TEMP TABLE bench_dated AS
SELECT s.*, CASE WHEN s.major THEN %(major_days)s ELSE %(general_days)s END AS period,
       -- the deadline of the rows whose category fixes it, else NULL (computed from found_at below)
       CASE s.cat
         WHEN 'overdue' THEN %(today)s::date - (1 + floor(s.r_a * %(overdue_days)s))::int
         WHEN 'due_soon' THEN %(today)s::date + floor(s.r_a * (%(due_soon_days)s + 1))::int
         WHEN 'open' THEN %(today)s::date + %(due_soon_days)s + 1
              + floor(s.r_a * ((CASE WHEN s.major THEN %(major_days)s ELSE %(general_days)s END)
                               - %(due_soon_days)s - 3))::int
       END AS fixed_deadline
FROM bench_src s;

CREATE TEMP TABLE bench_rows AS
SELECT d.i, d.cat, d.major, d.r_b, d.r_c, d.r_d, d.r_e, d.r_f, d.r_g, d.period, d.r_source,
       e.id AS enterprise_id, e.region_id, e.sector_id, e.region_code, e.user_id, e.inspectors,
       CASE
         WHEN d.fixed_deadline IS NOT NULL THEN
           ((d.fixed_deadline - d.period)::timestamp + interval '8 hours' + d.r_b * interval '9 hours')
             AT TIME ZONE %(tz)s
         WHEN d.cat = 'submitted' THEN
           %(now)s::timestamptz - d.r_a * %(submitted_window)s * interval '1 day'
             - (1 + d.r_b * (d.period - 1)) * interval '1 day'
         ELSE %(now)s::timestamptz - (100 + d.r_a * 1000) * interval '1 day'
       END AS found_at,
       d.fixed_deadline
FROM bench_dated d JOIN bench_ent e ON e.idx = d.ent_idx;

CREATE TEMP TABLE bench_final AS
SELECT r.*,
       coalesce(r.fixed_deadline, (r.found_at AT TIME ZONE %(tz)s)::date + r.period) AS deadline,
       r.cat = 'closed' AND NOT r.major AND r.r_c < 0.08 AS fixed_on_spot,
       CASE WHEN r.r_source < 0.55 THEN 'government_inspection' WHEN r.r_source < 0.85 THEN 'self_inspection'
            WHEN r.r_source < 0.90 THEN 'report' ELSE 'special_campaign' END AS source
FROM bench_rows r;

INSERT INTO hazards_hazard (
    number, number_year, number_sequence, source, description, location, level, measures,
    original_deadline, deadline, found_at, responsible_person, fixed_on_spot, status,
    submitted_at, closed_at, reviewed_on_site_at, created_at, updated_at, criterion_id,
    enterprise_id, found_by_id, region_id, repeat_of_id, sector_id)
SELECT x.region_code || '-' || x.number_year || '-'
           || lpad(x.number_sequence::text, greatest(5, length(x.number_sequence::text)), '0'),
       x.number_year, x.number_sequence, x.source,
       CASE WHEN x.major THEN (%(major_findings)s::text[])[1 + x.i %% %(n_major_findings)s][1]
            ELSE (%(findings)s::text[])[1 + x.i %% %(n_findings)s][1] END,
       CASE WHEN x.major THEN (%(major_findings)s::text[])[1 + x.i %% %(n_major_findings)s][2]
            ELSE (%(findings)s::text[])[1 + x.i %% %(n_findings)s][2] END,
       CASE WHEN x.major THEN 'major' ELSE 'general' END,
       CASE WHEN x.major THEN (%(major_findings)s::text[])[1 + x.i %% %(n_major_findings)s][3]
            ELSE (%(findings)s::text[])[1 + x.i %% %(n_findings)s][3] END,
       -- one in twenty had its deadline extended once
       CASE WHEN x.r_e < 0.05 THEN x.deadline - 20 ELSE x.deadline END,
       x.deadline, x.found_at,
       (%(people)s::text[])[1 + (x.i * 7) %% %(n_people)s],
       x.fixed_on_spot,
       CASE x.cat WHEN 'overdue' THEN 'open' WHEN 'due_soon' THEN 'open' ELSE x.cat END,
       x.submitted_at, x.closed_at, NULL, x.found_at, coalesce(x.closed_at, x.submitted_at, x.found_at),
       CASE WHEN x.major THEN (%(clauses)s::bigint[])[1 + floor(x.r_f * %(n_clauses)s)::int] END,
       x.enterprise_id,
       CASE WHEN x.source = 'self_inspection' AND x.user_id IS NOT NULL THEN x.user_id
            ELSE x.inspectors[1 + floor(x.r_g * array_length(x.inspectors, 1))::int] END,
       x.region_id, NULL, x.sector_id
FROM (
    SELECT f.*,
           extract(year FROM f.found_at AT TIME ZONE %(tz)s)::int AS number_year,
           row_number() OVER (PARTITION BY f.region_id, extract(year FROM f.found_at AT TIME ZONE %(tz)s)
                              ORDER BY f.found_at, f.i)::int AS number_sequence,
           CASE WHEN f.cat = 'submitted' THEN f.found_at + (1 + f.r_b * (f.period - 1)) * interval '1 day'
                WHEN f.cat = 'closed' AND f.fixed_on_spot THEN f.found_at
                WHEN f.cat = 'closed' THEN f.found_at + (1 + f.r_d * (f.period - 1)) * interval '1 day'
           END AS submitted_at,
           CASE WHEN f.cat = 'closed' AND f.fixed_on_spot THEN f.found_at + interval '1 hour'
                WHEN f.cat = 'closed'
                  THEN f.found_at + (1 + f.r_d * (f.period - 1) + f.r_c * 5) * interval '1 day'
           END AS closed_at
    FROM bench_final f
) x
ORDER BY x.found_at, x.i;
"""

LISTINGS_SQL = """
INSERT INTO hazards_supervisionlisting (authority, listed_at, delisted_at, hazard_id, listed_by_id)
SELECT '辽宁省安全生产委员会办公室', h.found_at + interval '2 days',
       CASE WHEN h.status = 'closed' THEN h.closed_at END, h.id, %(province_supervisor)s
FROM hazards_hazard h
WHERE h.level = 'major' AND (h.id %% 7 = 0 OR h.status IN ('open', 'submitted') AND h.id %% 3 = 0)
  AND h.found_at + interval '2 days' <= coalesce(h.closed_at, %(now)s::timestamptz);

INSERT INTO hazards_extensionrequest (current_deadline, requested_deadline, reasons, requested_at, status,
    decided_at, decision_comment, decided_by_id, requested_by_id, hazard_id)
SELECT h.deadline, h.deadline + 30, '设备需厂家定制，到货约需一个月',
       %(now)s::timestamptz - interval '20 days', 'pending', NULL, '', NULL,
       coalesce((SELECT min(u.id) FROM hazards_user u WHERE u.enterprise_id = h.enterprise_id),
                h.found_by_id),
       h.id
FROM hazards_hazard h JOIN hazards_supervisionlisting l ON l.hazard_id = h.id AND l.delisted_at IS NULL
WHERE h.status IN ('open', 'submitted') AND h.id %% 2 = 0;
"""

# The notices closed hazards received in their time, all read or acknowledged, with sent deliveries.
HISTORY_SQL = """
CREATE TEMP TABLE bench_history AS
SELECT h.id AS hazard_id, u.id AS recipient_id, 'due_soon' AS kind, 0 AS step,
       ((h.deadline - 3)::timestamp + interval '9 hours') AT TIME ZONE %(tz)s AS created_at, false AS ack
FROM hazards_hazard h JOIN hazards_user u ON u.enterprise_id = h.enterprise_id AND u.role = 'enterprise'
WHERE h.status = 'closed' AND h.id %% 3 = 0 AND h.found_at < (h.deadline - 3)::timestamp
UNION ALL
SELECT h.id, u.id, 'overdue', 0, ((h.deadline + 1)::timestamp + interval '9 hours') AT TIME ZONE %(tz)s,
       h.level = 'major'
FROM hazards_hazard h JOIN hazards_user u ON u.enterprise_id = h.enterprise_id AND u.role = 'enterprise'
WHERE h.status = 'closed' AND h.id %% 10 = 0
UNION ALL
SELECT h.id, h.found_by_id, 'overdue', 1,
       ((h.deadline + 3)::timestamp + interval '9 hours') AT TIME ZONE %(tz)s, h.level = 'major'
FROM hazards_hazard h JOIN hazards_user u ON u.id = h.found_by_id AND u.role = 'inspector'
WHERE h.status = 'closed' AND h.id %% 10 = 0;

INSERT INTO hazards_notice (kind, step, created_at, read_at, requires_acknowledgement, acknowledged_at,
                            hazard_id, recipient_id)
SELECT kind, step, created_at, created_at + interval '3 hours', ack,
       CASE WHEN ack THEN created_at + interval '4 hours' END, hazard_id, recipient_id
FROM bench_history ORDER BY created_at;

INSERT INTO hazards_noticedelivery (channel, state, attempts, last_error, claimed_at, sent_at, notice_id)
SELECT c.channel, 'sent', CASE WHEN c.channel = 'email' THEN 1 ELSE 0 END, '',
       n.created_at, n.created_at, n.id
FROM hazards_notice n JOIN hazards_user u ON u.id = n.recipient_id
CROSS JOIN (VALUES ('in_app'), ('email')) AS c(channel)
WHERE c.channel = 'in_app' OR u.email <> ''
ORDER BY n.id, c.channel;
"""


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--overdue", type=int, default=50_000, help="open, past the deadline, never notified")
    parser.add_argument(
        "--overdue-days", type=int, default=30, help="overdue by 1 to this many days (all rungs)"
    )
    parser.add_argument("--due-soon", type=int, default=5_000, help="open and due within the notice window")
    parser.add_argument("--submitted", type=int, default=20_000, help="awaiting review, 0-14 days")
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--enterprise-user-share", type=float, default=0.75)
    parser.add_argument("--email-share", type=float, default=0.6, help="of enterprise users")
    parser.add_argument("--inspectors-per-county", type=int, default=3)
    parser.add_argument("--major-share", type=float, default=0.03)
    parser.add_argument("--no-history", action="store_true", help="no notice history for closed hazards")
    parser.add_argument("--seed", type=float, default=0.2260)
    parser.add_argument(
        "--if-missing",
        action="store_true",
        help="do nothing when the database already holds a generation with the same parameters",
    )
    parser.add_argument("--allow-any-database", action="store_true")
    args = parser.parse_args(argv)
    open_later = round(args.hazards * 0.06)
    void = round(args.hazards * 0.01)
    fixed = args.overdue + args.due_soon + open_later + args.submitted + void
    if fixed > args.hazards:
        parser.error(f"--hazards {args.hazards} is too small for the open, submitted and void ones ({fixed})")
    return args


PARAMETER_NAMES = [
    "hazards",
    "overdue",
    "overdue_days",
    "due_soon",
    "submitted",
    "enterprises",
    "enterprise_user_share",
    "email_share",
    "inspectors_per_county",
    "major_share",
    "no_history",
    "seed",
]


def existing_generation(cursor) -> dict | None:
    cursor.execute("SELECT to_regclass(%s)", [META_TABLE])
    if cursor.fetchone()[0] is None:
        return None
    cursor.execute(f"SELECT params FROM {META_TABLE} WHERE id = 1")  # nosec B608 # a constant table name
    row = cursor.fetchone()
    if not row:
        return None
    return json.loads(row[0]) if isinstance(row[0], str) else row[0]  # Django reads jsonb as text


def main(argv=None) -> None:
    args = parse_args(argv)
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    name = database_name(url)
    if "bench" not in name and not args.allow_any_database:
        sys.exit(
            f"Refusing to fill {name!r}: this script truncates the portal's tables; use a *bench* database."
        )
    started = time.perf_counter()
    if ensure_database(url):
        log(started, f"created database {name}")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from hazards.models import Clause, Region, RegionLevel, Sector
    from hazards.services.demo import regions_seed

    call_command("migrate", interactive=False, verbosity=0)
    log(started, f"database {name} migrated")
    params = {key: getattr(args, key) for key in PARAMETER_NAMES}
    with connection.cursor() as cursor:
        if args.if_missing and existing_generation(cursor) == params:
            print(f"{name} already holds this generation ({args.hazards} hazards); nothing to do.")
            return

    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate(now)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute(f"DROP TABLE IF EXISTS {META_TABLE}")
        cursor.execute(f"TRUNCATE {', '.join(RESET_TABLES)} RESTART IDENTITY CASCADE")
        log(started, "previous generation truncated")

        regions = regions_seed(PROVINCE)
        counties = [region for region in regions if region.level == RegionLevel.COUNTY]
        log(started, f"{len(regions)} regions ({len(counties)} counties)")

        sectors = list(Sector.objects.order_by("code").values_list("pk", flat=True))
        enterprises = make_enterprises(cursor, args, counties, sectors, now)
        log(started, f"{enterprises} enterprises (COPY)")
        users = make_users(cursor, args, regions, now)
        log(started, f"users (COPY): {users}")

        open_later = round(args.hazards * 0.06)
        void = round(args.hazards * 0.01)
        bounds = {}
        edge = 0
        for key, count in [
            ("b_overdue", args.overdue),
            ("b_due_soon", args.due_soon),
            ("b_open", open_later),
            ("b_submitted", args.submitted),
            ("b_void", void),
        ]:
            edge += count
            bounds[key] = edge
        from hazards.services.demo_hazards import FINDINGS, MAJOR_FINDINGS  # the demo's own findings

        sql_params = {
            **bounds,
            "seed": args.seed,
            "hazards": args.hazards,
            "enterprises": enterprises,
            "major_share": args.major_share,
            "major_days": settings.HAZARD_DEADLINE_DAYS["major"],
            "general_days": settings.HAZARD_DEADLINE_DAYS["general"],
            "today": today,
            "now": now,
            "tz": settings.TIME_ZONE,
            "overdue_days": args.overdue_days,
            "due_soon_days": settings.NOTICES["due_soon_days"],
            "submitted_window": 14,
            "findings": [list(finding) for finding in FINDINGS],
            "n_findings": len(FINDINGS),
            "major_findings": [list(finding) for finding in MAJOR_FINDINGS],
            "n_major_findings": len(MAJOR_FINDINGS),
            "people": [s + g for s in SURNAMES for g in GIVEN_NAMES],
            "n_people": len(SURNAMES) * len(GIVEN_NAMES),
            "clauses": list(Clause.objects.order_by("pk").values_list("pk", flat=True)),
        }
        sql_params["n_clauses"] = len(sql_params["clauses"])
        cursor.execute(HAZARDS_SQL, sql_params)
        cursor.execute("SELECT status, count(*) FROM hazards_hazard GROUP BY status ORDER BY status")
        by_status = dict(cursor.fetchall())
        log(started, f"{sum(by_status.values())} hazards (INSERT ... SELECT generate_series): {by_status}")

        province_supervisor = (
            Region.objects.get(code=PROVINCE).users.filter(role="supervisor").values_list("pk", flat=True)[0]
        )
        cursor.execute(LISTINGS_SQL, {**sql_params, "province_supervisor": province_supervisor})
        cursor.execute("SELECT count(*) FROM hazards_supervisionlisting")
        listings = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM hazards_extensionrequest")
        extensions = cursor.fetchone()[0]
        log(started, f"{listings} supervision listings, {extensions} extension requests waiting")

        if not args.no_history:
            cursor.execute(HISTORY_SQL, sql_params)
        cursor.execute("SELECT count(*), coalesce(max(id), 0) FROM hazards_notice")
        notices, notice_max = cursor.fetchone()
        cursor.execute("SELECT count(*), coalesce(max(id), 0) FROM hazards_noticedelivery")
        deliveries, delivery_max = cursor.fetchone()
        log(started, f"notice history: {notices} notices, {deliveries} deliveries")

        cursor.execute("SELECT count(*) FROM hazards_hazard WHERE status = 'open' AND deadline < %s", [today])
        overdue = cursor.fetchone()[0]
        assert overdue == args.overdue, f"{overdue} overdue hazards, expected {args.overdue}"
        cursor.execute(
            "SELECT count(*) FROM hazards_notice n JOIN hazards_hazard h ON h.id = n.hazard_id "
            "WHERE h.status = 'open' AND h.deadline < %s",
            [today],
        )
        assert cursor.fetchone()[0] == 0, "an overdue hazard already has a notice"

        counts = {
            "regions": len(regions),
            "enterprises": enterprises,
            "users": users,
            "hazards": by_status,
            "overdue": overdue,
            "listings": listings,
            "extensions_waiting": extensions,
            "history_notices": notices,
            "history_deliveries": deliveries,
        }
        cursor.execute(
            f"CREATE TABLE {META_TABLE} (id int PRIMARY KEY, generated_at timestamptz NOT NULL, "
            "params jsonb NOT NULL, counts jsonb NOT NULL, notice_max_id bigint NOT NULL, "
            "delivery_max_id bigint NOT NULL, seconds double precision)"
        )
        cursor.execute(
            f"INSERT INTO {META_TABLE} VALUES (1, %s, %s, %s, %s, %s, NULL)",  # nosec B608 # a constant table name
            [now, json.dumps(params), json.dumps(counts), notice_max, delivery_max],
        )
    log(started, "committed")

    from hazards.services.counts import counts_rebuild

    log(started, f"hazard counts rebuilt: {counts_rebuild()} rows (the dashboards read them)")

    connection.ensure_connection()
    previous_autocommit = connection.get_autocommit()
    connection.set_autocommit(True)
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("VACUUM (ANALYZE)")
        log(started, "VACUUM (ANALYZE) done")
        seconds = time.perf_counter() - started
        cursor.execute(f"UPDATE {META_TABLE} SET seconds = %s WHERE id = 1", [seconds])  # nosec B608 # a constant table name
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    connection.set_autocommit(previous_autocommit)
    print(
        f"Generated {args.hazards:,} hazards ({args.overdue:,} overdue, never notified) in {name} "
        f"as of {now.isoformat()} in {seconds:.1f} s; database size {size}."
    )


if __name__ == "__main__":
    main()
