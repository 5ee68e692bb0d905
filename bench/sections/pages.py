"""Public pages: render time and SQL statements of the explorer and each record page, at two sizes.

Rendered through Django's test client (no HTTP server), so the figures are the view, its
queries and its template. Records are picked with cheap indexed queries.

On the benchmark dataset (the table comment bench.run leaves), every page is measured at two
sizes side by side (issue 25: the country page went from 151 to 326 ms as the record grew from
10k to 1M events): the benchmark database, and a smaller dataset of
``BENCH_PAGES_SMALL_EVENTS`` events (20,000 unless set) generated into a database of this run's
own and dropped at the end (``BENCH_PAGES_SMALL_URL`` names an already loaded one to reuse
instead). Each size is served by a worker process of its own (``python -m bench.sections.pages
URL``, DEBUG off, response cache off); every round asks both for every page in a shuffled order
(bench/measure/rounds.py), and the growth large/small is the median of the per-round ratios.
The busiest person's and the country's pages are also timed as the first view after a write
(``AFRESH``): their overview then counts the whole record (events.overview keeps the counts per
data version), which the warm rows do not show.

On any other database (the suite's, a development one) the pages are measured in this process,
at that one size.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from bench.measure.rounds import Rounds, interleave, timed
from bench.sections import ROOT, UNCACHED, setup_worker

TITLE = "Public pages (explorer and record pages)"
NEEDS_DATASET = True  # its growth compares the loaded dataset with a small one
SMALL_EVENTS = 20_000


def _pages() -> list[tuple[str, str]]:
    from django.db.models import Count

    from events.models import Event, Participation, Treaty
    from people.models import Person
    from places.models import Country, Region

    pages = [("explorer, first page", "/")]
    # The busiest person's record grows with the dataset (the generator skews participation).
    busiest = (
        Participation.objects.exclude(person=None)
        .values("person__slug")
        .annotate(n=Count("pk"))
        .order_by("-n", "person__slug")
        .values_list("person__slug", flat=True)
        .first()
    )
    person = _quiet_person(besides=busiest) or Person.objects.order_by("pk").first()
    if person:
        pages += [
            ("explorer by person", f"/?person={person.slug}"),
            (f"person (~{QUIET_EVENTS} events)", f"/people/{person.slug}/"),
        ]
        # Feeds and the PLOVER export of the same queries (issue 24).
        pages += [
            ("Atom feed by person", f"/feed.atom?person={person.slug}"),
            ("PLOVER export by person", f"/export/plover.jsonl?person={person.slug}"),
        ]
    if busiest and (person is None or busiest != person.slug):
        pages.append(("person, most active", f"/people/{busiest}/"))
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


# Pages also timed as the first view after a write, when their overview counts the whole record.
AFRESH = ("person, most active", "country")
AFTER_A_WRITE = ", first view after a write"

# The quiet person's own record: about this many events at every dataset size.
QUIET_EVENTS = 50


def _quiet_person(*, besides: str | None) -> Any:
    """A visitor with about QUIET_EVENTS events, at any dataset size, other than ``besides``.

    The first visitor was a different person at each size (48 events at 200,000, 1,366 at a
    million): the growth then measured a bigger person, not a bigger record around one.
    """
    from django.db.models import Count, F
    from django.db.models.functions import Abs

    from events.models import Participation, Visit
    from people.models import Person

    nearest = (
        Participation.objects.filter(person__in=Visit.objects.values("visitor"))
        .exclude(person__slug=besides)
        .values("person")
        .annotate(n=Count("pk"))
        .order_by(Abs(F("n") - QUIET_EVENTS), "person")
        .values_list("person", flat=True)
        .first()
    )
    return Person.objects.filter(pk=nearest).first() if nearest else None


def render_once(client: Any, url: str) -> dict[str, Any]:
    """One GET of ``url``: status, SQL statements, HTML bytes (statements counted, so not timed)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return {"status": response.status_code, "statements": len(queries), "bytes": len(response.content)}


