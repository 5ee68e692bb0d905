"""The measurements: every case timed several times, in shuffled rounds with its rivals, medians compared.

Cases of one section run in rounds, each in a seeded shuffled order, so a noisy neighbour slows all of
them alike and the ratios stay meaningful on a shared machine. Statement counts come from a
warm-up run under ``CaptureQueriesContext``; plans from ``EXPLAIN (ANALYZE, BUFFERS)``.

This package holds :func:`run_all`, which runs every section in order; the parts live in:

- :mod:`bench.measure.rounds`: variants timed in shuffled, seeded rounds (spreads, per-round ratios);
- :mod:`bench.measure.timing`: the records (``Case``, ``Result``, ``Results``...) and the timing loop;
- :mod:`bench.measure.cases`: building blocks (raw SQL, case constructors, keyset filters);
- :mod:`bench.measure.describe`: machine, server settings and row counts for the report;
- :mod:`bench.measure.paging`: timeline paging, OFFSET against keyset;
- :mod:`bench.measure.filters`: filtered timelines and hand-written variants of the selector;
- :mod:`bench.measure.api`: the GraphQL endpoint;
- :mod:`bench.measure.changelist`: the admin changelist, and counting events.
"""

from __future__ import annotations

from django.db import connection

from bench.measure.timing import Case, Check, Ratio, Result, Results, measure

__all__ = ["Case", "Check", "Ratio", "Result", "Results", "measure", "run_all"]


def run_all(*, repeat: int) -> Results:
    # Imported here, not above: they import the models, and a section's worker process imports
    # bench.measure.rounds before it has set Django up.
    from bench.measure.api import graphql
    from bench.measure.changelist import admin, counting
    from bench.measure.describe import environment
    from bench.measure.filters import filtered_timelines
    from bench.measure.paging import timeline_paging

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
