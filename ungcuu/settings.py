"""Ứng Cứu settings: one file, driven by the environment (STYLE §11).

SQLite is the embedded default; set DATABASE_URL for PostgreSQL. Every body name that has changed in
reorganisations (DOMAIN.md §k) is configurable here rather than written into code.
"""

import datetime
import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# --- Onboarding: a KEY=VALUE file of env defaults (issue 19), read before anything below -------------------
# A variable set in the real environment still wins; the set-up page's stored values win over both.
PROVINCE_ENV_FILE = Path(env("UNGCUU_PROVINCE_ENV_FILE", str(BASE_DIR / "var" / "province.env")))
if PROVINCE_ENV_FILE.is_file():
    for _line in PROVINCE_ENV_FILE.read_text(encoding="utf-8").splitlines():
        _key, _sep, _value = _line.partition("=")
        if _sep and not _line.lstrip().startswith("#"):
            os.environ.setdefault(_key.strip(), _value.strip())


DEBUG = env_bool("DEBUG", False)
# SECRET_KEY and the rest of the production hardening: see "Security baseline" at the end of this file.
# `testserver` is not listed: Django's test set-up adds it for the test client only.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tasks_db",
    "ungcuu.core",
    "ungcuu.accounts",
    "ungcuu.organizations",
    "ungcuu.systems",
    "ungcuu.incidents",
    "ungcuu.coordination",
    "ungcuu.evidence",
    "ungcuu.notifications",
    "ungcuu.preparedness",
    "ungcuu.obligations",
    "ungcuu.vulnerabilities",
    "ungcuu.advisories",
    "ungcuu.reports",
    "ungcuu.audit",
    "ungcuu.interop",
    "ungcuu.webhooks",
    "ungcuu.intel",
    "ungcuu.api",
    "ungcuu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ungcuu.core.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ungcuu.accounts.middleware.TwoFactorMiddleware",
    "ungcuu.core.middleware.NoStoreForSignedInMiddleware",
    "ungcuu.audit.middleware.AuditTrailMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A save that meets a busy database keeps the typed input (503 page) instead of a bare 500 (issue 11).
    "ungcuu.core.middleware.BusyDatabaseMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ungcuu.urls"
