"""EDTF parsing: the ``edtf`` package, the fast path and the cache side by side, and what
validating a seed file costs per event with and without them (issue 8).

    python -m bench.run --only dates

Touches no benchmark data: the seed file is validated with ``import_seeds --dry-run``,
which writes nothing.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

TITLE = "EDTF parsing (core.fuzzydates)"
NEEDS_DATASET = False

SEED = 2024
COMMON_VALUES = 20_000  # distinct values for the fast path and the cache
PACKAGE_VALUES = 150  # the package is ~1,000x slower: fewer values, same mix
SEED_EVENTS = 1_000  # events in the generated seed file


def common_values(count: int, rng: random.Random) -> list[str]:
    """Distinct values in the forms seed files use: days, months, years, qualifiers, spans, ranges."""
    values: set[str] = set()
    while len(values) < count:
        values.add(_common_value(rng))
    return sorted(values, key=lambda _: rng.random())


def _day(rng: random.Random) -> str:
    return f"{rng.randint(1900, 2030):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _common_value(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.45:
        return _day(rng)
    if roll < 0.65:
        return _day(rng)[:7] + rng.choice(["", "", "?", "~"])
    if roll < 0.75:
        return _day(rng)[:4] + rng.choice(["", "~", "?", "%"])
    low, high = sorted([_day(rng), _day(rng)])
    if roll < 0.88:
        return f"{low}/{rng.choice([high, '..', ''])}"
    return f"[{low}..{high}]"


def package_only_values(rng: random.Random) -> list[str]:
    """Forms only the package reads: seasons, unspecified digits, partial qualifiers."""
    forms = [
        lambda: f"{rng.randint(1900, 2030)}-{rng.randint(21, 24)}",
        lambda: f"{rng.randint(1900, 2030)}-{rng.randint(33, 41)}",
        lambda: f"{_day(rng)[:8]}XX",
        lambda: f"{rng.randint(190, 202)}X",
        lambda: f"{_day(rng)[:8]}~{rng.randint(10, 28)}",
    ]
    return [rng.choice(forms)() for _ in range(PACKAGE_VALUES)]


def _rate(func: Callable[[str], object], values: list[str], repeat: int) -> float:
    """Median parses per second of ``func`` over ``values``."""
    rates = []
    for _ in range(repeat):
        start = time.perf_counter()
        for value in values:
            func(value)
        rates.append(len(values) / (time.perf_counter() - start))
    return statistics.median(rates)


@contextmanager
def package_only() -> Iterator[None]:
    """Every parse through the package, no fast path, no cache: the cost before issue 8."""
    from core.fuzzydates import value
    from core.fuzzydates.package import read_with_package

    with mock.patch.object(value, "_parse_cached", read_with_package):
        yield


def write_seed_file(folder: Path, dates: list[str]) -> Path:
    lines = ["events:"]
    for index, value in enumerate(dates):
        lines += [
            f"  - slug: bench-dates-{index:05d}",
            "    kind: MEETING",
            f"    title: Bench date event {index}",
            f'    date: "{value}"',
        ]
    path = folder / "bench-dates.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


@dataclass
class SeedRun:
    validate: float  # seconds to read and validate the file
    total: float  # validate and plan, writing nothing (import_seeds --dry-run)
    package_parses: int


def seed_run(path: Path, runs: int) -> SeedRun:
    """Median of ``runs`` dry-run imports of ``path``, each with an empty cache."""
    from core.fuzzydates import clear_parse_cache, package
    from seeds.importer import seeds_import

    results = []
    real = package.parse_edtf
    marks: dict[str, float] = {}

    def mark(message: str) -> None:
        marks.setdefault(message.split()[0], time.perf_counter())

    for _ in range(runs):
        calls = 0

        def counted(text: str) -> object:
            nonlocal calls
            calls += 1
            return real(text)

        marks.clear()
        clear_parse_cache()  # as in a fresh process: nothing parsed yet
        with mock.patch.object(package, "parse_edtf", counted):
            start = time.perf_counter()
            seeds_import(
                paths=[path],
                dry_run=True,
                progress=mark,
            )
            end = time.perf_counter()
        results.append(SeedRun(marks["Validated"] - start, end - start, calls))
    results.sort(key=lambda r: r.total)
    return results[len(results) // 2]


def run(*, repeat: int) -> str:
    from core.fuzzydates import FuzzyDate, clear_parse_cache
    from core.fuzzydates.fast import read_fast
    from core.fuzzydates.package import read_with_package

    rng = random.Random(SEED)
    common = common_values(COMMON_VALUES, rng)
    others = package_only_values(rng)
    sample = common[:PACKAGE_VALUES]
    few = max(1, min(repeat, 3))  # the package runs take seconds each

    package_rate = _rate(read_with_package, sample, few)
    fast_rate = _rate(read_fast, common, repeat)

    def uncached(value: str) -> object:
        return FuzzyDate.parse(value)

    cold = []
    for _ in range(repeat):
        clear_parse_cache()
        cold.append(_rate(uncached, common, 1))
    parse_cold = statistics.median(cold)
    parse_warm = _rate(FuzzyDate.parse, common[:8000], repeat)  # within the cache's 8,192
    clear_parse_cache()
    others_rate = _rate(read_with_package, others, few)

    dates = common[:SEED_EVENTS]
    with tempfile.TemporaryDirectory() as folder:
        path = write_seed_file(Path(folder), dates)
        seed_runs = max(1, min(repeat, 2))  # a run writes and rolls back the whole file
        now = seed_run(path, seed_runs)
        with package_only():
            before = seed_run(path, seed_runs)

    rows = [
        ("`edtf` package (`read_with_package`), common forms", package_rate, PACKAGE_VALUES),
        (
            "`edtf` package, forms only it reads (seasons, `199X`, `2004-06-~11`)",
            others_rate,
            PACKAGE_VALUES,
        ),
        ("fast path (`read_fast`), common forms", fast_rate, COMMON_VALUES),
        ("`FuzzyDate.parse`, cache empty (fast path + building the value)", parse_cold, COMMON_VALUES),
        ("`FuzzyDate.parse`, cached (repeated values)", parse_warm, 8000),
    ]
    table = ["| what | parses/s | vs package | values |", "|---|---:|---:|---:|"]
    for label, rate, count in rows:
        table.append(f"| {label} | {rate:,.0f} | {rate / package_rate:,.1f}× | {count:,} |")

    def ms(seconds: float) -> str:
        return f"{seconds / SEED_EVENTS * 1000:.2f} ms"

    return "\n".join(
        [
            f"Distinct EDTF values in the forms seed files use (seed {SEED}: 45 % days, 20 % months, "
            "10 % years, ~15 % qualified, 13 % intervals, 12 % one-of day ranges); medians of "
            f"{repeat} runs ({few} for the package). Every value the fast path reads is checked "
            "against the package by `tests/core/test_fuzzydates_readers.py`.",
            "",
            *table,
            "",
            f"A generated seed file of {SEED_EVENTS:,} events with distinct dates of that mix, "
            f"imported with `--dry-run` (validated and planned, nothing written; cache emptied first; "
            f"median of {seed_runs}). *Before* sends every parse to the package with no cache, "
            "as before issue 8:",
            "",
            "| | validate | per event | dry-run import | per event | package parses per event |",
            "|---|---:|---:|---:|---:|---:|",
            f"| before | {before.validate:.2f} s | {ms(before.validate)} | {before.total:.2f} s | "
            f"{ms(before.total)} | {before.package_parses / SEED_EVENTS:.2f} |",
            f"| now | {now.validate:.2f} s | {ms(now.validate)} | {now.total:.2f} s | "
            f"{ms(now.total)} | {now.package_parses / SEED_EVENTS:.2f} |",
            "",
            f"Validation is {before.validate / now.validate:.1f}× faster and the dry-run import "
            f"{before.total / now.total:.1f}× faster; what remains is the importer's own work "
            "(YAML, field rules, queries, history rows).",
        ]
    )
