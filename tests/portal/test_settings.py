"""Settings come from the environment and fail loudly, naming the variable, on a bad value."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PORTAL_VARIABLES = (
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "ALLOWED_HOSTS",
    "EMAIL_PORT",
    "LOG_LEVEL",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_REFERRER_POLICY",
    "CSRF_TRUSTED_ORIGINS",
    "EVIDENCE_STORAGE",
    "DB_CONN_MAX_AGE",
    "DB_CONN_HEALTH_CHECKS",
    # Set in this process by the browser harness (Playwright's event loop); never in a deployment.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "EVIDENCE_ROOT",
    "EVIDENCE_DOWNLOAD_REDIRECT",
    "EVIDENCE_URL_EXPIRE_SECONDS",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME",
    "AWS_S3_ADDRESSING_STYLE",
    "AWS_LOCATION",
)
PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.TIME_ZONE, s.USE_TZ)"
)


def start(tmp_path, *, code: str = PRINT_SETTINGS, **environment) -> subprocess.CompletedProcess:
    """Load the portal's settings in a fresh interpreter with only the given portal variables set."""
    return run_python(tmp_path, ["-c", code], **environment)


def run_python(tmp_path, arguments: list[str], **environment) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in PORTAL_VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE="safety_portal.settings", VAR_DIR=str(tmp_path), **environment)
    return subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_with_nothing_set_it_runs_on_sqlite_and_a_file_system_broker_in_debug(tmp_path):
    result = start(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "django.db.backends.sqlite3",
        "filesystem://localhost//",
        "Asia/Shanghai",
        "True",
    ]
    assert (tmp_path / "celery" / "broker").is_dir()


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    result = start(tmp_path, DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_with_a_secret_key_starts(tmp_path):
    result = start(tmp_path, DEBUG="false", SECRET_KEY="x" * 60, ALLOWED_HOSTS="portal.example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "False"


def test_the_real_services_are_chosen_by_their_urls(tmp_path):
    result = start(
        tmp_path,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1:3] == ["django.db.backends.postgresql", "redis://127.0.0.1:6379/3"]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
        ("DATABASE_URL", "mysql://root@localhost/portal", "only postgres:// and sqlite://"),
        ("DATABASE_URL", "not a url", "DATABASE_URL='not a url' cannot be parsed"),
        ("DATABASE_URL", "postgres://localhost", "names no database"),
        ("CELERY_BROKER_URL", "amqp://guest@localhost//", "CELERY_BROKER_URL='amqp://guest@localhost//'"),
        ("EMAIL_PORT", "twenty-five", "EMAIL_PORT='twenty-five' is not an integer"),
        ("SECURE_HSTS_SECONDS", "-1", "SECURE_HSTS_SECONDS=-1 is below its minimum"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL='LOUD' is not one of"),
        (
            "SECURE_PROXY_SSL_HEADER",
            "X-Forwarded-Proto",
            "SECURE_PROXY_SSL_HEADER='X-Forwarded-Proto' is not",
        ),
        ("SECURE_PROXY_SSL_HEADER", "HTTP_X_FORWARDED_PROTO", "is not a header and its value"),
        ("SECURE_HSTS_PRELOAD", "sometimes", "SECURE_HSTS_PRELOAD='sometimes' is not a boolean"),
        ("SECURE_REFERRER_POLICY", "unsafe-url", "SECURE_REFERRER_POLICY='unsafe-url' is not one of"),
        ("DB_CONN_MAX_AGE", "-5", "DB_CONN_MAX_AGE=-5 is below its minimum"),
        ("DB_CONN_HEALTH_CHECKS", "sometimes", "DB_CONN_HEALTH_CHECKS='sometimes' is not a boolean"),
    ],
)
def test_a_bad_value_stops_the_start_naming_the_variable(tmp_path, variable, value, message):
    result = start(tmp_path, **{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3y-" + "0123456789abcdef" * 4,
    "ALLOWED_HOSTS": "portal.example.org",
}
PRINT_SECURITY = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
    "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.SECURE_PROXY_SSL_HEADER, "
    "s.SECURE_REFERRER_POLICY, s.X_FRAME_OPTIONS, s.CSRF_TRUSTED_ORIGINS, sep='|')"
)


def test_production_settings_pass_the_deployment_checks_at_the_warning_level(tmp_path):
    result = run_python(tmp_path, ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_checks_fail_when_hsts_is_turned_off(tmp_path):
    result = run_python(
        tmp_path,
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
        SECURE_HSTS_SECONDS="0",
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_production_turns_on_https_hsts_secure_cookies_and_trusts_the_proxy_header(tmp_path):
    result = start(
        tmp_path, code=PRINT_SECURITY, **PRODUCTION, CSRF_TRUSTED_ORIGINS="https://portal.example.org"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|") == [
        "True",
        "True",
        "True",
        "31536000",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO', 'https')",
        "same-origin",
        "DENY",
        "['https://portal.example.org']",
    ]


def test_each_https_switch_follows_its_variable(tmp_path):
    result = start(
        tmp_path,
        code=PRINT_SECURITY,
        **PRODUCTION,
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        SECURE_HSTS_PRELOAD="no",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_SCHEME, https",
        SECURE_REFERRER_POLICY="no-referrer",
    )
    assert result.returncode == 0, result.stderr
    values = result.stdout.strip().split("|")
    assert values[0] == "False"
    assert values[3:8] == ["600", "False", "False", "('HTTP_X_FORWARDED_SCHEME', 'https')", "no-referrer"]


def test_an_empty_proxy_header_trusts_no_header(tmp_path):
    result = start(tmp_path, code=PRINT_SECURITY, **PRODUCTION, SECURE_PROXY_SSL_HEADER="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|")[6] == "None"


def test_database_connections_are_kept_and_checked_before_reuse_unless_told_otherwise(tmp_path):
    show = (
        "import django; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    url = "postgres://postgres@127.0.0.1:5432/portal"
    env = {key: value for key, value in os.environ.items() if key not in PORTAL_VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE="safety_portal.settings", VAR_DIR=str(tmp_path), DATABASE_URL=url)

    def shown(**environment) -> list[str]:
        result = subprocess.run(
            [sys.executable, "-c", show], cwd=ROOT, env={**env, **environment}, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    assert shown() == ["60", "True"]
    assert shown(DB_CONN_MAX_AGE="0", DB_CONN_HEALTH_CHECKS="false") == ["0", "False"]
