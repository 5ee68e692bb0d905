"""Run the scale benchmarks on PostgreSQL and write ``bench/report.md``.

    python -m bench.run                   # default size (see DEFAULT_EVENTS), reusing the dataset
    python -m bench.run --quick           # ~50,000 events, a fast check
    python -m bench.run --events 1000000  # or BENCH_EVENTS=1000000 make bench
    python -m bench.run --regenerate      # rebuild the dataset even if it has the right size
    python -m bench.run --only NAME       # one section alone (see bench.sections), into var/bench/NAME.md

The database is ``BENCH_DATABASE_URL``, else ``DATABASE_URL`` when it names a *bench* database,
else ``chancery_bench`` on 127.0.0.1; it is created if missing. Its name must contain "bench"
because the loader truncates every Chancery table in it: a development database is never used.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/chancery_bench"
DEFAULT_EVENTS = 1_000_000
QUICK_EVENTS = 50_000
REPORT = ROOT / "bench" / "report.md"
DOCS = ROOT / "docs" / "performance.md"
DATASET_MARK = "chancery-bench dataset"
GENERATOR_VERSION = 3  # 2: history rows and the changes log (bench/history.py); 3: history_valid_until


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument(
        "--events", type=int, default=int(os.environ.get("BENCH_EVENTS", DEFAULT_EVENTS)), help="events"
    )
    size.add_argument("--quick", action="store_true", help=f"{QUICK_EVENTS:,} events")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the dataset")
    parser.add_argument(
        "--repeat",
        type=int,
        default=9,
        help="rounds per case: variants in a shuffled order each round (median, p10 and p90 reported)",
    )
    parser.add_argument("--seed", type=int, default=2024, help="dataset and order seed")
    parser.add_argument("--load-only", action="store_true", help="load data, measure nothing")
    parser.add_argument("--report", type=Path, default=REPORT, help="where to write the Markdown report")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="SECTION",
        help="run only this section ('core' or a bench.sections name); repeatable",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.events = QUICK_EVENTS
    return args


def benchmark_url() -> str:
    """Return the database to benchmark in (see the module docstring)."""
    if explicit := os.environ.get("BENCH_DATABASE_URL"):
        return explicit
    general = os.environ.get("DATABASE_URL", "")
    return general if "bench" in urlparse(general).path else DEFAULT_URL


def ensure_database(url: str) -> str:
    """Create the benchmark database if missing; refuse names without "bench"."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"Refusing database {name!r}: the benchmark truncates tables; name it *bench*.")
    admin_url = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")
    return name


def setup_django(url: str) -> None:
    # Settings read the environment once, at import: set it before django.setup().
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Typed without make (`python -m bench.run --only NAME`), DEBUG is off and the settings
    # want a key: the benchmark signs nothing anyone keeps, so a fixed one does.
    os.environ.setdefault("SECRET_KEY", "bench-only-signs-nothing-kept")
    hosts = os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1")
    os.environ["ALLOWED_HOSTS"] = f"{hosts},testserver"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def dataset_marker(events: int, seed: int) -> str:
    return f"{DATASET_MARK} v{GENERATOR_VERSION} events={events} seed={seed}"


def _vacuum(connection: Any) -> float:
    """VACUUM the freshly loaded tables; return the seconds it took.

    COPY leaves every page's visibility unset, so index-only scans (the link tables' unique
    indexes that region and person filters probe) still fetch each row from the heap until a
    VACUUM sets the visibility map; autovacuum would get there only minutes later.
    """
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")
    return round(time.perf_counter() - started, 1)


