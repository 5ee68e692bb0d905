"""Bounded loopback load: the production server under a mixed workload, p50/p95/p99 and errors per kind.

    python -m bench.loadtest                          # SQLite, 2,000 requests, concurrency 8, 8 editors
    python -m bench.loadtest --database postgres      # the same on PostgreSQL (chancery_load_bench)
    python -m bench.loadtest --requests 50 --concurrency 4 --editors 2   # a quick check
    make load                                         # both databases at the default size

Each run starts from a database of its own, made here (a SQLite file under var/load, or the
PostgreSQL database ``chancery_load_bench``, dropped and created): migrate, import_seeds,
editor accounts. It then starts gunicorn as ``make serve`` does (config/gunicorn.conf.py,
DEBUG=0, a throwaway SECRET_KEY, static files collected) on a free loopback port in
8100-8199, waits for /healthz, and sends a fixed, seeded mix of requests from ``--concurrency``
threads: GraphQL timeline pages, timeline searches, a person's and a country's timeline,
public pages, and ``eventUpdate`` mutations by ``--editors`` editors signed in through the
admin login (a session cookie plus its CSRF token, as docs/api.md says). Only the standard
library is used. The server is stopped at the end, whatever happens.

An error is a transport failure or timeout, any 5xx, a GraphQL ``errors`` list, or a
mutation refused for anything but a conflict; a conflict (two editors on one record) is
counted apart, as the clear answer it is meant to be. The exit status is 1 when there was
any error.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.graphql.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
PORTS = range(8100, 8200)
PG_URL = "postgres://postgres@127.0.0.1:5432/chancery_load_bench"
PASSWORD = "load-test-editor-password"
SEED = 13

# Share of each request kind in the mix (edits share the rest of the threads' time).
MIX = {
    "timeline": 25,
    "search": 15,
    "person_timeline": 10,
    "country_timeline": 10,
    "page": 20,
    "edit": 20,
}
TIMELINE = "query ($after: String) { timeline(first: 20, after: $after) { totalCount edges { node { slug title date { edtf display } } } pageInfo { endCursor } } }"  # noqa: E501
SEARCH = "query ($q: String!) { timeline(first: 20, filters: {search: $q}) { totalCount edges { node { slug title } } } }"  # noqa: E501
PERSON = "query ($slug: String!) { person(slug: $slug) { name timeline(first: 20) { totalCount edges { node { slug } } } } }"  # noqa: E501
COUNTRY = "query ($code: String!) { country(code: $code) { name timeline(first: 20) { totalCount edges { node { slug } } } } }"  # noqa: E501
UPDATE = """mutation ($slug: String!, $input: EventPatch!) {
  eventUpdate(slug: $slug, input: $input, reason: "load test") {
    __typename ... on OperationInfo { messages { kind code message } } } }"""
CATALOGUE = """{ timeline(first: 100) { edges { node { slug } } }
  people(first: 100) { edges { node { slug } } } countries(first: 100) { edges { node { code } } } }"""
WORDS = ["treaty", "visit", "Kyiv", "partnership", "North Korea", "ministry", "sanctions", "summit"]


# -- the server ---------------------------------------------------------------------------------


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


def prepare(database: str, editors: int) -> str:
    """Make the run's database from nothing; return its DATABASE_URL."""
    if database == "postgres":
        url = PG_URL
        name = url.rsplit("/", 1)[1]
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
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
    for command in (["migrate", "--noinput", "-v", "0"], ["import_seeds", "-v", "0"]):
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
        self.port = free_port(PORTS)
        env = server_env(database_url, self.port, workers)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        (ROOT / "var" / "load").mkdir(parents=True, exist_ok=True)
        self.log = open(ROOT / "var" / "load" / f"server-{self.port}.log", "w")  # noqa: SIM115
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
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log.name}")
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


# -- the workload -------------------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str
    seconds: float
    error: str | None = None
    conflict: bool = False


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


def catalogue(port: int) -> dict[str, list[str]]:
    """Slugs and codes to ask about, read through the API itself."""
    _, body = graphql(port, CATALOGUE, {})
    data = body["data"]
    return {
        "events": [e["node"]["slug"] for e in data["timeline"]["edges"]],
        "people": [e["node"]["slug"] for e in data["people"]["edges"]],
        "countries": [e["node"]["code"] for e in data["countries"]["edges"]],
    }


def plan(requests: int, names: dict[str, list[str]]) -> list[tuple[str, Any]]:
    """The fixed, seeded sequence of (kind, argument) the threads take from."""
    rng = random.Random(SEED)
    kinds = [kind for kind, share in MIX.items() for _ in range(share)]
    pages = [
        "/",
        *(f"/events/{s}/" for s in names["events"][:10]),
        *(f"/people/{s}/" for s in names["people"][:5]),
    ]
    pages += [f"/countries/{c}/" for c in names["countries"][:5]]
    work: list[tuple[str, Any]] = []
    for i in range(requests):
        kind = rng.choice(kinds)
        argument: Any = {
            "timeline": None,
            "search": rng.choice(WORDS),
            "person_timeline": rng.choice(names["people"]),
            "country_timeline": rng.choice(names["countries"]),
            "page": rng.choice(pages),
            # A few events only, so editors collide on the same rows.
            "edit": (rng.choice(names["events"][:4]), f"Load test title {i}"),
        }[kind]
        work.append((kind, argument))
    return work


