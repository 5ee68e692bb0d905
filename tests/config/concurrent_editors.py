"""Concurrent editors against a fresh file database: ``python -m tests.config.concurrent_editors``.

Run in a subprocess by ``test_sqlite_concurrency`` because the test database is in memory,
where threads share one connection and SQLite's file locking never comes into play. Prints
one JSON line: how many updates succeeded, got a conflict, or failed (with the messages).
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections import Counter
from typing import Any

import django

EDITORS = int(os.environ.get("EDITORS", "8"))
UPDATES = int(os.environ.get("UPDATES", "200"))

UPDATE = """mutation ($slug: String!, $input: EventPatch!) {
  eventUpdate(slug: $slug, input: $input, reason: "concurrency test") {
    __typename
    ... on OperationInfo { messages { kind code message } }
  } }"""


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from events.models import Event

    call_command("migrate", verbosity=0)
    call_command("import_seeds", only=["seeds"], verbosity=0)
    slugs = list(Event.objects.order_by("slug").values_list("slug", flat=True)[:4])
    editors = [User.objects.create_superuser(f"editor-{n}", password=None) for n in range(EDITORS)]
    before = Event.history.count()
    connection.close()
    outcomes: Counter[str] = Counter()
    failures: list[str] = []
    lock = threading.Lock()

    def work(number: int) -> None:
        from django.db import connection

        client = Client(HTTP_HOST="localhost")
        client.force_login(editors[number])
        for i in range(number, UPDATES, EDITORS):
            # Editors share a few events, so their writes collide on the same rows.
            body = {
                "query": UPDATE,
                "variables": {"slug": slugs[i % len(slugs)], "input": {"title": f"T{i}"}},
            }
            response = client.post("/graphql/", json.dumps(body), content_type="application/json")
            payload: Any = (
                response.json() if response.headers["Content-Type"].startswith("application/json") else {}
            )
            result = (payload.get("data") or {}).get("eventUpdate") or {}
            with lock:
                if response.status_code == 200 and result.get("__typename") == "Event":
                    outcomes["ok"] += 1
                elif result.get("__typename") == "OperationInfo" and any(
                    m["code"] in {"conflict", "CONFLICT", "stale"} for m in result["messages"]
                ):
                    outcomes["conflict"] += 1
                else:
                    outcomes["error"] += 1
                    failures.append(f"{response.status_code} {response.content[:300]!r}")
        connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(EDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    journal = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
    written = Event.history.count() - before
    print(json.dumps({**outcomes, "failures": failures[:5], "history_rows": written, "journal": journal}))


if __name__ == "__main__":
    sys.exit(main())
