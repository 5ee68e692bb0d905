"""Settings, server and database-concurrency tests; helpers the scripts beside them share."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def sqlite_script_report(module: str, database: Path) -> tuple[dict[str, Any], str]:
    """Run ``python -m module`` (a script beside these tests) on a SQLite file of its own, as a
    server process would; return the JSON report its last line prints, and what it wrote to
    stderr."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-m", module], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr
