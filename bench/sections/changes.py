"""The changes feed at scale: a page after a cursor anywhere in a log of a million changes.

    python -m bench.run --only changes

Reads the benchmark dataset's changes log (bench/history.py: a CREATED row per event, then
corrections and deletions) through ``core.changes.changes_after``, the selector the GraphQL
``changes`` connection serves, and shows the plan PostgreSQL chose for each case; then one
event live and as it stood, and the Atom feeds (events/feeds.py) by person and by country at the
dataset's size, so the feed timings at a million events need not run the whole pages section.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench.measure.rounds import Rounds, interleave, timed

TITLE = "Changes feed (core.changes)"
NEEDS_DATASET = True
PAGE = 100


def _rounds(case: str, runs: dict[str, Callable[[], Any]], repeat: int) -> Rounds:
    """Each of ``runs`` warmed once, then timed in shuffled rounds (bench.measure.rounds)."""
    for run in runs.values():
        run()
    return interleave(case, {name: timed(run) for name, run in runs.items()}, rounds=max(repeat, 3))


def _plan(queryset: Any) -> str:
    """The plan's index names, and whether the log was read whole."""
    plan = queryset.explain()
    indexes = sorted({word for word in plan.replace("(", " ").split() if word.endswith(("_idx", "_pkey"))})
    whole = "Seq Scan on core_change" in plan
    return f"{', '.join(indexes) or '-'}{' (whole log read)' if whole else ''}"


def run(*, repeat: int) -> str:
    from datetime import timedelta

    from bench.history import CORRECTED
    from core.changes import ChangeFilters, changes_after, changes_query
    from core.models import Change

    total = Change.objects.count()
    if total == 0:
        return "The changes log is empty: regenerate the dataset (`--regenerate`) to fill it."
    last = Change.objects.order_by("-id").values_list("id", flat=True)[0]
    middle = Change.objects.order_by("id").values_list("id", flat=True)[total // 2]
    corrected = Change.objects.filter(kind="CHANGED").order_by("id").values_list("slug", flat=True).first()
    cases: list[tuple[str, int | None, ChangeFilters]] = [
        ("first page, no cursor", None, ChangeFilters()),
        ("after a cursor half-way down the log", middle, ChangeFilters()),
        ("poll at the tail (nothing new)", last, ChangeFilters()),
        ("events only, half-way", middle, ChangeFilters(models=["event"])),
        ("people only (none logged), from the start", None, ChangeFilters(models=["person"])),
        ("one record by slug", None, ChangeFilters(slug=corrected)),
        ("since the corrections", None, ChangeFilters(since=CORRECTED - timedelta(seconds=1))),
    ]
    timed_cases = _rounds(
        "changes feed",
        {
            name: (lambda a=after, f=filters: changes_after(after=a, first=PAGE + 1, filters=f))
            for name, after, filters in cases
        },
        repeat,
    )
    lines = [
        f"{total:,} changes logged. Each case: the selector's page of {PAGE} (+1 to tell whether "
        f"another follows), median ms with p10–p90 over {timed_cases.describe()}, and the indexes "
        "of PostgreSQL's plan.",
        "",
        "| case | ms (p10–p90) | rows | plan |",
        "|---|---:|---:|---|",
    ]
    for name, after, filters in cases:
        rows = changes_after(after=after, first=PAGE + 1, filters=filters)
        plan = _plan(changes_query(after=after, filters=filters)[: PAGE + 1])
        lines.append(f"| {name} | {timed_cases.spread(name).text()} | {len(rows)} | {plan} |")
    lines += ["", _as_of_event(corrected, repeat), "", *_feeds(repeat)]
    return "\n".join(lines)


def _as_of_event(slug: str, repeat: int) -> str:
    """One event with its lists, live and as it stood before its correction (core.asof)."""
    from datetime import timedelta

    from bench.history import CORRECTED
    from core.asof import record_as_of
    from events.models import Event
    from events.selectors import event_detail

    def live() -> None:
        event = event_detail(slug=slug).first()
        assert event is not None
        list(event.participants.all()), list(event.citations.all()), list(event.countries.all())

    def then() -> None:
        event = record_as_of(Event, CORRECTED - timedelta(days=1), slug=slug)
        assert event is not None
        list(event.participants.all()), list(event.citations.all()), list(event.countries.all())

    pair = _rounds("changes: live and as-of event", {"live": live, "as of": then}, repeat)
    return (
        f"One event with its participants, citations, countries and regions ({slug!r}): live "
        f"{pair.spread('live').text()} ms, as it stood before its correction (`core.asof.record_as_of`) "
        f"{pair.spread('as of').text()} ms; per-round ratio {pair.ratio('as of', 'live').text(2)}× "
        f"({pair.describe()})."
    )


def _feeds(repeat: int) -> list[str]:
    """The Atom feeds the pages section renders (a visitor's, the country UA's), timed in rounds."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from events.models import Visit
    from places.models import Country

    visit = Visit.objects.select_related("visitor").order_by("pk").first()
    country = Country.objects.filter(code="UA").first()
    urls = {}
    if visit is not None:
        urls[f"Atom feed by person ({visit.visitor.slug})"] = f"/feed.atom?person={visit.visitor.slug}"
    if country is not None:
        urls["Atom feed by country (UA)"] = "/feed.atom?country=UA"
    client = Client()
    facts = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        facts[name] = (response.status_code, len(queries), response.content.count(b"<entry>"))
    timed_feeds = interleave(
        "changes: feeds",
        {name: timed(lambda u=url: client.get(u)) for name, url in urls.items()},
        rounds=max(repeat, 3),
    )
    lines = [
        f"Atom feeds, median ms with p10–p90 over {timed_feeds.describe()}:",
        "",
        "| feed | ms (p10–p90) | status | SQL statements | entries |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, (status, statements, entries) in facts.items():
        lines.append(f"| {name} | {timed_feeds.spread(name).text()} | {status} | {statements} | {entries} |")
    return lines
