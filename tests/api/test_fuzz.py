"""GraphQL fuzzing (issue 13): operations generated from the served schema never get a 5xx or a masked bug.

hypothesis-graphql builds valid queries and mutations (arguments included: NUL bytes, long and
odd strings, extreme numbers, nulls) from ``config.schema``; each is POSTed as an anonymous
client and as an editor with every permission. Bounded: a fixed seed and a few hundred
examples, so the run is the same every time and short.
"""

from __future__ import annotations

import json
from datetime import date

import graphql
import pytest
from django.contrib.auth.models import User
from django.test import Client
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from hypothesis_graphql import from_schema

from config.schema import schema
from events.models import Event

EXAMPLES = 150  # per client kind: 300 operations in all

SCALARS = {
    "Date": st.dates(min_value=date(1, 1, 1)).map(lambda d: graphql.StringValueNode(value=d.isoformat())),
    "DateTime": st.datetimes().map(lambda d: graphql.StringValueNode(value=d.isoformat())),
}
OPERATIONS = from_schema(str(schema), custom_scalars=SCALARS)

tried: dict[str, int] = {"operations": 0, "refused": 0}


def _check(client: Client, document: str) -> None:
    response = client.post("/graphql/", json.dumps({"query": document}), content_type="application/json")
    tried["operations"] += 1
    assert response.status_code < 500, (document, response.content[:500])
    assert response.headers["Content-Type"] == "application/json", document
    body = response.json()
    messages = [error["message"] for error in body.get("errors") or []]
    assert "Unexpected error." not in messages, (document, body)
    tried["refused"] += bool(messages) or response.status_code >= 400


@pytest.mark.django_db
@pytest.mark.parametrize("as_editor", [False, True], ids=["anonymous", "editor"])
def test_generated_operations_never_fail_unexpectedly(seeded: None, as_editor: bool) -> None:
    client = Client()
    if as_editor:
        client.force_login(User.objects.create_superuser("fuzz-editor", password=None))
    events_before = Event.objects.count()

    @seed(13)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(document=OPERATIONS)
    def fuzz(document: str) -> None:
        _check(client, document)

    fuzz()
    assert tried["operations"] >= EXAMPLES
    if not as_editor:  # anonymous mutations are all refused: nothing was written
        assert Event.objects.count() == events_before
