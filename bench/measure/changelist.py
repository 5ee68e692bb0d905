"""Sections "Admin changelist" and "Counting events": admin pages, and what an exact count costs."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.test import Client

from bench.explain import explain_sql
from bench.measure.cases import fetch, sql_case
from bench.measure.timing import Case, Check, Results, measure

FULL_COUNT = re.compile(r'SELECT COUNT\(\*\) AS "__count" FROM "events_event"\s*$', re.IGNORECASE)


def admin(results: Results, repeat: int) -> None:
    section = "Admin changelist /admin/events/event/"
    user_model = get_user_model()
    user = user_model.objects.filter(username="bench-admin").first()
    if user is None:
        user = user_model.objects.create_superuser("bench-admin", "bench@example.org", None)
    client = Client()
    client.force_login(user)
    event_id = fetch("SELECT id FROM events_event ORDER BY id OFFSET 1000 LIMIT 1")[0][0]

    def get(url: str) -> Callable[[], int]:
        def run() -> int:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            # One checkbox per listed row; a change form has none.
            return response.content.count(b'class="action-select"')

        return run

    # The changelist shows 100 rows a page (list_per_page); the deep page sits mid-table.
    deep_page = max(2, results.dataset.get("deep_offset", 0) // 100)
    urls = {
        "unfiltered": "/admin/events/event/",
        "page 200 (OFFSET 19,900)": "/admin/events/event/?p=200",
        f"page {deep_page:,} (OFFSET {(deep_page - 1) * 100:,})": f"/admin/events/event/?p={deep_page}",
        "kind = VISIT": "/admin/events/event/?kind__exact=VISIT",
        "status = DISPUTED": "/admin/events/event/?status__exact=DISPUTED",
        "country (where) = UA": "/admin/events/event/?country=UA",
        "date period = 2022": "/admin/events/event/?date_period=2022",
        "search q=Donetsk": "/admin/events/event/?q=Donetsk",
        "change form": f"/admin/events/event/{event_id}/change/",
    }
    cases = [Case(name, get(url), note=url) for name, url in urls.items()]
    measure(results, section, cases, repeat)
    results.ratio(section, "filtered (kind) / unfiltered", "kind = VISIT", "unfiltered")
    for result in results.results:
        if result.section != section:
            continue
        full = [s for s in result.sql if FULL_COUNT.search(s.strip())]
        counts = [s for s in result.sql if "COUNT(" in s.upper()]
        result.note = f"{result.note}; {len(counts)} COUNT statement(s)" + ("; FULL COUNT(*)" if full else "")
        if result.name == "unfiltered":
            results.checks.append(
                Check(
                    "admin unfiltered changelist runs no full COUNT(*) over events_event",
                    not full,
                    f"{result.queries} statements, {len(counts)} with COUNT",
                )
            )
        # The slowest statement of each page, explained: the one that decides the time.
        if result.name != "change form":
            main = [s for s in result.sql if 'FROM "events_event"' in s]
            if main:
                slowest = max(main, key=lambda s: _time_statement(s))
                result.plan = explain_sql(slowest)


def _time_statement(sql: str) -> float:
    started = time.perf_counter()
    fetch(sql)
    return time.perf_counter() - started


def counting(results: Results, repeat: int) -> None:
    section = "Counting events"
    cases = [
        sql_case("SELECT COUNT(*) FROM events_event", "SELECT COUNT(*) FROM events_event"),
        sql_case(
            "planner estimate (pg_class.reltuples)",
            "SELECT reltuples::bigint FROM pg_class WHERE oid = 'events_event'::regclass",
        ),
    ]
    measure(results, section, cases, repeat)
    results.ratio(section, "COUNT(*) / estimate", cases[0].name, cases[1].name)
