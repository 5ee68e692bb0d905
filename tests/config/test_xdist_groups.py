"""`make test`'s xdist groups hold: tests marked ``xdist_group(name)`` run on one worker.

The suite relies on them (`make test` runs ``--dist loadgroup``): the gunicorn tests share one
STATIC_ROOT, the replica tests one primary/standby pair, and modules whose module fixture is
costly (the parsed bundled datasets, a browser) build it once. pytest 9.2 with pytest-xdist 3.8
drops the groups without a word (pytest-dev/pytest-xdist#1386): every group was spread over the
workers and the suite ran each such fixture twice, two gunicorns at once. This runs a small
suite the way `make test` does and says so if the installed pair does that again.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import os
from pathlib import Path

import pytest


def _record(kind):
    with open(Path(__file__).with_name(kind + ".txt"), "a") as out:
        out.write(os.environ["PYTEST_XDIST_WORKER"] + "\\n")


@pytest.mark.xdist_group("together")
@pytest.mark.parametrize("n", range(4))
def test_grouped(n):
    _record("grouped")


@pytest.mark.parametrize("n", range(8))
def test_free(n):
    _record("free")
"""


def test_a_marked_group_runs_on_one_worker_under_loadgroup(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # none of the suite's options or plugins' settings
    (tmp_path / "test_probe.py").write_text(PROBE)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DJANGO_"))}
    command = [sys.executable, "-m", "pytest", "-p", "no:django", "-p", "no:cacheprovider", "-q"]
    done = subprocess.run(
        [*command, "-n", "2", "--dist", "loadgroup", "test_probe.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    grouped = (tmp_path / "grouped.txt").read_text().split()
    free = (tmp_path / "free.txt").read_text().split()
    assert (len(grouped), len(free)) == (4, 8)
    # Ungrouped tests are handed out one by one, so both workers ran (the probe is a fair one).
    assert set(free) | set(grouped) == {"gw0", "gw1"}
    assert len(set(grouped)) == 1, (
        f"pytest {pytest.__version__} with this pytest-xdist ran one xdist_group on {sorted(set(grouped))}: "
        "--dist loadgroup is not honoured (pytest-dev/pytest-xdist#1386); pyproject.toml's pins "
        "say which pair works (make setup installs it)"
    )
