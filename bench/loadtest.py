"""Bounded loopback load: the production server under a mixed workload and an import, errors per kind.

    python -m bench.loadtest                          # SQLite, 2,000 requests, concurrency 8, 8 editors
    python -m bench.loadtest --database postgres      # the same on PostgreSQL (a database of its own)
    python -m bench.loadtest --requests 50 --concurrency 4 --editors 2   # a quick check
    make load                                         # both databases at the default size

Each run starts from a database of its own, made here (a SQLite file under var/load, or the
PostgreSQL database named for the run, bench/scratch.py, dropped at the end): migrate, import_seeds,
editor accounts (bench/loadserver.py). It then starts gunicorn as ``make serve`` does
(config/gunicorn.conf.py, DEBUG=0) on a free loopback port and sends a fixed, seeded mix from
``--concurrency`` threads: GraphQL timeline pages, timeline searches, a person's and a country's
timeline, public pages, ``eventUpdate`` mutations by ``--editors`` editors signed in through the
admin login, backward timeline walks (``last``/``before``, several pages with the cursors handed
out) and treaty walks (every page of ``treaties(first: 100)`` with ``after``). A walk is one
entry of the mix, timed whole; its pages are counted apart.

While the mix runs, ``manage.py import_seeds`` writes a generated file of ``--import-events``
new events (as an operator would beside ``make serve``): the mix starts when the import has
validated, so it runs through the import's whole write phase. On SQLite that phase holds the
database's write lock, and an editor behind it must hear the clean "busy, try again" within the
lock wait (config/settings.py), never lose a worker to gunicorn's timeout (issue 19).

An error is, by kind: an HTTP status other than 200, a GraphQL error (by its ``code``), a
mutation refused for anything but busy or a conflict, a walk whose pages do not add up, a
transport failure or client timeout, a worker gunicorn killed or lost (read from its log), or
a failed import. "Busy" and conflicts are counted apart, as the clear answers they are meant to
be. The exit status is 1 when there was any error.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.loadserver import ROOT, Server, Session, graphql, prepare, request, server_env, sign_in
from bench.scratch import drop_database

SEED = 13

# Share of each request kind in the mix (edits share the rest of the threads' time).
MIX = {
    "timeline": 22,
    "search": 13,
    "person_timeline": 9,
    "country_timeline": 9,
    "page": 18,
    "edit": 20,
    "timeline_back": 6,
    "treaty_walk": 3,
}
BACK_PAGES = 5  # pages one backward walk reads at most, from the end of the timeline
BACK_SIZE = 20  # events per backward page (the suite's small database takes fewer, to walk several)
TIMELINE = "query ($after: String) { timeline(first: 20, after: $after) { totalCount edges { node { slug title date { edtf display } } } pageInfo { endCursor } } }"  # noqa: E501
BACKWARD = "query ($last: Int!, $before: String) { timeline(last: $last, before: $before) { edges { node { slug } } pageInfo { hasPreviousPage startCursor } } }"  # noqa: E501
TREATIES = "query ($after: String) { treaties(first: 100, after: $after) { totalCount edges { node { slug } } pageInfo { hasNextPage endCursor } } }"  # noqa: E501
SEARCH = "query ($q: String!) { timeline(first: 20, filters: {search: $q}) { totalCount edges { node { slug title } } } }"  # noqa: E501
PERSON = "query ($slug: String!) { person(slug: $slug) { name timeline(first: 20) { totalCount edges { node { slug } } } } }"  # noqa: E501
COUNTRY = "query ($code: String!) { country(code: $code) { name timeline(first: 20) { totalCount edges { node { slug } } } } }"  # noqa: E501
UPDATE = """mutation ($slug: String!, $input: EventPatch!) {
  eventUpdate(slug: $slug, input: $input, reason: "load test") {
    __typename ... on OperationInfo { messages { kind code message } } } }"""
CATALOGUE = """{ timeline(first: 100) { edges { node { slug } } }
  people(first: 100) { edges { node { slug } } } countries(first: 100) { edges { node { code } } } }"""
WORDS = ["treaty", "visit", "Kyiv", "partnership", "North Korea", "ministry", "sanctions", "summit"]
IMPORT_SLUG = "load-import-{:05d}"


# -- the workload -------------------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str
    started: float
    seconds: float
    pages: int = 1
    error: str | None = None  # the error's kind ("HTTP 502", "GraphQL INVALID_CURSOR", ...)
    detail: str = ""
    conflict: bool = False
    busy: bool = False
    saved: tuple[str, str] | None = None  # an edit the server accepted: (slug, title)


class Failed(Exception):
    """One request of a walk went wrong: ``kind`` is the error's kind, the message its detail."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind


def catalogue(port: int) -> dict[str, list[str]]:
    """Slugs and codes to ask about, read through the API itself."""
    _, body = graphql(port, CATALOGUE, {})
    data = body["data"]
    return {
        "events": [e["node"]["slug"] for e in data["timeline"]["edges"]],
        "people": [e["node"]["slug"] for e in data["people"]["edges"]],
        "countries": [e["node"]["code"] for e in data["countries"]["edges"]],
    }


def plan(requests: int, names: dict[str, list[str]], back_size: int = BACK_SIZE) -> list[tuple[str, Any]]:
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
            "timeline_back": (BACK_PAGES, back_size),
            "treaty_walk": None,
        }[kind]
        work.append((kind, argument))
    return work


def answer(status: int, body: Any) -> Any:
    """The ``data`` of a GraphQL answer, or Failed naming what went wrong."""
    if status != 200:
        raise Failed(f"HTTP {status}", str(body.get("errors", ""))[:200])
    if body.get("errors"):
        first = body["errors"][0]
        code = (first.get("extensions") or {}).get("code", "without code")
        raise Failed(f"GraphQL {code}", str(first.get("message"))[:200])
    return body["data"]


def walk_back(port: int, pages: int, size: int) -> int:
    """Page back from the end of the timeline, ``pages`` pages of ``size``, with the cursors handed out."""
    before, seen = None, []
    for page in range(1, pages + 1):
        found = answer(*graphql(port, BACKWARD, {"last": size, "before": before}))["timeline"]
        slugs = [edge["node"]["slug"] for edge in found["edges"]]
        seen += slugs
        if not slugs or len(set(seen)) != len(seen):
            repeated = len(seen) - len(set(seen))
            raise Failed("paging", f"page {page} back: {len(slugs)} events, {repeated} seen before")
        if not found["pageInfo"]["hasPreviousPage"]:
            return page
        before = found["pageInfo"]["startCursor"]
    return pages


def walk_treaties(port: int) -> int:
    """Every page of ``treaties(first: 100)``; each treaty once, as many as ``totalCount`` says."""
    after, seen, pages = None, [], 0
    while True:
        pages += 1
        found = answer(*graphql(port, TREATIES, {"after": after}))["treaties"]
        seen += [edge["node"]["slug"] for edge in found["edges"]]
        if not found["pageInfo"]["hasNextPage"]:
            break
        after = found["pageInfo"]["endCursor"]
    if len(seen) != found["totalCount"] or len(set(seen)) != len(seen):
        counted = f"{len(seen)} treaties ({len(set(seen))} distinct) over {pages} pages"
        raise Failed("paging", f"{counted}, totalCount {found['totalCount']}")
    return pages


def edit(port: int, slug: str, title: str, session: Session, outcome: Outcome) -> None:
    data = answer(*graphql(port, UPDATE, {"slug": slug, "input": {"title": title}}, session))
    result = data["eventUpdate"]
    if result["__typename"] != "OperationInfo":
        outcome.saved = (slug, title)
        return
    codes = {m.get("code") for m in result.get("messages", [])}
    if codes & {"conflict", "CONFLICT", "stale"}:
        outcome.conflict = True
    elif codes == {"busy"}:  # behind an import: the clean "busy, try again" (core/edits.py)
        outcome.busy = True
    else:
        raise Failed(f"refused {','.join(sorted(map(str, codes)))}", str(result["messages"][:1]))