def timed_pages(client: Any, pages: list[tuple[str, str]], repeat: int, case: str) -> list[dict[str, Any]]:
    """Each page rendered once to count its statements (and warm it), then every page timed in
    shuffled rounds with the others; rows with the median and p10/p90 ms."""
    found = {label: {"page": label, "url": url, **render_once(client, url)} for label, url in pages}
    rounds = interleave(
        case,
        {label: timed(lambda url=url: client.get(url)) for label, url in pages},
        rounds=max(repeat, 3),
    )
    for label, row in found.items():
        spread = rounds.spread(label)
        row.update(median_ms=spread.median, p10_ms=spread.p10, p90_ms=spread.p90, rounds=rounds.describe())
    return list(found.values())


def measure(*, repeat: int) -> list[dict[str, Any]]:
    """Median render time (ms, with p10/p90) and statements of each page, in this process."""
    from django.test import Client

    return timed_pages(Client(HTTP_HOST="127.0.0.1"), _pages(), repeat, "public pages")


# -- two sizes side by side ----------------------------------------------------------------------


class PageWorker:
    """A worker process rendering pages of one database on request (one JSON line each way)."""

    def __init__(self, database_url: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.sections.pages", database_url],
            cwd=ROOT,
            env={**os.environ, **UNCACHED},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, **request: Any) -> Any:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"page worker exited with {self.process.wait()}")
        return json.loads(line)

    def timer(self, url: str, *, cold: bool = False) -> Callable[[], float]:
        """A variant: the worker's own timing of one render of ``url`` (no pipe time in it);
        ``cold``: as the first view after a write, its overview counted afresh."""
        return lambda: float(self.ask(time=url, cold=cold)["ms"])

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=60)


def _serve(database_url: str) -> None:
    """The worker's loop: ``{"pages": true}``, ``{"count": url}`` or ``{"time": url}`` per line."""
    setup_worker(database_url, debug=False)
    from django.test import Client

    from events.models import Event

    client = Client(HTTP_HOST="127.0.0.1")
    for line in sys.stdin:
        request = json.loads(line)
        if "pages" in request:
            answer: Any = {"events": Event.objects.count(), "pages": _pages()}
        elif "count" in request:
            answer = render_once(client, request["count"])
        else:
            with _counted_afresh() if request.get("cold") else nullcontext():
                started = time.perf_counter()
                client.get(request["time"])
                answer = {"ms": (time.perf_counter() - started) * 1000}
        print(json.dumps(answer), flush=True)


@contextmanager
def _counted_afresh() -> Iterator[None]:
    """Render as the first view after a write: the overview's counts (events.overview, kept per
    data version) come from an empty cache, while the worker's own stays warm for the others."""
    from django.core.cache.backends.locmem import LocMemCache

    from events import overview

    kept = overview.cache
    empty = LocMemCache("bench-pages-afresh", {})
    empty.clear()
    overview.cache = empty  # type: ignore[assignment]
    try:
        yield
    finally:
        overview.cache = kept


def dataset_events() -> int | None:
    """The event count of the benchmark dataset in this database, or None when it holds none."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description('events_event'::regclass, 'pg_class')")
        comment = cursor.fetchone()[0]
    try:
        marker = json.loads(comment or "{}").get("marker", "")
    except ValueError:
        return None
    found = [part for part in marker.split() if part.startswith("events=")]
    return int(found[0].removeprefix("events=")) if found else None


@contextmanager
def small_dataset(events: int) -> Iterator[str]:
    """A database holding the ``events``-event bench dataset: ``BENCH_PAGES_SMALL_URL`` (kept),
    else one of this run's own, loaded by ``bench.run --load-only`` and dropped at the end."""
    from bench.scratch import postgres_database

    if explicit := os.environ.get("BENCH_PAGES_SMALL_URL"):
        _load(explicit, events)
        yield explicit
        return
    with postgres_database("pages_small") as url:
        _load(url, events)
        yield url


