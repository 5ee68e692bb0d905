"""GraphQL side by side (issue 12): one nested 50-event timeline page from five servers or codes.

Chancery in-process (``schema.execute_sync``) and over HTTP on the production server (gunicorn as
``make serve`` runs it), the same JSON from hand-written Django ORM code and from one SQL statement
(asserted equal to the API's answer), and PostGraphile 4 against the same database with the same
page (bench/graphql/postgraphile_page.graphql). Four pages: the first, the page after row 500,000
by cursor, the hot region's subtree, the most active person. Every case of a page runs in
shuffled rounds with the others (bench/measure/rounds.py: medians with p10/p90, ratios per
round); then requests per second at concurrency 4 and 8, of the one first page and of a mix of
distinct pages drawn from the dataset (bench/graphql/mix.py), servers in shuffled rounds.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from bench.graphql import POSTGRAPHILE_PAGE, TIMELINE_PAGE, TIMELINE_PAGE_RELAY, mix, onesql, orm, servers
from bench.measure.cases import bounded_keyset, graphql_cursor, row_at
from bench.measure.filters import _landmarks
from bench.measure.rounds import Rounds
from bench.measure.timing import Case, Result, Results, measure
from events import selectors
from events.models import Event

TITLE = "GraphQL side by side: the nested timeline page (issue 12)"
NEEDS_DATASET = True

PAGE = 50
LOAD_PER_ROUND = 80
LOAD_ROUNDS = 5
CONCURRENCY = 4  # of the warm-up
CONCURRENCIES = (4, 8)
ONE_PAGE = "the first page, repeated"
MIX = "a mix of distinct pages"
ORDER = ["DATE_EARLIEST_ASC", "DATE_LATEST_ASC", "TITLE_ASC", "ID_ASC"]

IN_PROCESS = "Chancery in-process (schema.execute_sync, response cache off)"
RELAY = "Chancery in-process, the page in Relay/Apollo form (fragments, __typename)"
CACHED = "Chancery in-process, answer from the response cache"
HTTP = "Chancery over HTTP (gunicorn, make serve, response cache off)"
HTTP_CACHED = "Chancery over HTTP (gunicorn, make serve, response cache on)"
ORM = "hand-written Django ORM, same JSON"
SQL = "one SQL statement + Python date text"
POSTGRAPHILE = "PostGraphile 4 over HTTP"
VARIANTS = (IN_PROCESS, RELAY, CACHED, HTTP, HTTP_CACHED, ORM, SQL, POSTGRAPHILE)


@dataclass
class Page:
    name: str
    variables: dict[str, Any]  # Chancery's
    # The same rows for the ORM and SQL variants: the selector (with its lookups by slug) and the
    # cursor bound, built afresh for each ORM run as the API builds them for each request.
    events: Callable[[], QuerySet]
    pg_variables: dict[str, Any] = field(default_factory=dict)


def _pages(deep: int, postgraphile: servers.Endpoint | None) -> list[Page]:
    marks = _landmarks()
    region, person = marks["hot_region"], marks["hot_person"]
    deep_row = row_at(deep - 1)
    region_filter = {
        "eventsEventregionsByEventId": {
            "some": {
                "or": [
                    {"regionId": {"equalTo": region.pk}},
                    {"placesRegionByRegionId": {"path": {"startsWith": region.descendant_prefix}}},
                ]
            }
        }
    }
    person_filter = {"eventsParticipationsByEventId": {"some": {"personId": {"equalTo": person.pk}}}}
    pg_deep: dict[str, Any] = {}
    if postgraphile is not None:
        # PostGraphile's own cursor for the same row, found once by OFFSET (outside the timing).
        found = postgraphile.post(
            "query($o: Int!, $order: [EventsEventsOrderBy!]) { allEventsEvents(first: 1, offset: $o, "
            "orderBy: $order) { edges { cursor node { slug } } } }",
            {"o": deep - 1, "order": ORDER},
        )
        edge = found["allEventsEvents"]["edges"][0]
        assert edge["node"]["slug"] == Event.objects.get(pk=deep_row[3]).slug, (
            "PostGraphile orders differently"
        )
        pg_deep = {"after": edge["cursor"]}
    return [
        Page("first page", {"first": PAGE}, selectors.event_timeline),
        Page(
            f"after row {deep:,}",
            {"first": PAGE, "after": graphql_cursor(deep_row)},
            lambda: bounded_keyset(selectors.event_timeline(), deep_row),
            pg_deep,
        ),
        Page(
            f"region: hot oblast ({region.iso_code})",
            {"first": PAGE, "filters": {"region": region.slug}},
            lambda: selectors.event_timeline(region=region.slug),
            {"filter": region_filter},
        ),
        Page(
            "person: most active",
            {"first": PAGE, "filters": {"person": person.slug}},
            lambda: selectors.event_timeline(person=person.slug),
            {"filter": person_filter},
        ),
    ]


def _in_process(
    variables: dict[str, Any], *, cached: bool = False, document: str = TIMELINE_PAGE
) -> dict[str, Any]:
    from config.schema import schema
    from core.responsecache import ResponseCache

    token = ResponseCache.enabled.set(cached)
    try:
        result = schema.execute_sync(document, variable_values=variables)
    finally:
        ResponseCache.enabled.reset(token)
    if result.errors:
        raise RuntimeError(f"GraphQL errors: {result.errors}")
    return result.data  # type: ignore[return-value]


def _cases(
    page: Page, chancery: servers.Endpoint, cached: servers.Endpoint, postgraphile: servers.Endpoint | None
) -> list[Case]:
    body = json.dumps({"query": TIMELINE_PAGE, "variables": page.variables}).encode()
    sql, params = onesql.statement(page.events(), PAGE)
    cases = [
        Case(IN_PROCESS, lambda: len(_in_process(page.variables)["timeline"]["edges"])),
        Case(
            RELAY,
            lambda: len(_in_process(page.variables, document=TIMELINE_PAGE_RELAY)["timeline"]["edges"]),
        ),
        Case(CACHED, lambda: len(_in_process(page.variables, cached=True)["timeline"]["edges"])),
        Case(HTTP, lambda: len(chancery.post_raw(body))),
        Case(HTTP_CACHED, lambda: len(cached.post_raw(body))),
        Case(ORM, lambda: len(orm.page(page.events(), PAGE)["timeline"]["edges"])),
        Case(SQL, lambda: len(onesql.page(sql, params, PAGE)["timeline"]["edges"])),
    ]
    if postgraphile is not None:
        pg_body = json.dumps(
            {"query": POSTGRAPHILE_PAGE, "variables": {"first": PAGE, **page.pg_variables}}
        ).encode()
        cases.append(Case(POSTGRAPHILE, lambda: len(postgraphile.post_raw(pg_body))))
    return cases


def _same_json(
    page: Page, chancery: servers.Endpoint, cached: servers.Endpoint, postgraphile: servers.Endpoint | None
) -> list[str]:
    """Assert that every variant answers the page with the same events; return what was checked."""
    from core.graphql.compiled.extension import CompiledReads

    api = _in_process(page.variables)
    relay = _in_process(page.variables, document=TIMELINE_PAGE_RELAY)
    token = CompiledReads.enabled.set(False)
    try:
        executor = _in_process(page.variables)
        relay_executor = _in_process(page.variables, document=TIMELINE_PAGE_RELAY)
    finally:
        CompiledReads.enabled.reset(token)
    assert executor == api, f"{page.name}: the compiled read path and graphql-core answer differently"
    assert relay_executor == relay, (
        f"{page.name}: the Relay form differs between the compiled path and graphql-core"
    )
    assert _without_relay_keys(relay) == api, f"{page.name}: the Relay form carries other data"
    for _ in range(2):  # filled, then answered from the cache
        assert _in_process(page.variables, cached=True) == api, f"{page.name}: the cached answer differs"
    for endpoint in (chancery, cached, cached):
        assert endpoint.post(TIMELINE_PAGE, page.variables) == api, f"{page.name}: HTTP and in-process differ"
    by_orm = orm.page(page.events(), PAGE)
    assert by_orm == api, f"{page.name}: the hand-written ORM JSON differs from the API's"
    sql, params = onesql.statement(page.events(), PAGE)
    by_sql = onesql.page(sql, params, PAGE)
    assert by_sql == api, f"{page.name}: the one-statement SQL JSON differs from the API's"
    slugs = [edge["node"]["slug"] for edge in api["timeline"]["edges"]]
    assert len(slugs) == PAGE, f"{page.name}: {len(slugs)} events, expected a full page"
    checked = [
        "compiled path = graphql-core = cached = HTTP = ORM = SQL (identical JSON); "
        "Relay form: compiled = graphql-core, and = the page without __typename and id"
    ]
    if postgraphile is not None:
        theirs = postgraphile.post(POSTGRAPHILE_PAGE, {"first": PAGE, **page.pg_variables})
        pg_slugs = [edge["node"]["slug"] for edge in theirs["allEventsEvents"]["edges"]]
        assert pg_slugs == slugs, f"{page.name}: PostGraphile returns other events"
        checked.append("PostGraphile: the same 50 events in the same order")
    return checked


def _without_relay_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_relay_keys(v) for k, v in value.items() if k not in ("__typename", "id")}
    if isinstance(value, list):
        return [_without_relay_keys(v) for v in value]
    return value


def _ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def run(*, repeat: int) -> str:
    url = os.environ["DATABASE_URL"]
    total = Event.objects.count()
    deep = min(500_000, total // 2)
    skipped = servers.postgraphile_missing()
    if skipped is None:
        servers.install_postgraphile()
    lines: list[str] = []
    results = Results()
    # gunicorn as make serve starts it (config/gunicorn.conf.py: a process per CPU, threads).
    with (
        servers.chancery(url, response_cache=False) as chancery,
        servers.chancery(url, response_cache=True) as cached,
        servers.postgraphile(url) if skipped is None else _nothing() as postgraphile,
    ):
        pages = _pages(deep, postgraphile)
        checks = {page.name: _same_json(page, chancery, cached, postgraphile) for page in pages}
        _warm(pages, (chancery, cached), postgraphile)
        for page in pages:
            measure(results, page.name, _cases(page, chancery, cached, postgraphile), repeat)
        # Statements must not grow with the page: 2 events against 50.
        counts = {}
        for size in (2, PAGE):
            with CaptureQueriesContext(connection) as captured:
                _in_process({"first": size})
            counts[size] = len(captured.captured_queries)
        rates = _throughput(chancery, cached, postgraphile)
    lines += _render(results, pages, checks, counts, rates, skipped, total, deep)
    return "\n".join(lines)


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_: object) -> None:
        return None


def _warm(
    pages: list[Page], chancery: tuple[servers.Endpoint, ...], postgraphile: servers.Endpoint | None
) -> None:
    """Send every page to every worker a few times before timing: a worker's first requests pay
    for its database connection and first-use imports, which no steady server pays."""
    for page in pages:
        body = json.dumps({"query": TIMELINE_PAGE, "variables": page.variables}).encode()
        bodies = [(endpoint, body) for endpoint in chancery]
        if postgraphile is not None:
            pg = {"query": POSTGRAPHILE_PAGE, "variables": {"first": PAGE, **page.pg_variables}}
            bodies.append((postgraphile, json.dumps(pg).encode()))
        for endpoint, body in bodies:
            servers.throughput(endpoint, body, requests=4 * CONCURRENCY, concurrency=CONCURRENCY)


def _throughput(
    chancery: servers.Endpoint, cached: servers.Endpoint, postgraphile: servers.Endpoint | None
) -> dict[tuple[str, int], Rounds]:
    """Requests per second of each server on each workload at each concurrency, in shuffled rounds."""
    endpoints = {HTTP: (chancery, False), HTTP_CACHED: (cached, False)}
    if postgraphile is not None:
        endpoints[POSTGRAPHILE] = (postgraphile, True)
    workloads = {ONE_PAGE: mix.one_page(), MIX: mix.distinct_pages()}
    rates = {}
    for workload, requests in workloads.items():
        for concurrency in CONCURRENCIES:
            print(f"  throughput: {workload}, concurrency {concurrency} ...", flush=True)
            rates[workload, concurrency] = mix.measure(
                workload,
                requests,
                endpoints,
                concurrency=concurrency,
                rounds=LOAD_ROUNDS,
                per_round=LOAD_PER_ROUND,
            )
    return rates


def _throughput_lines(rates: dict[tuple[str, int], Rounds]) -> list[str]:
    distinct, drawn = mix.distinct_share(mix.distinct_pages(), LOAD_PER_ROUND, LOAD_ROUNDS)
    lines = [
        f"Requests per second: {LOAD_ROUNDS} rounds of {LOAD_PER_ROUND} requests per server, servers "
        "in a shuffled order each round; median req/s with p10–p90, and Chancery / PostGraphile as "
        f"the median of the per-round ratios. *{ONE_PAGE}*: one identical request; *{MIX}*: "
        f"{distinct} distinct requests among {drawn} (person and region filters drawn from the "
        "dataset, page sizes 5–50, Zipf-skewed; bench/graphql/mix.py).",
        "",
        "| workload | concurrency | "
        + " | ".join(name for name in (HTTP, HTTP_CACHED, POSTGRAPHILE))
        + " | cache off / PostGraphile | cache on / PostGraphile | load (1 min) |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for (workload, concurrency), measured in rates.items():
        cells = [
            measured.spread(name).text(0) if name in measured.samples else "—"
            for name in (HTTP, HTTP_CACHED, POSTGRAPHILE)
        ]
        ratios = [
            measured.ratio(name, POSTGRAPHILE).text(2) if POSTGRAPHILE in measured.samples else "—"
            for name in (HTTP, HTTP_CACHED)
        ]
        lines.append(
            f"| {workload} | {concurrency} | {' | '.join(cells)} | {' | '.join(ratios)} "
            f"| {measured.load_start:.2f} → {measured.load_end:.2f} |"
        )
    return lines


def _statements(results: Results, page: str) -> list[str]:
    found = _get(results, page, IN_PROCESS)
    return found.sql if found else []


def _get(results: Results, page: str, variant: str) -> Result | None:
    return next((r for r in results.results if r.section == page and r.name == variant), None)


def _render(
    results: Results,
    pages: list[Page],
    checks: dict[str, list[str]],
    counts: dict[int, int],
    rates: dict[tuple[str, int], Rounds],
    skipped: str | None,
    total: int,
    deep: int,
) -> list[str]:
    lines = [
        f"{total:,} events on PostgreSQL; the page is `bench/graphql/timeline_page.graphql` "
        f"({PAGE} events with date, participants, regions with parent, citations with source, visit, "
        "treaty). Median ms over shuffled rounds; in brackets, the ratio to the hand-written ORM "
        "on the same page, the median of the per-round ratios with its p10–p90. "
        + next(iter(results.rounds.values())).describe().capitalize()
        + " (first page; each page's rounds are seeded by its name).",
        "",
        "| variant | " + " | ".join(p.name for p in pages) + " | SQL statements per page |",
        "|---|" + "---:|" * len(pages) + "---:|",
    ]
    for variant in VARIANTS:
        cells, statements = [], []
        for page in pages:
            mine, base = _get(results, page.name, variant), _get(results, page.name, ORM)
            if mine is None or base is None:
                cells.append("—")
                continue
            ratio = results.ratio_spread(page.name, variant, ORM)
            cells.append(f"{_ms(mine.median_ms)} ({ratio.median:.2f}, {ratio.p10:.2f}–{ratio.p90:.2f})")
            statements.append(str(mine.queries))
        counted = " / ".join(statements) if variant in (IN_PROCESS, RELAY, CACHED, ORM, SQL) else ""
        lines.append(f"| {variant} | " + " | ".join(cells) + f" | {counted} |")
    lines += [
        "",
        "SQL statements are per page (first / deep / region / person), counted on a warm-up run of "
        "the in-process variants; the filtered pages add the selector's lookups of the region or "
        "person by slug and its stray-visit check. The in-process first page ran:",
        "",
        *[f"- `{sql[:150]}{'…' if len(sql) > 150 else ''}`" for sql in _statements(results, pages[0].name)],
    ]
    if skipped:
        lines += ["", f"PostGraphile: {skipped}."]
    lines += ["", *_throughput_lines(rates)]
    lines += ["", "Targets (ratios from this run):", ""]
    lines += _targets(results, pages, counts, rates)
    lines += ["", "Checks:", ""]
    lines += [f"- {page}: {'; '.join(done)}" for page, done in checks.items()]
    lines += [f"- SQL statements of the in-process page: {counts[2]} for 2 events, {counts[PAGE]} for {PAGE}"]
    from core.graphql.compiled.extension import READ_PATHS

    answered = ", ".join(f"{path}: {n:,}" for path, n in READ_PATHS.most_common())
    lines += [f"- In-process answers by read path (X-Chancery-Read-Path): {answered}"]
    return lines


def _targets(
    results: Results, pages: list[Page], counts: dict[int, int], rates: dict[tuple[str, int], Rounds]
) -> list[str]:
    first, deep_page, region = pages[0].name, pages[1].name, pages[2].name
    out = []

    def ratio(page: str, slow: str, fast: str) -> float | None:
        a, b = _get(results, page, slow), _get(results, page, fast)
        return results.ratio_spread(page, slow, fast).median if a and b else None

    def line(label: str, value: float | None, goal: str, ok: bool | None) -> str:
        shown = "not measured" if value is None else f"{value:.2f}"
        verdict = "" if ok is None else (" — met" if ok else " — **missed**")
        return f"- {label}: {shown} (target {goal}){verdict}"

    r = ratio(first, IN_PROCESS, ORM)
    out.append(line("in-process first page / hand-written ORM", r, "≤ 1.3", None if r is None else r <= 1.3))
    r = ratio(first, RELAY, ORM)
    out.append(
        line(
            "in-process first page, Relay form / hand-written ORM",
            r,
            "≤ 1.3",
            None if r is None else r <= 1.3,
        )
    )
    for (workload, concurrency), measured in rates.items():
        if POSTGRAPHILE not in measured.samples:
            continue
        for variant, label in ((HTTP, "response cache off"), (HTTP_CACHED, "response cache on")):
            value = measured.ratio(variant, POSTGRAPHILE).median
            name = f"Chancery req/s ({label}) / PostGraphile req/s, {workload}, concurrency {concurrency}"
            out.append(line(name, value, "≥ 1", value >= 1))
    r = ratio(region, IN_PROCESS, SQL)
    out.append(
        line("hot region page, in-process / one SQL statement", r, "≤ 2", None if r is None else r <= 2)
    )
    r = ratio(deep_page, POSTGRAPHILE, HTTP)
    out.append(
        line("deep page, PostGraphile / Chancery over HTTP", r, "≥ 10", None if r is None else r >= 10)
    )
    same = counts[2] == counts[PAGE]
    out.append(
        f"- SQL statements constant in page size: {counts[2]} and {counts[PAGE]}"
        + (" — met" if same else " — **missed**")
    )
    return out
