"""What the report states about the run: machine, PostgreSQL settings and dataset row counts."""

from __future__ import annotations

import os
import platform
import time

from django.db import connection

from bench.measure.cases import fetch
from bench.measure.timing import Results
from bench.tables import TABLES
from core.fuzzydates import OPEN_END, OPEN_START
from events.models import Event


def environment(results: Results) -> None:
    version = fetch("SHOW server_version")[0][0]
    results.environment = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": str(os.cpu_count()),
        "python": platform.python_version(),
        "postgresql": version,
        "shared_buffers": fetch("SHOW shared_buffers")[0][0],
        "work_mem": fetch("SHOW work_mem")[0][0],
        "database": connection.settings_dict["NAME"],
    }
    counts = {}
    for table in TABLES:
        counts[table] = fetch(f'SELECT COUNT(*) FROM "{table}"')[0][0]
    results.dataset["rows"] = counts
    # Open ends are stored as extreme days (core.fuzzydates.OPEN_START/OPEN_END), not NULL.
    results.dataset["open_starts"] = Event.objects.filter(date_earliest=OPEN_START).count()
    results.dataset["open_ends"] = Event.objects.filter(date_latest=OPEN_END).count()
    results.dataset["history_rows"] = fetch("SELECT COUNT(*) FROM events_historicalevent")[0][0]
