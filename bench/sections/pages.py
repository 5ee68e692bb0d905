"""Public pages: render time and SQL statements of the explorer and each record page.

Rendered through Django's test client (no HTTP server), so the figures are the view, its
queries and its template, on whatever the benchmark database holds (the million-event
dataset when loaded, else what is there). Records are picked with cheap indexed queries.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

TITLE = "Public pages (explorer and record pages)"
NEEDS_DATASET = False


def _pages() -> list[tuple[str, str]]:
    from events.models import Event, Treaty, Visit
    from people.models import Person
    from places.models import Country, Region

    pages = [("explorer, first page", "/")]
    visit = Visit.objects.select_related("visitor").order_by("pk").first()
    person = visit.visitor if visit else Person.objects.order_by("pk").first()
    if person:
        pages += [("explorer by person", f"/?person={person.slug}"), ("person", f"/people/{person.slug}/")]
        # Feeds and the PLOVER export of the same queries (issue 24).
        pages += [
            ("Atom feed by person", f"/feed.atom?person={person.slug}"),
            ("PLOVER export by person", f"/export/plover.jsonl?person={person.slug}"),
        ]
    country = Country.objects.filter(code="UA").first() or Country.objects.order_by("code").first()
    if country:
        pages += [
            ("explorer by country", f"/?country={country.code}"),
            ("country", f"/countries/{country.code}/"),
            ("Atom feed by country", f"/feed.atom?country={country.code}"),
        ]
    region = Region.objects.filter(iso_code="UA-14").first() or Region.objects.order_by("pk").first()
    if region:
        pages += [("explorer by region", f"/?region={region.slug}"), ("region", f"/regions/{region.slug}/")]
    if event := Event.objects.order_by("pk").first():
        pages.append(("event", f"/events/{event.slug}/"))
    if treaty := Treaty.objects.order_by("pk").first():
        pages.append(("treaty", f"/treaties/{treaty.slug}/"))
    return pages


def measure(*, repeat: int) -> list[dict[str, Any]]:
    """Median render time (ms) and statements of each page."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    rows = []
    for label, url in _pages():
        response, statements, median_ms = timed_get(client, url, repeat)
        rows.append(
            {
                "page": label,
                "url": url,
                "status": response.status_code,
                "statements": statements,
                "median_ms": median_ms,
                "bytes": len(response.content),
            }
        )
    return rows


def timed_get(client: Any, url: str, repeat: int) -> tuple[Any, int, float]:
    """(last response, SQL statements of one render, median ms) of ``repeat`` GETs after a warm one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches (templates, the planner)
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
    return response, len(queries), statistics.median(times)


def run(*, repeat: int) -> str:
    from events.models import Event

    rows = measure(repeat=repeat)
    lines = [
        f"Database: {Event.objects.count():,} events. Median of {repeat} renders each, in one process.",
        "",
        "| page | URL | status | SQL statements | median ms | HTML KiB |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r['page']} | `{r['url']}` | {r['status']} | {r['statements']} | {r['median_ms']:.1f} | "
            f"{r['bytes'] / 1024:.0f} |"
        )
    return "\n".join(lines)