WSGI_APPLICATION = "ungcuu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ungcuu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "ungcuu.core.context_processors.platform",
                "ungcuu.federation.context_processors.instance",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
    )
}
# --- Serving and concurrency (issue 11: ops) -----------------------------------------------------------
# SQLite under several web processes, the worker and the scheduler (measured with bench/concurrency.py):
# - WAL lets readers run beside the one writer; synchronous=NORMAL is durable across process crashes in WAL.
# - transaction_mode IMMEDIATE takes the write lock when a transaction begins, where the busy timeout
#   applies. In the default DEFERRED mode a transaction that read first and then writes cannot wait for the
#   lock (SQLite answers "database is locked" at once to avoid a deadlock): that was the HTTP 500 in < 0.5 s.
# - timeout: seconds a writer waits for the lock (Python's busy handler) before giving up.
SQLITE_BUSY_TIMEOUT = int(env("SQLITE_BUSY_TIMEOUT", "20"))
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": SQLITE_BUSY_TIMEOUT,
    # cache_size: SQLite's default 2 MB page cache. Each connection lives one request (CONN_MAX_AGE 0), so a
    # bigger cache never outlives the request, and 20 MB per connection grew each web worker by 20 MiB per
    # thread that had run a list page (issue 18; no page measured slower at 100k: docs/performance.md).
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-2000",
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# PostgreSQL's JIT compiles a plan whose estimated cost passes jit_above_cost; the gate's OR of EXISTS makes
# those estimates large, and compiling cost 0.2-1.4 s per query for no gain (bench/explain.py at 100,000
# incidents: the capped count 1,962 ms with JIT, 542 ms without; docs/performance.md). PG_OPTIONS overrides.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = env("PG_OPTIONS", "-c jit=off")
# Production web server (`manage.py serve`, docs/deployment.md): gunicorn processes x threads.
WEB_WORKERS = int(env("WEB_WORKERS", "3"))
WEB_THREADS = int(env("WEB_THREADS", "4"))
WEB_TIMEOUT = int(env("WEB_TIMEOUT", "120"))  # seconds; the annual report's PDF is the slowest page
# Replace a web worker after about this many requests (0: never; a safety net, docs/deployment.md).
WEB_MAX_REQUESTS = int(env("WEB_MAX_REQUESTS", "0"))
# PDFs and charts are printed in a render process forked from one that preloaded WeasyPrint and matplotlib
# (ungcuu.core.apart), so a web worker keeps neither the libraries nor a long layout's heap (issue 18); a
# render child ends after RENDER_TASKS_PER_CHILD renders and gives its memory back. Off: in-process.
RENDER_APART = env_bool("UNGCUU_RENDER_APART", True)
RENDER_TASKS_PER_CHILD = int(env("UNGCUU_RENDER_TASKS_PER_CHILD", "1"))
RENDER_PRELOAD = ["ungcuu.reports.render.preload"]  # imported once by core.apart's fork server
RENDER_TIMEOUT = WEB_TIMEOUT
# Printed PDFs kept by the hash of their HTML (ungcuu.core.nd30.pdf): the same content is not laid out twice.
# UNGCUU_PDF_CACHE_DIR= (empty) turns it off.
_pdf_cache = env("UNGCUU_PDF_CACHE_DIR", str(BASE_DIR / "var" / "cache" / "pdf"))
PDF_CACHE_DIR = Path(_pdf_cache) if _pdf_cache else None
PDF_CACHE_FILES = int(env("UNGCUU_PDF_CACHE_FILES", "64"))
# /healthz: unhealthy when the oldest ready task or the scheduler's last heartbeat is older than this.
HEALTH_MAX_QUEUE_AGE = int(env("HEALTH_MAX_QUEUE_AGE", "600"))
HEALTH_MAX_HEARTBEAT_AGE = int(env("HEALTH_MAX_HEARTBEAT_AGE", "300"))
# A write that still meets a busy database after the busy timeout is retried this many times.
DB_BUSY_RETRIES = int(env("DB_BUSY_RETRIES", "2"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first; English is complete (source strings are English, Vietnamese lives in locale/).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One numeric date format in both languages, dd/mm/yyyy hh:mm (ungcuu/formats/ says why).
FORMAT_MODULE_PATH = ["ungcuu.formats"]
TIME_ZONE = env("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "ungcuu" / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Tests and `runserver` serve static files from the finders; no collectstatic needed there.
WHITENOISE_USE_FINDERS = True

# --- E-mail -------------------------------------------------------------------------------------------
# Django 6.1 MAILERS. The console backend is the default so `make run` never needs a mail server.
EMAIL_BACKEND_PATH = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
_SMTP_OPTIONS = {
    "host": env("EMAIL_HOST", "localhost"),
    "port": int(env("EMAIL_PORT", "25")),
    "username": env("EMAIL_HOST_USER"),
    "password": env("EMAIL_HOST_PASSWORD"),
    "use_tls": env_bool("EMAIL_USE_TLS"),
    "timeout": int(env("EMAIL_TIMEOUT", "15")),
}
EMAIL_SMTP_DEFAULTS = _SMTP_OPTIONS  # what core.platform falls back to for each SMTP field
# The default mailer is core.mail.PlatformMailBackend: it sends through the backend configured here unless
# the set-up page stored an SMTP server, which then wins (env default < set-up page, docs/deployment.md).
MAILERS = {
    "default": {
        "BACKEND": "ungcuu.core.mail.PlatformMailBackend",
        "OPTIONS": {
            "backend": EMAIL_BACKEND_PATH,
            "options": _SMTP_OPTIONS if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend") else {},
        },
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "ungcuu@localhost")

# Official subject prefix for incident notifications (form 03 note: [TBSC]); retry backoff in seconds.
NOTIFICATION_SUBJECT_PREFIX = env("UNGCUU_NOTIFICATION_SUBJECT_PREFIX", "[TBSC] ")
NOTIFICATION_RETRY_BACKOFF = [
    int(seconds) for seconds in env_list("UNGCUU_NOTIFICATION_RETRY_BACKOFF", "60,300,900,3600,21600")
]
# Language of the frame around each e-mail notification (greeting, link, how to answer); vi or en.
NOTIFICATION_EMAIL_LANGUAGE = env("UNGCUU_NOTIFICATION_EMAIL_LANGUAGE", "vi")

# --- E-mail intake (issue 16): one mailbox read over IMAP by the worker -------------------------------
# Empty MAIL_INTAKE_HOST = no mailbox (the periodic job does nothing). TLS: "ssl" (IMAPS, port 993),
# "starttls" (port 143 upgraded) or "none" (a server on the same machine only).
MAIL_INTAKE_HOST = env("UNGCUU_MAIL_INTAKE_HOST")
MAIL_INTAKE_PORT = int(env("UNGCUU_MAIL_INTAKE_PORT", "993"))
MAIL_INTAKE_USER = env("UNGCUU_MAIL_INTAKE_USER")
MAIL_INTAKE_PASSWORD = env("UNGCUU_MAIL_INTAKE_PASSWORD")
MAIL_INTAKE_FOLDER = env("UNGCUU_MAIL_INTAKE_FOLDER", "INBOX")
MAIL_INTAKE_TLS = env("UNGCUU_MAIL_INTAKE_TLS", "ssl")
MAIL_INTAKE_TIMEOUT = int(env("UNGCUU_MAIL_INTAKE_TIMEOUT", "30"))
MAIL_INTAKE_POLL_SECONDS = int(env("UNGCUU_MAIL_INTAKE_POLL_SECONDS", "60"))
# The address people write to; notifications name it in Reply-To so answers thread back in.
MAIL_INTAKE_ADDRESS = env("UNGCUU_MAIL_INTAKE_ADDRESS").strip().lower()
# Bigger messages are logged from their headers and never downloaded (evidence has its own limit too).
MAIL_INTAKE_MAX_BYTES = int(env("UNGCUU_MAIL_INTAKE_MAX_BYTES", str(25 * 1024 * 1024)))
# Messages read per poll (the rest wait for the next one), and accepted messages per sender per hour.
MAIL_INTAKE_BATCH = int(env("UNGCUU_MAIL_INTAKE_BATCH", "50"))
MAIL_INTAKE_PER_SENDER_PER_HOUR = int(env("UNGCUU_MAIL_INTAKE_PER_SENDER_PER_HOUR", "20"))
# The IMAP keyword set on a message once its row has committed (the mailbox's own "done" mark).
MAIL_INTAKE_DONE_KEYWORD = env("UNGCUU_MAIL_INTAKE_DONE_KEYWORD", "UngcuuProcessed")
# The inactive account received files are filed under (it can never sign in).
MAIL_INTAKE_ACCOUNT = env("UNGCUU_MAIL_INTAKE_ACCOUNT", "mail-intake")

# --- Webhooks out (issue 16): signed POSTs to organisations' endpoints, by the worker -------------------
WEBHOOK_TIMEOUT = float(env("UNGCUU_WEBHOOK_TIMEOUT", "10"))  # seconds per request
# Attempts per delivery, and the wait before attempt n+1: base × factor^(n−1), capped.
WEBHOOK_MAX_ATTEMPTS = int(env("UNGCUU_WEBHOOK_MAX_ATTEMPTS", "6"))
WEBHOOK_RETRY_BASE_SECONDS = int(env("UNGCUU_WEBHOOK_RETRY_BASE_SECONDS", "30"))
WEBHOOK_RETRY_FACTOR = int(env("UNGCUU_WEBHOOK_RETRY_FACTOR", "4"))
WEBHOOK_RETRY_MAX_SECONDS = int(env("UNGCUU_WEBHOOK_RETRY_MAX_SECONDS", str(6 * 3600)))
# Failed attempts in a row (across deliveries) after which a subscription switches itself off.
WEBHOOK_DISABLE_AFTER = int(env("UNGCUU_WEBHOOK_DISABLE_AFTER", "10"))
# How long a rotated-out secret keeps signing beside the new one.
WEBHOOK_SECRET_GRACE_HOURS = int(env("UNGCUU_WEBHOOK_SECRET_GRACE_HOURS", "24"))
WEBHOOK_SWEEP_SECONDS = int(env("UNGCUU_WEBHOOK_SWEEP_SECONDS", "60"))
# Plain http and private/loopback targets are refused unless allowed (a receiver on the same LAN).
WEBHOOK_ALLOW_HTTP = env_bool("UNGCUU_WEBHOOK_ALLOW_HTTP", False)
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("UNGCUU_WEBHOOK_ALLOW_PRIVATE_TARGETS", False)

# --- Background work (django.tasks) -------------------------------------------------------------------
# db: django-tasks-db, the embedded default (`make run` starts its worker); rq: django-tasks-rq on Redis;
# immediate: runs inline (tests).
TASKS_BACKEND = env("TASKS_BACKEND", "db")
_TASK_BACKENDS = {
    "db": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
    "immediate": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
}
TASKS = {"default": _TASK_BACKENDS[TASKS_BACKEND]}
RQ_QUEUES = {"default": {"URL": env("REDIS_URL", "redis://127.0.0.1:6379/0")}}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")

# --- Figures kept as snapshots (issue 18, reports.snapshots) -------------------------------------------
# Seconds a page may show kept figures before they are refreshed in the background (stale-while-revalidate;
# the page shows their time). 0: always count live, nothing kept.
UNGCUU_FIGURES_MAX_AGE = int(env("UNGCUU_FIGURES_MAX_AGE", "300"))

# --- Crash safety: stale tasks and abandoned deliveries (issue 11) ------------------------------------
# A task RUNNING longer than this is taken for lost even when its worker cannot be seen to be dead (a
# worker on another machine); jobs are idempotent, so a rare double run is the price of never losing one.
TASK_STALE_AFTER = datetime.timedelta(seconds=int(env("UNGCUU_TASK_STALE_AFTER", "3600")))
# How long a worker's claim on a notification lasts before another attempt may send it again.
NOTIFICATION_SENDING_LEASE = datetime.timedelta(seconds=int(env("UNGCUU_NOTIFICATION_SENDING_LEASE", "600")))

# --- Cache (rate limits of the public doors) ------------------------------------------------------------
# Local memory suits the single web process of `make run`; several web processes need a shared cache.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("CACHE_REDIS_URL")}
        if env("CACHE_REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
TRUSTED_PROXY_HEADER = env("TRUSTED_PROXY_HEADER")  # e.g. HTTP_X_FORWARDED_FOR behind nginx
PUBLIC_REPORT_LIMIT = int(env("UNGCUU_PUBLIC_REPORT_LIMIT", "5"))  # accepted public reports per IP per hour

# --- API ----------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ungcuu.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # A viewset's `filterset_class` filters its list; other actions take no query parameters.
    "DEFAULT_FILTER_BACKENDS": ["ungcuu.api.inputs.ListFilterBackend"],
    "EXCEPTION_HANDLER": "ungcuu.api.base.exception_handler",
    # Rates come from the sign-in block below (API_THROTTLE_RATES).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ứng Cứu API",
    "DESCRIPTION": "Provincial cybersecurity incident-response coordination network.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Self-hosted UI assets: the docs work with no Internet access.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two models have a `status` field; name their enums apart so the schema has no collision warning.
    "ENUM_NAME_OVERRIDES": {
        "CoordinationRequestStatusEnum": "ungcuu.coordination.models.Status",
        "IncidentStatusEnum": "ungcuu.incidents.models.Status",
        # The classify body's `override_severity` uses the same choices as an incident's `severity`.
        "IncidentSeverityEnum": "ungcuu.incidents.models.Incident.Severity",
        "PeriodicReportKindEnum": "ungcuu.reports.models.ReportKind",
        "EvidenceKindEnum": "ungcuu.evidence.models.Evidence.Kind",
        # An occurrence is proven by other kinds of evidence than an incident's evidence files.
        "OccurrenceEvidenceKindEnum": "ungcuu.obligations.models.EvidenceKind",
        "WebhookEventEnum": "ungcuu.webhooks.models.Event",
        # Preparedness through the API (issue 16): drills, plans and follow-ups each have their own words.
        "DrillKindEnum": "ungcuu.preparedness.models.DrillKind",
        "DrillStatusEnum": "ungcuu.preparedness.models.DrillStatus",
        "PlanStatusEnum": "ungcuu.preparedness.models.PlanStatus",
        "FindingSeverityEnum": "ungcuu.preparedness.models.FindingSeverity",
        "FollowUpStatusEnum": "ungcuu.preparedness.models.FollowUpStatus",
        # A periodic report's status, in its own rows and in the consolidation's form 05 list.
        "PeriodicReportStatusEnum": "ungcuu.reports.models.Status",
        # The inbound mail log's outcomes and reasons (issue 16) are the intake's; the names the answer's
        # outcome and a plan version's reason had before it came stay theirs.
        "InboundOutcomeEnum": "ungcuu.interop.models.InboundMessage.Outcome",
        "InboundReasonEnum": "ungcuu.interop.models.InboundMessage.Reason",
        "InboundDecisionEnum": "ungcuu.interop.models.InboundMessage.Decision",
        "DecisionEnum": "ungcuu.incidents.closing.Decision",
        "OutcomeEnum": "ungcuu.coordination.models.Outcome",
        "ReasonEnum": "ungcuu.preparedness.models.PlanVersion.Reason",
    },
}

# --- API contract (fuzz): declared query parameters, deep JSON, documented errors ----------------------
# Appended to the dicts above so this block stays one piece. Unknown or ill-typed query parameters are a
# 400 naming them; a JSON body nested past the recursion limit is a 400; every operation documents its
# 400/401/403/404/429 (and 409/415 for writes, 413 for uploads) in the schema the fuzz test holds it to.
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "ungcuu.api.schema.AutoSchema"
REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] = [
    "rest_framework.permissions.IsAuthenticated",
    "ungcuu.api.inputs.DeclaredQueryParameters",
    # Issue 16: a token's scopes (read / report / coordinate), then the POST's Idempotency-Key claim.
    "ungcuu.api.permissions.TokenScopes",
    "ungcuu.api.idempotency.IdempotentPosts",
]
# How long an Idempotency-Key and its first answer are kept (a retry after this is a new request).
API_IDEMPOTENCY_HOURS = int(env("UNGCUU_API_IDEMPOTENCY_HOURS", "24"))
# Settles each POST's Idempotency-Key claim with the rendered answer (ungcuu/api/idempotency.py).
MIDDLEWARE.append("ungcuu.api.idempotency.IdempotencyMiddleware")
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "ungcuu.api.inputs.JSONParser",
    "rest_framework.parsers.FormParser",
    "rest_framework.parsers.MultiPartParser",
]
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "ungcuu.api.schema.document_errors",
]

# --- Platform: names of the province and the bodies holding each role (DOMAIN.md §k) ----------------
PROVINCE_NAME = env("UNGCUU_PROVINCE_NAME", "Ninh Bình")
BODY_NAMES = {
    "PROVINCE_PC": env("UNGCUU_PROVINCE_PC_NAME", f"Ủy ban nhân dân tỉnh {PROVINCE_NAME}"),
    "SPECIALISED_UNIT": env("UNGCUU_SPECIALISED_UNIT_NAME", "Sở Khoa học và Công nghệ"),
    "PROV_STEERING": env(
        "UNGCUU_PROV_STEERING_NAME", "Ban Chỉ đạo ứng cứu sự cố an toàn thông tin mạng tỉnh"
    ),
    "NATIONAL_COORDINATOR": env(
        "UNGCUU_NATIONAL_COORDINATOR_NAME", "Trung tâm Ứng cứu khẩn cấp không gian mạng Việt Nam (VNCERT/CC)"
    ),
    "STANDING_AGENCY": env("UNGCUU_STANDING_AGENCY_NAME", "Bộ Công an (Cục A05)"),
    "MINISTRY": env("UNGCUU_MINISTRY_NAME", "Bộ Khoa học và Công nghệ"),
}

# --- The law's policy choices that DOMAIN.md marks [U] (issue 13) ---------------------------------------
# Severity criterion (ii), "the incident exceeds the operator's or owner's capacity", is unverified
# (DOMAIN.md §c): True = SERIOUS needs it as well as criterion (i); False = criterion (i) alone suffices.
SEVERITY_REQUIRES_CAPACITY = env_bool("UNGCUU_SEVERITY_REQUIRES_CAPACITY", True)
# DOMAIN.md §g, CT18: a live-fire drill "at least once a year": "rolling" = within the last 12 months,
# "calendar" = within the calendar year (the obligation's occurrences are calendar years either way).
DRILL_YEAR_RULE = env("UNGCUU_DRILL_YEAR_RULE", "rolling")
# DOMAIN.md §g duties the law gives no interval ("continuous", "periodic"): how often the province checks.
OBLIGATION_REVIEW_MONTHS = {
    "RISK_ASSESSMENT": 12,
    "POLICE_ISP_INSPECTION": 12,
    "REGULATION_REVIEW": 12,
    "PUBLISH_CONTACT_24x7": 12,
}

# Incident reference numbers look like NB-2026-000123; the prefix is the province's choice.
INCIDENT_REFERENCE_PREFIX = env("UNGCUU_REFERENCE_PREFIX", "NB")
# The public 24/7 intake contact shown to citizens on the public report page (DOMAIN.md §g).
INTAKE_PHONE = env("UNGCUU_INTAKE_PHONE")
INTAKE_EMAIL = env("UNGCUU_INTAKE_EMAIL")
# These names, the prefix, the contact and the mail settings are defaults: the set-up page's values win
# (read through core.platform.current() and core.bodies; docs/deployment.md "Settings precedence").

# Hours a recipient has to answer a coordination request, per kind (VNCERT practice: takedown in 24 h).
COORDINATION_DEFAULT_HOURS = {
    "isp_takedown": 24,
    "isp_block": 24,
    "isp_preserve_logs": 48,
    "police_referral": 72,
    "other": 72,
}

# Evidence uploads: size limit and accepted file types (malware samples only as protected archives).
EVIDENCE_MAX_BYTES = int(env("EVIDENCE_MAX_BYTES", str(50 * 1024 * 1024)))
EVIDENCE_ALLOWED_EXTENSIONS = env_list(
    "EVIDENCE_ALLOWED_EXTENSIONS", "log,txt,csv,json,evtx,pcap,pcapng,png,jpg,jpeg,pdf,zip,7z,rar,eml,gz"
)

# Vulnerability scans: upload size limit, remediation days by severity, longest risk acceptance.
SCAN_MAX_BYTES = int(env("SCAN_MAX_BYTES", str(50 * 1024 * 1024)))
FINDING_DUE_DAYS = {"critical": 7, "high": 30, "medium": 90, "low": 180}
FINDING_MAX_RISK_DAYS = int(env("FINDING_MAX_RISK_DAYS", "365"))

# Folder of .docx templates that replace the built-in official forms of the same name (optional).
REPORT_TEMPLATE_DIR = env("UNGCUU_REPORT_TEMPLATE_DIR") or None

# --- Client IP and the public door's acknowledgements (issue 10: exports, client IP, leak 8) ---------------
# How many reverse proxies stand in front of the application, each appending to TRUSTED_PROXY_HEADER
# (X-Forwarded-For by default). 0: REMOTE_ADDR only, the header is ignored. A deployment that only set
# TRUSTED_PROXY_HEADER had one proxy, so that stays the default then. See ungcuu/core/clientip.py.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "1" if TRUSTED_PROXY_HEADER else "0"))
# Optional addresses or networks of those proxies: the header is read only on requests coming from them.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    ipaddress.ip_network(_proxy, strict=False)  # a typo fails at start-up, not on every request
# Acknowledgements of receipt a public (no-account) report sends to one e-mail address per day.
PUBLIC_ACK_LIMIT = int(env("UNGCUU_PUBLIC_ACK_LIMIT", "3"))

# --- Sign-in: two-factor, lockout, API tokens (issue 10) ----------------------------------------------
# Two-factor sign-in (django-otp). Coordinators, national users and superusers must use it when this is
# on; everyone else may turn it on in their profile. Turning it off is for a local demo only.
TWO_FACTOR_REQUIRED = env_bool("UNGCUU_TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = env("UNGCUU_OTP_ISSUER", "Ứng Cứu")
TWO_FACTOR_RECOVERY_CODES = 10
# django-axes locks a username from one address after AXES_FAILURE_LIMIT wrong passwords, for
# AXES_COOLOFF_HOURS; web login, admin login and the API token door all authenticate through it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ungcuu.accounts.lockout.lockout_response"
# One notion of "the client's address" for rate limits and lockouts (see core.clientip.client_ip).
AXES_CLIENT_IP_CALLABLE = "ungcuu.accounts.lockout.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
# "Forgot password" requests per address per hour (each one may send an e-mail).
PASSWORD_RESET_LIMIT = int(env("UNGCUU_PASSWORD_RESET_LIMIT", "5"))
# DRF throttles: requests per client without an account / per signed-in user / to the token door.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "anon": env("UNGCUU_API_ANON_RATE", "60/minute"),
    "user": env("UNGCUU_API_USER_RATE", "3000/hour"),
    "token": env("UNGCUU_API_TOKEN_RATE", "10/minute"),
}
# API tokens: lifetime offered by default and the longest a person may choose.
API_TOKEN_DEFAULT_DAYS = int(env("UNGCUU_API_TOKEN_DEFAULT_DAYS", "90"))
API_TOKEN_MAX_DAYS = int(env("UNGCUU_API_TOKEN_MAX_DAYS", "365"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# --- Security baseline (issue 10): secret key, transport, cookies, sessions, CSP ----------------------
# Two ways to run. Production is the default and needs SECRET_KEY and ALLOWED_HOSTS from the environment.
# The local demo/development mode is explicit: UNGCUU_DEMO=1, which `make run`, `make demo` and
# `make check` set, as does the test suite (ungcuu/testenv.py). In that mode (or with DEBUG) the key is a
# random one kept in var/secret_key, so no key published in the repository ever signs a session, and
# plain http://127.0.0.1 works (no Secure cookies, no HTTPS redirect). A server that forgot SECRET_KEY
# refuses to start instead of running on a guessable key.
DEMO = env_bool("UNGCUU_DEMO")
# Keys that have been in this repository: a deployment that copied one of them is refused.
PUBLISHED_SECRET_KEYS = {"dev-only-insecure-key-change-me"}


def _local_secret_key(folder: Path) -> str:
    """The random key of this checkout, created on first use (readable by its owner only)."""
    path = folder / "secret_key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY") or (_local_secret_key(BASE_DIR / "var") if DEMO or DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. In production, set SECRET_KEY to a long random value (for example the "
        "output of `python -c 'import secrets; print(secrets.token_urlsafe(50))'`). For a local demo or "
        "development machine, set UNGCUU_DEMO=1 (`make run` does) to use a random key kept in var/."
    )
if SECRET_KEY in PUBLISHED_SECRET_KEYS and not DEBUG:
    raise ImproperlyConfigured(
        "SECRET_KEY is the development key published in the repository; set a random SECRET_KEY."
    )

_PRODUCTION = not (DEMO or DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("UNGCUU_SECURE_COOKIES", _PRODUCTION)
SESSION_COOKIE_HTTPONLY = True
# Signed-in sessions end after a working day (and the cookie dies with the browser unless told otherwise).
SESSION_COOKIE_AGE = int(float(env("UNGCUU_SESSION_HOURS", "8")) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("UNGCUU_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SECURE_SSL_REDIRECT = env_bool("UNGCUU_SSL_REDIRECT", _PRODUCTION)
# Behind a TLS-terminating proxy (nginx), e.g. "HTTP_X_FORWARDED_PROTO" : the proxy must overwrite it.
if env("UNGCUU_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (env("UNGCUU_PROXY_SSL_HEADER"), "https")
SECURE_HSTS_SECONDS = int(env("UNGCUU_HSTS_SECONDS", "31536000" if _PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("UNGCUU_HSTS_INCLUDE_SUBDOMAINS", True)
# "preload" only takes effect once the registrable domain is submitted to the browsers' list.
SECURE_HSTS_PRELOAD = env_bool("UNGCUU_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script, event handler or style attribute anywhere: behaviour lives in static/js/app.js, looks
# in static/css/app.css. data: images are the report charts embedded in the statistics pages.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    # The document preview's paper rules are one <style> element carrying the request's nonce.
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- Onboarding: import/export of the registry, first-run set-up (issue 19) ---------------------------
INSTALLED_APPS.append("ungcuu.onboarding")
# Rows one import page may take: the dry run goes through the same services as the UI, row by row
# (measured ~250 rows/s on a busy 2-core machine, README), and must end within WEB_TIMEOUT; bigger files
# go through `manage.py import_registry`, which has no limit.
IMPORT_MAX_ROWS = int(env("UNGCUU_IMPORT_MAX_ROWS", "10000"))
IMPORT_MAX_BYTES = int(env("UNGCUU_IMPORT_MAX_BYTES", str(30 * 1024 * 1024)))

# --- Monitoring alerts (issue 16, part 3): POST /api/v1/alerts/, grouped by key (docs/integrations.md) ---
INSTALLED_APPS.append("ungcuu.alerts")
# One request: at most this many alerts and bytes (more is 413; a client splits its batch).
ALERTS_MAX_ITEMS = int(env("UNGCUU_ALERTS_MAX_ITEMS", "50000"))
ALERTS_MAX_BYTES = int(env("UNGCUU_ALERTS_MAX_BYTES", str(32 * 1024 * 1024)))
# Refused alerts listed in one answer (the count is always exact).
ALERTS_MAX_ERRORS_LISTED = int(env("UNGCUU_ALERTS_MAX_ERRORS_LISTED", "1000"))
# Detection times accepted: not older than this many days, not later than the clock plus this skew.
ALERTS_MAX_AGE_DAYS = int(env("UNGCUU_ALERTS_MAX_AGE_DAYS", "90"))
ALERTS_CLOCK_SKEW_MINUTES = int(env("UNGCUU_ALERTS_CLOCK_SKEW_MINUTES", "10"))
# The automatic promotion rule, off by default (a person decides): an open group is promoted once its
# severity reaches this level (info/low/medium/high/critical) or its counter reaches this number.
ALERTS_AUTO_PROMOTE_SEVERITY = env("UNGCUU_ALERTS_AUTO_PROMOTE_SEVERITY", "")
ALERTS_AUTO_PROMOTE_COUNT = int(env("UNGCUU_ALERTS_AUTO_PROMOTE_COUNT", "0"))
ALERTS_RULE_ACCOUNT = env("UNGCUU_ALERTS_RULE_ACCOUNT", "alert-rule")
# Batches per sender (each up to ALERTS_MAX_ITEMS alerts), apart from the API's general per-user rate.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],  # type: ignore[dict-item]
    "alerts": env("UNGCUU_API_ALERTS_RATE", "600/minute"),
}
# --- Federation: province → national and back (issue 17) ----------------------------------------------
INSTALLED_APPS.append("ungcuu.federation")
# The same codebase serves a province or the national coordinator; the setting switches which pages and
# which inbound messages exist (README "Federation set-up").
FEDERATION_INSTANCE = env("UNGCUU_INSTANCE", "province")
if FEDERATION_INSTANCE not in {"province", "national"}:
    raise ImproperlyConfigured("UNGCUU_INSTANCE must be 'province' or 'national'.")
# This instance's code in the federation: the province's own (its reference prefix by default) or the
# national instance's.
FEDERATION_CODE = env(
    "UNGCUU_FEDERATION_CODE", INCIDENT_REFERENCE_PREFIX if FEDERATION_INSTANCE == "province" else "VN"
)
# A province's one peer: the national instance's address, code and the secret both sign with. Empty URL:
# nothing is forwarded (and no query is made when a timeline entry is written).
FEDERATION_NATIONAL_URL = env("UNGCUU_FEDERATION_NATIONAL_URL")
FEDERATION_NATIONAL_CODE = env("UNGCUU_FEDERATION_NATIONAL_CODE", "VN")
FEDERATION_NATIONAL_NAME = env("UNGCUU_FEDERATION_NATIONAL_NAME", "Hệ thống quốc gia")
FEDERATION_SECRET = env("UNGCUU_FEDERATION_SECRET")
# Seconds between attempts after each failure; the last one repeats for ever (a national instance down
# for a day loses nothing: the message waits in the outbox).
FEDERATION_RETRY_BACKOFF = env("UNGCUU_FEDERATION_RETRY_BACKOFF", "5,30,120,600,1800")
FEDERATION_TIMEOUT = float(env("UNGCUU_FEDERATION_TIMEOUT", "15"))
# A signed request older or newer than this (seconds) is refused: a captured request cannot be replayed
# later (and one replayed within it is answered from the inbox, never applied twice).
FEDERATION_MAX_SKEW = int(env("UNGCUU_FEDERATION_MAX_SKEW", "300"))
FEDERATION_MAX_BYTES = int(env("UNGCUU_FEDERATION_MAX_BYTES", str(20 * 1024 * 1024)))
# Evidence shared with the national instance travels inside the message (base64); larger files are refused.
FEDERATION_EVIDENCE_MAX_BYTES = int(env("UNGCUU_FEDERATION_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
FEDERATION_SWEEP_SECONDS = int(env("UNGCUU_FEDERATION_SWEEP_SECONDS", "30"))
# Threat-intelligence imports (STIX bundles, MISP events; issue 17): larger files are refused with 413 and
# a message saying to split them. Measured (bench/intel_import.py, shared 2-core machine, load average
# 10-14): since plain indicators are read without stix2's object model (intel/fast.py), 20,000 indicators
# import in 10.7 s on SQLite and 13.8 s on PostgreSQL (parse 1.5-2.5 s), against 60.0 s and 151.3 s
# before; WEB_TIMEOUT (120 s) leaves a wide margin. 20 MiB holds about 60,000 such indicators.
INTEL_IMPORT_MAX_BYTES = int(env("UNGCUU_INTEL_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
INTEL_IMPORT_MAX_OBJECTS = int(env("UNGCUU_INTEL_IMPORT_MAX_OBJECTS", "20000"))
# TAXII 2.1 (/taxii2/): objects per page when the client gives no `limit`, and the most it may ask for.
TAXII_PAGE_SIZE = int(env("UNGCUU_TAXII_PAGE_SIZE", "100"))
TAXII_MAX_PAGE_SIZE = int(env("UNGCUU_TAXII_MAX_PAGE_SIZE", "1000"))
