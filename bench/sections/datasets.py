"""The bundled GGO, RDCR, timeline and milestones datasets (issues 10, 21): import, no-op, treaty reads.

Each database (PostgreSQL and SQLite, of this run's own: bench/scratch.py, dropped at the end) is
made empty and migrated in a subprocess (``python -m bench.sections.datasets URL``); the
curated seeds go in first (gazetteer, organisations, former states: the parties need
them), then each dataset alone with ``import_seeds --only NAME`` through the services,
history included, then the same again, which writes nothing. At the imported size it
then times, as one page each, the treaty list filtered by two parties and a country's
treaty list with its own steps (the selectors the API runs, and the same over GraphQL),
with the query plans.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.scratch import postgres_database, sqlite_database
from bench.sections import setup_worker, worker_result

TITLE = "Bundled datasets: GGO treaties, RDCR relations, timeline and milestones; import and treaty reads"
NEEDS_DATASET = False
ROOT = Path(__file__).resolve().parents[2]
DATASETS = ("manytreaties-ggo", "hsg-rdcr", "hsg-administrative-timeline", "hsg-milestones")
PAGE = 20
TWO_PARTIES = """{ treaties(filters: {parties: ["RU", "KP"]}, first: 20) { totalCount
  edges { node { slug name signed { edtf } parties { country { code } ratified { edtf } } } } } }"""
COUNTRY_LIST = """{ country(code: "PL") {
  treaties(filters: {ratifiedFrom: "1997", ratifiedTo: "1997"}, first: 20) { totalCount
  edges { node { ratified { edtf } treaty { slug name } } } } } }"""


def _timed(fn: Any, repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, result


def _worker(url: str, repeat: int) -> None:
    setup_worker(url, debug=True)
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from events.selectors import party_steps, treaty_list
    from places.models import Country
    from seeds.importer import run_import

    call_command("migrate", verbosity=0, interactive=False)
    result: dict[str, Any] = {"imports": {}}
    run_import(only=["seeds"])
    history_before = _history_rows(apps)
    for name in DATASETS:
        runs = {}
        for run in ("first", "again"):
            started = time.perf_counter()
            report = run_import(only=[name])
            runs[run] = {
                "seconds": time.perf_counter() - started,
                "written": report.stats.written,
                "timings": report.timings,
                "problems": len(report.data_problems),
            }
        result["imports"][name] = runs
    result["history_rows"] = _history_rows(apps) - history_before
    result["counts"] = {
        label: apps.get_model(label).objects.count()
        for label in (
            "events.Treaty",
            "events.TreatyParty",
            "events.Event",
            "events.Citation",
            "events.Source",
        )
    }
    vendor = connection.vendor
    explain = {"analyze": True, "buffers": True} if vendor == "postgresql" else {}
    pl = Country.objects.get(code="PL")
    pages = {
        "treaties(parties: RU, KP)": lambda: treaty_list(parties=["RU", "KP"]),
        "country(PL).treaties(ratified 1997)": lambda: party_steps(
            country=pl, ratified_from=_day("1997-01-01"), ratified_to=_day("1997-12-31")
        ),
    }
    result["queries"] = {}
    for label, qs in pages.items():
        ms, rows = _timed(lambda qs=qs: list(qs()[:PAGE]), repeat)
        result["queries"][label] = {"ms": ms, "rows": len(rows), "plan": qs()[:PAGE].explain(**explain)}
    client = Client()
    for label, query in (
        ("GraphQL: treaties by two parties", TWO_PARTIES),
        ("GraphQL: PL ratified 1997", COUNTRY_LIST),
    ):

        def post(query: str = query) -> Any:
            return client.post("/graphql/", {"query": query}, content_type="application/json").json()

        ms, body = _timed(post, repeat)
        assert "errors" not in body, body
        result["queries"][label] = {"ms": ms, "rows": None, "plan": ""}
    print(json.dumps(result, default=str))


def _day(text: str) -> Any:
    from datetime import date

    return date.fromisoformat(text)


def _history_rows(apps: Any) -> int:
    return sum(m.objects.count() for m in apps.get_models() if m.__name__.startswith("Historical"))


def _measure(url: str, repeat: int) -> dict[str, Any]:
    return worker_result("bench.sections.datasets", url, str(repeat))


def run(*, repeat: int) -> str:
    # Databases of this run's own, dropped at the end (bench/scratch.py).
    with postgres_database("datasets") as pg_url, sqlite_database("datasets") as sqlite_url:
        return _run(pg_url, sqlite_url, repeat)


def _run(pg_url: str, sqlite_url: str, repeat: int) -> str:
    out = [
        "`import_seeds --only NAME` through the batch services (history rows included) into a database "
        "holding only the curated seeds, then the same again (a no-op).",
        "",
        "| database | dataset | first import (s) | rows written | rows/s | no-op (s) | no-op wrote |",
        "|---|---|---|---|---|---|---|",
    ]
    results = {}
    for name, url in (("PostgreSQL", pg_url), ("SQLite", sqlite_url)):
        r = results[name] = _measure(url, repeat)
        for dataset, runs in r["imports"].items():
            first, again = runs["first"], runs["again"]
            out.append(
                f"| {name} | {dataset} | {first['seconds']:.1f} | {first['written']:,} | "
                f"{first['written'] / first['seconds']:,.0f} | {again['seconds']:.1f} | {again['written']} |"
            )
    pg = results["PostgreSQL"]
    out += [
        "",
        "Imported (PostgreSQL): "
        + ", ".join(f"{k} {v:,}" for k, v in pg["counts"].items())
        + f"; {pg['history_rows']:,} history rows.",
        "",
    ]
    out += ["| query (one page of 20) | PostgreSQL (ms) | SQLite (ms) | rows |", "|---|---|---|---|"]
    for label, q in pg["queries"].items():
        lite = results["SQLite"]["queries"][label]
        out.append(
            f"| {label} | {q['ms']:.1f} | {lite['ms']:.1f} | {q['rows'] if q['rows'] is not None else ''} |"
        )
    for label, q in pg["queries"].items():
        if q["plan"]:
            out += ["", f"PostgreSQL plan, {label}:", "", "```", q["plan"], "```"]
    return "\n".join(out)


if __name__ == "__main__":
    _worker(sys.argv[1], int(sys.argv[2]))
