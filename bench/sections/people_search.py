"""People search by any form of a name (issue 20): ``people(search:)`` and the explorer's suggestions.

In databases of its own (PostgreSQL and a SQLite file, named for the run and dropped at the end:
bench/scratch.py), each in a subprocess (``python -m bench.sections.people_search DATABASE_URL``):
people are inserted to the imported size (5,728, the bundled datasets' count) and then to
the million-event bench's (50,000); at each size, the median time in-process (Django's
test client: view, queries, JSON) of ``/people/suggest?q=…`` and of ``people(search:)``
over GraphQL, for a prefix, a name without its middle name, a Cyrillic alias, a
transliteration and a near miss. On PostgreSQL, EXPLAIN ANALYZE of the suggestion's
match query says which index answers it. Target: a suggestion under 50 ms on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

from bench.scratch import postgres_database, sqlite_database
from bench.sections import UNCACHED, setup_worker, worker_result

TITLE = "People search by any form of a name (issue 20)"
NEEDS_DATASET = False
ROOT = Path(__file__).resolve().parents[2]
SIZES = (5_728, 50_000)
QUERIES = (
    ("prefix", "kerr"),
    ("given + family", "John Kerry"),
    ("Cyrillic alias", "Зеленський"),
    ("transliteration", "Zelenskiy"),
    ("near miss", "Walensa"),
)
PEOPLE = "query ($s: String) { people(search: $s, first: 10) { edges { node { slug name } } } }"
# Real people the queries look for, among the generated ones.
KNOWN = (
    ("kerry-john-forbes", "John Forbes Kerry", []),
    ("volodymyr-zelenskyy", "Volodymyr Zelenskyy", ["Volodymyr Zelensky", "Володимир Зеленський"]),
    ("walesa-lech", "Lech Wałęsa", []),
)


def _names(rnd: random.Random, count: int, start: int) -> list[tuple[str, str]]:
    from bench.values import GIVEN_NAMES, random_name

    rows = []
    for pk in range(start, start + count):
        middle = f" {random_name(rnd, 2)}" if rnd.random() < 0.3 else ""
        name = f"{rnd.choice(GIVEN_NAMES)}{middle} {random_name(rnd, 3)}"
        rows.append((f"person-{pk}", name))
    return rows


def _grow(to: int, rnd: random.Random) -> None:
    from people.models import Person

    have = Person.objects.count()
    if have == 0:
        Person.objects.bulk_create(Person(slug=s, name=n, aliases=a) for s, n, a in KNOWN)
        have = len(KNOWN)
    # bulk_create runs each field's pre_save, so the search key is filled as on any insert.
    people = [Person(slug=s, name=n) for s, n in _names(rnd, to - have, have)]
    Person.objects.bulk_create(people, batch_size=2000)


def _timed_ms(call: object, repeat: int) -> tuple[float, float]:
    """Median and fastest of ``repeat`` calls, in ms; on a shared, busy machine the fastest is
    the closer estimate of the work itself (the load average is in the report)."""
    call()  # warm: templates, the planner, caches
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times)


def _worker(url: str, repeat: int) -> None:
    setup_worker(url, debug=False)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from people.selectors import person_suggestions

    call_command("migrate", verbosity=0, interactive=False)
    client = Client()
    rnd = random.Random(2026)
    result: dict = {"vendor": connection.vendor, "sizes": []}
    for size in SIZES:
        _grow(size, rnd)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE people_person")
        rows = []
        for label, text in QUERIES:
            suggested = client.get("/people/suggest", {"q": text}).json()["people"]
            suggest_ms = _timed_ms(lambda t=text: client.get("/people/suggest", {"q": t}), repeat)
            body = json.dumps({"query": PEOPLE, "variables": {"s": text}})
            graphql_ms = _timed_ms(
                lambda b=body: client.post("/graphql/", b, content_type="application/json"), repeat
            )
            row = {
                "label": label,
                "text": text,
                "first": suggested[0]["name"] if suggested else "—",
                "suggest_ms": suggest_ms,
                "graphql_ms": graphql_ms,
            }
            if connection.vendor == "postgresql":
                from bench.explain import explain_queryset

                plan = explain_queryset(person_suggestions(text=text))
                row["plan"] = plan.one_line()
                row["plan_ms"] = plan.execution_ms
            rows.append(row)
        result["sizes"].append({"people": size, "rows": rows})
    print(json.dumps(result))


def _measure(url: str, repeat: int) -> dict:
    return worker_result("bench.sections.people_search", url, str(repeat), env=UNCACHED)


def run(*, repeat: int) -> str:
    # Databases of this run's own, dropped at the end (bench/scratch.py).
    with postgres_database("people_search") as pg_url, sqlite_database("people_search") as sqlite_url:
        return _run(pg_url, sqlite_url, repeat)


def _run(pg_url: str, sqlite_url: str, repeat: int) -> str:
    table = [
        "| database | people | query | typed | first suggestion | suggest median / fastest (ms) "
        "| people(search:) median / fastest (ms) |",
        "|---|---|---|---|---|---|---|",
    ]
    plans = []
    for name, url in (("PostgreSQL", pg_url), ("SQLite", sqlite_url)):
        r = _measure(url, max(repeat, 5))
        for size in r["sizes"]:
            for row in size["rows"]:
                table.append(
                    f"| {name} | {size['people']:,} | {row['label']} | `{row['text']}` | {row['first']} "
                    f"| {row['suggest_ms'][0]:.1f} / {row['suggest_ms'][1]:.1f} "
                    f"| {row['graphql_ms'][0]:.1f} / {row['graphql_ms'][1]:.1f} |"
                )
                if "plan" in row:
                    plans.append(
                        f"| {size['people']:,} | `{row['text']}` | {row['plan_ms']:.2f} | {row['plan']} |"
                    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"Machine load average (1, 5, 15 min) at the end: {load}. "
        "Generated people (given name, sometimes a middle name, a surname) with Kerry, Zelenskyy "
        "(with a Cyrillic alias) and Wałęsa among them, in databases of their own; the median of "
        f"{max(repeat, 5)} requests each through Django's test client, in one process. A "
        "suggestion is three statements: whether the matches are few, the near-miss candidates, "
        "the ranked matches "
        "(core/namesearch.py). Target: a suggestion under 50 ms on PostgreSQL.\n\n"
        + "\n".join(table)
        + "\n\nPostgreSQL plan of the suggestion's match query (EXPLAIN ANALYZE):\n\n"
        "| people | typed | execution (ms) | plan |\n|---|---|---|---|\n" + "\n".join(plans)
    )


if __name__ == "__main__":
    _worker(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5)
