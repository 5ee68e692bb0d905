"""`make serve`'s production mode: gunicorn with DEBUG off serves the API and static files over
plain HTTP on loopback, and redirects to HTTPS once a public host name is allowed."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "serve-test-" + "k" * 50}


def _env(**extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    return {**clean, **PRODUCTION, **extra}


def _setting(name: str, **env: str) -> object:
    code = f"import json; from django.conf import settings as s; print(json.dumps(getattr(s, {name!r})))"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_loopback_serves_plain_http_and_passes_check_deploy():
    assert _setting("SECURE_SSL_REDIRECT") is False
    assert _setting("SECURE_PROXY_SSL_HEADER") is None  # no proxy named: the header is not trusted
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_public_host_behind_a_proxy_redirects_and_trusts_the_proxy_header():
    env = {"ALLOWED_HOSTS": "chancery.example", "BEHIND_PROXY": "1"}
    assert _setting("SECURE_SSL_REDIRECT", **env) is True
    assert _setting("SECURE_PROXY_SSL_HEADER", **env) == ["HTTP_X_FORWARDED_PROTO", "https"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn(tmp_path: Path) -> Iterator[str]:
    """gunicorn as `make serve` runs it, one worker, on a free loopback port, over SQLite."""
    port = _free_port()
    env = _env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="1",
    )
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput", "--verbosity", "0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=120)
    gunicorn_bin = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn_bin), "--config", "config/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/static/admin/css/base.css", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None:
                    pytest.fail(f"gunicorn exited: {server.stderr.read().decode()}")  # type: ignore[union-attr]
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.xdist_group("gunicorn")  # beside the load test's gunicorn: both collect static files
def test_gunicorn_serves_graphql_and_static_files(gunicorn: str):
    body = json.dumps({"query": "{ timeline(first: 1) { edges { node { slug } } } }"}).encode()
    request = urllib.request.Request(
        f"{gunicorn}/graphql/", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        assert json.load(response) == {"data": {"timeline": {"edges": []}}}

    static = urllib.request.Request(
        f"{gunicorn}/static/admin/css/base.css", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(static, timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Encoding"] == "gzip"  # whitenoise's compressed copy
        assert "max-age" in response.headers["Cache-Control"]

    # DEBUG is off: an unknown page is a plain 404, not Django's debug page.
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{gunicorn}/no-such-page/", timeout=10)
    assert missing.value.code == 404
    assert b"URLconf" not in missing.value.read()
