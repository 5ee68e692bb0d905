"""The measurements: every case timed several times, interleaved with its rivals, medians compared.

Cases of one section run round-robin (A B C, B C A, ...), so a noisy neighbour slows all of
them alike and the ratios stay meaningful on a shared machine. Statement counts come from a
warm-up run under ``CaptureQueriesContext``; plans from ``EXPLAIN (ANALYZE, BUFFERS)``.
"""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext
from strawberry.relay.utils import to_base64
from strawberry_django.relay.cursor_connection import annotate_ordering_fields, build_tuple_compare

from bench.dataset import HOT_REGION_ISO, TABLES
from bench.explain import Plan, explain_queryset, explain_sql
from events import selectors
from events.models import Event, EventRegion, Participation, Visit, VisitDestination
from people.models import Person
from places.models import Region

PAGE = 50
SLOW_SECONDS = 1.5  # a case slower than this on warm-up is run fewer times
COLUMNS = "id, slug, kind, title, date, date_earliest, date_latest, status"
FULL_COUNT = re.compile(r'SELECT COUNT\(\*\) AS "__count" FROM "events_event"\s*$', re.IGNORECASE)


@dataclass
class Case:
    name: str
    run: Callable[[], int]  # returns how many rows or items it produced
    explain: Callable[[], Plan] | None = None
    note: str = ""


@dataclass
class Result:
    section: str
    name: str
    median_ms: float
    min_ms: float
    runs: int
    rows: int
    queries: int
    plan: Plan | None = None
    note: str = ""
    sql: list[str] = field(default_factory=list)


@dataclass
class Ratio:
    section: str
    label: str
    value: float


@dataclass
class Check:
    what: str
    ok: bool
    detail: str = ""


@dataclass
class Results:
    environment: dict[str, str] = field(default_factory=dict)
    dataset: dict[str, Any] = field(default_factory=dict)
    results: list[Result] = field(default_factory=list)
    ratios: list[Ratio] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def get(self, section: str, name: str) -> Result:
        return next(r for r in self.results if r.section == section and r.name == name)

    def ratio(self, section: str, label: str, slow: str, fast: str) -> float:
        value = self.get(section, slow).median_ms / max(self.get(section, fast).median_ms, 1e-6)
        self.ratios.append(Ratio(section, label, value))
        return value


def measure(results: Results, section: str, cases: list[Case], repeat: int) -> None:
    """Warm up each case (counting its statements), then time them round-robin; keep medians."""
    warm: dict[str, tuple[int, list[str], float]] = {}
    for case in cases:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            rows = case.run()
            elapsed = time.perf_counter() - started
        warm[case.name] = (rows, [q["sql"] for q in captured.captured_queries], elapsed)
        print(f"  {section}: {case.name}: warm-up {elapsed * 1000:.1f} ms", flush=True)
    # Slow cases run fewer times; every round still interleaves all cases that have runs left.
    rounds = {
        name: repeat if elapsed < SLOW_SECONDS else max(3, repeat // 2)
        for name, (_, _, elapsed) in warm.items()
    }
    times: dict[str, list[float]] = defaultdict(list)
    for turn in range(max(rounds.values())):
        shift = turn % len(cases)
        for case in cases[shift:] + cases[:shift]:
            if turn >= rounds[case.name]:
                continue
            started = time.perf_counter()
            case.run()
            times[case.name].append((time.perf_counter() - started) * 1000)
    for case in cases:
        rows, sql, _ = warm[case.name]
        results.results.append(
            Result(
                section=section,
                name=case.name,
                median_ms=statistics.median(times[case.name]),
                min_ms=min(times[case.name]),
                runs=rounds[case.name],
                rows=rows,
                queries=len(sql),
                plan=case.explain() if case.explain else None,
                note=case.note,
                sql=sql,
            )
        )


# Building blocks ----------------------------------------------------------------------------------


def fetch(sql: str, params: Any = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def sql_case(name: str, sql: str, params: Any = None, note: str = "") -> Case:
    return Case(name, lambda: len(fetch(sql, params)), lambda: explain_sql(sql, params), note)


def page_case(name: str, queryset: QuerySet, note: str = "", size: int = PAGE + 1) -> Case:
    """A connection's page: ``first`` rows plus one to learn whether there is a next page."""
    # A fresh clone on every run: an evaluated QuerySet would answer from its result cache.
    return Case(
        name, lambda: len(list(queryset.all()[:size])), lambda: explain_queryset(queryset[:size]), note
    )


def count_case(name: str, queryset: QuerySet, note: str = "") -> Case:
    def explain() -> Plan:
        sql, params = queryset.query.get_compiler(queryset.db).compile(queryset.query)
        return explain_sql(f"SELECT COUNT(*) FROM ({sql}) AS counted", params)

    return Case(name, queryset.count, explain, note)


def library_keyset(queryset: QuerySet, cursor_row: tuple[Any, ...]) -> QuerySet:
    """Apply strawberry-django's own ``after`` cursor filter (DjangoCursorConnection) to a queryset."""
    annotated, descriptors, _ = annotate_ordering_fields(queryset)
    return annotated.filter(build_tuple_compare(descriptors, list(cursor_row), False))


def graphql_cursor(cursor_row: tuple[Any, ...]) -> str:
    """Encode a DjangoCursorConnection cursor for the row (earliest, latest, title, id)."""
    values = [None if v is None else str(v) for v in cursor_row]
    return to_base64("orderedcursor", json.dumps(values, separators=(",", ":")))


def timeline_order_sql() -> str:
    """Return the ORDER BY clause of ``event_timeline()``: raw SQL cases follow the API's order."""
    sql, _ = selectors.event_timeline().query.sql_with_params()
    return sql[sql.rindex("ORDER BY") :].replace('"events_event".', "")


def row_at(position: int) -> tuple[Any, ...]:
    """Return the ordering values (earliest, latest, title, id) of the timeline row at ``position``."""
    keys = selectors.event_timeline().values_list("date_earliest", "date_latest", "title", "pk")
    return tuple(keys[position : position + 1][0])


def ids(sql: str, params: Any = None) -> list[int]:
    return [row[0] for row in fetch(sql, params)]


# Sections -----------------------------------------------------------------------------------------


def environment(results: Results) -> None:
    version = fetch("SHOW server_version")[0][0]
    results.environment = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": str(os.cpu_count()),
        "python": platform.python_version(),
        "postgresql": version,
        "shared_buffers": fetch("SHOW shared_buffers")[0][0],
        "work_mem": fetch("SHOW work_mem")[0][0],
        "database": connection.settings_dict["NAME"],
    }
    counts = {}
    for table in TABLES:
        counts[table] = fetch(f'SELECT COUNT(*) FROM "{table}"')[0][0]
    results.dataset["rows"] = counts
    results.dataset["null_earliest"] = fetch("SELECT COUNT(*) FROM events_event WHERE date_earliest IS NULL")[
        0
    ][0]
    results.dataset["null_latest"] = fetch("SELECT COUNT(*) FROM events_event WHERE date_latest IS NULL")[0][
        0
    ]
    results.dataset["history_rows"] = fetch("SELECT COUNT(*) FROM events_historicalevent")[0][0]


def timeline_paging(results: Results, repeat: int) -> None:
    section = "Timeline paging"
    total = Event.objects.count()
    deep = min(500_000, total // 2)
    last = max(1, total - PAGE)
    deep_row, last_row = row_at(deep - 1), row_at(last - 1)
    results.dataset["deep_offset"] = deep
    order = timeline_order_sql()
    results.dataset["timeline_order"] = order
    base = f"SELECT {COLUMNS} FROM events_event"
    keyset = f"{base} WHERE (date_earliest, date_latest, title, id) > (%s, %s, %s, %s) {order} LIMIT {PAGE}"
    timeline = selectors.event_timeline()
    cases = [
        page_case("first page", timeline, size=PAGE),
        page_case(f"OFFSET {deep:,}", timeline[deep:], size=PAGE),
        sql_case(
            f"keyset after row {deep:,} (row value)",
            keyset,
            list(deep_row),
            "plain SQL row comparison: the fastest possible, but wrong with NULL bounds (see Checks)",
        ),
        page_case(
            f"keyset after row {deep:,} (strawberry-django cursor)",
            library_keyset(timeline, deep_row),
            "the Q that DjangoCursorConnection builds for `after` (what /graphql/ runs)",
        ),
        page_case(
            f"keyset after row {deep:,} (cursor + leading bound)",
            bounded_keyset(timeline, deep_row),
            "proposal: the same Q AND date_earliest >= the cursor's value (implied: open starts sort first)",
        ),
        page_case(f"OFFSET {last:,} (last page)", timeline[last:], size=PAGE),
        sql_case(f"keyset after row {last:,} (row value)", keyset, list(last_row)),
        page_case(
            f"keyset after row {last:,} (strawberry-django cursor)", library_keyset(timeline, last_row)
        ),
        page_case(f"keyset after row {last:,} (cursor + leading bound)", bounded_keyset(timeline, last_row)),
    ]
    measure(results, section, cases, repeat)
    results.ratio(section, f"OFFSET / row-value keyset at row {deep:,}", cases[1].name, cases[2].name)
    results.ratio(section, f"OFFSET / strawberry-django cursor at row {deep:,}", cases[1].name, cases[3].name)
    results.ratio(
        section,
        f"strawberry-django cursor / cursor + leading bound at row {deep:,}",
        cases[3].name,
        cases[4].name,
    )
    results.ratio(section, "OFFSET / cursor + leading bound, last page", cases[5].name, cases[8].name)

    # Same rows? OFFSET is the reference; the cursor row is the last row of the previous page.
    def page_ids(queryset: QuerySet) -> list[int]:
        return [e.pk for e in queryset[:PAGE]]

    def compare(what: str, row: tuple[Any, ...], reference: list[int]) -> None:
        naive = ids(keyset, list(row))
        library = page_ids(library_keyset(timeline, row))
        bounded = page_ids(bounded_keyset(timeline, row))
        results.checks.append(
            Check(
                f"{what}: the strawberry-django cursor page equals the OFFSET page",
                library == reference,
                f"cursor + leading bound {'equal' if bounded == reference else 'DIFFERS'}; a plain row-value "
                f"keyset returns {len(set(naive) & set(reference))} of the {len(reference)} rows",
            )
        )

    compare(f"row {deep:,}", deep_row, page_ids(timeline[deep:]))
    # Open ends (date_latest NULL) tied on date_earliest with the cursor row compare as NULL
    # in a row-value comparison; open starts (date_earliest NULL) too.
    ties = Event.objects.filter(
        date_latest__isnull=False,
        date_earliest__in=Event.objects.filter(date_latest__isnull=True).values("date_earliest"),
    ).values_list("date_earliest", flat=True)[:1]
    if ties:
        tied_day = ties[0]
        earlier = Q(date_earliest__lt=tied_day)
        if "NULLS FIRST" in order.split(",")[0]:
            earlier |= Q(date_earliest__isnull=True)
        before = timeline.filter(earlier).count()
        tied = list(
            timeline.filter(date_earliest=tied_day).values_list("date_earliest", "date_latest", "title", "pk")
        )
        closed = [r for r in tied if r[1] is not None]
        position = before + len(closed)  # the row after the last closed interval of that day
        compare(
            f"after the last closed event of {tied_day} (open ends follow)",
            tuple(closed[-1]),
            page_ids(timeline[position:]),
        )
    nulls = results.dataset["null_earliest"]
    if nulls and 0 < nulls < total:
        compare(
            "after the last open-start event (date_earliest NULL)",
            row_at(nulls - 1),
            page_ids(timeline[nulls:]),
        )


def bounded_keyset(queryset: QuerySet, cursor_row: tuple[Any, ...]) -> QuerySet:
    """Return the library's cursor filter plus the bound it implies on the leading column.

    With open starts sorted first (``date_earliest ASC NULLS FIRST``), every row after a cursor
    whose earliest day is known has ``date_earliest >= that day``: an index range condition,
    where the OR chain alone is only a filter on a walk from the start of the index.
    """
    keyset = library_keyset(queryset, cursor_row)
    return keyset.filter(date_earliest__gte=cursor_row[0]) if cursor_row[0] is not None else keyset


def _landmarks() -> dict[str, Any]:
    hot_region = Region.objects.get(iso_code=HOT_REGION_ISO)
    tops = Region.objects.filter(parent__isnull=True).order_by("pk")
    mid_region = tops[tops.count() // 2]
    # A rarely used village: high ids are the least popular under the generator's skew.
    small_region = (
        Region.objects.filter(kind="village", parent__isnull=False)
        .filter(Exists(EventRegion.objects.filter(region=OuterRef("pk"))))
        .order_by("-pk")
        .first()
    )
    people = Person.objects.count()
    return {
        "hot_region": hot_region,
        "mid_region": mid_region,
        "small_region": small_region,
        "hot_person": Person.objects.get(pk=1),
        "typical_person": Person.objects.get(pk=people // 2),
    }


def filtered_timelines(results: Results, repeat: int) -> dict[str, Any]:
    section = "Filtered timelines (events.selectors.event_timeline, first page)"
    marks = _landmarks()
    hot, mid, small = marks["hot_region"], marks["mid_region"], marks["small_region"]
    hot_person, typical_person = marks["hot_person"], marks["typical_person"]
    subtree = Region.objects.subtree(hot)
    results.dataset["landmarks"] = {
        "hot region": f"{hot.name} ({hot.iso_code}), {subtree.count():,} regions in its subtree, "
        f"{selectors.event_timeline(region=hot).count():,} events",
        "mid region": f"{mid.name} (id {mid.pk}), {Region.objects.subtree(mid).count():,} regions, "
        f"{selectors.event_timeline(region=mid).count():,} events",
        "small region": f"{small.name} ({small.kind}, id {small.pk}), "
        f"{selectors.event_timeline(region=small).count():,} events",
        "hot person": f"{hot_person.name} (id 1), "
        f"{selectors.event_timeline(person=hot_person).count():,} events",
        "typical person": f"{typical_person.name} (id {typical_person.pk}), "
        f"{selectors.event_timeline(person=typical_person).count():,} events",
    }
    window = {"date_from": date(2022, 2, 1), "date_to": date(2022, 3, 31)}
    old_window = {"date_from": date(1950, 1, 1), "date_to": date(1950, 12, 31)}
    cases = [
        page_case("no filter", selectors.event_timeline()),
        page_case("region: hot oblast subtree", selectors.event_timeline(region=hot)),
        page_case("region: hot oblast, EventRegion Exists only", _region_exists_only(hot), EXISTS_ONLY),
        page_case("region: hot oblast, id IN (UNION)", _region_union(hot), UNION),
        page_case("region: hot oblast, OR of two Exists", _region_or(hot), OR_EXISTS),
        page_case("region: mid subdivision subtree", selectors.event_timeline(region=mid)),
        page_case("region: small village", selectors.event_timeline(region=small)),
        page_case("region: small village, EventRegion Exists only", _region_exists_only(small), EXISTS_ONLY),
        page_case("region: small village, id IN (UNION)", _region_union(small), UNION),
        page_case("region: small village, OR of two Exists", _region_or(small), OR_EXISTS),
        page_case("person: most active (head of state)", selectors.event_timeline(person=hot_person)),
        page_case(
            "person: most active, Participation Exists only", _person_exists_only(hot_person), EXISTS_ONLY
        ),
        page_case("person: most active, id IN (UNION)", _person_union(hot_person), UNION),
        page_case("person: most active, OR of two Exists", _person_or(hot_person), OR_EXISTS),
        page_case("person: typical", selectors.event_timeline(person=typical_person)),
        page_case(
            "person: typical, Participation Exists only", _person_exists_only(typical_person), EXISTS_ONLY
        ),
        page_case("person: typical, id IN (UNION)", _person_union(typical_person), UNION),
        page_case("person: typical, OR of two Exists", _person_or(typical_person), OR_EXISTS),
        page_case("country: UA", selectors.event_timeline(country="UA")),
        page_case("window 2022-02-01..2022-03-31", selectors.event_timeline(**window)),
        page_case(
            "window 2022-02..03, closed intervals only",
            Event.objects.filter(
                date_latest__gte=window["date_from"], date_earliest__lte=window["date_to"]
            ).order_by(*_timeline_order()),
            "no open starts (sorted first) to fill the page early: the cost when data has few open intervals",
        ),
        page_case("window 1950", selectors.event_timeline(**old_window)),
        page_case("region hot + window 2022-02..03", selectors.event_timeline(region=hot, **window)),
        page_case("kinds: VISIT", selectors.event_timeline(kinds=["VISIT"])),
        count_case("count: region hot oblast (totalCount)", selectors.event_timeline(region=hot)),
        count_case("count: person most active (totalCount)", selectors.event_timeline(person=hot_person)),
        count_case("count: window 2022-02..03 (totalCount)", selectors.event_timeline(**window)),
    ]
    measure(results, section, cases, repeat)
    for who in ("region: hot oblast", "region: small village", "person: most active", "person: typical"):
        selector = next(c.name for c in cases if c.name.startswith(who))
        single = next(c.name for c in cases if c.name.startswith(who) and "Exists only" in c.name)
        results.ratio(section, f"{who}: selector / single Exists", selector, single)
    return marks


EXISTS_ONLY = "one Exists, no OR: a lower bound that drops the visit half of the semantics"
UNION = (
    "same semantics as the selector: events.id IN (event ids from the link table UNION event ids from visits)"
)


def _timeline_order() -> tuple[Any, ...]:
    """Return the selector's ordering, so variants sort exactly as the API does."""
    return tuple(selectors.event_timeline().query.order_by)


OR_EXISTS = "same semantics as the selector: Exists(link table) OR Exists(visits), as first written"


def _region_or(region: Region) -> QuerySet[Event]:
    subtree = Region.objects.subtree(region).values("pk")
    return Event.objects.filter(
        Exists(EventRegion.objects.filter(event=OuterRef("pk"), region__in=subtree))
        | Exists(VisitDestination.objects.filter(visit__event=OuterRef("pk"), region__in=subtree))
    ).order_by(*_timeline_order())


def _person_or(person: Person) -> QuerySet[Event]:
    return Event.objects.filter(
        Exists(Participation.objects.filter(event=OuterRef("pk"), person=person))
        | Exists(Visit.objects.filter(event=OuterRef("pk"), visitor=person))
    ).order_by(*_timeline_order())


def _region_exists_only(region: Region) -> QuerySet[Event]:
    subtree = Region.objects.subtree(region).values("pk")
    links = EventRegion.objects.filter(event=OuterRef("pk"), region__in=subtree)
    return Event.objects.filter(Exists(links)).order_by(*_timeline_order())


def _region_union(region: Region) -> QuerySet[Event]:
    subtree = Region.objects.subtree(region).values("pk")
    ids = (
        EventRegion.objects.filter(region__in=subtree)
        .values("event_id")
        .union(VisitDestination.objects.filter(region__in=subtree).values("visit__event_id"))
    )
    return Event.objects.filter(pk__in=ids).order_by(*_timeline_order())


def _person_exists_only(person: Person) -> QuerySet[Event]:
    return Event.objects.filter(
        Exists(Participation.objects.filter(event=OuterRef("pk"), person=person))
    ).order_by(*_timeline_order())


def _person_union(person: Person) -> QuerySet[Event]:
    ids = (
        Participation.objects.filter(person=person)
        .values("event_id")
        .union(Visit.objects.filter(visitor=person).values("event_id"))
    )
    return Event.objects.filter(pk__in=ids).order_by(*_timeline_order())


TIMELINE_QUERY = """
query Timeline($first: Int!, $after: String, $filters: TimelineFilter) {
  timeline(first: $first, after: $after, filters: $filters) {
    edges { cursor node {
      slug title kind status
      date { edtf display earliest latest }
      participants { role person { name } country { code } }
      regions { name }
      countries { code }
      citations { quote source { title } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


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


def run_all(*, repeat: int) -> Results:
    results = Results()
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = '120s'")
    environment(results)
    print("timeline paging ...", flush=True)
    timeline_paging(results, repeat)
    print("filtered timelines ...", flush=True)
    marks = filtered_timelines(results, repeat)
    print("GraphQL ...", flush=True)
    graphql(results, repeat, marks)
    print("admin ...", flush=True)
    admin(results, repeat)
    counting(results, repeat)
    return results
