"""gunicorn settings for `make serve`: everything an operator tunes comes from the environment.

HOST, PORT          where to listen (default 127.0.0.1:8000; put a proxy in front for the internet)
WEB_CONCURRENCY     worker processes (default: one per CPU)
GUNICORN_THREADS    threads per worker (default 4; each thread holds one database connection)
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
# One process per CPU, four threads each (gunicorn's gthread worker): a request waiting on the
# database leaves its process's CPU to another thread, and clients keep their connection open
# between requests (keep-alive), which sync workers close after every answer. Measured side by
# side on the 2-CPU bench machine (docs/performance.md, "GraphQL side by side"): 2 x 4 threads
# served the repeated timeline page at 1.0-1.2x PostGraphile's rate where 4 or 2 sync workers
# served it at 0.6-0.8x. A thread stuck in Python is not replaced by the worker timeout below
# (the worker's main loop still answers the master); the budget's earlier steps, the lock
# wait and the statement timeout, end every wait on the database first (docs/deploy.md).
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count())
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
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
