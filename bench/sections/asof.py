"""The timeline as it stood, against the live one, side by side (issue 24: within 5×).

    python -m bench.run --only asof

The same nested timeline page over HTTP (``POST /graphql/``, response cache off): live as served
(the compiled read path, core/graphql/compiled/), live through the normal executor, and ``asOf``
a day before the dataset's corrections (bench/history.py: one event in ten retitled since, one in
a hundred deleted), which reads the historical tables (events/asof_timeline.py). Each case's three
columns are timed in shuffled rounds in one process (bench/measure/rounds.py), and each ratio is
the median of the per-round ratios with its p10–p90, so the ratios compare like with like on a
noisy machine; the plan of the as-of page query names the indexes it used.
"""

from __future__ import annotations

import json
from typing import Any

from bench.measure.api import TIMELINE_NODE
from bench.measure.rounds import interleave, timed

TITLE = "Timelines as they stood (asOf)"
NEEDS_DATASET = True
PAGE = 50

QUERY = (
    "query T($first: Int!, $after: String, $filters: TimelineFilter, $asOf: DateTime) {\n"
    "  timeline(first: $first, after: $after, filters: $filters, asOf: $asOf) {" + TIMELINE_NODE + "  }\n}\n"
)


def _post(client: Any, variables: dict[str, Any]) -> dict[str, Any]:
    body = json.dumps({"query": QUERY, "variables": variables})
    payload = client.post("/graphql/", data=body, content_type="application/json").json()
    if payload.get("errors"):
        raise RuntimeError(f"GraphQL errors for {variables}: {payload['errors']}")
    return payload["data"]["timeline"]


def _post_through_executor(client: Any, variables: dict[str, Any]) -> dict[str, Any]:
    """The same request with the compiled read path off, so the normal executor serves it."""
    from core.graphql.compiled.extension import CompiledReads

    token = CompiledReads.enabled.set(False)
    try:
        return _post(client, variables)
    finally:
        CompiledReads.enabled.reset(token)


def _plan(rows: Any) -> str:
    plan = rows[: PAGE + 1].explain()
    indexes = sorted({w for w in plan.replace("(", " ").split() if w.endswith(("_idx", "_pkey"))})
    scans = [line.split("Seq Scan on ")[1] for line in plan.splitlines() if "Seq Scan on " in line]
    seq = sorted({scan.split()[0] for scan in scans})
    return ", ".join(indexes) + (f"; seq scan: {', '.join(seq)}" if seq else "")


def run(*, repeat: int) -> str:
    from datetime import timedelta

    from django.test import Client, override_settings

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
        f"participants, places and citations, as of {moment:%Y-%m-%d} (before the corrections) against "
        "now: median ms with p10–p90, each ratio the median of the per-round ratios.",
        "",
        "| case | live, as served (ms) | live, normal executor (ms) | asOf (ms) | asOf ÷ served "
        "| asOf ÷ executor | as-of plan |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    described = []
    with override_settings(GRAPHQL_RESPONSE_CACHE=False):
        for name, case in cases:
            live_vars: dict[str, Any] = {"first": PAGE, "filters": case.get("filters")}
            as_of_vars: dict[str, Any] = {**live_vars, "asOf": moment.isoformat()}
            if "after" in case:
                live_vars["after"] = _cursor_at(live_vars, case["after"])
                as_of_vars["after"] = _cursor_at(as_of_vars, case["after"])
            runs = {
                "served": lambda v=live_vars: _post(client, v),
                "executor": lambda v=live_vars: _post_through_executor(client, v),
                "asOf": lambda v=as_of_vars: _post(client, v),
            }
            for warm in runs.values():  # caches and connections, paid once before the rounds
                warm()
            rounds = interleave(
                f"asof: {name}", {label: timed(run) for label, run in runs.items()}, rounds=max(repeat, 3)
            )
            described.append(f"- {name}: {rounds.describe()}")
            filters = case.get("filters") or {}
            rows = timeline_as_of(TimelineFilter(**filters) if filters else None, moment=moment)
            columns = [rounds.spread(label).text(0) for label in runs]
            ratios = [rounds.ratio("asOf", label).text(1) + "×" for label in ("served", "executor")]
            lines.append(f"| {name} | {' | '.join(columns + ratios)} | {_plan(rows)} |")
    return "\n".join([*lines, "", *described])


def _cursor_at(variables: dict[str, Any], event: Any) -> str:
    """The cursor each list hands out for ``event``: the as-of list's, or the live compact one."""
    from datetime import datetime

    from core.cursors import encode_marked
    from events.asof_connection import encode_cursor

    if "asOf" in variables:
        return encode_cursor(datetime.fromisoformat(variables["asOf"]), event.pk)
    values = [str(event.date_earliest), str(event.date_latest), event.title, str(event.pk)]
    return encode_marked(values, [False, False, True, False])
