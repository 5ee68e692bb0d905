"""Chancery settings. The environment is read here and nowhere else.

Environment variables:
    DATABASE_URL      default: SQLite file var/chancery.sqlite3 in the project
    SECRET_KEY        required when DEBUG is off
    DEBUG             "1"/"true"/"yes"/"on" to enable; anything else, empty or unset is off
                      (`make run` sets DEBUG=1 for the developer's server)
    ALLOWED_HOSTS     comma-separated (default: localhost names)
    GRAPHQL_INTROSPECTION  "0" to switch introspection off (default on)
    CORS_ALLOWED_ORIGINS   comma-separated origins allowed to call /graphql/ and /export/ (default: none)
    GRAPHQL_RESPONSE_CACHE  "0" to answer every query afresh (default on: core/responsecache.py)
    HISTORY_PUBLIC_NAMES   how revision authors are named to anonymous clients: name
                      (default: full name, else "editor"), editor, or username
    BEHIND_PROXY      "1" when a TLS-terminating proxy sets X-Forwarded-Proto in front of the
                      app; only then is that header trusted (default off)
    SECURE_SSL_REDIRECT  default on with DEBUG off, unless every allowed host is loopback
    LOCK_TIMEOUT_MS, STATEMENT_TIMEOUT_MS, GUNICORN_TIMEOUT  the request's time budget (below)
    IMPORT_WAIT_MS    how long an import waits for another import (default 10,000)
    DATABASE_REPLICA_URLS  comma-separated PostgreSQL hot standbys that serve reads (default none),
                      with REPLICA_PIN_SECONDS and REPLICA_RETRY_SECONDS (below)
"""

import os
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Read a switch: unset means ``default``; set, only a true word turns it on ("" is off)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent.parent

# Off unless asked for: a forgotten variable must not serve debug pages to the internet.
DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: never used once DEBUG is off (checked above).
    SECRET_KEY = "django-insecure-development-key-not-for-production-use-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
LOOPBACK_ONLY = all(host in {"localhost", "127.0.0.1", "[::1]", "testserver"} for host in ALLOWED_HOSTS)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])
# Whether a proxy in front sets X-Forwarded-Proto and X-Forwarded-For (docs/deploy.md).
BEHIND_PROXY = env_bool("BEHIND_PROXY", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "strawberry_django",
    "corsheaders",
    "core",
    "places",
    "people",
    "events",
    "seeds",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that may answer: a preflight gets its CORS headers (docs/api.md).
    "corsheaders.middleware.CorsMiddleware",
    # Static files (admin CSS and JS, GraphiQL's page) from the app server itself: no
    # separate file server to configure, compressed and cached (docs/deploy.md).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the request's user on every historical row, inline rows included.
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout answer.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username and address is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Admin login throttling (django-axes): 5 failures in a row for one username from one address
# lock that pair out for 15 minutes. Keyed on the pair so a stranger cannot lock an editor out
# everywhere, nor one office's shared address lock out its colleagues.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind a proxy the client's address is in X-Forwarded-For; otherwise that header is the
# client's own claim and REMOTE_ADDR is the address.
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if BEHIND_PROXY else ["REMOTE_ADDR"]
)

