"""What a bench run makes for itself and throws away: free ports and databases named for the run.

Issue 25: bench servers took fixed ports (8500–8599) and sections dropped and re-created fixed
database names, so two benches at once (two engineers, or the suite on two databases) took each
other's port or dropped each other's database mid-run. Here a port is whatever the kernel hands
out for port 0, and a database is named for its purpose, this process and a random token, created
on entry and dropped (with its open connections) on exit.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "var" / "bench" / "scratch"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"

_handed_out: set[int] = set()
_lock = threading.Lock()


def free_port() -> int:
    """A loopback port the kernel chose as free (bind to port 0), never one this process already got.

    The socket is closed before the server binds it, so another program could in principle take
    it in between; the kernel hands ports out in a moving order, so that does not happen in practice.
    """
    with _lock:
        for _ in range(50):
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = int(probe.getsockname()[1])
            if port not in _handed_out:
                _handed_out.add(port)
                return port
    raise RuntimeError("the kernel kept handing out ports this process already used")


def database_name(purpose: str) -> str:
    """A PostgreSQL database name for ``purpose``, unique to this run, containing "bench"."""
    safe = "".join(c if c.isalnum() else "_" for c in purpose.lower())
    return f"chancery_{safe}_bench_{os.getpid()}_{secrets.token_hex(3)}"


def server_url() -> str:
    """The PostgreSQL server the bench uses: the benchmark database's (``DATABASE_URL`` when it is
    PostgreSQL, as bench.run sets it), else 127.0.0.1:5432 as postgres."""
    current = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    return current if current.startswith(("postgres://", "postgresql://")) else DEFAULT_SERVER


def psql_args(url: str) -> list[str]:
    """The host, port and user options of PostgreSQL's command-line tools for ``url``."""
    parsed = urlparse(url)
    return [
        "-h",
        parsed.hostname or "127.0.0.1",
        "-p",
        str(parsed.port or 5432),
        "-U",
        parsed.username or "postgres",
    ]


def create_database(purpose: str) -> str:
    """Create an empty database for ``purpose`` on the bench's server; return its URL."""
    name = database_name(purpose)
    url = urlunparse(urlparse(server_url())._replace(path=f"/{name}"))
    subprocess.run(["createdb", *psql_args(url), name], check=True)
    return url


def drop_database(url: str) -> None:
    """Drop the database ``url`` names, closing whatever connections are left on it."""
    name = urlparse(url).path.lstrip("/")
    if "bench" not in name:
        raise ValueError(f"refusing to drop {name!r}: not a bench database")
    subprocess.run(["dropdb", *psql_args(url), "--if-exists", "--force", name], check=True)


@contextlib.contextmanager
def postgres_database(purpose: str) -> Iterator[str]:
    """A fresh PostgreSQL database for ``purpose``, dropped on exit; yields its URL."""
    url = create_database(purpose)
    try:
        yield url
    finally:
        drop_database(url)


@contextlib.contextmanager
def sqlite_database(purpose: str) -> Iterator[str]:
    """A SQLite file of this run's own under var/bench/scratch, deleted on exit; yields its URL."""
    SCRATCH.mkdir(parents=True, exist_ok=True)
    path = SCRATCH / f"{database_name(purpose)}.sqlite3"
    try:
        yield f"sqlite:///{path}"
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
