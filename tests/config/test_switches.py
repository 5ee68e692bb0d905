"""Settings switches read from the environment: DEBUG and the proxy header are off unless set."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "x" * 20 + "-production-secret-key-with-enough-entropy-9f8e7d6c"


def _settings(**env: str) -> dict[str, object]:
    """Import config.settings in a fresh interpreter under ``env`` and return a few values."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "BEHIND_PROXY", "SECRET_KEY"}}
    code = (
        "import json; from config import settings as s; print(json.dumps({'debug': s.DEBUG, "
        "'proxy': getattr(s, 'SECURE_PROXY_SSL_HEADER', None), "
        "'options': s.DATABASES['default'].get('OPTIONS')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": SECRET, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("value", "debug"),
    [
        (None, False),
        ("", False),
        ("0", False),
        ("false", False),
        ("nonsense", False),
        ("1", True),
        ("True", True),
    ],
)
def test_debug_is_off_unless_set_to_a_true_word(value: str | None, debug: bool) -> None:
    assert _settings(**({} if value is None else {"DEBUG": value}))["debug"] is debug


def test_forwarded_proto_is_trusted_only_behind_a_proxy() -> None:
    assert _settings(DEBUG="0")["proxy"] is None
    assert _settings(DEBUG="0", BEHIND_PROXY="1")["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_sqlite_writes_take_the_lock_up_front_and_wait_for_it() -> None:
    options = _settings(DEBUG="1", DATABASE_URL="sqlite:////tmp/chancery-settings-check.sqlite3")["options"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5


def _make_debug(**env: str) -> str:
    """DEBUG as the commands of `make run` (and every other target) see it."""
    clean = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    result = subprocess.run(
        ["make", "-s", '--eval=show-debug: ; @echo "[$$DEBUG]"', "show-debug"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_make_sets_debug_for_the_developer_server_unless_told_otherwise() -> None:
    assert _make_debug() == "[1]"
    assert _make_debug(DEBUG="0") == "[0]"
    assert _make_debug(DEBUG="") == "[]"
