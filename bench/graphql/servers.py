"""Servers for the side-by-side run, started and stopped by the bench, and a small load client.

Chancery runs exactly as ``make serve`` runs it (gunicorn with ``config/gunicorn.conf.py``, DEBUG
off); PostGraphile 4 is installed from ``bench/postgraphile/package-lock.json`` with ``npm ci`` and
run in library mode (``bench/postgraphile/server.js``). Both listen on loopback only.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from bench.scratch import free_port

ROOT = Path(__file__).resolve().parents[2]
POSTGRAPHILE_DIR = ROOT / "bench" / "postgraphile"


class Endpoint:
    """A GraphQL endpoint on loopback; one persistent connection per thread, reopened when closed."""

    def __init__(self, port: int, path: str) -> None:
        self.port, self.path = port, path
        self.local = threading.local()

    def post_raw(self, body: bytes) -> bytes:
        for attempt in range(2):
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                conn.request("POST", self.path, body, {"Content-Type": "application/json"})
                response = conn.getresponse()
                data = response.read()
            except (http.client.HTTPException, ConnectionError):
                conn.close()
                self.local.conn = None
                if attempt:
                    raise
                continue
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                self.local.conn = None
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status} from :{self.port}{self.path}: {data[:300]!r}")
            return data
        raise AssertionError("unreachable")

    def post(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        payload = json.loads(self.post_raw(json.dumps({"query": query, "variables": variables}).encode()))
        if payload.get("errors"):
            raise RuntimeError(f"GraphQL errors from :{self.port}: {payload['errors']}")
        return payload["data"]


def _wait(endpoint: Endpoint, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            endpoint.post("{ __typename }", {})
            return
        except (OSError, RuntimeError, http.client.HTTPException):
            time.sleep(0.3)
    raise RuntimeError(f"server did not answer in 120 s: {log.read_text()[-2000:]}")


@contextlib.contextmanager
def _running(
    command: list[str], cwd: Path, env: dict[str, str], endpoint: Endpoint, name: str
) -> Iterator[Endpoint]:
    # Named for the port too: two benches at once each keep their own server's log.
    log = ROOT / "var" / "bench" / f"{name}-{endpoint.port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait(endpoint, process, log)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


@contextlib.contextmanager
def chancery(
    database_url: str, workers: int | None = None, *, response_cache: bool, replica_urls: str = ""
) -> Iterator[Endpoint]:
    """Chancery on gunicorn as ``make serve`` runs it, its response cache on or off, reading from
    ``replica_urls`` when given (config/replicas.py). ``workers`` processes, else (and unless
    ``WEB_CONCURRENCY`` is set) config/gunicorn.conf.py's own default, as ``make serve`` starts it."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-" + "s" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "GRAPHQL_RESPONSE_CACHE": "1" if response_cache else "0",
        "DATABASE_REPLICA_URLS": replica_urls,
    }
    if workers is not None:
        env["WEB_CONCURRENCY"] = str(workers)
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "--config", "config/gunicorn.conf.py"]
    name = "gunicorn-cached" if response_cache else "gunicorn"
    with _running(command, ROOT, env, Endpoint(port, "/graphql/"), name) as endpoint:
        yield endpoint


def postgraphile_missing() -> str | None:
    """Why PostGraphile cannot run here, or None."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            return (
                f"`{tool}` is not installed, so PostGraphile was skipped (Debian: apt-get install nodejs npm)"
            )
    return None


def install_postgraphile() -> None:
    """``npm ci`` from the lockfile, once (node_modules is kept and reused while the lockfile stands)."""
    stamp = POSTGRAPHILE_DIR / "node_modules" / ".chancery-lock"
    lock = (POSTGRAPHILE_DIR / "package-lock.json").read_text()
    if stamp.exists() and stamp.read_text() == lock:
        return
    print("installing PostGraphile 4 from bench/postgraphile/package-lock.json (npm ci) ...", flush=True)
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=POSTGRAPHILE_DIR,
        check=True,
        timeout=600,
    )
    stamp.write_text(lock)


@contextlib.contextmanager
def postgraphile(database_url: str) -> Iterator[Endpoint]:
    port = free_port()
    env = {**os.environ, "NODE_ENV": "production"}
    command = ["node", "server.js", database_url, str(port)]
    with _running(command, POSTGRAPHILE_DIR, env, Endpoint(port, "/graphql"), "postgraphile") as endpoint:
        yield endpoint


def throughput(
    endpoint: Endpoint | Sequence[Endpoint],
    body: bytes | Sequence[bytes],
    *,
    requests: int,
    concurrency: int,
) -> float:
    """Requests per second for ``requests`` POSTs, ``concurrency`` at a time: of ``body``, or of
    request i mod n of a list of bodies (bench/graphql/mix.py); over several endpoints, request i
    goes to endpoint i mod n (a round-robin load balancer)."""
    endpoints = [endpoint] if isinstance(endpoint, Endpoint) else list(endpoint)
    bodies = [body] if isinstance(body, bytes) else list(body)
    remaining = iter(range(requests))
    lock = threading.Lock()
    failures: list[BaseException] = []

    def worker() -> None:
        while True:
            with lock:
                number = next(remaining, None)
            if number is None:
                return
            try:
                endpoints[number % len(endpoints)].post_raw(bodies[number % len(bodies)])
            except BaseException as error:  # reported after the run, not swallowed
                failures.append(error)
                return

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"load run failed: {failures[0]!r}")
    return requests / elapsed


def median(values: list[float]) -> float:
    return statistics.median(values)
