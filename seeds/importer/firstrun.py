"""A fresh database serves pages within seconds: the curated seeds first, the datasets behind.

The whole default import of a fresh clone took one to four minutes on a two-core machine
(issue 25, item 3), and ``make run`` started the server only after it. The curated seeds (the
gazetteer, the seed article) take seconds; the bundled datasets are the minutes. So on a
database that no import has filled yet, ``import_seeds --curated-first`` imports the curated
seeds, then starts the default import as a process of its own and returns: the server starts
while it runs. That import is the ordinary one (one transaction, the usual baselines and
fingerprint), so when it commits the database is exactly what a foreground ``import_seeds``
leaves, and the data version moves then. Pages read the curated records meanwhile (SQLite in
WAL mode, or PostgreSQL); an editor's save waits for the import's lock and says "busy".

The process stays in the caller's process group: Ctrl-C on ``make run`` stops it too, its
transaction rolls back, and the next ``make run`` (the database then has countries) imports in
the foreground, as on any database that is not fresh.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from places.models import Country
from seeds.models import ImportRun

LOG = Path(settings.BASE_DIR) / "var" / "import-seeds.log"
DONE = "import_seeds (background): the bundled datasets are in; the pages show them now ({log})."
FAILED = "import_seeds (background): the import of the bundled datasets failed; see {log}."


def fresh() -> bool:
    """Whether no import has written here yet: no countries, no finished default import."""
    return not Country.objects.exists() and not ImportRun.objects.exists()


def start_background_import(*, log: Path = LOG) -> subprocess.Popen[bytes]:
    """Start the default ``import_seeds`` in a process of its own, its output in ``log``; one line
    on this console when it ends, saying how."""
    log.parent.mkdir(parents=True, exist_ok=True)
    manage = Path(settings.BASE_DIR) / "manage.py"
    command = shlex.join([sys.executable, str(manage), "import_seeds"])
    done, failed = (shlex.quote(line.format(log=log)) for line in (DONE, FAILED))
    script = f"if {command} > {shlex.quote(str(log))} 2>&1; then echo {done}; else echo {failed}; fi"
    # The environment (DEBUG, DATABASE_URL) is this process's: the same database.
    return subprocess.Popen(["/bin/sh", "-c", script], cwd=settings.BASE_DIR)
