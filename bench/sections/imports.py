"""Import throughput through the write path (issue 8): events/s with history rows, first run and no-op.

A generated seed set (``BENCH_IMPORT_EVENTS``, default 20,000 events, each with two
participants, a country, a region and a citation) is imported by ``import_seeds``'s
pipeline in fresh databases of its own, named for this run so that two benches never share
one: a SQLite file in a new folder under var/bench/imports and a PostgreSQL database
``<bench database>_imports_<pid>`` (``BENCH_IMPORT_PG_URL`` to choose), both removed at the
end. Each run is a subprocess
(``python -m bench.sections.imports DATABASE_URL FILE``) timing parse+validate and
the write step (``seeds.importer.write.Writer``: the services, history included)
apart, then the same set again, which writes nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

from bench.scratch import psql_args
from bench.sections import setup_worker, worker_result

TITLE = "Import throughput through the services (issue 8)"
NEEDS_DATASET = False
ROOT = Path(__file__).resolve().parents[2]
TEXT = "Leaders met in the capital and signed a statement on trade and security."


def generate(path: Path, events: int) -> None:
    """Write a seed file of ``events`` events with their people, places and one source."""
    lines = ["sources:", "  - slug: bench-source", "    title: Bench source", "    text_file: bench.txt"]
    (path.parent / "bench.txt").write_text(TEXT, encoding="utf-8")
    lines.append("countries:")
    codes = [f"Q{c}" for c in "MNOPQRSTUVWXYZ"]
    for code in codes:
        lines += [f"  - code: {code}", f"    alpha3: {code}X", f"    name: Benchland {code}"]
    lines.append("regions:")
    for i in range(100):
        lines += [
            f"  - slug: bench-region-{i}",
            f"    name: Region {i}",
            "    kind: oblast",
            f"    country: {codes[i % len(codes)]}",
        ]
    lines.append("people:")
    for i in range(500):
        lines += [f"  - slug: bench-person-{i}", f"    name: Person {i}"]
    lines.append("events:")
    for i in range(events):
        year, month, day = 1950 + i % 70, 1 + i % 12, 1 + i % 28
        lines += [
            f"  - slug: bench-event-{i}",
            "    kind: MEETING",
            f"    title: Meeting {i}",
            f'    date: "{year}-{month:02d}-{day:02d}"',
            f"    countries: [{codes[i % len(codes)]}]",
            f"    regions: [bench-region-{i % 100}]",
            "    participants:",
            f"      - {{role: HOST, person: bench-person-{i % 500}}}",
            f"      - {{role: PARTICIPANT, country: {codes[(i + 1) % len(codes)]}}}",
            "    citations:",
            "      - {source: bench-source, quote: signed a statement}",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _worker(url: str, file: str) -> None:
    # As a deployment runs (docs/performance.md): DEBUG off.
    setup_worker(url, debug=False)
    from django.apps import apps
    from django.core.management import call_command
    from django.db import transaction

    from seeds.importer import import_user
    from seeds.importer.loader import load
    from seeds.importer.locking import take_import_lock
    from seeds.importer.validate import build_plan
    from seeds.importer.write import Writer

    call_command("migrate", verbosity=0, interactive=False)

    def history_rows() -> int:
        return sum(
            m._base_manager.count()
            for label in ("places", "people", "events")
            for m in apps.get_app_config(label).get_models()
            if m.__name__.startswith("Historical")
        )

    result = {}
    for run in ("first", "again"):
        started = time.perf_counter()
        doc, problems = load(Path(file))
        plan, found = build_plan([doc])
        assert not problems and not found, (problems + found)[:3]
        validated = time.perf_counter()
        before = history_rows()
        writing, cpu = time.perf_counter(), time.process_time()
        with transaction.atomic(durable=True):
            take_import_lock()
            stats = Writer(plan, lambda m: None, import_user()).run()
        done = time.perf_counter()
        result[run] = {
            "validate": validated - started,
            "write": done - writing,
            # This process's CPU time: on a loaded machine wall time is mostly waiting for a
            # core; the database server's own time (PostgreSQL) is not in it.
            "write_cpu": time.process_time() - cpu,
            "load": os.getloadavg()[0],
            "written": stats.written,
            "history": history_rows() - before,
        }
    print(json.dumps(result))


def _measure(url: str, file: Path) -> dict:
    return worker_result("bench.sections.imports", url, str(file))


def _pg_url() -> str:
    """This run's own PostgreSQL database: beside the bench database, named for this process."""
    if explicit := os.environ.get("BENCH_IMPORT_PG_URL"):
        return explicit
    from django.db import connection

    params = connection.settings_dict
    host, port, user = params["HOST"] or "127.0.0.1", params["PORT"] or 5432, params["USER"] or "postgres"
    return f"postgres://{user}@{host}:{port}/{params['NAME']}_imports_{os.getpid()}"


def _pg(command: str, url: str, *args: str) -> None:
    subprocess.run([command, *psql_args(url), *args, urlparse(url).path.lstrip("/")], check=True)


def run(*, repeat: int) -> str:
    events = int(os.environ.get("BENCH_IMPORT_EVENTS", "20000"))
    parent = ROOT / "var" / "bench" / "imports"
    parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="run-", dir=parent))
    pg_url = _pg_url()
    _pg("dropdb", pg_url, "--if-exists")
    _pg("createdb", pg_url)
    try:
        return _run(events, folder, pg_url)
    finally:
        _pg("dropdb", pg_url, "--if-exists")
        shutil.rmtree(folder, ignore_errors=True)


def _run(events: int, folder: Path, pg_url: str) -> str:
    file = folder / "bench-seeds.yaml"
    generate(file, events)
    sqlite = folder / "imports.sqlite3"
    rows = [
        "| database | validate (s) | write (s) | events/s | write CPU (s) | events/s of CPU | load "
        "| rows written | history rows | no-op write (s) | no-op events/s | first / no-op |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, url in (("PostgreSQL", pg_url), ("SQLite", f"sqlite:///{sqlite}")):
        r = _measure(url, file)
        first, again = r["first"], r["again"]
        rows.append(
            f"| {name} | {first['validate']:.1f} | {first['write']:.2f} | {events / first['write']:,.0f} "
            f"| {first['write_cpu']:.2f} | {events / first['write_cpu']:,.0f} | {first['load']:.1f} "
            f"| {first['written']:,} | {first['history']:,} | {again['write']:.2f} "
            f"(wrote {again['written']}, history {again['history']}) | {events / again['write']:,.0f} "
            f"| {first['write'] / again['write']:.1f}× |"
        )
    return (
        f"{events:,} generated events (two participants, a country, a region, a citation each), "
        "imported through `seeds.importer.write.Writer` (the batch services, one historical row per "
        "row written) into empty databases, then again (a no-op). Events/s count the write step; "
        "validate (parse and check the file) is timed apart; write CPU is the worker's own CPU "
        "time (not the database server's), load the 1-minute load average when the write ended. "
        "The worker runs with DEBUG off, as a deployment does.\n\n" + "\n".join(rows)
    )


if __name__ == "__main__":
    _worker(sys.argv[1], sys.argv[2])
