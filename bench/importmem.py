"""Where the default import's memory goes: resident size per phase (issue 25, item 3).

``DEBUG=1 python -m bench.importmem [--trace] [IMPORT_SEEDS ARGS...]`` runs ``import_seeds``
in this process against ``DATABASE_URL`` (migrate it first) and prints, per phase, the
resident set size when the phase ended, the highest one seen during it (sampled every 20 ms)
and, with ``--trace``, the Python heap tracemalloc counts when it ended and at its peak
(slower: tracemalloc sees every allocation), and the live heap by line where each of ``TOP_AT``
first begins. A phase starts at each ``run_import``
progress line and at each step named in ``STEPS`` (entered and left). The last line is the
process's peak RSS (``ru_maxrss``), the figure ``/usr/bin/time -v`` reports.
"""

from __future__ import annotations

import functools
import importlib
import os
import resource
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

# module, attribute: the steps of an import whose ends mark a phase (missing ones are skipped).
STEPS = (
    ("seeds.importer", "find_files"),
    ("seeds.datasets.resolve", "resolve"),
    ("seeds.importer", "build_plan"),
    ("seeds.importer.write", "Writer.run"),
)
# With --trace: where the heap is printed by line (planned, docs let go; treaties written, events begun).
TOP_AT = ("Validated", "Events:")
PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024


def rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


class Phases:
    """The phases seen so far and the highest RSS of the current one, sampled by a thread."""

    def __init__(self, trace: bool) -> None:
        self.trace = trace
        self.rows: list[tuple[str, float, int, int, int, int]] = []
        self.name = "start"
        self.started = time.perf_counter()
        self.high = rss()
        self.shown: set[str] = set()
        self.lock = threading.Lock()
        self.done = threading.Event()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while not self.done.wait(0.02):
            now = rss()
            with self.lock:
                self.high = max(self.high, now)

    def mark(self, name: str) -> None:
        """End the current phase and start ``name``."""
        now = rss()
        current, peak = tracemalloc.get_traced_memory() if self.trace else (0, 0)
        with self.lock:
            high, self.high = max(self.high, now), now
        self.rows.append((self.name, time.perf_counter() - self.started, now, high, current, peak))
        if self.trace:
            tracemalloc.reset_peak()
            first = next((t for t in TOP_AT if name.startswith(t) and t not in self.shown), None)
            if first is not None:
                self.shown.add(first)
                self._top(name)
        self.name = name

    def _top(self, name: str) -> None:
        """Print where the live heap was allocated, by line, at the first phase named ``TOP_AT``."""
        print(f"Heap at {name!r}, by line allocated:")
        for stat in tracemalloc.take_snapshot().statistics("lineno")[:25]:
            frame = stat.traceback[0]
            print(f"{stat.size / MB:8.1f} MB {stat.count:9d}  {frame.filename}:{frame.lineno}")

    def report(self) -> str:
        lines = ["| phase, from the line that began it | ended at s | RSS at end MB | RSS peak MB "]
        lines[0] += "| heap at end MB | heap peak MB |"
        lines.append("|---|---:|---:|---:|---:|---:|")
        for name, at, now, high, current, peak in self.rows:
            heap = f"{current / MB:.0f} | {peak / MB:.0f}" if self.trace else "- | -"
            lines.append(f"| {name[:70]} | {at:.1f} | {now / MB:.0f} | {high / MB:.0f} | {heap} |")
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        lines.append(f"\npeak RSS (ru_maxrss): {maxrss:.0f} MB; load average {os.getloadavg()}")
        return "\n".join(lines)


def _wrap(phases: Phases, module: str, path: str) -> None:
    owner: Any = importlib.import_module(module)
    *parents, name = path.split(".")
    for parent in parents:
        owner = getattr(owner, parent)
    original: Callable[..., Any] | None = getattr(owner, name, None)
    if original is None:
        return

    @functools.wraps(original)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        phases.mark(f"{path} (before)")
        try:
            return original(*args, **kwargs)
        finally:
            phases.mark(f"after {path}")

    setattr(owner, name, wrapped)


def main(argv: list[str]) -> None:
    trace = "--trace" in argv
    args = [a for a in argv if a != "--trace"]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if trace:
        tracemalloc.start()
    phases = Phases(trace)
    for module, path in STEPS:
        _wrap(phases, module, path)
    import seeds.importer as importer

    run_import = importer.run_import

    def run(**options: Any) -> Any:
        given = options.get("progress") or (lambda message: None)

        def progress(message: str) -> None:
            phases.mark(message)
            given(message)

        return run_import(**{**options, "progress": progress})

    command = importlib.import_module("seeds.management.commands.import_seeds")
    command.run_import = run  # type: ignore[attr-defined]
    call_command("import_seeds", *args, verbosity=0)
    phases.mark("end")
    phases.done.set()
    print(phases.report())
    from django.db import connection

    logged = sum(len(q["sql"]) for q in connection.queries_log)
    print(f"Django's SQL log (DEBUG): {len(connection.queries_log)} statements, {logged / MB:.0f} MB of text")


if __name__ == "__main__":
    main(sys.argv[1:])
