"""Settings for the hazard rectification portal, read from environment variables.

With nothing set the portal runs on a SQLite file and a file-system Celery broker under `var/`, with a
development secret, so a newcomer can try it with one command. `DATABASE_URL` and `CELERY_BROKER_URL` switch
to PostgreSQL and Redis; with `DEBUG` off, `SECRET_KEY` is required and the deployment checks pass.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from hazards.lib.client_ip import FORWARDED_FOR, meta_key
from safety_portal.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_proxy_header,
    env_rate,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

# On by default so that a fresh clone runs; every deployment sets DEBUG=false.
DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-secret-never-used-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A refused form gets the portal's page in the user's language (templates/403_csrf.html), JSON under /api/.
CSRF_FAILURE_VIEW = "hazards.pages.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "hazards",
    "inspections",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hazards.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "safety_portal.urls"
WSGI_APPLICATION = "safety_portal.wsgi.application"
ASGI_APPLICATION = "safety_portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hazards.pages.context_processors.notices",
            ],
        },
    },
]


# Database connections: each web process keeps its connection for DB_CONN_MAX_AGE seconds (0: one per
# request), and checks it before a request reuses it, so that a restarted PostgreSQL costs only the requests
# in flight (docs/backup.md, "Resilience").
DB_CONN_MAX_AGE = env_int("DB_CONN_MAX_AGE", 60, minimum=0)
DB_CONN_HEALTH_CHECKS = env_bool("DB_CONN_HEALTH_CHECKS", default=True)


def _database(url: str) -> dict:
    try:
        config = dj_database_url.parse(
            url, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=DB_CONN_HEALTH_CHECKS
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL={url!r} cannot be parsed: {exc}") from None
    if config["ENGINE"] not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        raise ImproperlyConfigured(
            f"DATABASE_URL={url!r}: only postgres:// and sqlite:// databases are supported."
        )
    if not config["NAME"]:
        raise ImproperlyConfigured(f"DATABASE_URL={url!r} names no database.")
    return config


DATABASES = {"default": _database(env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "hazards.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The browser's language decides; Chinese when it asks for neither.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise looks here even while DEBUG serves from finders
# Front-end libraries come from npm (package.json); only their built files are served.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Evidence files live outside every web root and are served only through a view that checks scope.
EVIDENCE_ROOT = Path(env_str("EVIDENCE_ROOT", str(VAR_DIR / "evidence")))
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
# Django refuses a request body larger than this before any view sees it; leave room for the form fields.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Hazard rules: the default rectification time per level, and the clocks of the workflow.
HAZARD_DEADLINE_DAYS = {
    "general": env_int("HAZARD_DEADLINE_DAYS_GENERAL", 30, minimum=1),
    "major": env_int("HAZARD_DEADLINE_DAYS_MAJOR", 90, minimum=1),
}
LISTED_EXTENSION_NOTICE_WORKING_DAYS = env_int("LISTED_EXTENSION_NOTICE_WORKING_DAYS", 20, minimum=0)

# The notice ladder: who is told, and after how many days past the deadline (major or listed hazards sooner).
NOTICES = {
    "due_soon_days": env_int("NOTICE_DUE_SOON_DAYS", 3, minimum=0),
    "inspector_after_days": env_int("NOTICE_INSPECTOR_AFTER_DAYS", 3, minimum=0),
    "supervisor_after_days": env_int("NOTICE_SUPERVISOR_AFTER_DAYS", 7, minimum=0),
    "major_inspector_after_days": env_int("NOTICE_MAJOR_INSPECTOR_AFTER_DAYS", 1, minimum=0),
    "major_supervisor_after_days": env_int("NOTICE_MAJOR_SUPERVISOR_AFTER_DAYS", 3, minimum=0),
    "review_days": env_int("NOTICE_REVIEW_DAYS", 10, minimum=1),
    "extension_decision_working_days": env_int("NOTICE_EXTENSION_DECISION_WORKING_DAYS", 10, minimum=1),
    "acknowledge_hours": env_int("NOTICE_ACKNOWLEDGE_HOURS", 24, minimum=1),
    "sending_stuck_minutes": env_int("NOTICE_SENDING_STUCK_MINUTES", 15, minimum=1),
    "email_max_attempts": env_int("NOTICE_EMAIL_MAX_ATTEMPTS", 6, minimum=1),
    "email_retry_seconds": env_int("NOTICE_EMAIL_RETRY_SECONDS", 60, minimum=1),
}
# Links in emails point here.
PORTAL_URL = env_str("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")

# Email: the console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The API (/api/v1/): tokens for programs, the session for the portal's own pages; JSON and uploads.
REST_FRAMEWORK = {
    # Token first, so that an anonymous request is answered 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "hazards.api.pagination.PortalPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "hazards.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "hazards.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["hazards.api.throttling.WriteRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "write": env_rate("API_WRITE_RATE", "120/minute"),
        "login": env_rate("API_LOGIN_RATE", "10/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hazard rectification portal API",
    "DESCRIPTION": (
        "Hazard investigation and rectification (隐患排查治理): the register, the hazards and their "
        "workflow, evidence, inspections, notices and rankings, with the same rules and scope as the "
        "portal's pages. "
        "Authenticate with `Authorization: Token <key>` (POST /api/v1/auth/token/) or the portal's session. "
        "Every error has the body {detail, code, fields}."
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "HazardStatusEnum": "hazards.models.HazardStatus",
        "HazardLevelEnum": "hazards.models.HazardLevel",
        "HazardStateEnum": "hazards.models.HazardState",
        "RegionLevelEnum": "hazards.models.RegionLevel",
        "ExtensionStatusEnum": "hazards.models.ExtensionStatus",
        "InspectionKindEnum": "inspections.models.InspectionKind",
        "InspectionStatusEnum": "inspections.models.InspectionStatus",
    },
    # Swagger UI from the sidecar package: served by the portal, nothing from the internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Throttling counts in the cache: set CACHE_URL to a Redis database wherever several processes serve.
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL and CACHE_URL.split("://", 1)[0] not in ("redis", "rediss"):
    raise ImproperlyConfigured(f"CACHE_URL={CACHE_URL!r}: use redis://HOST:PORT/DB, or leave it unset.")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Celery: a file-system broker under var/ unless CELERY_BROKER_URL names Redis.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://localhost//")
_broker_scheme = CELERY_BROKER_URL.split("://", 1)[0]
if "://" not in CELERY_BROKER_URL or _broker_scheme not in ("filesystem", "redis", "rediss"):
    raise ImproperlyConfigured(
        f"CELERY_BROKER_URL={CELERY_BROKER_URL!r}: use redis://HOST:PORT/DB or filesystem://."
    )
if _broker_scheme == "filesystem":
    _broker_dir = VAR_DIR / "celery" / "broker"
    _broker_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
    }
CELERY_RESULT_BACKEND = env_str(
    "CELERY_RESULT_BACKEND",
    CELERY_BROKER_URL if _broker_scheme != "filesystem" else f"file://{VAR_DIR / 'celery' / 'results'}",
)
if CELERY_RESULT_BACKEND.startswith("file://"):
    Path(CELERY_RESULT_BACKEND.removeprefix("file://")).mkdir(parents=True, exist_ok=True)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360, minimum=1)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
# Every periodic task of the portal is defined here, and only here.
CELERY_BEAT_SCHEDULE = {
    "sweep-deadlines": {
        "task": "hazards.sweep_deadlines",
        "schedule": env_int("SWEEP_EVERY_SECONDS", 3600, minimum=10),
    },
    # The outbox: the notice deliveries and the background exports that the database holds as due and no
    # worker has, handed out every minute (and at once after the commit of what made them due).
    "drain-outbox": {"task": "hazards.drain_outbox", "schedule": 60},
    # Background exports past their expiry (a row's expires_at): their files deleted, their rows expired.
    "delete-expired-exports": {"task": "hazards.delete_expired_exports", "schedule": 3600},
    # The statistics of the quarter that ended, on the first day of each quarter at 01:00 (CELERY_TIMEZONE).
    "generate-quarterly-statistics": {
        "task": "hazards.generate_quarterly_statistics",
        "schedule": crontab(minute=0, hour=1, day_of_month=1, month_of_year="1,4,7,10"),
    },
    # The draft rankings of the quarter that ended, after its statistics (a supervisor publishes them).
    "compute-rankings": {
        "task": "hazards.compute_rankings",
        "schedule": crontab(minute=0, hour=2, day_of_month=1, month_of_year="1,4,7,10"),
    },
}
CELERY_TASK_REJECT_ON_WORKER_LOST = True

LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# ---- Production hardening: HTTPS behind the proxy, cookies, content security policy, evidence storage ----
# Each HTTPS switch is on when DEBUG is off and may be relaxed by its variable for a plain-HTTP trial.
SECURE_PROXY_SSL_HEADER = env_proxy_header("SECURE_PROXY_SSL_HEADER", "HTTP_X_FORWARDED_PROTO,https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = env_choice(
    "SECURE_REFERRER_POLICY",
    "same-origin",
    ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"],
)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# --- Login protection: lockouts (django-axes), the client's address, passwords, sessions ----------------
# After LOGIN_FAILURE_LIMIT wrong passwords for one account from one address, that account is refused from
# that address (pages and the API's token endpoint, 429) for LOGIN_COOLOFF_MINUTES after the last failure.
INSTALLED_APPS += ["safety_portal.apps.LoginProtectionConfig"]  # django-axes, named in Chinese
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as axes asks: it turns a lockout into its page
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account before its password is tried
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts while locked out are refused without counting, so the cool-off ends when it says it will.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "hazards.http.lockout_response"
AXES_CLIENT_IP_CALLABLE = "hazards.lib.client_ip.client_ip"
AXES_USERNAME_CALLABLE = "hazards.http.lockout_username"

# The client's address: the connection's, or a proxy's header; with proxies that append to X-Forwarded-For,
# how many of them are trusted (the API's throttles read the same, and DRF's NUM_PROXIES agrees).
CLIENT_IP_HEADER = meta_key(env_str("CLIENT_IP_HEADER", "REMOTE_ADDR"))
CLIENT_IP_PROXY_COUNT = env_int("CLIENT_IP_PROXY_COUNT", 0, minimum=0)
if CLIENT_IP_HEADER == FORWARDED_FOR and not CLIENT_IP_PROXY_COUNT:
    raise ImproperlyConfigured(
        "CLIENT_IP_HEADER=X-Forwarded-For needs CLIENT_IP_PROXY_COUNT: how many trusted proxies append to it."
    )
if CLIENT_IP_PROXY_COUNT and CLIENT_IP_HEADER not in ("REMOTE_ADDR", FORWARDED_FOR):
    raise ImproperlyConfigured(
        f"CLIENT_IP_PROXY_COUNT counts the proxies of X-Forwarded-For, not of {CLIENT_IP_HEADER}: "
        "set one of the two."
    )
REST_FRAMEWORK["NUM_PROXIES"] = CLIENT_IP_PROXY_COUNT

# Passwords: Django's checks, and the portal's rule of 12 characters with letters and digits, which takes the
# place of Django's length check (hazards/lib/passwords.py says why).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "hazards.lib.passwords.PasswordPolicyValidator", "OPTIONS": {"min_length": 12}},
]
# A session ends SESSION_COOKIE_AGE seconds after logging in (a working day), or when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
# Password reset emails: at most this many requests an hour from one address, and for one email address.
PASSWORD_RESET_LIMIT = env_int("PASSWORD_RESET_LIMIT", 5, minimum=1)

# Scripts and styles only from the portal's own static files: no inline script, no inline style, no CDN.
# Images may be data: or blob: URLs (the preview of photos before they are uploaded).
INSTALLED_APPS.append("csp")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware"
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Evidence files: a folder of this machine (EVIDENCE_ROOT), or a private S3-compatible bucket that every web
# and worker machine shares (django-storages). Either way a file is served only after the view's scope check.
EVIDENCE_STORAGE = env_choice("EVIDENCE_STORAGE", "filesystem", ["filesystem", "s3"])
# With S3: downloads answered with a redirect to a presigned URL valid this long, instead of streamed through
# the web process; thumbnails are always streamed (the pages' img-src allows only the portal itself).
EVIDENCE_DOWNLOAD_REDIRECT = env_bool("EVIDENCE_DOWNLOAD_REDIRECT", default=False)
EVIDENCE_URL_EXPIRE_SECONDS = env_int("EVIDENCE_URL_EXPIRE_SECONDS", 60, minimum=1)
if EVIDENCE_STORAGE == "s3":
    if not env_str("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("AWS_STORAGE_BUCKET_NAME must be set when EVIDENCE_STORAGE=s3.")
    # Credentials are read by boto3 itself: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or an instance role.
    STORAGES["evidence"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "addressing_style": env_choice("AWS_S3_ADDRESSING_STYLE", "auto", ["auto", "path", "virtual"]),
            "location": env_str("AWS_LOCATION", "evidence").strip("/"),
            "signature_version": "s3v4",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": EVIDENCE_URL_EXPIRE_SECONDS,
            "file_overwrite": False,
        },
    }
else:
    if EVIDENCE_DOWNLOAD_REDIRECT:
        raise ImproperlyConfigured("EVIDENCE_DOWNLOAD_REDIRECT=true needs EVIDENCE_STORAGE=s3.")
    STORAGES["evidence"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(EVIDENCE_ROOT), "base_url": None},
    }

# The load benchmark (bench/load_benchmark.py): a bare view at /bench/bare/ beside the portal's pages.
# Off by default and never on in a deployment.
BENCH_BARE_VIEW = env_bool("BENCH_BARE_VIEW", default=False)
if BENCH_BARE_VIEW:
    ROOT_URLCONF = "safety_portal.bench_urls"
