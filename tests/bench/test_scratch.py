"""Bench ports and databases are chosen free and named per run, so two benches never collide."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from bench import scratch
from bench.graphql import servers

ROOT = Path(__file__).resolve().parents[2]


def _postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(scratch.DEFAULT_SERVER, connect_timeout=3):
            return True
    except Exception:  # any failure means: no server to test against
        return False


def test_ports_come_from_the_kernel_and_are_never_handed_out_twice() -> None:
    ports = [scratch.free_port() for _ in range(20)]
    assert len(set(ports)) == 20
    # The fixed 8500-8599 and 8100-8199 ranges are gone: the servers module takes the same helper.
    assert servers.free_port is scratch.free_port
    assert not hasattr(servers, "PORTS")


def test_two_sections_name_their_databases_apart() -> None:
    # What the hsg and admin sections (or two runs of one) get: distinct, and "bench" in each.
    names = {scratch.database_name("hsg"), scratch.database_name("admin_size"), scratch.database_name("hsg")}
    assert len(names) == 3
    assert all("bench" in name and str(os.getpid()) in name for name in names)


@pytest.mark.skipif(not _postgres_available(), reason="no PostgreSQL server on 127.0.0.1")
def test_scratch_databases_are_created_and_dropped(monkeypatch) -> None:
    monkeypatch.delenv("BENCH_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", scratch.DEFAULT_SERVER)
    import psycopg

    def exists(name: str) -> bool:
        with psycopg.connect(scratch.DEFAULT_SERVER, autocommit=True) as conn:
            return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None

    with scratch.postgres_database("one") as first, scratch.postgres_database("two") as second:
        names = [urlparse(url).path.lstrip("/") for url in (first, second)]
        assert names[0] != names[1] and all(exists(name) for name in names)
        # A connection left open does not keep the database from being dropped.
        lingering = psycopg.connect(first)
    assert not any(exists(name) for name in names)
    lingering.close()
    with pytest.raises(ValueError, match="not a bench database"):
        scratch.drop_database("postgres://postgres@127.0.0.1:5432/chancery")


def test_sqlite_scratch_files_are_removed() -> None:
    with scratch.sqlite_database("x") as first, scratch.sqlite_database("x") as second:
        assert first != second
        path = Path(first.removeprefix("sqlite:///"))
        path.write_text("")
    assert not path.exists()


@pytest.mark.skipif(not _postgres_available(), reason="no PostgreSQL server on 127.0.0.1")
def test_only_runs_without_debug() -> None:
    """``python -m bench.run --only NAME`` as typed, with no DEBUG (nor key) in the environment."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    with scratch.postgres_database("only_no_debug") as url:
        env["BENCH_DATABASE_URL"] = url
        command = [sys.executable, "-m", "bench.run", "--events", "300", "--only", "changes", "--repeat", "3"]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "## Changes feed (core.changes)" in done.stdout
    assert "rounds in a shuffled order (seed " in done.stdout
