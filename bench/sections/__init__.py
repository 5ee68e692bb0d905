"""Bench sections: measurements that live beside the million-event core, each runnable alone.

``python -m bench.run`` runs the core measurements and then every section in ``SECTIONS`` and
writes them all into ``bench/report.md``; ``python -m bench.run --only NAME [--only NAME ...]``
runs just those (``core`` names the million-event measurements) and writes
``var/bench/NAME.md`` instead, leaving the report alone.

A section is a module of this package, listed in ``SECTIONS``, with:

- ``TITLE: str`` — its heading in the report;
- ``NEEDS_DATASET: bool`` — whether it reads the million-event dataset (loaded first if so);
- ``def run(*, repeat: int) -> str`` — measure and return the Markdown under the heading.

When ``run`` is called Django is set up on the benchmark database (PostgreSQL, its name
contains "bench"). A section that must not touch the million-event data, or that also
measures SQLite, does its work in a database of its own (a subprocess with another
``DATABASE_URL`` is the simplest way) and says so in its text.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

# Settings a section's worker runs with to time answers as computed, never from the response cache.
UNCACHED = {"GRAPHQL_RESPONSE_CACHE": "0", "SECURE_SSL_REDIRECT": "0"}
ROOT = Path(__file__).resolve().parents[2]


def worker_result(module: str, *args: str, env: Mapping[str, str] | None = None) -> Any:
    """Run ``python -m module *args`` from the project root; return the JSON its last line prints.

    A section measures in a process of its own so its database settings (another
    ``DATABASE_URL``, the response cache off) are that process's alone.
    """
    out = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=None if env is None else {**os.environ, **env},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def setup_worker(database_url: str, *, debug: bool) -> None:
    """Set Django up in a section's worker process (``python -m bench.sections.NAME``) on
    ``database_url``. With ``debug`` off it runs as a deployment does (Django then keeps no SQL
    text per statement, which at import sizes costs more than building the statements), with a
    key that signs nothing kept and the test client's host allowed."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if debug:
        os.environ.setdefault("DEBUG", "1")
    else:
        os.environ["DEBUG"] = "0"
        os.environ.setdefault("SECRET_KEY", "bench-worker-signs-nothing-kept")
        os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# Module names under bench.sections, in report order. Add yours here.
SECTIONS: tuple[str, ...] = (
    "pages",
    "changes",
    "asof",
    "graphql_speed",
    "dates",
    "imports",
    "validate_large",
    "hsg",
    "datasets",
    "people_search",
    "replicas",
    "admin",
)


def load(name: str) -> ModuleType:
    """Return the section module ``name``; refuse a name not in SECTIONS."""
    if name not in SECTIONS:
        raise KeyError(f"unknown bench section {name!r}; known: core, {', '.join(SECTIONS) or '(none)'}")
    return importlib.import_module(f"bench.sections.{name}")


def render(name: str, *, repeat: int) -> str:
    """Run section ``name`` and return it as a Markdown chapter."""
    module = load(name)
    print(f"section {name} ...", flush=True)
    return f"## {module.TITLE}\n\n{module.run(repeat=repeat).strip()}\n"
