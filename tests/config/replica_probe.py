"""Run by tests/config/test_replicas.py in a process of its own, against a real primary+standby.

The environment names both servers (DATABASE_URL, DATABASE_REPLICA_URLS, STANDBY_ADMIN_URL for
pausing replay); this script migrates the primary, then plays an editor and an anonymous
reader through the routing's cases and prints one JSON object per observation.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

import psycopg  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import close_old_connections, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from config.replicas import READ_FROM_HEADER  # noqa: E402

STANDBY = os.environ["STANDBY_ADMIN_URL"]
CREATE = """mutation ($input: EventInput!) {
  eventCreate(input: $input) { __typename ... on Event { version } } }"""
UPDATE = """mutation ($title: String!, $version: Int!) {
  eventUpdate(slug: "replica-probe", input: {title: $title}, expectedVersion: $version) {
    __typename ... on Event { version } } }"""
READ = """{ event(slug: "replica-probe") { title } }"""


def standby(sql: str) -> Any:
    with psycopg.connect(STANDBY, autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchone()[0] if cursor.description else None


def caught_up() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        target = cursor.fetchone()[0]
    for _ in range(600):
        if standby(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"):
            return
        time.sleep(0.05)
    raise TimeoutError("standby did not catch up")


def post(client: Client, query: str, **variables: Any) -> tuple[dict[str, Any], str, bool]:
    # What a real server's request_started does (Django's test client leaves it out): drop
    # persistent connections that are too old, and health-check the rest once this request.
    close_old_connections()
    response = client.post(
        "/graphql/", json.dumps({"query": query, "variables": variables}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json(), response[READ_FROM_HEADER], "chancery_read_primary" in response.cookies


def say(case: str, **facts: Any) -> None:
    print(json.dumps({"case": case, **facts}), flush=True)


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    editor_user = User.objects.create_superuser("probe-editor", "", "unused-password")
    editor, reader = Client(), Client()
    editor.force_login(editor_user)
    caught_up()

    body, source, pinned = post(
        editor,
        CREATE,
        input={"slug": "replica-probe", "kind": "MEETING", "title": "Before", "date": "2024-05-01"},
    )
    say("create", typename=body["data"]["eventCreate"]["__typename"], read_from=source, pinned=pinned)
    version = body["data"]["eventCreate"]["version"]
    caught_up()
    body, source, _ = post(reader, READ)
    say("anonymous after catch-up", title=body["data"]["event"]["title"], read_from=source)

    standby("SELECT pg_wal_replay_pause()")
    body, source, pinned = post(editor, UPDATE, title="After", version=version)
    say("update while replay paused", typename=body["data"]["eventUpdate"]["__typename"], pinned=pinned)
    body, source, _ = post(editor, READ)
    say("editor reads own write", title=body["data"]["event"]["title"], read_from=source)
    body, source, _ = post(reader, READ)
    say("anonymous reads lagging replica", title=body["data"]["event"]["title"], read_from=source)
    response = editor.get("/")
    say("editor page while lagging", status=response.status_code, read_from=response[READ_FROM_HEADER])

    standby("SELECT pg_wal_replay_resume()")
    caught_up()
    body, source, _ = post(reader, READ)
    say("anonymous after replay", title=body["data"]["event"]["title"], read_from=source)
    body, source, _ = post(editor, READ)
    say("editor after replay", title=body["data"]["event"]["title"], read_from=source)

    # A failed replica: the probe's parent stops the standby when told, then reads go on.
    print(json.dumps({"case": "stop the standby now"}), flush=True)
    sys.stdin.readline()
    body, source, _ = post(reader, READ)
    say("anonymous with the replica down", title=body["data"]["event"]["title"], read_from=source)
    body, source, _ = post(reader, READ)
    say("anonymous again with the replica down", title=body["data"]["event"]["title"], read_from=source)


if __name__ == "__main__":
    main()
