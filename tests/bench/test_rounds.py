"""The one timing helper: variants in a seeded shuffled order each round, spreads, per-round ratios."""

from __future__ import annotations

import itertools

import pytest

from bench.measure import rounds
from bench.measure.rounds import Spread, interleave, percentile


def test_each_round_runs_every_variant_once_in_a_shuffled_seeded_order() -> None:
    calls: list[str] = []

    def variant(name: str) -> object:
        return lambda: calls.append(name) or 1.0

    names = ["a", "b", "c", "d"]
    measured = interleave("case", {n: variant(n) for n in names}, rounds=12, seed=7)
    assert len(calls) == 48
    assert all(sorted(order) == names for order in measured.orders)
    assert [tuple(calls[i : i + 4]) for i in range(0, 48, 4)] == measured.orders
    # Shuffled: no variant always runs after the same neighbour, and the first place changes.
    assert len({order[0] for order in measured.orders}) > 1
    assert len(set(measured.orders)) > 3
    again = interleave("case", {n: variant(n) for n in names}, rounds=12, seed=7)
    assert again.orders == measured.orders and again.seed == measured.seed
    other = interleave("another case", {n: variant(n) for n in names}, rounds=12, seed=7)
    assert other.orders != measured.orders


def test_ratios_are_taken_within_each_round() -> None:
    slow = itertools.count(10, 10)  # 10, 20, 30 ... a load that rises over the run
    fast = itertools.count(5, 5)  # 5, 10, 15 ... rising alike
    measured = interleave("ratio", {"slow": lambda: next(slow), "fast": lambda: next(fast)}, rounds=5)
    assert measured.ratios("slow", "fast") == [2.0] * 5
    assert measured.ratio("slow", "fast") == Spread(median=2.0, p10=2.0, p90=2.0, runs=5)


def test_spread_and_percentiles() -> None:
    values = [float(v) for v in range(1, 12)]  # 1 .. 11
    assert percentile(values, 0.5) == 6.0
    assert percentile(values, 0.1) == pytest.approx(2.0)
    assert percentile(values, 0.9) == pytest.approx(10.0)
    assert Spread.of(values).text() == "6.0 (2.0–10.0)"


def test_a_slow_variant_sits_later_rounds_out_and_the_load_is_recorded(monkeypatch) -> None:
    loads = iter([1.5, 2.5])
    monkeypatch.setattr(rounds, "load_average", lambda: next(loads))
    measured = interleave("capped", {"quick": lambda: 1.0, "slow": lambda: 9.0}, rounds=4, runs={"slow": 2})
    assert measured.values("slow") == [9.0, 9.0] and len(measured.values("quick")) == 4
    assert measured.ratios("slow", "quick") == [9.0, 9.0]
    assert (measured.load_start, measured.load_end) == (1.5, 2.5)
    assert "4 rounds in a shuffled order (seed " in measured.describe()
    assert measured.describe().endswith("1-min load 1.50 → 2.50")


def test_the_run_seed_comes_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("BENCH_SEED", "11")
    eleven = rounds.case_seed("x")
    monkeypatch.setenv("BENCH_SEED", "12")
    assert rounds.case_seed("x") != eleven
