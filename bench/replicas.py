"""A PostgreSQL primary with a streaming standby, on this machine, for tests and the bench.

Chancery scales reads out on streaming replicas (docs/deploy.md, config/replicas.py). To test
that for real, ``streaming_pair()`` builds a throwaway primary cluster in a temporary folder
(``initdb``, replication allowed from loopback), takes a ``pg_basebackup -R`` of it into a
second folder and starts that as a hot standby: two ``postgres`` servers on free ports,
stopped and deleted on exit. It does not touch the machine's own cluster or its pg_hba.conf.

``python -m bench.replicas`` starts a pair and waits (Ctrl-C stops it): handy to try the
routing by hand with ``DATABASE_URL`` and ``DATABASE_REPLICA_URLS``.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg

from bench.scratch import free_port

DATABASE = "chancery"


class ReplicaUnavailable(RuntimeError):
    """PostgreSQL's server binaries are not on this machine."""


def server_binaries() -> Path:
    """The folder of ``initdb``, ``pg_ctl`` and ``pg_basebackup`` (Debian's layout first)."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    if found := shutil.which("initdb"):
        return Path(found).parent
    raise ReplicaUnavailable(
        "PostgreSQL's server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin "
        "or on PATH; install Debian's postgresql package."
    )


@dataclass(frozen=True)
class StreamingPair:
    primary_port: int
    standby_port: int

    def url(self, port: int, database: str = DATABASE) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/{database}"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary_port)

    @property
    def standby_url(self) -> str:
        return self.url(self.standby_port)

    def standby_sql(self, sql: str) -> object:
        return _one_value(self.url(self.standby_port, "postgres"), sql)

    def primary_sql(self, sql: str) -> object:
        return _one_value(self.url(self.primary_port, "postgres"), sql)

    def pause_replay(self) -> None:
        self.standby_sql("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        self.standby_sql("SELECT pg_wal_replay_resume()")

    def wait_caught_up(self, timeout: float = 30.0) -> None:
        """Until the standby has replayed everything the primary has written so far."""
        target = self.primary_sql("SELECT pg_current_wal_insert_lsn()::text")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.standby_sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"):
                return
            time.sleep(0.05)
        raise TimeoutError(f"the standby did not replay up to {target} within {timeout} s")


def _one_value(url: str, sql: str) -> object:
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(sql)
        row = cursor.fetchone() if cursor.description else None
    return row[0] if row else None


def _as_postgres_user() -> tuple[list[str], int | None, int | None]:
    """PostgreSQL refuses to run as root: run its binaries as the 'postgres' account then."""
    if os.geteuid() != 0:
        return [], None, None
    account = pwd.getpwnam("postgres")
    return ["runuser", "-u", "postgres", "--"], account.pw_uid, account.pw_gid


def _run(prefix: list[str], *args: str | Path) -> None:
    done = subprocess.run([*prefix, *map(str, args)], capture_output=True, text=True, timeout=120)
    if done.returncode:
        raise RuntimeError(f"{Path(str(args[0])).name} failed ({done.returncode}): {done.stderr.strip()}")


@contextlib.contextmanager
def streaming_pair() -> Iterator[StreamingPair]:
    binaries = server_binaries()
    prefix, uid, gid = _as_postgres_user()
    root = Path(tempfile.mkdtemp(prefix="chancery-replica-"))
    if uid is not None and gid is not None:
        os.chown(root, uid, gid)
    primary, standby = root / "primary", root / "standby"
    pair = StreamingPair(primary_port=free_port(), standby_port=free_port())
    started: list[Path] = []
    try:
        _run(prefix, binaries / "initdb", "-D", primary, "-U", "postgres", "--auth=trust", "--no-sync")
        settings = (
            f"port = {pair.primary_port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{root}'\n"
            "wal_level = replica\nmax_wal_senders = 4\nfsync = off\nsynchronous_commit = off\n"
            "full_page_writes = off\nshared_buffers = 32MB\n"
        )
        _run(prefix, "sh", "-c", f"cat >> {primary}/postgresql.conf <<'EOF'\n{settings}EOF")
        _run(
            prefix,
            "sh",
            "-c",
            f"echo 'host replication postgres 127.0.0.1/32 trust' >> {primary}/pg_hba.conf",
        )
        _run(prefix, binaries / "pg_ctl", "-D", primary, "-w", "-l", root / "primary.log", "start")
        started.append(primary)
        pair.primary_sql(f"CREATE DATABASE {DATABASE}")
        # -R: standby.signal and primary_conninfo; a fast checkpoint instead of waiting for one.
        source = ["-h", "127.0.0.1", "-p", str(pair.primary_port), "-U", "postgres"]
        _run(
            prefix,
            binaries / "pg_basebackup",
            *source,
            "-D",
            standby,
            "-R",
            "-X",
            "stream",
            "--checkpoint=fast",
        )
        _run(prefix, "sh", "-c", f"echo 'port = {pair.standby_port}' >> {standby}/postgresql.conf")
        _run(prefix, binaries / "pg_ctl", "-D", standby, "-w", "-l", root / "standby.log", "start")
        started.append(standby)
        if pair.standby_sql("SELECT pg_is_in_recovery()") is not True:
            raise RuntimeError("the standby started but is not in recovery (not streaming)")
        yield pair
    finally:
        for folder in reversed(started):
            subprocess.run(
                [*prefix, binaries / "pg_ctl", "-D", folder, "-m", "immediate", "stop"], capture_output=True
            )
        shutil.rmtree(root, ignore_errors=True)


def stop_standby(pair: StreamingPair) -> None:
    """Make the standby unreachable (a failed replica): the routing must fall back to the primary."""
    prefix, _, _ = _as_postgres_user()
    data = Path(
        str(pair.standby_sql("SHOW data_directory")),
    )
    subprocess.run(
        [*prefix, server_binaries() / "pg_ctl", "-D", data, "-m", "immediate", "stop"], capture_output=True
    )


if __name__ == "__main__":
    with streaming_pair() as running:
        print(f"DATABASE_URL={running.primary_url}")
        print(f"DATABASE_REPLICA_URLS={running.standby_url}")
        print("Streaming; Ctrl-C stops both servers and deletes their folders.")
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