def perform(port: int, kind: str, argument: Any, session: Session) -> Outcome:
    started = time.perf_counter()
    error, conflict = None, False
    try:
        if kind == "page":
            status, _, _ = request(port, "GET", argument)
            body: Any = {}
        elif kind == "edit":
            slug, title = argument
            status, body = graphql(port, UPDATE, {"slug": slug, "input": {"title": title}}, session)
            result = (body.get("data") or {}).get("eventUpdate") or {}
            if result.get("__typename") == "OperationInfo":
                codes = {m.get("code") for m in result.get("messages", [])}
                if codes & {"conflict", "CONFLICT", "stale"}:
                    conflict = True
                else:
                    error = f"refused: {result['messages'][:1]}"
        else:
            query, variables = {
                "timeline": (TIMELINE, {}),
                "search": (SEARCH, {"q": argument}),
                "person_timeline": (PERSON, {"slug": argument}),
                "country_timeline": (COUNTRY, {"code": argument}),
            }[kind]
            status, body = graphql(port, query, variables)
        if status >= 500 or (kind == "page" and status != 200):
            error = f"HTTP {status}"
        elif body.get("errors"):
            error = f"HTTP {status}: {body['errors'][0].get('message')}"
    except (OSError, http.client.HTTPException) as problem:
        error = f"{type(problem).__name__}: {problem}"
    return Outcome(kind, time.perf_counter() - started, error, conflict)


def drive(
    port: int, work: list[tuple[str, Any]], sessions: list[Session], concurrency: int
) -> tuple[list[Outcome], float]:
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    queue = iter(enumerate(work))

    def worker(number: int) -> None:
        session = sessions[number % len(sessions)]
        while True:
            with lock:
                item = next(queue, None)
            if item is None:
                return
            outcome = perform(port, item[1][0], item[1][1], session)
            with lock:
                outcomes.append(outcome)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def report(
    database: str, outcomes: list[Outcome], wall: float, concurrency: int, editors: int
) -> dict[str, Any]:
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_kind[outcome.kind].append(outcome)
    rows = []
    for kind in [*MIX, "all"]:
        group = outcomes if kind == "all" else by_kind.get(kind, [])
        if not group:
            continue
        ms = [o.seconds * 1000 for o in group]
        rows.append(
            {
                "kind": kind,
                "requests": len(group),
                "p50_ms": round(statistics.median(ms), 1),
                "p95_ms": round(percentile(ms, 0.95), 1),
                "p99_ms": round(percentile(ms, 0.99), 1),
                "errors": sum(o.error is not None for o in group),
                "conflicts": sum(o.conflict for o in group),
            }
        )
    errors = [o.error for o in outcomes if o.error]
    return {
        "database": database,
        "requests": len(outcomes),
        "concurrency": concurrency,
        "editors": editors,
        "seconds": round(wall, 1),
        "requests_per_second": round(len(outcomes) / wall, 1),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
        "kinds": rows,
    }


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"{result['database']}: {result['requests']:,} requests, concurrency {result['concurrency']}, "
        f"{result['editors']} editors, {result['seconds']} s ({result['requests_per_second']} req/s), "
        f"{result['errors']} errors",
        "",
        "| kind | requests | p50 ms | p95 ms | p99 ms | errors | conflicts |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in result["kinds"]:
        lines.append(
            f"| {row['kind']} | {row['requests']} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} | "
            f"{row['errors']} | {row['conflicts']} |"
        )
    lines += [f"- {sample}" for sample in result["error_samples"]]
    return "\n".join(lines)


def run(*, database: str, requests: int, concurrency: int, editors: int, workers: int) -> dict[str, Any]:
    url = prepare(database, editors)
    try:
        server = Server(url, workers)
        try:
            sessions = [sign_in(server.port, f"load-editor-{n}") for n in range(editors)]
            work = plan(requests, catalogue(server.port))
            outcomes, wall = drive(server.port, work, sessions, concurrency)
        finally:
            server.stop()
    finally:
        if url.startswith("sqlite:///") and database == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    return report(database, outcomes, wall, concurrency, editors)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.loadtest", description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="sqlite", help="sqlite, postgres, or a DATABASE_URL")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--editors", type=int, default=8)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: its config's)")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON line")
    args = parser.parse_args(argv)
    if args.editors < 1:
        parser.error("--editors must be at least 1")
    workers = args.workers or 2 * (os.cpu_count() or 1)
    result = run(
        database=args.database,
        requests=args.requests,
        concurrency=args.concurrency,
        editors=args.editors,
        workers=workers,
    )
    print(json.dumps(result) if args.json else markdown(result))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
