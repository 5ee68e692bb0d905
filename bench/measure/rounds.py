"""Interleaved rounds: the one way the bench compares variants of a case.

Every round runs each variant once, in an order shuffled afresh for that round by a random
generator seeded from the run's seed and the case's name (reported, so a run can be replayed).
Issue 25: with a fixed order each case always ran after the same neighbour, and swapping two
variants' places moved a ratio from 0.91 to 1.64. A ratio is computed within each round, from
variants that ran seconds apart under the same load, and summarised by its median with p10 and
p90 over the rounds; each case records the 1-minute load average when it started and ended.

A variant is a callable returning its own measure: :func:`timed` wraps a plain callable into one
returning its wall time in ms; a throughput variant returns requests per second; a variant
measured in another process returns what that process timed.
"""

from __future__ import annotations

import os
import random
import statistics
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# The run's seed (python -m bench.run --seed sets it for its sections and their workers).
SEED_VARIABLE = "BENCH_SEED"
DEFAULT_SEED = 2024


def load_average() -> float:
    """The machine's 1-minute load average (0.0 where the platform has none)."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return 0.0


def case_seed(case: str, seed: int | None = None) -> int:
    """The order seed of ``case``: the run's seed mixed with the case's name, stable across runs."""
    base = int(os.environ.get(SEED_VARIABLE, DEFAULT_SEED)) if seed is None else seed
    return base * 1_000_003 + zlib.crc32(case.encode())


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share`` quantile of ``values`` by linear interpolation (share 0.5 is the median)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Spread:
    """Median, p10 and p90 of a measure over the rounds."""

    median: float
    p10: float
    p90: float
    runs: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(
            median=statistics.median(values),
            p10=percentile(values, 0.1),
            p90=percentile(values, 0.9),
            runs=len(values),
        )

    def text(self, digits: int = 1) -> str:
        """``12.3 (11.0–14.2)``: the median, then p10–p90 in brackets."""
        return f"{self.median:,.{digits}f} ({self.p10:,.{digits}f}–{self.p90:,.{digits}f})"


@dataclass
class Rounds:
    """What :func:`interleave` measured: each variant's measure per round, the orders, the load."""

    case: str
    seed: int
    orders: list[tuple[str, ...]] = field(default_factory=list)
    samples: dict[str, list[float | None]] = field(default_factory=dict)
    load_start: float = 0.0
    load_end: float = 0.0

    def values(self, variant: str) -> list[float]:
        return [v for v in self.samples[variant] if v is not None]

    def spread(self, variant: str) -> Spread:
        return Spread.of(self.values(variant))

    def ratios(self, slow: str, fast: str) -> list[float]:
        """``slow / fast`` within each round both ran in."""
        pairs = zip(self.samples[slow], self.samples[fast], strict=True)
        return [a / max(b, 1e-9) for a, b in pairs if a is not None and b is not None]

    def ratio(self, slow: str, fast: str) -> Spread:
        """The median of the per-round ratios ``slow / fast``, with their p10 and p90."""
        return Spread.of(self.ratios(slow, fast))

    def load_text(self) -> str:
        return f"load {self.load_start:.2f} → {self.load_end:.2f}"

    def describe(self) -> str:
        """One line for a report: rounds, order seed, load at start and end."""
        return f"{len(self.orders)} rounds in a shuffled order (seed {self.seed}), 1-min {self.load_text()}"


def timed(run: Callable[[], Any]) -> Callable[[], float]:
    """A variant measuring ``run``'s wall time in ms."""

    def variant() -> float:
        started = time.perf_counter()
        run()
        return (time.perf_counter() - started) * 1000

    return variant


def interleave(
    case: str,
    variants: Mapping[str, Callable[[], float]],
    *,
    rounds: int,
    runs: Mapping[str, int] | None = None,
    seed: int | None = None,
) -> Rounds:
    """Run every variant once per round, in a freshly shuffled order each round; keep every measure.

    ``runs`` caps the rounds a slow variant takes part in (it sits the later rounds out; the
    others still shuffle among themselves). Warm-up is the caller's: a first call pays for
    caches and connections that no steady state pays.
    """
    seed = case_seed(case, seed)
    rng = random.Random(seed)
    result = Rounds(case=case, seed=seed, samples={name: [] for name in variants})
    result.load_start = load_average()
    names = list(variants)
    for turn in range(rounds):
        order = [name for name in names if runs is None or turn < runs.get(name, rounds)]
        rng.shuffle(order)
        result.orders.append(tuple(order))
        measured = {name: variants[name]() for name in order}
        for name in names:
            result.samples[name].append(measured.get(name))
    result.load_end = load_average()
    return result
