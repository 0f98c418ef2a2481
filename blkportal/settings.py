"""Settings for the BLK Komunitas portal.

One file; every deploy-specific value comes from the environment. Local defaults are safe and need
nothing installed: SQLite, and Celery tasks run eagerly when no broker is configured. With
DJANGO_ENV=production the portal refuses to start without a secret key and allowed hosts.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

# Known environments, case-insensitive; anything else is refused (a typo must not mean "development",
# which turns DEBUG on with the public development key).
DJANGO_ENVIRONMENTS = ("development", "test", "production")
DJANGO_ENV = env.str("DJANGO_ENV", default="development").strip().lower()
if DJANGO_ENV not in DJANGO_ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"DJANGO_ENV={env.str('DJANGO_ENV')!r} is not one of {', '.join(DJANGO_ENVIRONMENTS)} (case-insensitive)."
    )
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    # Fail fast: a production deploy without these is a misconfiguration, not a default.
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set (at least 50 characters) in production.")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set in production.")
    DEBUG = False
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-local-development-key-not-for-production-use")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
    DEBUG = env.bool("DJANGO_DEBUG", default=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for FORM_RENDERER
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "simple_history",
    "django_celery_beat",
    "csp",
    "blkportal.core",
    "blkportal.registry",
    "blkportal.api",
    "reporting",
    "incubator",
    "monitoring",
    "communication",
    # The project layer itself (management commands that wire every app, e.g. seed_demo).
    "blkportal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "blkportal.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "csp.middleware.CSPMiddleware",
    # Keep signed-in pages and the API out of caches (Cache-Control: no-store), and refuse NUL bytes
    # in path, query and form fields (400); both answers still get the CSP header.
    "blkportal.middleware.NoStoreMiddleware",
    "blkportal.middleware.RejectNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "blkportal.core.links.BaseUrlMiddleware",
    # Axes goes last so it sees the result of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "blkportal.urls"
WSGI_APPLICATION = "blkportal.wsgi.application"
# Django's form renderer with the project's Bootstrap field templates (blkportal/core/forms.py).
FORM_RENDERER = "blkportal.core.forms.PortalFormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "blkportal.registry.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Persistent connections: a new PostgreSQL connection per request costs more than most pages.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

# Read replica (docs/operations.md, "Read replica"): a PostgreSQL streaming replica of DATABASE_URL.
# Unset: one database and none of the routing below. Set: dashboards, rankings, exports and the API's
# lists read from it (blkportal/core/dbrouting.py); writes, transactions and a user's reads for
# DATABASE_REPLICA_PIN_SECONDS after their own writes use the primary; a replica that does not
# answer is left alone for DATABASE_REPLICA_RETRY_SECONDS, one more than DATABASE_REPLICA_MAX_LAG
# seconds behind is not read (lag probed at most every DATABASE_REPLICA_CHECK_SECONDS per process);
# an export waits up to DATABASE_REPLICA_EXPORT_WAIT seconds for the replica to catch up.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=15)
DATABASE_REPLICA_MAX_LAG = env.float("DATABASE_REPLICA_MAX_LAG", default=10.0)
DATABASE_REPLICA_CHECK_SECONDS = env.float("DATABASE_REPLICA_CHECK_SECONDS", default=2.0)
DATABASE_REPLICA_RETRY_SECONDS = env.float("DATABASE_REPLICA_RETRY_SECONDS", default=30.0)
DATABASE_REPLICA_EXPORT_WAIT = env.float("DATABASE_REPLICA_EXPORT_WAIT", default=30.0)
DATABASE_ROUTERS = []
if DATABASE_REPLICA_URL:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs a PostgreSQL DATABASE_URL (its streaming replica).")
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    if DATABASES["replica"]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must be a postgres:// URL (a streaming replica).")
    if DATABASE_REPLICA_PIN_SECONDS < DATABASE_REPLICA_MAX_LAG + DATABASE_REPLICA_CHECK_SECONDS:
        # Past the pin a writer reads the replica again; it must then hold their write.
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_PIN_SECONDS must be at least DATABASE_REPLICA_MAX_LAG + DATABASE_REPLICA_CHECK_SECONDS."
        )
    DATABASES["replica"].update(CONN_MAX_AGE=DATABASES["default"]["CONN_MAX_AGE"], CONN_HEALTH_CHECKS=True)
    # A replica that is down must cost a page seconds, not minutes, before the primary answers.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    # In tests the replica serves the test database made on the primary (streamed to it): Django
    # connects to the replica's server under the test database's name and never creates or flushes it.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["blkportal.core.dbrouting.PrimaryReplicaRouter"]
    # Outside the other middleware (after WhiteNoise), so it sees every write of the request.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
        "blkportal.core.dbrouting.ReadYourWritesMiddleware",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "registry.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The client's address. Behind N reverse proxies (each appending to X-Forwarded-For) the client is
# the N-th address from the right of that header; with 0 (the default) the header is ignored and
# REMOTE_ADDR is used, so a client cannot choose the address it is counted under.
PORTAL_TRUSTED_PROXY_COUNT = env.int("PORTAL_TRUSTED_PROXY_COUNT", default=0)

# django-axes: lock an account+address pair after repeated failures, for an hour; an attacker
# elsewhere cannot lock the account for everyone. One address failing on many accounts is stopped by
# a separate, higher per-address limit (blkportal.registry.lockout).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=30)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "blkportal.registry.lockout.PortalAxesHandler"
AXES_CLIENT_IP_CALLABLE = "blkportal.middleware.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Without this axes prints its "AXES: BEGIN version …" banner before every manage.py command.
AXES_VERBOSE = False

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
# Private files (evidence, exports) live outside any publicly served path; views stream them after
# checking scope.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private")))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Reporting rules (docs/architecture.md, "Calendar and clock"): the deadline is day N after the month's end
# at 23:59 centre-local time; edits close at the lock date, N days after the month's end.
REPORT_DEADLINE_DAY = env.int("REPORT_DEADLINE_DAY", default=10)
REPORT_LOCK_DAYS = env.int("REPORT_LOCK_DAYS", default=60)


# Monitoring start ("YYYY-MM"): the first month centres are expected to report. Nothing before it is
# expected, refreshed or rebuilt. In production the go-live month (required); locally the first month
# of the demo data (`seed_demo --months SEED_MONTHS` seeds from SEED_MONTHS months before this one).
def _demo_first_month() -> str:
    import datetime as _dt

    today = _dt.date.today()
    index = today.year * 12 + today.month - 1 - env.int("SEED_MONTHS", default=18)
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


MONITORING_FIRST_MONTH = env.str("MONITORING_FIRST_MONTH", default="" if PRODUCTION else _demo_first_month())
if PRODUCTION and not MONITORING_FIRST_MONTH:
    raise ImproperlyConfigured("MONITORING_FIRST_MONTH (YYYY-MM, the go-live month) must be set in production.")

# Keyed hash for NIK (UU 27/2022: no raw NIK stored). The key is a secret from the environment.
NIK_HASH_KEY = env.str("NIK_HASH_KEY", default="" if PRODUCTION else "local-development-nik-key")
if PRODUCTION and not NIK_HASH_KEY:
    raise ImproperlyConfigured("NIK_HASH_KEY must be set in production.")

# E-mail: console locally, SMTP from EMAIL_URL in production.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="BLK Komunitas <noreply@localhost>")
# Absolute links in e-mails. Unset: the host the portal is reached on (blkportal/core/links.py).
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="")

# Celery: Redis when REDIS_URL is set, otherwise tasks run eagerly in-process.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Static beat schedule; apps add their entries in blkportal/celery.py.
CELERY_BEAT_SCHEDULE = {}
# Failure handling (docs/operations.md "When a part fails"). Tasks are published from the outbox
# (blkportal/core/outbox.py), never from a request; nobody reads task results, so none are stored
# (a result store that is down would otherwise stall the caller with retries).
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The longest export may run EXPORT_TIME_LIMIT seconds; an unacknowledged task is delivered again
# after the visibility timeout, which must be longer (else a slow export would run twice at once).
EXPORT_TIME_LIMIT = env.int("EXPORT_TIME_LIMIT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * EXPORT_TIME_LIMIT),
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
}
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= EXPORT_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must be longer than EXPORT_TIME_LIMIT.")
# A running export whose worker wrote no heartbeat for this long is marked failed by the sweep.
EXPORT_HEARTBEAT_TIMEOUT = env.int("EXPORT_HEARTBEAT_TIMEOUT", default=120)
# Production refuses to serve (web and worker) while migrations are unapplied.
REFUSE_UNAPPLIED_MIGRATIONS = env.bool("REFUSE_UNAPPLIED_MIGRATIONS", default=PRODUCTION)
# /sehat/ answers 503 when a fact refresh (or another outbox task) has waited longer than this.
HEALTH_OUTBOX_MAX_AGE = env.int("HEALTH_OUTBOX_MAX_AGE", default=600)
# A keyed outbox task published this long ago and still pending is published again.
OUTBOX_REDISPATCH_SECONDS = env.int("OUTBOX_REDISPATCH_SECONDS", default=300)

if REDIS_URL:
    # Fails soft: with Redis down, pages are built from the database instead of answering 500.
    CACHES = {
        "default": {
            "BACKEND": "blkportal.core.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # axes logs every successful sign-in at INFO; lockouts and failures stay visible at WARNING.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Celery's English "Task … succeeded in …" line for every task run in-process.
        "celery.app.trace": {"level": "WARNING"},
    },
}

# Celery task modules outside the autodiscovered <app>/tasks.py (exports have their own module).
CELERY_IMPORTS = ["monitoring.tasks_exports"]

# REST API: personal tokens before sessions (so a 401 names the Bearer scheme), JSON only, errors in
# one shape, per-token throttling, lists filtered with the pages' FilterSets.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "blkportal.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["blkportal.api.permissions.ActionPerm"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["blkportal.api.parsers.StrictJSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["blkportal.core.api_filters.StableFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "blkportal.api.pagination.ApiPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["blkportal.api.throttling.PerTokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": env.str("API_THROTTLE_RATE", default="3000/hour")},
    "EXCEPTION_HANDLER": "blkportal.api.errors.exception_handler",
    # Throttling counts by the same client address as the login lockout.
    "NUM_PROXIES": PORTAL_TRUSTED_PROXY_COUNT,
}
# The OpenAPI schema and the Swagger UI are for signed-in users unless this opens them to anyone.
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=False)
SPECTACULAR_SETTINGS = {
    "TITLE": "BLK Komunitas API",
    "VERSION": "1.0.0",
    "DESCRIPTION": "API BLK Komunitas: data yang sama dengan halaman portal, dalam cakupan pengguna.",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "blkportal.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "reporting.models.Report.Status",
        "CorrectionStatusEnum": "reporting.models.CorrectionRequest.Status",
        "TenantStageEnum": "incubator.models.Stage",
        "ExportKindEnum": "monitoring.models.ExportKind",
        "EvidenceKindEnum": "reporting.models.EvidenceKind",
        "BantuanKindEnum": "incubator.models.BantuanKind",
    },
}

# Monitoring: MONITORING_FIRST_MONTH (the monitoring start) is declared with the reporting rules above.
# Seconds a rendered dashboard body is cached; unset means 600 with a shared cache (Redis) and 0
# with a per-process one (LocMem), where one process could not invalidate another's copy.
MONITORING_DASHBOARD_CACHE_SECONDS = env.int("MONITORING_DASHBOARD_CACHE_SECONDS", default=None)
# Hours a finished export file stays downloadable; the hourly beat task deletes it afterwards.
EXPORT_TTL_HOURS = env.int("EXPORT_TTL_HOURS", default=72)
# The benchmark's floor page (monitoring:bench_floor) is mounted only while `make bench` runs
# (bench/run.sh sets BENCH_FLOOR_PAGE=1), never in production.
BENCH_FLOOR_PAGE = env.bool("BENCH_FLOOR_PAGE", default=False)

# Exports: a user may have a few jobs in progress and request a bounded number per hour.
EXPORT_MAX_OPEN_JOBS = env.int("EXPORT_MAX_OPEN_JOBS", default=3)
EXPORT_MAX_PER_HOUR = env.int("EXPORT_MAX_PER_HOUR", default=20)
# Data rows per worksheet of an XLSX export: Excel's 1,048,576 rows less the header. A larger table is
# split over several sheets (by year where the rows have one); tests set a small value.
EXPORT_SHEET_MAX_ROWS = 1_048_575

# Content-Security-Policy (django-csp): scripts, styles, images and fonts from this site only; no
# inline scripts, event handlers or style attributes (templates use static/js and static/css).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
