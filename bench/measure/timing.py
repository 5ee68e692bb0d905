"""Timing machinery: the case and result records, and the interleaved timing loop.

Cases of one section run in rounds, each round in a freshly shuffled, seeded order
(bench.measure.rounds), so a noisy neighbour slows all of them alike and no case always
follows the same one; ratios are taken within each round. Statement counts come from a
warm-up run under ``CaptureQueriesContext``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.explain import Plan
from bench.measure.rounds import Rounds, Spread, interleave, timed

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
    p10_ms: float = 0.0
    p90_ms: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average as its section started and ended

    @property
    def spread(self) -> str:
        return f"{self.p10_ms:,.1f}–{self.p90_ms:,.1f}"


@dataclass
class Ratio:
    section: str
    label: str
    value: float  # the median of the per-round ratios
    p10: float = 0.0
    p90: float = 0.0


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
    rounds: dict[str, Rounds] = field(default_factory=dict)  # by section

    def get(self, section: str, name: str) -> Result:
        return next(r for r in self.results if r.section == section and r.name == name)

    def ratio(self, section: str, label: str, slow: str, fast: str) -> float:
        """Record and return the median per-round ratio ``slow / fast`` of two cases of ``section``."""
        spread = self.ratio_spread(section, slow, fast)
        self.ratios.append(Ratio(section, label, spread.median, spread.p10, spread.p90))
        return spread.median

    def ratio_spread(self, section: str, slow: str, fast: str) -> Spread:
        """``slow / fast`` within each round of ``section`` (both timed side by side), summarised."""
        return self.rounds[section].ratio(slow, fast)


def measure(results: Results, section: str, cases: list[Case], repeat: int) -> None:
    """Warm up each case (counting its statements), then time them in shuffled rounds; keep spreads."""
    warm: dict[str, tuple[int, list[str], float]] = {}
    for case in cases:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            rows = case.run()
            elapsed = time.perf_counter() - started
        warm[case.name] = (rows, [q["sql"] for q in captured.captured_queries], elapsed)
        print(f"  {section}: {case.name}: warm-up {elapsed * 1000:.1f} ms", flush=True)
    # Slow cases run fewer times; every round still shuffles all cases that have runs left.
    runs = {
        name: repeat if elapsed < SLOW_SECONDS else max(3, repeat // 2)
        for name, (_, _, elapsed) in warm.items()
    }
    measured = interleave(
        section, {case.name: timed(case.run) for case in cases}, rounds=max(runs.values()), runs=runs
    )
    results.rounds[section] = measured
    for case in cases:
        rows, sql, _ = warm[case.name]
        spread = measured.spread(case.name)
        results.results.append(
            Result(
                section=section,
                name=case.name,
                median_ms=spread.median,
                min_ms=min(measured.values(case.name)),
                runs=spread.runs,
                rows=rows,
                queries=len(sql),
                plan=case.explain() if case.explain else None,
                note=case.note,
                sql=sql,
                p10_ms=spread.p10,
                p90_ms=spread.p90,
                load=(measured.load_start, measured.load_end),
            )
        )
