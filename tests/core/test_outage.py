"""An unreachable database is loud and clean (issue 13): one line from commands, 503 from the app."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import OperationalError, connections
from django.test import Client

from tests.api.conftest import post_graphql

ROOT = Path(__file__).resolve().parents[2]
NOWHERE = "postgres://postgres@127.0.0.1:1/chancery_hardening_nowhere"


@pytest.mark.parametrize("command", [["migrate", "--noinput"], ["import_seeds"], ["ensure_editor"]])
def test_commands_print_one_line_naming_the_database_and_exit_non_zero(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": NOWHERE, "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(
        f"{command[0]}: cannot reach the database PostgreSQL 'chancery_hardening_nowhere' at 127.0.0.1:1: "
    )
    assert "Connection refused" in lines[0]


@pytest.fixture
def outage(db: None) -> Iterator[None]:
    """Every new query fails as a refused connection does (undone before the test database's teardown)."""

    def refused(self: object) -> None:
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(connections["default"]), "ensure_connection", refused)
        yield


def test_healthz_answers_200_when_the_database_answers(client: Client, db: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_with_retry_after_in_an_outage(client: Client, outage: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.json()["status"] == "unavailable"
    assert "Connection refused" in response.json()["database"]


def test_graphql_answers_503_json_with_retry_after_in_an_outage(client: Client, outage: None) -> None:
    response = post_graphql(client, '{ country(code: "PL") { name } }')
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.json() == {
        "data": None,
        "errors": [
            {
                "message": "The database is unavailable; try again in 30 seconds.",
                "extensions": {"code": "SERVICE_UNAVAILABLE"},
            }
        ],
    }


def test_other_pages_answer_503_not_500_in_an_outage(outage: None) -> None:
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32  # makes the session middleware query the database
    response = client.get("/admin/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
