"""The response cache (core/responsecache.py) answers a repeated anonymous query without running
it, and every write path — services, mutations, the admin, imports, bulk and raw SQL — moves
the data version (core/dataversion.py) so that the next query sees the write."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import dataversion, responsecache
from events import services
from events.models import Event, EventKind
from places.models import Country
from tests.admin.formdata import change_form_data
from tests.api.conftest import post_graphql
from tests.api.editing import as_user

TITLES = "{ timeline(first: 100) { edges { node { slug title } } } }"
SLUG = "chervona-zirka-capture-claim"


@pytest.fixture
def cache_on(monkeypatch: pytest.MonkeyPatch, seeded: None) -> Iterator[None]:
    """The cache as a server runs it. Tests run inside a transaction, where it stays off
    (a rolled-back write would take its version number with it); here the test's own
    transaction is the only writer, so the version still only moves forward."""
    monkeypatch.setattr(responsecache, "_in_transaction", lambda: False)
    caches[responsecache.CACHE].clear()
    yield
    caches[responsecache.CACHE].clear()


def titles(client: Client) -> dict[str, str]:
    body = post_graphql(client, TITLES).json()
    assert "errors" not in body, body
    return {edge["node"]["slug"]: edge["node"]["title"] for edge in body["data"]["timeline"]["edges"]}


def ran(captured: CaptureQueriesContext) -> bool:
    """Whether the timeline was read from the database (not answered from the cache)."""
    return any('FROM "events_event"' in q["sql"] for q in captured.captured_queries)


def test_a_repeated_query_is_answered_from_the_cache(client: Client, cache_on: None) -> None:
    first = titles(client)
    with CaptureQueriesContext(connection) as captured:
        again = titles(client)
    assert again == first
    assert [q["sql"] for q in captured.captured_queries] == [
        f"SELECT version FROM {dataversion.TABLE} WHERE id = 1"
    ]


def test_a_write_through_a_service_is_seen(client: Client, cache_on: None) -> None:
    titles(client)
    event = Event.objects.get(slug=SLUG)
    editor = User.objects.create_user("service-editor")
    services.event_update(actor=editor, reason="test", event=event, fields={"title": "Retitled by a service"})
    assert titles(client)[SLUG] == "Retitled by a service"


def test_a_mutation_is_seen_by_the_next_anonymous_query(client: Client, editor: User, cache_on: None) -> None:
    assert titles(Client())[SLUG] != "Retitled by a mutation"
    mutation = """mutation($slug: String!) {
      eventUpdate(slug: $slug, input: {title: "Retitled by a mutation"}) { __typename } }"""
    response = post_graphql(as_user(client, editor), mutation, {"slug": SLUG})
    assert response.json()["data"]["eventUpdate"]["__typename"] == "Event"
    assert titles(Client())[SLUG] == "Retitled by a mutation"


def test_an_admin_edit_is_seen(client: Client, cache_on: None) -> None:
    titles(Client())
    admin = User.objects.create_superuser("cache-admin", password="x")
    client.force_login(admin)
    event = Event.objects.get(slug=SLUG)
    url = reverse("admin:events_event_change", args=[event.pk])
    data = change_form_data(client.get(url))
    data["title"] = "Retitled in the admin"
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert titles(Client())[SLUG] == "Retitled in the admin"


def test_an_import_is_seen(tmp_path: Path, cache_on: None) -> None:
    before = titles(Client())
    seed = tmp_path / "new.yaml"
    seed.write_text(
        "events:\n  - slug: cache-test-import\n    kind: OTHER\n    title: Imported\n    date: 2023\n"
    )
    call_command("import_seeds", str(seed), stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = titles(Client())
    assert "cache-test-import" not in before and after["cache-test-import"] == "Imported"


@pytest.mark.parametrize(
    "write",
    [
        lambda: Event.objects.filter(slug=SLUG).update(title="Retitled by update()"),
        lambda: Event.objects.filter(slug=SLUG).delete(),
        lambda: Country.objects.bulk_create([Country(code="QQ", name="Qualand")]),
        lambda: connection.cursor().execute("UPDATE events_event SET title = 'raw' WHERE slug = %s", [SLUG]),
    ],
    ids=["QuerySet.update", "delete", "bulk_create", "raw SQL"],
)
def test_every_kind_of_write_moves_the_version(seeded: None, write) -> None:
    before = dataversion.current()
    write()
    assert dataversion.current() > before


def test_a_bulk_update_is_seen(client: Client, cache_on: None) -> None:
    titles(client)
    Event.objects.filter(kind=EventKind.STATEMENT).update(title="All statements retitled")
    seen = titles(client)
    statements = Event.objects.filter(kind=EventKind.STATEMENT).values_list("slug", flat=True)
    assert statements and all(seen[slug] == "All statements retitled" for slug in statements)


def test_editors_mutations_and_failures_are_not_cached(client: Client, editor: User, cache_on: None) -> None:
    as_user(client, editor)
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            post_graphql(client, TITLES)
        assert ran(captured)  # run each time for a signed-in editor
    bad = '{ timeline(first: 2, filters: {region: "nowhere"}) { edges { node { slug } } } }'
    for _ in range(2):
        assert post_graphql(Client(), bad).json()["errors"]
    assert len(caches[responsecache.CACHE]._cache) == 0  # type: ignore[attr-defined]


def test_inside_a_transaction_nothing_is_cached(client: Client, seeded: None) -> None:
    caches[responsecache.CACHE].clear()
    titles(client)
    with CaptureQueriesContext(connection) as captured:
        titles(client)
    assert ran(captured)


def test_an_answer_over_the_entry_bound_runs_afresh_and_the_cache_stays_bounded(
    client: Client, cache_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache was bounded by entries only: 80 big answers grew a worker by 100+ MB (issue 19)."""
    cache = caches[responsecache.CACHE]
    monkeypatch.setattr(cache, "max_entry_bytes", 600)
    monkeypatch.setattr(cache, "max_bytes", 3_000)
    assert len(str(titles(client))) > 600  # every event's slug and title: over the entry bound
    with CaptureQueriesContext(connection) as captured:
        titles(client)
    assert ran(captured)  # not kept, so run again
    for first in range(1, 40):  # small answers, each a distinct query
        post_graphql(client, f"{{ timeline(first: {first % 5 + 1}) {{ edges {{ node {{ slug }} }} }} }}")
        post_graphql(client, f'{{ country(code: "UA") {{ name a{first}: code }} }}')
        assert cache.size() <= 3_000
    assert cache.size() > 0
