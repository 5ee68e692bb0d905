"""The timeline as it stood, against the live one, side by side (issue 24: within 5×).

    python -m bench.run --only asof

The same nested timeline page over HTTP (``POST /graphql/``, response cache off): live as served
(the compiled read path, core/graphql/compiled), live through the normal executor, and ``asOf``
a day before the dataset's corrections (bench/history.py: one event in ten retitled since, one
in a hundred deleted), which reads the historical tables (events/asof_timeline.py), as served
(the compiled path builds the JSON from the rebuilt page) and through the executor. The variants
of a case run in shuffled rounds (bench/measure/rounds.py); a ratio is the median of the
per-round ratios. Every as-of answer is a first read: nothing caches a past moment's page.
"""

from __future__ import annotations

import json
from collections.abc import Callable
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
# Variant → (asked asOf, compiled path on).
VARIANTS = {
    "live, as served": (False, True),
    "live, executor": (False, False),
    "asOf, as served": (True, True),
    "asOf, executor": (True, False),
}


def _post(client: Any, variables: dict[str, Any], compiled: bool) -> str:
    """POST the page; return the read path that answered (core.graphql.compiled.extension)."""
    from core.graphql.compiled.extension import HEADER, CompiledReads

    token = CompiledReads.enabled.set(compiled)
    try:
        response = client.post(
            "/graphql/",
            data=json.dumps({"query": QUERY, "variables": variables}),
            content_type="application/json",
        )
    finally:
        CompiledReads.enabled.reset(token)
    payload = response.json()
    if payload.get("errors"):
        raise RuntimeError(f"GraphQL errors for {variables}: {payload['errors']}")
    return response.headers.get(HEADER, "").split(";")[0]


def _plan(rows: Any) -> str:
    plan = rows[: PAGE + 1].explain()
    indexes = sorted({w for w in plan.replace("(", " ").split() if w.endswith(("_idx", "_pkey"))})
    scans = [line.split("Seq Scan on ")[1] for line in plan.splitlines() if "Seq Scan on " in line]
    seq = sorted({scan.split()[0] for scan in scans})
    return ", ".join(indexes) + (f"; seq scan: {', '.join(seq)}" if seq else "")


def run(*, repeat: int) -> str:
    from datetime import timedelta

    from django.test import Client, override_settings

    from bench.dataset import HOT_REGION_ISO
    from bench.history import CORRECTED
    from events.asof_timeline import timeline_as_of
    from events.models import Event
    from events.types.filters import TimelineFilter
    from people.models import Person
    from places.models import Country, Region

    moment = CORRECTED - timedelta(days=1)
    if not Event.history.filter(history_date__lte=moment).exists():
        return "No history rows: regenerate the dataset (`--regenerate`) to write them (bench/history.py)."
    client = Client()
    total = Event.objects.count()
    person = Person.objects.get(pk=1)
    country = Country.objects.filter(code="UA").first() or Country.objects.order_by("pk").first()
    region = Region.objects.get(iso_code=HOT_REGION_ISO)
    middle = Event.objects.order_by("date_earliest", "date_latest", "title", "pk")[total // 2]
    cases: list[tuple[str, dict[str, Any]]] = [
        ("first page", {}),
        ("page after the middle event", {"after": middle}),
        (f"country: {country.code}", {"filters": {"country": country.code}}),
        (f"region: {region.slug} (hot oblast subtree)", {"filters": {"region": region.slug}}),
        (f"person: {person.slug} (most active)", {"filters": {"person": person.slug}}),
    ]
    lines = [
        f"{total:,} events; {Event.history.count():,} historical event rows. A page of {PAGE} with "
        f"participants, places and citations as of {moment:%Y-%m-%d} (before the corrections) and "
        f"now; ms are medians with p10–p90 over max({repeat}, 3) shuffled rounds, ratios the median "
        "of the per-round ratios; the read path is the one that answered (X-Chancery-Read-Path).",
        "",
        "| case | live, as served (ms) | live, executor (ms) | asOf, as served (ms) | asOf, executor (ms) "
        "| asOf ÷ live, as served | read path of asOf | rounds | as-of plan |",
        "|---|---:|---:|---:|---:|---:|---|---|---|",
    ]
    with override_settings(GRAPHQL_RESPONSE_CACHE=False):
        for name, case in cases:
            live_vars: dict[str, Any] = {"first": PAGE, "filters": case.get("filters")}
            as_of_vars: dict[str, Any] = {**live_vars, "asOf": moment.isoformat()}
            if "after" in case:
                live_vars["after"] = _cursor_at(live_vars, case["after"])
                as_of_vars["after"] = _cursor_at(as_of_vars, case["after"])
            runs: dict[str, Callable[[], str]] = {
                variant: (lambda v=(as_of_vars if then else live_vars), c=compiled: _post(client, v, c))
                for variant, (then, compiled) in VARIANTS.items()
            }
            paths = {variant: run() for variant, run in runs.items()}  # warm, and say who answered
            rounds = interleave(
                f"asof {name}", {variant: timed(run) for variant, run in runs.items()}, rounds=max(repeat, 3)
            )
            filters = case.get("filters") or {}
            rows = timeline_as_of(TimelineFilter(**filters) if filters else None, moment=moment)
            cells = " | ".join(f"{rounds.spread(variant).text(0)}" for variant in VARIANTS)
            lines.append(
                f"| {name} | {cells} | {rounds.ratio('asOf, as served', 'live, as served').text(1)}× "
                f"| {paths['asOf, as served']} | {rounds.load_text()} | {_plan(rows)} |"
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
