"""The load test's server side: its database, gunicorn as ``make serve`` runs it, and HTTP by hand.

Split from bench/loadtest.py (the workload and its report) so each module does one job. Only the
standard library is used, so the client measures the server and not an HTTP library.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.scratch import create_database, free_port

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-editor-password"
# What gunicorn's master logs when it kills or loses a worker: a request outlived the worker
# timeout (the budget in config/settings.py failed) or the worker died under it. SIGTERM is the
# orderly stop at the end of a run.
KILLED = re.compile(r"WORKER TIMEOUT|was sent SIG(?!TERM)|Worker \(pid:\d+\) exited")


def server_env(database_url: str, port: int, workers: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }


def prepare(database: str, editors: int, only: list[str] | None = None) -> str:
    """Make the run's database from nothing; return its DATABASE_URL.

    ``only`` narrows the import as ``import_seeds --only`` does (the suite loads the curated
    seeds alone: the datasets take minutes and add nothing the workload needs to be correct).
    """
    if database == "postgres":
        url = create_database("load")  # this run's own; bench.loadtest.run drops it at the end
    elif database == "sqlite":
        folder = ROOT / "var" / "load"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"load-{os.getpid()}.sqlite3"  # a run of its own, beside any other
        for suffix in ("", "-wal", "-shm"):
            (folder / f"{name}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{folder / name}"
    else:
        url = database
    env = {**server_env(url, 0, 1), "DEBUG": "1"}
    manage = [sys.executable, "manage.py"]
    seeds = ["import_seeds", "-v", "0", *(["--only", *only] if only else [])]
    for command in (["migrate", "--noinput", "-v", "0"], seeds):
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True)
    accounts = (
        "from django.contrib.auth.models import User\n"
        f"for n in range({editors}):\n"
        f"    User.objects.create_superuser(f'load-editor-{{n}}', password={PASSWORD!r})\n"
    )
    subprocess.run([*manage, "shell", "-v", "0", "-c", accounts], cwd=ROOT, env=env, check=True)
    return url


class Server:
    """gunicorn as ``make serve`` runs it, on a loopback port; stopped on exit."""

    def __init__(self, database_url: str, workers: int) -> None:
        self.port = free_port()
        env = server_env(database_url, self.port, workers)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        (ROOT / "var" / "load").mkdir(parents=True, exist_ok=True)
        self.log_path = ROOT / "var" / "load" / f"server-{os.getpid()}-{self.port}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "--config", "config/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its workers are stopped with it
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log_path}")
            try:
                status, _, _ = request(self.port, "GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    def killed_workers(self) -> list[str]:
        """The log lines where gunicorn killed or lost a worker (none on a good run)."""
        self.log.flush()
        return [line.strip() for line in self.log_path.read_text().splitlines() if KILLED.search(line)]


# -- HTTP ---------------------------------------------------------------------------------------


def request(
    port: int, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, list[str]], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        found: dict[str, list[str]] = defaultdict(list)
        for name, value in response.getheaders():
            found[name.lower()].append(value)
        return response.status, found, response.read()
    finally:
        connection.close()


@dataclass
class Session:
    """A signed-in editor: cookies kept by hand (they are Secure, which urllib would not send over http)."""

    cookies: dict[str, str] = field(default_factory=dict)

    def keep(self, headers: dict[str, list[str]]) -> None:
        for cookie in headers.get("set-cookie", []):
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def header(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}


def sign_in(port: int, username: str) -> Session:
    session = Session()
    status, headers, page = request(port, "GET", "/admin/login/")
    session.keep(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or token is None:
        raise RuntimeError(f"no login form at /admin/login/ (HTTP {status})")
    form = urlencode(
        {
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1).decode(),
            "next": "/admin/",
        }
    ).encode()
    status, headers, _ = request(
        port,
        "POST",
        "/admin/login/",
        form,
        {"Content-Type": "application/x-www-form-urlencoded", **session.header()},
    )
    session.keep(headers)
    if status != 302 or "sessionid" not in session.cookies:
        raise RuntimeError(f"{username} could not sign in (HTTP {status})")
    return session


def graphql(
    port: int, query: str, variables: dict[str, Any], session: Session | None = None
) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if session is not None:
        headers.update(session.header())
        headers["X-CSRFToken"] = session.cookies.get("csrftoken", "")
    status, _, body = request(
        port, "POST", "/graphql/", json.dumps({"query": query, "variables": variables}).encode(), headers
    )
    try:
        return status, json.loads(body)
    except ValueError:
        return status, {"errors": [{"message": f"not JSON: {body[:200]!r}"}]}