# Content-Security-Policy (django-csp): scripts only from Chancery's own static files (the
# admin, GraphiQL and vis-timeline are all served locally), no plugins, no framing. Inline
# style attributes stay allowed: the admin and vis-timeline set them, and they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "config.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# The request's time budget (docs/deploy.md; issue 19): lock wait < statement timeout < worker
# timeout, each with BUDGET_MARGIN_MS to spare, so an editor's save behind an import gets the
# clean "busy, try again" (core.edits.BUSY) long before the server would kill its worker.
# - LOCK_TIMEOUT_MS: how long a statement waits for a lock another write holds: a row on
#   PostgreSQL (lock_timeout), the database's write lock on SQLite (its busy timeout).
# - STATEMENT_TIMEOUT_MS: how long one statement may run at all (PostgreSQL statement_timeout;
#   SQLite statements only ever wait on the write lock, so the lock wait bounds them there).
#   An import lifts it for its own transaction (seeds.importer.locking): it is no request.
# - WORKER_TIMEOUT_S: when gunicorn replaces a worker stuck in one request
#   (config/gunicorn.conf.py reads it here).
# IMPORT_WAIT_MS is how long an import waits for another import to finish (not a request).
LOCK_TIMEOUT_MS = env_int("LOCK_TIMEOUT_MS", default=5_000)
STATEMENT_TIMEOUT_MS = env_int("STATEMENT_TIMEOUT_MS", default=15_000)
WORKER_TIMEOUT_S = env_int("GUNICORN_TIMEOUT", default=30)
BUDGET_MARGIN_MS = 5_000
IMPORT_WAIT_MS = env_int("IMPORT_WAIT_MS", default=10_000)
# STATEMENT_TIMEOUT_MS=0 switches the statement timeout off, for a long command (no worker).
_STEPS = [LOCK_TIMEOUT_MS, STATEMENT_TIMEOUT_MS or None, WORKER_TIMEOUT_S * 1000]
_BUDGET = [step for step in _STEPS if step is not None]
if LOCK_TIMEOUT_MS <= 0 or any(a + BUDGET_MARGIN_MS > b for a, b in pairwise(_BUDGET)):
    raise ImproperlyConfigured(
        f"The request budget needs LOCK_TIMEOUT_MS ({LOCK_TIMEOUT_MS}) + {BUDGET_MARGIN_MS} <= "
        f"STATEMENT_TIMEOUT_MS ({STATEMENT_TIMEOUT_MS}; 0 is off) and that + {BUDGET_MARGIN_MS} <= "
        f"GUNICORN_TIMEOUT ({WORKER_TIMEOUT_S} s) in ms: a worker must outlast any wait (docs/deploy.md)."
    )

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'chancery.sqlite3'}"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No parallel workers for the app's queries: on a timeline page (a LIMIT over an index walk
    # with semi-joins) PostgreSQL's Gather Merge makes each worker walk its own share of the index
    # and over-reads several times over, 55 ms instead of 14 on the hot region page
    # (docs/performance.md); and a web server's concurrent requests already keep every core busy.
    #
    # No JIT compilation: a page's statement runs in milliseconds, but its cost *estimate* grows
    # with the tables, and past jit_above_cost (100,000, reached around a million events)
    # PostgreSQL spent 60-75 ms compiling a feed's 70 ms statement, which it did not at 20,000
    # events: a step in the page's time that grew with the record (issue 25, docs/performance.md).
    #
    # lock_timeout: a statement waits at most this long for a row another transaction holds
    # (an editor behind an import, or the reverse), then its write fails whole with a clear
    # "busy" message (core.locks) instead of waiting for minutes (issue 8). statement_timeout:
    # no statement outlives the worker running it (the budget above).
    #
    # pg_trgm.word_similarity_threshold: name search's near misses (core/namesearch.py) are the
    # rows whose key has a word at least this similar to the query's ("smiht" ~ "smith" is 0.5;
    # the default 0.6 would miss it where SQLite's candidates find it).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c max_parallel_workers_per_gather=0 -c jit=off -c lock_timeout={LOCK_TIMEOUT_MS} "
        f"-c statement_timeout={STATEMENT_TIMEOUT_MS} -c pg_trgm.word_similarity_threshold=0.5"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one editor writes; NORMAL sync is safe under WAL.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        # A writer takes the write lock when its transaction begins, so a second writer waits
        # (up to `timeout` seconds) instead of failing at once with "database is locked" when a
        # read lock cannot be upgraded halfway through its transaction. The wait is the budget's
        # lock wait: behind an import (minutes), an editor hears "busy" before the worker dies.
        "transaction_mode": "IMMEDIATE",
        "timeout": LOCK_TIMEOUT_MS / 1000,
    }