def _load(url: str, events: int) -> None:
    seed = os.environ.get("BENCH_SEED", "2024")
    command = [sys.executable, "-m", "bench.run", "--events", str(events), "--seed", seed, "--load-only"]
    env = {**os.environ, "BENCH_DATABASE_URL": url}
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def two_sizes(large_url: str, small_url: str, repeat: int) -> dict[str, Any]:
    """Every page at both sizes, timed in shuffled rounds; per page each size's spread and the
    per-round growth large/small."""
    workers = {"small": PageWorker(small_url), "large": PageWorker(large_url)}
    try:
        listed = {size: worker.ask(pages=True) for size, worker in workers.items()}
        urls = {size: dict(found["pages"]) for size, found in listed.items()}
        labels = [label for label, _ in listed["large"]["pages"] if label in urls["small"]]
        counted = {
            size: {label: workers[size].ask(count=urls[size][label]) for label in labels} for size in workers
        }
        variants = {
            (label, size): workers[size].timer(urls[size][label]) for label in labels for size in workers
        }
        for label in [label for label in AFRESH if label in labels]:
            for size in workers:
                variants[(f"{label}{AFTER_A_WRITE}", size)] = workers[size].timer(
                    urls[size][label], cold=True
                )
                urls[size][f"{label}{AFTER_A_WRITE}"] = urls[size][label]
                counted[size][f"{label}{AFTER_A_WRITE}"] = counted[size][label]
            labels.append(f"{label}{AFTER_A_WRITE}")
        rounds: Rounds = interleave(
            "pages at two sizes",
            {f"{size}: {label}": run for (label, size), run in variants.items()},
            rounds=max(repeat, 5),
        )
    finally:
        for worker in workers.values():
            worker.close()
    rows = []
    for label in labels:
        rows.append(
            {
                "page": label,
                "url": urls["large"][label],
                "small": rounds.spread(f"small: {label}"),
                "large": rounds.spread(f"large: {label}"),
                "growth": rounds.ratio(f"large: {label}", f"small: {label}"),
                "statements": {size: counted[size][label]["statements"] for size in workers},
                "status": {size: counted[size][label]["status"] for size in workers},
                "kib": counted["large"][label]["bytes"] / 1024,
            }
        )
    events = {size: found["events"] for size, found in listed.items()}
    return {"events": events, "rows": rows, "rounds": rounds}


def render_two_sizes(result: dict[str, Any]) -> list[str]:
    small, large = result["events"]["small"], result["events"]["large"]
    lines = [
        f"Each page at {small:,} and at {large:,} events, side by side: median ms with p10–p90 over "
        f"{result['rounds'].describe()}; growth is the median of the per-round ratios "
        "large/small (1.00 is flat). Statements small / large.",
        "",
        f"| page | URL | status | SQL statements | {small:,} events ms | {large:,} events ms "
        "| growth | HTML KiB |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in result["rows"]:
        status = "/".join(str(s) for s in dict.fromkeys(r["status"].values()))
        lines.append(
            f"| {r['page']} | `{r['url']}` | {status} | {r['statements']['small']} / "
            f"{r['statements']['large']} | {r['small'].text()} | {r['large'].text()} | "
            f"{r['growth'].text(2)} | {r['kib']:.0f} |"
        )
    return lines


def run(*, repeat: int) -> str:
    from events.models import Event

    events = dataset_events()
    small_events = int(os.environ.get("BENCH_PAGES_SMALL_EVENTS", SMALL_EVENTS))
    if events is not None and events > small_events:
        with small_dataset(small_events) as small_url:
            return "\n".join(render_two_sizes(two_sizes(os.environ["DATABASE_URL"], small_url, repeat)))
    rows = measure(repeat=repeat)
    lines = [
        f"Database: {Event.objects.count():,} events. Median ms with p10–p90 of each page, in one "
        f"process, over {rows[0]['rounds'] if rows else 'no rounds'}.",
        "",
        "| page | URL | status | SQL statements | ms (p10–p90) | HTML KiB |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r['page']} | `{r['url']}` | {r['status']} | {r['statements']} | "
            f"{r['median_ms']:.1f} ({r['p10_ms']:.1f}–{r['p90_ms']:.1f}) | {r['bytes'] / 1024:.0f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    _serve(sys.argv[1])
