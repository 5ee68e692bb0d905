"""The record as it stood (issue 24): ``asOf`` answers from history, deleted records included."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Treaty, Visit
from events.services import event_delete, event_update, treaty_update, visit_update
from people.models import Person
from people.services import person_update
from tests.api.conftest import TREATY, GraphQL

pytestmark = pytest.mark.django_db

EVENT = """
query One($slug: String!, $asOf: DateTime) {
  event(slug: $slug, asOf: $asOf) {
    slug title version
    participants { role person { slug } }
    countries { code }
    citations { quote }
  }
}
"""
SLUG = "chervona-zirka-capture-claim"


def _event(gql: GraphQL, **variables: object) -> dict:
    body = gql(EVENT, {"slug": SLUG, **variables})
    assert "errors" not in body, body
    return body["data"]["event"]


def test_as_of_before_an_edit_gives_the_old_title_and_lists(gql: GraphQL, editor: User) -> None:
    before = timezone.now()
    then = _event(gql)
    event = Event.objects.get(slug=SLUG)
    duda = Person.objects.get(slug="andrzej-duda")
    event_update(
        actor=editor,
        reason="retitled",
        event=event,
        fields={"title": "Retitled"},
        participants=[{"role": "HOST", "person": duda}],
        countries=[],
    )
    now = _event(gql)
    assert now["title"] == "Retitled" and now["countries"] == []
    assert _event(gql, asOf=before.isoformat()) == then
    assert _event(gql, asOf=timezone.now().isoformat()) == now


def test_as_of_finds_an_event_deleted_since(gql: GraphQL, editor: User) -> None:
    before = timezone.now()
    then = _event(gql)
    event_delete(actor=editor, reason="gone", event=Event.objects.get(slug=SLUG))
    assert gql(EVENT, {"slug": SLUG})["data"]["event"] is None
    assert _event(gql, asOf=before.isoformat()) == then
    assert _event(gql, asOf=timezone.now().isoformat()) is None


def test_as_of_before_anything_was_recorded_is_a_typed_error(gql: GraphQL) -> None:
    first = Event.history.order_by("history_date").first().history_date
    body = gql(EVENT, {"slug": SLUG, "asOf": (first - timedelta(days=1)).isoformat()})
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "INVALID_FILTER"
    assert "before the first record" in error["message"]


def test_a_naive_as_of_is_read_as_utc_and_a_record_not_yet_made_is_null(gql: GraphQL, editor: User) -> None:
    from events.services import event_create

    moment = timezone.now().replace(tzinfo=None).isoformat()
    event_create(
        actor=editor, fields={"slug": "later", "title": "Later", "kind": "MEETING", "date": "2024-05"}
    )
    assert gql(EVENT, {"slug": "later", "asOf": moment})["data"]["event"] is None


def test_the_event_page_as_of_shows_the_old_title_and_a_cite_block(
    client: Client, seeded: None, editor: User
) -> None:
    before = timezone.now()
    event = Event.objects.get(slug=SLUG)
    old_title = event.title
    event_update(actor=editor, reason="retitled", event=event, fields={"title": "Retitled"})
    url = reverse("event", args=[SLUG])
    page = client.get(url, {"as_of": before.isoformat()}).content.decode()
    assert old_title in page and "Retitled" not in page
    assert 'class="as-of"' in page and "As it stood on" in page
    assert "Cite this page" in page and "?as_of=" in page and "Chancery" in page
    now = client.get(url).content.decode()
    assert "Retitled" in now and 'class="as-of"' not in now and "Cite this page" in now


def test_the_event_page_refuses_a_malformed_as_of(client: Client, seeded: None) -> None:
    response = client.get(reverse("event", args=[SLUG]), {"as_of": "last tuesday"})
    assert response.status_code == 400
    assert "not a date or date-time" in response.content.decode()


def test_the_event_page_of_an_event_deleted_since(client: Client, seeded: None, editor: User) -> None:
    before = timezone.now()
    title = Event.objects.get(slug=SLUG).title
    event_delete(actor=editor, reason="gone", event=Event.objects.get(slug=SLUG))
    url = reverse("event", args=[SLUG])
    assert client.get(url).status_code == 404
    assert title in client.get(url, {"as_of": before.isoformat()}).content.decode()


@pytest.mark.parametrize(
    ("query", "slug", "change"),
    [
        (
            "query($slug: String!, $asOf: DateTime) { treaty(slug: $slug, asOf: $asOf) "
            "{ name version parties { country { code } } provisions { kind } citations { quote } } }",
            TREATY,
            lambda editor, slug: treaty_update(
                actor=editor, treaty=Treaty.objects.get(slug=slug), fields={"name": "Renamed"}, parties=[]
            ),
        ),
        (
            "query($slug: String!, $asOf: DateTime) { person(slug: $slug, asOf: $asOf) "
            "{ name version roles { title } identifiers { scheme value } } }",
            "andrzej-duda",
            lambda editor, slug: person_update(
                actor=editor, person=Person.objects.get(slug=slug), fields={"name": "A. Duda"}, roles=[]
            ),
        ),
        (
            "query($slug: String!, $asOf: DateTime) { visit(slug: $slug, asOf: $asOf) "
            "{ kind purpose version destinations { slug } } }",
            "",
            lambda editor, slug: visit_update(
                actor=editor,
                visit=Visit.objects.get(slug=slug),
                fields={"purpose": "Changed"},
                destinations=[],
            ),
        ),
    ],
)
def test_treaty_person_and_visit_as_of_give_their_old_fields_and_lists(
    gql: GraphQL, editor: User, query: str, slug: str, change: object
) -> None:
    slug = slug or Visit.objects.order_by("pk").values_list("slug", flat=True)[0]
    before = timezone.now()
    then = gql(query, {"slug": slug})["data"]
    change(editor, slug)  # type: ignore[operator]
    now = gql(query, {"slug": slug})["data"]
    assert now != then
    body = gql(query, {"slug": slug, "asOf": before.isoformat()})
    assert "errors" not in body, body
    assert body["data"] == then
