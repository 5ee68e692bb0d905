"""The timeline as it stood, against the live one, side by side (issue 24: within 5×).

    python -m bench.run --only asof

The same nested timeline page over HTTP (``POST /graphql/``, response cache off): live as served
(timeline-only queries take the value-row path, events/plain_timeline.py), live through the
normal executor, and ``asOf`` a day before the dataset's corrections (bench/history.py: one
event in ten retitled since, one in a hundred deleted), which reads the historical tables
(events/asof_timeline.py). Each case is run in turn in one process, so the ratios compare like
with like on a noisy machine; the plan of the as-of page query names the indexes it used.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench.measure.api import TIMELINE_NODE

TITLE = "Timelines as they stood (asOf)"
NEEDS_DATASET = True
PAGE = 50

QUERY = (
    "query T($first: Int!, $after: String, $filters: TimelineFilter, $asOf: DateTime) {\n"
    "  timeline(first: $first, after: $after, filters: $filters, asOf: $asOf) {" + TIMELINE_NODE + "  }\n}\n"
)


def _median_ms(run: Callable[[], Any], repeat: int) -> float:
    run()  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _post(client: Any, variables: dict[str, Any]) -> dict[str, Any]:
    body = json.dumps({"query": QUERY, "variables": variables})
    payload = client.post("/graphql/", data=body, content_type="application/json").json()
    if payload.get("errors"):
        raise RuntimeError(f"GraphQL errors for {variables}: {payload['errors']}")
    return payload["data"]["timeline"]


def _plan(rows: Any) -> str:
    plan = rows[: PAGE + 1].explain()
    indexes = sorted({w for w in plan.replace("(", " ").split() if w.endswith(("_idx", "_pkey"))})
    scans = [line.split("Seq Scan on ")[1] for line in plan.splitlines() if "Seq Scan on " in line]
    seq = sorted({scan.split()[0] for scan in scans})
    return ", ".join(indexes) + (f"; seq scan: {', '.join(seq)}" if seq else "")


def run(*, repeat: int) -> str:
    from datetime import timedelta

    from django.test import Client, override_settings
    from events.plain_timeline import PlainTimeline

    from bench.history import CORRECTED
    from events.asof_timeline import timeline_as_of
    from events.models import Event
    from events.types.filters import TimelineFilter
    from people.models import Person
    from places.models import Country

    moment = CORRECTED - timedelta(days=1)
    if not Event.history.filter(history_date__lte=moment).exists():
        return "No history rows: regenerate the dataset (`--regenerate`) to write them (bench/history.py)."
    client = Client()
    total = Event.objects.count()
    person = Person.objects.get(pk=1)
    country = Country.objects.order_by("pk").first()
    middle = Event.objects.order_by("date_earliest", "date_latest", "title", "pk")[total // 2]
    cases: list[tuple[str, dict[str, Any]]] = [
        ("first page", {}),
        ("page after the middle event", {"after": middle}),
        (f"country: {country.code}", {"filters": {"country": country.code}}),
        (f"person: {person.slug} (most active)", {"filters": {"person": person.slug}}),
    ]
    lines = [
        f"{total:,} events; {Event.history.count():,} historical event rows. A page of {PAGE} with "
        f"participants, places and citations, median of {repeat} runs per column, as of {moment:%Y-%m-%d} "
        "(before the corrections) against now.",
        "",
        "| case | live, as served (ms) | live, normal executor (ms) | asOf (ms) | asOf ÷ served "
        "| asOf ÷ executor | as-of plan |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    with override_settings(GRAPHQL_RESPONSE_CACHE=False):
        for name, case in cases:
            live_vars: dict[str, Any] = {"first": PAGE, "filters": case.get("filters")}
            as_of_vars: dict[str, Any] = {**live_vars, "asOf": moment.isoformat()}
            if "after" in case:
                live_vars["after"] = _cursor_at(live_vars, case["after"])
                as_of_vars["after"] = _cursor_at(as_of_vars, case["after"])
            served = _median_ms(lambda v=live_vars: _post(client, v), repeat)
            token = PlainTimeline.enabled.set(False)
            try:
                executor = _median_ms(lambda v=live_vars: _post(client, v), repeat)
            finally:
                PlainTimeline.enabled.reset(token)
            then = _median_ms(lambda v=as_of_vars: _post(client, v), repeat)
            filters = case.get("filters") or {}
            rows = timeline_as_of(TimelineFilter(**filters) if filters else None, moment=moment)
            lines.append(
                f"| {name} | {served:.0f} | {executor:.0f} | {then:.0f} | {then / served:.1f}× "
                f"| {then / executor:.1f}× | {_plan(rows)} |"
            )
    return "\n".join(lines)


def _cursor_at(variables: dict[str, Any], event: Any) -> str:
    """The cursor each list hands out for ``event``: the as-of list's, or the live compact one."""
    from datetime import datetime

    from core.cursors import encode_marked
    from events.asof_connection import encode_cursor

    if "asOf" in variables:
        return encode_cursor(datetime.fromisoformat(variables["asOf"]), event.pk)
    values = [str(event.date_earliest), str(event.date_latest), event.title, str(event.pk)]
    return encode_marked(values, [False, False, True, False])
