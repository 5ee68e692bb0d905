"""The Office of the Historian's datasets (issue 9): first import, no-op re-imports, a person page.

``import_seeds``'s default run (the curated seeds and the three bundled hsg datasets) goes
into empty databases of its own, a PostgreSQL database and a SQLite file named for the
run (bench/scratch.py, dropped at the end), each in a subprocess (``python -m
bench.sections.hsg DATABASE_URL``)
with DEBUG off, as a deployment runs. It then runs twice more: the default run (files and
data as the last run left them: "Up to date", nothing read) and ``--full`` (every record read
and compared; writes nothing). Last, the busiest person's page in one GraphQL request — every
visit, trip and role — beside a person with few, counting SQL statements.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from bench.scratch import postgres_database, sqlite_database
from bench.sections import UNCACHED, setup_worker, worker_result

TITLE = "The Office of the Historian's datasets: import and person timelines (issue 9)"
NEEDS_DATASET = False
ROOT = Path(__file__).resolve().parents[2]
PERSON = """query ($slug: String!) { person(slug: $slug) { name
  roles { title start { edtf } end { edtf } endState postCountry { code } postOrganization { slug }
    citations { locator } }
  visits { slug hostCountry { code } destinations { name } event { date { edtf } title summary } }
  identifiers { scheme value } } }"""


def _worker(url: str) -> None:
    setup_worker(url, debug=False)
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from people.models import Person
    from seeds.importer import run_import

    call_command("migrate", verbosity=0, interactive=False)

    def rows(historical: bool) -> int:
        return sum(
            m._base_manager.count()
            for label in ("places", "people", "events")
            for m in apps.get_app_config(label).get_models()
            if m.__name__.startswith("Historical") == historical
        )

    result: dict = {}
    for run, full in (("first", False), ("again", False), ("full", True)):
        before = rows(True)
        started = time.perf_counter()
        report = run_import(full=full)
        took = time.perf_counter() - started
        result[run] = {
            "seconds": took,
            "written": report.stats.written,
            "history": rows(True) - before,
            "up_to_date": report.up_to_date is not None,
            "steps": report.timings,
        }
    result["rows"] = rows(False)
    busiest = (
        Person.objects.annotate(n=Count("visits")).order_by("-n", "slug").values_list("slug", "n").first()
    )
    pages = []
    for slug in (busiest[0], "andrzej-duda"):
        client = Client()
        body = json.dumps({"query": PERSON, "variables": {"slug": slug}})
        client.post("/graphql/", body, content_type="application/json")  # warm: schema, caches
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.post("/graphql/", body, content_type="application/json")
            took = time.perf_counter() - started
        body_json = response.json()
        assert not body_json.get("errors"), body_json["errors"]
        data = body_json["data"]["person"]
        pages.append(
            {
                "slug": slug,
                "visits": len(data["visits"]),
                "roles": len(data["roles"]),
                "statements": len(queries),
                "seconds": took,
            }
        )
    result["pages"] = pages
    print(json.dumps(result))


def _measure(url: str) -> dict:
    # Each page request measured as computed, not answered from the response cache.
    return worker_result("bench.sections.hsg", url, env=UNCACHED)


def run(*, repeat: int) -> str:
    # Databases of this run's own, dropped at the end (bench/scratch.py).
    with postgres_database("hsg") as pg_url, sqlite_database("hsg") as sqlite_url:
        return _run(pg_url, sqlite_url)


def _run(pg_url: str, sqlite_url: str) -> str:
    table = [
        "| database | first import (s) | rows written | history rows | records/s with history "
        "| steps of the first (s) | no-op, default (s) | no-op, `--full` (s) | `--full` wrote |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    pages: list[str] = []
    for name, url in (("PostgreSQL", pg_url), ("SQLite", sqlite_url)):
        r = _measure(url)
        first, again, full = r["first"], r["again"], r["full"]
        assert again["up_to_date"] and not full["up_to_date"], "the default re-run should be up to date"
        assert full["written"] == 0 and full["history"] == 0, "a --full re-run should write nothing"
        steps = ", ".join(f"{k} {v:.1f}" for k, v in first["steps"].items())
        table.append(
            f"| {name} | {first['seconds']:.1f} | {first['written']:,} | {first['history']:,} "
            f"| {(first['written'] + first['history']) / first['seconds']:,.0f} | {steps} "
            f"| {again['seconds']:.2f} | {full['seconds']:.1f} | {full['written']} |"
        )
        for page in r["pages"]:
            pages.append(
                f"| {name} | `{page['slug']}` | {page['visits']} | {page['roles']} "
                f"| {page['statements']} | {page['seconds'] * 1000:,.0f} |"
            )
    return (
        "`import_seeds`'s default run (the curated seeds, hsg-pocom, hsg-travels, hsg-visits) into "
        "an empty database, then the default run again (files and data unchanged: answered from "
        "the fingerprint, `seeds/importer/runs.py`) and `--full` (reads and compares every "
        "record, writes nothing). Records/s counts rows written plus their historical rows over "
        "the whole run (read, resolve, validate, write). Targets: first import under 60 s and "
        "no-op under 10 s on PostgreSQL.\n\n"
        + "\n".join(table)
        + "\n\nA person's page in one GraphQL request (every visit with its destinations and "
        "event, every role with its citations): the busiest visitor beside one with a few. The "
        "statement count does not grow with the visits.\n\n"
        "| database | person | visits | roles | SQL statements | time (ms) |\n|---|---|---|---|---|---|\n"
        + "\n".join(pages)
    )


if __name__ == "__main__":
    _worker(sys.argv[1])
