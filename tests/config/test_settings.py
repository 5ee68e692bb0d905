"""Settings come from the environment; production mode passes Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_passes_check_deploy():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x" * 20 + "-production-secret-key-with-enough-entropy-9f8e7d6c",
        ALLOWED_HOSTS="chancery.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_secret_key():
    result = _manage("check", DEBUG="0", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


@pytest.mark.django_db
def test_ensure_editor_prints_a_generated_password_once(capsys):
    from django.contrib.auth import get_user_model

    call_command("ensure_editor", username="test-editor")
    first = capsys.readouterr().out
    assert "Created admin account 'test-editor' with password: " in first
    password = first.split("password: ")[1].split()[0]
    user = get_user_model().objects.get(username="test-editor")
    assert user.is_superuser and user.check_password(password)

    call_command("ensure_editor", username="test-editor")
    second = capsys.readouterr().out
    assert "exists; its password is unchanged" in second
    assert password not in second
