"""An editor saves while an import holds the SQLite write lock.

Run in a subprocess by ``test_timeout_budget`` on a fresh file database (the test database is
in memory, where SQLite's file locking never comes into play). Prints one JSON line: what the
editor's ``eventUpdate`` answered and after how long, and the budget it ran under.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from unittest import mock

import django

UPDATE = """mutation ($slug: String!, $input: EventPatch!) {
  eventUpdate(slug: $slug, input: $input, reason: "behind an import") {
    __typename ... on Event { title } ... on OperationInfo { messages { code message } } } }"""
SEED = "events:\n  - slug: imported-meanwhile\n    kind: OTHER\n    title: From the file\n    date: '2022'\n"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from events.models import Event
    from seeds.importer import seeds_import
    from seeds.importer.write import Writer

    call_command("migrate", verbosity=0)
    Event.objects.create(slug="edited", title="Before", kind="MEETING", date="2024-05")
    editor = User.objects.create_superuser("editor", password=None)
    holding, release = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}
    write = Writer.run

    def held_run(self: Writer) -> Any:
        holding.set()  # inside the import's transaction: it holds the write lock from here
        release.wait(120)
        return write(self)

    def importer(path: Path) -> None:

        try:
            with mock.patch.object(Writer, "run", held_run):
                seeds_import(paths=[path])
            outcome["import"] = "ok"
        except Exception as error:  # reported, not raised: the parent test reads the JSON
            outcome["import"] = repr(error)
        finally:
            connection.close()

    client = Client(HTTP_HOST="localhost")
    client.force_login(editor)  # signed in before: logging in writes a session
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "meanwhile.yaml"
        path.write_text(SEED, encoding="utf-8")
        thread = threading.Thread(target=importer, args=(path,))
        thread.start()
        holding.wait(60)
        started = time.monotonic()
        body = {"query": UPDATE, "variables": {"slug": "edited", "input": {"title": "Editor's"}}}
        response = client.post("/graphql/", json.dumps(body), content_type="application/json")
        elapsed = time.monotonic() - started
        release.set()
        thread.join(120)
    print(
        json.dumps(
            {
                "status": response.status_code,
                "answer": response.json()["data"]["eventUpdate"],
                "seconds": elapsed,
                "import": outcome.get("import"),
                "title": Event.objects.get(slug="edited").title,
                "imported": Event.objects.filter(slug="imported-meanwhile").exists(),
                "lock_wait_ms": settings.LOCK_TIMEOUT_MS,
                "worker_timeout_s": settings.WORKER_TIMEOUT_S,
            }
        )
    )


if __name__ == "__main__":
    sys.exit(main())
