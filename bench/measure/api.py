"""Section "GraphQL /graphql/": a nested timeline page over HTTP, shallow and deep, and its N+1 check."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.test import Client

from bench.explain import explain_sql
from bench.measure.cases import graphql_cursor, row_at
from bench.measure.timing import Case, Check, Results, measure

# The timeline page the API cases (and the as-of section, with its moment) ask for.
TIMELINE_NODE = """
    edges { cursor node {
      slug title kind status
      date { edtf display earliest latest }
      participants { role person { name } country { code } }
      regions { name }
      countries { code }
      citations { quote source { title } }
    } }
    pageInfo { hasNextPage endCursor }
"""
TIMELINE_QUERY = (
    "query Timeline($first: Int!, $after: String, $filters: TimelineFilter) {\n"
    "  timeline(first: $first, after: $after, filters: $filters) {" + TIMELINE_NODE + "  }\n}\n"
)


def graphql(results: Results, repeat: int, marks: dict[str, Any]) -> None:
    section = "GraphQL /graphql/ (nested timeline page)"
    client = Client()

    def post(variables: dict[str, Any]) -> Callable[[], int]:
        body = json.dumps({"query": TIMELINE_QUERY, "variables": variables})

        def run() -> int:
            response = client.post("/graphql/", data=body, content_type="application/json")
            payload = response.json()
            if payload.get("errors"):
                raise RuntimeError(f"GraphQL errors for {variables}: {payload['errors']}")
            return len(payload["data"]["timeline"]["edges"])

        return run

    deep = results.dataset.get("deep_offset", 0)
    cursor = graphql_cursor(row_at(deep - 1)) if deep else None
    cases = [
        Case("first: 2", post({"first": 2})),
        Case("first: 50", post({"first": 50})),
        Case(f"first: 50 after row {deep:,}", post({"first": 50, "after": cursor})),
        Case(
            "first: 50, region: hot oblast",
            post({"first": 50, "filters": {"region": marks["hot_region"].slug}}),
        ),
        Case(
            "first: 50, person: most active",
            post({"first": 50, "filters": {"person": marks["hot_person"].slug}}),
        ),
    ]
    measure(results, section, cases, repeat)
    results.ratio(section, "time, 50 events / 2 events", "first: 50", "first: 2")
    results.ratio(section, f"time, page after row {deep:,} / first page", cases[2].name, "first: 50")
    two, fifty = results.get(section, "first: 2"), results.get(section, "first: 50")
    results.checks.append(
        Check(
            "GraphQL: statements do not grow with page size (no N+1)",
            two.queries == fifty.queries,
            f"{two.queries} statements for 2 events, {fifty.queries} for 50",
        )
    )
    # The main page statement of the deep page, explained.
    deep_result = results.get(section, cases[2].name)
    main = next((s for s in deep_result.sql if 'FROM "events_event"' in s and "LIMIT" in s), None)
    if main:
        deep_result.plan = explain_sql(main)
