"""gunicorn settings for `make serve`: everything an operator tunes comes from the environment.

HOST, PORT          where to listen (default 127.0.0.1:8000; put a proxy in front for the internet)
WEB_CONCURRENCY     worker processes (default: 2 per CPU; each holds one database connection)
GUNICORN_THREADS    threads per worker (default 1: sync workers, one request at a time each)
GUNICORN_TIMEOUT    seconds before a stuck worker is restarted (default 30; read by
                    config/settings.py with the rest of the request budget, which it must outlast)
ACCESS_LOG          "-" for an access log on stdout (default none)
"""

import multiprocessing
import os

# The worker timeout is part of the request budget (lock wait < statement < worker), kept
# and checked with the other two in config/settings.py (docs/deploy.md).
from config.settings import WORKER_TIMEOUT_S

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Requests spend part of their time waiting on PostgreSQL, so two workers per CPU keep the
# CPUs busy; more only adds memory and database connections.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count())
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
timeout = WORKER_TIMEOUT_S
# Import the app once in the master: workers fork with the schema already built.
preload_app = True
accesslog = os.environ.get("ACCESS_LOG") or None
# Whether X-Forwarded-Proto is believed is decided in one place, Django's settings
# (BEHIND_PROXY, see config/settings.py), not also here by peer address.
secure_scheme_headers: dict[str, str] = {}
forwarded_allow_ips = ""
wsgi_app = "config.wsgi:application"
# One control socket per user by default ($HOME/.gunicorn/gunicorn.ctl): a second server on the
# same machine (a bench, a second checkout) would take it over. Nothing here uses gunicornc.
control_socket_disable = True