def perform(port: int, kind: str, argument: Any, session: Session) -> Outcome:
    outcome = Outcome(kind, time.monotonic(), 0.0)
    started = time.perf_counter()
    try:
        if kind == "page":
            status, _, _ = request(port, "GET", argument)
            if status != 200:
                raise Failed(f"HTTP {status}", argument)
        elif kind == "edit":
            edit(port, *argument, session, outcome)
        elif kind == "timeline_back":
            outcome.pages = walk_back(port, *argument)
        elif kind == "treaty_walk":
            outcome.pages = walk_treaties(port)
        else:
            query, variables = {
                "timeline": (TIMELINE, {}),
                "search": (SEARCH, {"q": argument}),
                "person_timeline": (PERSON, {"slug": argument}),
                "country_timeline": (COUNTRY, {"code": argument}),
            }[kind]
            answer(*graphql(port, query, variables))
    except Failed as problem:
        outcome.error, outcome.detail = problem.kind, str(problem)
    except TimeoutError as problem:
        outcome.error, outcome.detail = "client timeout", str(problem)
    except (OSError, http.client.HTTPException) as problem:
        outcome.error, outcome.detail = f"transport {type(problem).__name__}", str(problem)
    outcome.seconds = time.perf_counter() - started
    return outcome


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


# -- the import during the load -----------------------------------------------------------------


def import_file(path: Path, events: int) -> Path:
    """A seed file of ``events`` new events, the same every run."""
    lines = ["events:"]
    for n in range(events):
        lines += [
            f"  - slug: {IMPORT_SLUG.format(n)}",
            "    kind: OTHER",
            f"    title: Imported during the load {n}",
            f"    date: '{1900 + n % 120}-{n % 12 + 1:02d}'",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Import:
    """``manage.py import_seeds FILE`` beside the server, with the server's settings (DEBUG off)."""

    def __init__(self, database_url: str, path: Path) -> None:
        self.started = time.monotonic()
        self.writing_at: float | None = None
        self.writing = threading.Event()
        self.lines: list[str] = []
        env = {**server_env(database_url, 0, 1), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "import_seeds", str(path), "-v", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.reader = threading.Thread(target=self._read)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip())
            # Printed after validation, as the write transaction (and so the write lock) begins.
            if line.startswith("Validated") and self.writing_at is None:
                self.writing_at = time.monotonic()
                self.writing.set()
        self.writing.set()  # ended (or failed) without writing: the load need not wait on

    def finish(self) -> dict[str, Any]:
        returncode = self.process.wait(timeout=1800)
        self.reader.join()
        self.ended = time.monotonic()
        return {
            "returncode": returncode,
            "seconds": round(self.ended - self.started, 1),
            "write_seconds": round(self.ended - self.writing_at, 1) if self.writing_at else None,
            "output": self.lines[-12:] if returncode else [],
        }

    def during(self, outcome: Outcome) -> bool:
        """Whether ``outcome`` overlapped the import's write phase."""
        if self.writing_at is None:
            return False
        return outcome.started < self.ended and outcome.started + outcome.seconds > self.writing_at


# -- the report ---------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def report(
    database: str,
    outcomes: list[Outcome],
    wall: float,
    settings: dict[str, int],
    importing: Import | None = None,
    killed: list[str] | None = None,
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
                "pages": sum(o.pages for o in group),
                "p50_ms": round(statistics.median(ms), 1),
                "p95_ms": round(percentile(ms, 0.95), 1),
                "p99_ms": round(percentile(ms, 0.99), 1),
                "errors": sum(o.error is not None for o in group),
                "busy": sum(o.busy for o in group),
                "conflicts": sum(o.conflict for o in group),
            }
        )
    kinds = Counter(o.error for o in outcomes if o.error)
    samples = sorted({f"{o.error}: {o.detail}"[:300] for o in outcomes if o.error})[:5]
    result_import: dict[str, Any] | None = None
    if importing is not None:
        result_import = importing.finish()
        if result_import["returncode"] != 0:
            kinds["import failed"] += 1
            samples.append("import failed: " + " | ".join(result_import["output"][-3:]))
        overlapped = [o for o in outcomes if importing.during(o)]
        result_import["requests_during_write"] = len(overlapped)
        result_import["edits_during_write"] = sum(o.kind == "edit" for o in overlapped)
        result_import["busy_during_write"] = sum(o.busy for o in overlapped)
    if killed:
        kinds["worker killed"] += len(killed)
        samples += killed[:3]
    saved: dict[str, list[str]] = defaultdict(list)
    for outcome in outcomes:
        if outcome.saved:
            saved[outcome.saved[0]].append(outcome.saved[1])
    return {
        "database": database,
        **settings,
        "requests": len(outcomes),
        "http_requests": sum(o.pages for o in outcomes),
        "seconds": round(wall, 1),
        "requests_per_second": round(sum(o.pages for o in outcomes) / wall, 1),
        "errors": sum(kinds.values()),
        "errors_by_kind": dict(sorted(kinds.items())),
        "error_samples": samples,
        "kinds": rows,
        "import": result_import,
        "saved": dict(saved),
    }


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"{result['database']}: {result['requests']:,} requests ({result['http_requests']:,} HTTP), "
        f"concurrency {result['concurrency']}, {result['editors']} editors, {result['workers']} workers, "
        f"{result['seconds']} s ({result['requests_per_second']} HTTP req/s), {result['errors']} errors",
        "",
        "| kind | requests | pages | p50 ms | p95 ms | p99 ms | errors | busy | conflicts |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in result["kinds"]:
        lines.append(
            f"| {row['kind']} | {row['requests']} | {row['pages']} | {row['p50_ms']} | {row['p95_ms']} | "
            f"{row['p99_ms']} | {row['errors']} | {row['busy']} | {row['conflicts']} |"
        )
    done = result["import"]
    if done:
        lines += [
            "",
            f"Import of {result['import_events']:,} events during the load: exit {done['returncode']}, "
            f"{done['seconds']} s ({done['write_seconds']} s writing); during its write phase "
            f"{done['requests_during_write']} requests, {done['edits_during_write']} edits, "
            f"{done['busy_during_write']} answered busy.",
        ]
    lines += ["", "Errors by kind: " + (json.dumps(result["errors_by_kind"]) if result["errors"] else "none")]
    lines += [f"- {sample}" for sample in result["error_samples"]]
    return "\n".join(lines)


