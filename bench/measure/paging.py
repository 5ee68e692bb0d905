"""Section "Timeline paging": OFFSET against keyset pages, deep and last, and whether they agree."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from bench.measure.cases import (
    COLUMNS,
    PAGE,
    bounded_keyset,
    ids,
    library_keyset,
    page_case,
    row_at,
    sql_case,
    timeline_order_sql,
)
from bench.measure.timing import Check, Results, measure
from core.fuzzydates import OPEN_END
from events import selectors
from events.models import Event


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
            "plain SQL row comparison: the fastest possible (correct: bounds are never NULL, see Checks)",
        ),
        page_case(
            f"keyset after row {deep:,} (strawberry-django cursor)",
            library_keyset(timeline, deep_row),
            "the Q that DjangoCursorConnection builds for `after` (what /graphql/ runs)",
        ),
        page_case(
            f"keyset after row {deep:,} (cursor + leading bound)",
            bounded_keyset(timeline, deep_row),
            "what /graphql/ runs (core.graphql.pagination.KeysetConnection): "
            "the same Q AND date_earliest >= the cursor's value",
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
    # Open ends (stored as OPEN_END) tied on date_earliest with the cursor row: the edge case
    # NULL bounds used to get wrong in a row-value comparison.
    ties = (
        Event.objects.exclude(date_latest=OPEN_END)
        .filter(
            date_earliest__in=Event.objects.filter(date_latest=OPEN_END).values("date_earliest"),
        )
        .values_list("date_earliest", flat=True)[:1]
    )
    if ties:
        tied_day = ties[0]
        before = timeline.filter(date_earliest__lt=tied_day).count()
        tied = list(
            timeline.filter(date_earliest=tied_day).values_list("date_earliest", "date_latest", "title", "pk")
        )
        closed = [r for r in tied if r[1] != OPEN_END]
        position = before + len(closed)  # the row after the last closed interval of that day
        compare(
            f"after the last closed event of {tied_day} (open ends follow)",
            tuple(closed[-1]),
            page_ids(timeline[position:]),
        )
    open_starts = results.dataset["open_starts"]
    if 0 < open_starts < total:
        compare(
            "after the last open-start event",
            row_at(open_starts - 1),
            page_ids(timeline[open_starts:]),
        )
