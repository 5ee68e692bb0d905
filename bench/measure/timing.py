"""Timing machinery: the case and result records, and the interleaved timing loop.

Cases of one section run round-robin (A B C, B C A, ...), so a noisy neighbour slows all of
them alike and the ratios stay meaningful on a shared machine. Statement counts come from a
warm-up run under ``CaptureQueriesContext``.
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.explain import Plan

SLOW_SECONDS = 1.5  # a case slower than this on warm-up is run fewer times


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
