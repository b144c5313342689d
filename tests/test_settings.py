"""Settings come from the environment and fail loudly, naming the variable, on a bad value."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
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
    "DB_CONN_MAX_AGE",
    "DB_CONN_HEALTH_CHECKS",
)
PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.TIME_ZONE, s.USE_TZ)"
)


def start(tmp_path, **environment) -> subprocess.CompletedProcess:
    """Load the portal's settings in a fresh interpreter with only the given portal variables set."""
    env = {key: value for key, value in os.environ.items() if key not in PORTAL_VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE="safety_portal.settings", VAR_DIR=str(tmp_path), **environment)
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
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
        ("DB_CONN_MAX_AGE", "-5", "DB_CONN_MAX_AGE=-5 is below its minimum"),
        ("DB_CONN_HEALTH_CHECKS", "sometimes", "DB_CONN_HEALTH_CHECKS='sometimes' is not a boolean"),
    ],
)
def test_a_bad_value_stops_the_start_naming_the_variable(tmp_path, variable, value, message):
    result = start(tmp_path, **{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


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
