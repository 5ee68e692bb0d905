"""The load script at a tiny size: it starts the production server, signs editors in, reports no errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench import loadtest

ROOT = Path(__file__).resolve().parents[2]


def test_the_plan_is_fixed_and_mixes_every_kind() -> None:
    names = {"events": ["a", "b", "c", "d", "e"], "people": ["p"], "countries": ["UA"]}
    work = loadtest.plan(200, names)
    assert work == loadtest.plan(200, names)
    assert {kind for kind, _ in work} == set(loadtest.MIX)
    assert {slug for kind, (slug, _) in ((k, a) for k, a in work if k == "edit")} <= {"a", "b", "c", "d"}


def test_percentiles() -> None:
    values = [float(n) for n in range(1, 101)]
    assert (loadtest.percentile(values, 0.95), loadtest.percentile(values, 0.99)) == (95.0, 99.0)


def test_fifty_requests_on_sqlite_with_concurrent_editors_have_no_errors() -> None:
    command = [sys.executable, "-m", "bench.loadtest", "--requests", "50", "--concurrency", "4"]
    command += ["--editors", "4", "--workers", "2", "--json"]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert run.returncode == 0 and result["errors"] == 0, result
    assert result["requests"] == 50
    kinds = {row["kind"]: row for row in result["kinds"]}
    assert kinds["all"]["requests"] == 50
    assert kinds["edit"]["requests"] > 0
    assert kinds["all"]["p50_ms"] <= kinds["all"]["p95_ms"] <= kinds["all"]["p99_ms"]