def run(
    *,
    database: str,
    requests: int,
    concurrency: int,
    editors: int,
    workers: int,
    import_events: int = 0,
    only: list[str] | None = None,
    back_size: int = BACK_SIZE,
) -> dict[str, Any]:
    url = prepare(database, editors, only)
    seeds = ROOT / "var" / "load" / f"import-{os.getpid()}.yaml"
    settings = {"concurrency": concurrency, "editors": editors, "workers": workers}
    settings["import_events"] = import_events
    try:
        server = Server(url, workers)
        importing = None
        try:
            sessions = [sign_in(server.port, f"load-editor-{n}") for n in range(editors)]
            work = plan(requests, catalogue(server.port), back_size)
            if import_events:
                importing = Import(url, import_file(seeds, import_events))
                importing.writing.wait(600)
            outcomes, wall = drive(server.port, work, sessions, concurrency)
            result = report(database, outcomes, wall, settings, importing, server.killed_workers())
        finally:
            if importing is not None and importing.process.poll() is None:
                importing.process.wait(timeout=1800)
            server.stop()
    finally:
        seeds.unlink(missing_ok=True)
        if url.startswith("sqlite:///") and database == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        elif database == "postgres":
            drop_database(url)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.loadtest", description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="sqlite", help="sqlite, postgres, or a DATABASE_URL (kept)")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--editors", type=int, default=8)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: its config's)")
    parser.add_argument(
        "--import-events",
        type=int,
        default=8000,
        help="events in the file imported during the load (0: no import)",
    )
    parser.add_argument(
        "--only", nargs="+", metavar="NAME", help="what the database is seeded with (import_seeds --only)"
    )
    parser.add_argument("--back-size", type=int, default=BACK_SIZE, help="events per backward page")
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
        import_events=args.import_events,
        only=args.only,
        back_size=args.back_size,
    )
    print(json.dumps(result) if args.json else markdown(result))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