# Reads on streaming replicas (config/replicas.py, docs/deploy.md "Scaling out"): comma-separated
# PostgreSQL URLs of hot standbys of DATABASE_URL. A client that wrote reads from the primary
# until a replica has replayed its write, for at most REPLICA_PIN_SECONDS; an unreachable
# replica is left out for REPLICA_RETRY_SECONDS.
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", default=60)
REPLICA_RETRY_SECONDS = env_int("REPLICA_RETRY_SECONDS", default=30)
if replica_urls := env_str("DATABASE_REPLICA_URLS", default=""):
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URLS needs DATABASE_URL to be PostgreSQL (streaming replicas)."
        )
    from config.replicas import replica_databases

    DATABASES.update(replica_databases(DATABASES["default"], replica_urls, dj_database_url.parse))
    DATABASE_ROUTERS = ["config.replicas.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "config.replicas.ReplicaRoutingMiddleware",
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# collectstatic fills STATIC_ROOT (`make serve` runs it first) and whitenoise serves it from
# memory. Before that (tests, a checkout that never collected) whitenoise serves the apps' own
# static folders as runserver does, looking each file up when asked, instead of warning "No
# directory at …/staticfiles/" each time a request handler starts.
_COLLECTED = STATIC_ROOT.is_dir()
WHITENOISE_USE_FINDERS = DEBUG or not _COLLECTED
WHITENOISE_AUTOREFRESH = DEBUG or not _COLLECTED
# Gzip and Brotli copies written by collectstatic. Not the manifest storage: it refuses to
# render any page before collectstatic has run, which tests and `make run` never do.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# History: reasons are free text (the default CharField(100) truncates on PostgreSQL only).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = False

# CORS: frontends on these origins may call the API and the exports from a browser. None by
# default; a comma-separated list of scheme://host[:port] from the environment (docs/api.md).
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/(graphql|export)/"
# Anonymous reads only: a browser on another origin never sends the session cookie.
CORS_ALLOW_CREDENTIALS = False

GRAPHQL_INTROSPECTION = env_bool("GRAPHQL_INTROSPECTION", default=True)
# Anonymous queries' answers kept until the data changes (core/responsecache.py).
GRAPHQL_RESPONSE_CACHE = env_bool("GRAPHQL_RESPONSE_CACHE", default=True)

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Per worker process; entries of an old data version are never read again and age out.
    # Bounded in bytes too (core/bytecache.py; docs/api.md): at most 64 MB per worker, and an
    # answer over 1 MB is not kept.
    "graphql": {
        "BACKEND": "core.bytecache.ByteBoundedCache",
        "LOCATION": "graphql-responses",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 2000, "MAX_BYTES": 64 * 2**20, "MAX_ENTRY_BYTES": 2**20},
    },
}

# How `history { user }` names editors to clients that are not signed-in staff: "name" (the
# account's full name, else "editor"), "editor" (always), or "username" (the login name).
HISTORY_PUBLIC_NAMES = env_str("HISTORY_PUBLIC_NAMES", default="name")
if HISTORY_PUBLIC_NAMES not in {"name", "editor", "username"}:
    raise ImproperlyConfigured("HISTORY_PUBLIC_NAMES must be 'name', 'editor' or 'username'.")

STRAWBERRY_DJANGO = {
    "FIELD_DESCRIPTION_FROM_HELP_TEXT": True,
    "TYPE_DESCRIPTION_FROM_MODEL_DOCSTRING": True,
    "MUTATIONS_DEFAULT_HANDLE_ERRORS": True,
}

# Trusting X-Forwarded-Proto without a proxy that sets it lets any client claim HTTPS.
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if not DEBUG:
    # Plain HTTP is redirected to HTTPS unless every allowed host is a loopback name: such a
    # server cannot be reached from outside, and `make serve` on 127.0.0.1 (and the bench
    # against it) would otherwise answer every request with a redirect to a port nobody serves.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not LOOPBACK_ONLY)
    if LOOPBACK_ONLY and not SECURE_SSL_REDIRECT:
        # check --deploy's advice to redirect (security.W008) does not apply there, for the reason above.
        SILENCED_SYSTEM_CHECKS = ["security.W008"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
