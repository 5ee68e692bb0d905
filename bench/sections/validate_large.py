"""Validating a large seed file (issue 13): 100,000 events with one bad date at the very end.

The file is the import section's generated set (``bench.sections.imports.generate``: two
participants, a country, a region and a citation per event) with the last event's date made
invalid, so validation has to read the whole file and must then refuse it naming that one
record. Run in a subprocess of its own on a fresh SQLite database
(``python -m bench.sections.validate_large FILE``), so its peak memory
(``resource.getrusage(...).ru_maxrss``) is the validation's and nothing else's.
``BENCH_VALIDATE_EVENTS`` sets the size (default 100,000).
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.sections import imports, setup_worker

TITLE = "Validating a large seed file (issue 13)"
NEEDS_DATASET = False
ROOT = Path(__file__).resolve().parents[2]
BAD_DATE = "2022-13-45"
EVENTS = 100_000


def generate(path: Path, events: int) -> str:
    """Write the set with the last event's date invalid; return that event's slug."""
    imports.generate(path, events)
    text = path.read_text(encoding="utf-8")
    last = text.rindex("    date: ")
    end = text.index("\n", last)
    path.write_text(f'{text[:last]}    date: "{BAD_DATE}"{text[end:]}', encoding="utf-8")
    return f"bench-event-{events - 1}"


def measure(file: Path) -> dict[str, Any]:
    """Parse and validate ``file`` as ``import_seeds`` does; time each step and list the problems.

    Django must be set up on a migrated database; nothing is written.
    """
    from seeds.importer.loader import find_files, load
    from seeds.importer.validate import build_plan

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu_started = time.process_time()
    started = time.perf_counter()
    files, problems = find_files([file])
    docs = []
    for path in files:
        doc, found = load(path)
        docs.append(doc)
        problems.extend(found)
    parsed = time.perf_counter()
    _, found = build_plan(docs)
    problems.extend(found)
    validated = time.perf_counter()
    return {
        # CPU seconds too: on a shared machine wall time also counts other processes' turns.
        "cpu": time.process_time() - cpu_started,
        "parse": parsed - started,
        "validate": validated - parsed,
        "problems": [str(p) for p in problems],
        "rss_before_kib": rss_before,
        "rss_peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def _worker(file: str, database: str) -> None:
    setup_worker(f"sqlite:///{database}", debug=True)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    print(json.dumps(measure(Path(file))))


def measure_in_subprocess(file: Path) -> dict[str, Any]:
    """``measure`` in a fresh interpreter on a fresh SQLite database (its memory is its own)."""
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.sections.validate_large",
                str(file),
                str(Path(folder) / "db.sqlite3"),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def refuses_only(result: dict[str, Any], slug: str) -> bool:
    """Whether the run refused the file for exactly the bad date, naming its record."""
    problems = result["problems"]
    return (
        len(problems) == 1
        and re.search(rf":\d+: {re.escape(slug)}: date: .*{BAD_DATE}", problems[0]) is not None
    )


def run(*, repeat: int) -> str:
    events = int(os.environ.get("BENCH_VALIDATE_EVENTS", EVENTS))
    folder = ROOT / "var" / "bench" / "validate_large"
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / "large-seeds.yaml"
    slug = generate(file, events)
    size = file.stat().st_size
    runs = [measure_in_subprocess(file) for _ in range(max(1, min(repeat, 3)))]
    best = min(runs, key=lambda r: r["parse"] + r["validate"])
    total = best["parse"] + best["validate"]
    peak = max(r["rss_peak_kib"] for r in runs) / 1024
    base = min(r["rss_before_kib"] for r in runs) / 1024
    verdict = "yes" if all(refuses_only(r, slug) for r in runs) else "NO: " + "; ".join(best["problems"][:3])
    rows = [
        "| events | file | parse (s) | validate (s) | total (s) | CPU (s) | events/s (CPU) | peak RSS (MiB) "
        "| refused, naming it |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {events:,} | {size / 1e6:.1f} MB | {best['parse']:.1f} | {best['validate']:.1f} | {total:.1f} | "
        f"{best['cpu']:.1f} | {events / best['cpu']:,.0f} | {peak:,.0f} (of which {base:,.0f} before "
        f"reading) | {verdict} |",
    ]
    return (
        f"A generated seed file of {events:,} events whose last event has the date `{BAD_DATE}`, "
        "parsed and validated as `import_seeds` does (`seeds.importer.loader.load`, then "
        "`seeds.importer.validate.build_plan`) in a subprocess on an empty SQLite database; "
        f"best of {len(runs)}. The refusal:\n\n```\n{(best['problems'] or ['(none)'])[0]}\n```\n\n"
        + "\n".join(rows)
    )


if __name__ == "__main__":
    _worker(sys.argv[1], sys.argv[2])