def ensure_dataset(events: int, seed: int, regenerate: bool) -> dict[str, object]:
    """Reuse the loaded dataset when its marker and counts match; otherwise generate and COPY it."""
    from django.db import connection, transaction

    from bench.dataset import Generator, Sizes
    from bench.history import fill as fill_history
    from bench.load import CopyWriter, app_models, load, truncate
    from events.memberships import rebuild as rebuild_memberships
    from events.models import Event

    marker = dataset_marker(events, seed)
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description('events_event'::regclass, 'pg_class')")
        comment = cursor.fetchone()[0]
    try:
        previous = json.loads(comment or "{}")
    except ValueError:
        previous = {}
    # bench/history.py deletes some events after the load, as editors would.
    kept = events - int((previous.get("history") or {}).get("deleted", 0))
    if not regenerate and previous.get("marker") == marker and Event.objects.count() == kept:
        print(f"reusing dataset: {marker} (loaded in {previous.get('seconds_total', 0):.0f} s)")
        if not previous.get("vacuumed"):  # loaded before the loader vacuumed
            previous = {**previous, "seconds_vacuum": _vacuum(connection), "vacuumed": True}
            with connection.cursor() as cursor:
                cursor.execute("COMMENT ON TABLE events_event IS %s", [json.dumps(previous)])
        return {**previous, "reused": True}

    print(f"generating {events:,} events (seed {seed}) ...", flush=True)
    # The settings' statement timeout bounds a request (config/settings.py); the load's COPY,
    # history fill and index builds are no request and run for minutes at a million events.
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    started = time.perf_counter()
    generator = Generator(Sizes.for_events(events), seed=seed)
    writer = CopyWriter(connection)
    with transaction.atomic():
        truncate(connection)
        counts = load(generator.batches(), writer)
        history_started = time.perf_counter()
        history = fill_history(connection, app_models())
        history_seconds = round(time.perf_counter() - history_started, 1)
        # COPY is no edit: the overview's memberships (events.memberships) are built once here.
        memberships_started = time.perf_counter()
        rebuild_memberships(using=connection)
        memberships_seconds = round(time.perf_counter() - memberships_started, 1)
    loaded = time.perf_counter() - started
    analyze_started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    analyzed = time.perf_counter() - analyze_started
    vacuumed = _vacuum(connection)
    copy_seconds = sum(v for k, v in writer.timings.items() if k.startswith("copy "))
    index_seconds = sum(v for k, v in writer.timings.items() if not k.startswith("copy "))
    stats: dict[str, object] = {
        "marker": marker,
        "rows": counts,
        "seconds_total": round(loaded + analyzed, 1),
        "seconds_generate": round(loaded - copy_seconds - index_seconds, 1),
        "seconds_copy": round(copy_seconds, 1),
        "seconds_indexes": round(index_seconds, 1),
        "seconds_analyze": round(analyzed, 1),
        "seconds_history": history_seconds,
        "seconds_memberships": memberships_seconds,
        "history": history,
        "seconds_vacuum": vacuumed,
        "vacuumed": True,
        "verified_dates": generator.landmarks.verified_dates,
        "loaded_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    print(
        f"loaded in {stats['seconds_total']} s (generate and stream {stats['seconds_generate']}, "
        f"COPY {stats['seconds_copy']}, indexes {stats['seconds_indexes']}, "
        f"history {history_seconds}, memberships {memberships_seconds}, "
        f"ANALYZE {stats['seconds_analyze']}, VACUUM {stats['seconds_vacuum']})",
        flush=True,
    )
    # The marker lives in the table comment: reruns reuse the data when it matches.
    with connection.cursor() as cursor:
        cursor.execute("COMMENT ON TABLE events_event IS %s", [json.dumps(stats)])
    return {**stats, "reused": False}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # The rounds' orders derive from it (bench/measure/rounds.py), in section workers too.
    os.environ["BENCH_SEED"] = str(args.seed)
    url = benchmark_url()
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"The benchmark needs PostgreSQL, not {url!r}.")
    where = urlparse(url)
    print(f"benchmark database: {where.path.lstrip('/')} on {where.hostname}:{where.port or 5432}")
    ensure_database(url)
    setup_django(url)

    from django.core.management import call_command

    from bench import sections

    for name in args.only:
        if name != "core":
            sections.load(name)  # an unknown name fails before any work
    chosen = [name for name in sections.SECTIONS if not args.only or name in args.only]
    core = not args.only or "core" in args.only
    call_command("migrate", verbosity=0, interactive=False)
    if core or args.load_only or any(sections.load(name).NEEDS_DATASET for name in chosen):
        dataset = ensure_dataset(args.events, args.seed, args.regenerate)
    if args.load_only:
        return 0

    if not core:
        out = ROOT / "var" / "bench"
        out.mkdir(parents=True, exist_ok=True)
        for name in chosen:
            text = sections.render(name, repeat=args.repeat)
            (out / f"{name}.md").write_text(text)
            print(text)
            print(f"section written to {out / f'{name}.md'}")
        return 0

    from bench import measure, report

    results = measure.run_all(repeat=args.repeat)
    text = report.render(events=args.events, dataset=dataset, results=results)
    text += "".join(f"\n{sections.render(name, repeat=args.repeat)}" for name in chosen)
    args.report.write_text(text)
    if args.events == DEFAULT_EVENTS and args.report == REPORT and report.update_docs(DOCS, results):
        print(f"results written to {DOCS}")
    print(report.summary(results))
    print(f"report written to {args.report}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
