"""The load benchmark's bare view exists only when BENCH_BARE_VIEW is on; its reading of wrk's output."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.portal.test_settings import PRODUCTION, run_python

ROOT = Path(__file__).resolve().parents[2]


def _load_benchmark_module():
    spec = importlib.util.spec_from_file_location("load_benchmark", ROOT / "bench" / "load_benchmark.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


load_benchmark = _load_benchmark_module()

WRK_OUTPUT = """\
Running 30s test @ http://127.0.0.1:41233
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    14.47ms    5.05ms 245.97ms   80.91%
    Req/Sec     1.11k   263.13     1.66k    71.00%
  Latency Distribution
     50%  813.00us
     75%   15.80ms
     90%   21.11ms
     99%    1.20s
  66542 requests in 30.02s, 24.83MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:   2216.58
Transfer/sec:    846.92KB
Non-200 responses: 9
"""

WRK_OUTPUT_CLEAN = """\
Running 5s test @ http://127.0.0.1:41233
  2 threads and 32 connections
  Latency Distribution
     50%  508.27ms
     75%  547.97ms
     90%  577.21ms
     99%  608.44ms
  313 requests in 5.02s, 3.11MB read
Requests/sec:     62.30
Transfer/sec:    634.48KB
"""


def settings_of(tmp_path, **environment) -> str:
    """The ROOT_URLCONF the portal's settings choose in a fresh interpreter with this environment."""
    env = {key: value for key, value in os.environ.items() if key != "BENCH_BARE_VIEW"}
    env.update(DJANGO_SETTINGS_MODULE="safety_portal.settings", VAR_DIR=str(tmp_path), **environment)
    done = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.ROOT_URLCONF)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_bare_view_is_not_reachable_with_the_setting_off(client, liaoning, settings, cast):
    assert settings.BENCH_BARE_VIEW is False
    assert client.get("/bench/bare/").status_code == 404
    client.force_login(cast.province_supervisor)
    assert client.get("/bench/bare/").status_code == 404


def test_the_bare_view_answers_from_the_bench_urlconf_beside_the_portal(client, liaoning, settings, cast):
    settings.ROOT_URLCONF = "safety_portal.bench_urls"
    response = client.get("/bench/bare/")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    client.force_login(cast.province_supervisor)
    assert client.get("/hazards/").status_code == 200


def test_the_setting_alone_mounts_the_bench_urlconf(tmp_path):
    assert settings_of(tmp_path) == "safety_portal.urls"
    assert settings_of(tmp_path, BENCH_BARE_VIEW="false") == "safety_portal.urls"
    assert settings_of(tmp_path, BENCH_BARE_VIEW="true") == "safety_portal.bench_urls"


def test_wrk_output_is_read_with_its_units_and_every_kind_of_error():
    result = load_benchmark.parse_wrk(WRK_OUTPUT)
    assert result.requests == 66542
    assert result.seconds == 30.02
    assert result.rps == 2216.58
    assert result.p50_ms == 0.81
    assert result.p75_ms == 15.8
    assert result.p90_ms == 21.11
    assert result.p99_ms == 1200.0
    assert result.socket_errors == 5
    assert result.non_2xx_3xx == 4
    assert result.non_200 == 9
    # The script's count of answers other than 200 includes the 4xx/5xx that wrk counts, and redirects.
    assert result.errors == 14


def test_wrk_output_without_errors_or_the_script_line():
    result = load_benchmark.parse_wrk(WRK_OUTPUT_CLEAN)
    assert (result.requests, result.rps, result.p50_ms, result.p99_ms) == (313, 62.3, 508.27, 608.44)
    assert (result.socket_errors, result.non_2xx_3xx, result.non_200) == (0, 0, None)
    assert result.errors == 0


def test_wrk_output_without_the_latency_distribution_is_refused():
    without = "\n".join(line for line in WRK_OUTPUT.splitlines() if "%  " not in line)
    with pytest.raises(ValueError, match="50"):
        load_benchmark.parse_wrk(without)


def test_the_deployment_checks_refuse_a_production_with_the_bare_view_on(tmp_path):
    """`make checks` runs them at the warning level: the bench setting left on fails it."""
    check = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    assert run_python(tmp_path, check, **PRODUCTION).returncode == 0
    result = run_python(tmp_path, check, **PRODUCTION, BENCH_BARE_VIEW="true")
    assert result.returncode != 0
    assert "hazards.W001" in result.stderr and "BENCH_BARE_VIEW is on" in result.stderr
