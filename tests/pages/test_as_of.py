"""Pages and exports as they stood (``?as_of=``), their cite blocks and citations (issue 24)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from events.models import Event, ParticipantRole, Treaty
from events.services import event_create, event_delete, event_update, treaty_update
from people.models import Person
from people.services import person_update
from places.models import Country
from tests.pages.conftest import DUDA_KYIV, add_events
from tests.pages.test_exports import body

pytestmark = pytest.mark.django_db

TREATY = "russia-north-korea-comprehensive-strategic-partnership-treaty"
DELETED = "chervona-zirka-capture-claim"


@dataclass
class Edits:
    """The moment before some edits, and what they changed."""

    before: datetime
    old_title: str
    deleted_title: str

    @property
    def as_of(self) -> str:
        return quote(self.before.isoformat())


@pytest.fixture
def edits() -> Edits:
    """Retitle Duda's Kyiv visit, delete a Donetsk event, add a later Duda event, rename him."""
    actor = User.objects.create_superuser("cite-editor")
    kyiv = Event.objects.get(slug=DUDA_KYIV)
    deleted = Event.objects.get(slug=DELETED)
    edits = Edits(before=timezone.now(), old_title=kyiv.title, deleted_title=deleted.title)
    event_update(actor=actor, reason="retitled", event=kyiv, fields={"title": "Retitled Kyiv visit"})
    event_delete(actor=actor, reason="withdrawn", event=deleted)
    duda = Person.objects.get(slug="andrzej-duda")
    event_create(
        actor=actor,
        fields={
            "slug": "later-meeting",
            "title": "A meeting added later",
            "kind": "MEETING",
            "date": "2024-05",
        },
        countries=[Country.objects.get(code="UA")],
        participants=[{"role": ParticipantRole.PARTICIPANT, "person": duda}],
    )
    person_update(actor=actor, reason="renamed", person=duda, fields={"name": "A. Duda"})
    return edits


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


# Each page as it stood: the old state, the header saying so, and a cite block.


@pytest.mark.parametrize(
    "url",
    [
        "/people/andrzej-duda/",
        "/countries/UA/",
        "/regions/donetsk-oblast/",
        "/?country=UA",
        f"/events/{DUDA_KYIV}/",
    ],
)
def test_a_page_as_it_stood_says_so_and_links_to_now(client: Client, edits: Edits, url: str) -> None:
    joiner = "&" if "?" in url else "?"
    then = page(client, f"{url}{joiner}as_of={edits.as_of}")
    assert 'class="as-of"' in then and "As it stood on" in then
    assert "see the current version" in then
    assert "Cite this page" in then and "Permalink as it stood then" in then
    assert f"as_of={edits.before.astimezone(UTC).isoformat().replace('+00:00', 'Z')}" in then
    now = page(client, url)
    assert 'class="as-of"' not in now and "Cite this page" in now and "Permalink as it stood now" in now


def test_the_person_page_as_it_stood(client: Client, edits: Edits) -> None:
    then = page(client, f"/people/andrzej-duda/?as_of={edits.as_of}")
    assert "<h1>Andrzej Duda</h1>" in then
    assert edits.old_title in then and "Retitled Kyiv visit" not in then
    assert "A meeting added later" not in then
    # Links from it stay in the past: the event page and the explorer carry the moment.
    assert f"/events/{DUDA_KYIV}/?as_of=" in then and "/?person=andrzej-duda&amp;as_of=" in then
    now = page(client, "/people/andrzej-duda/")
    assert "<h1>A. Duda</h1>" in now and "Retitled Kyiv visit" in now and "A meeting added later" in now


def test_country_and_region_pages_list_an_event_deleted_since(client: Client, edits: Edits) -> None:
    for url in ("/countries/UA/", "/regions/donetsk-oblast/"):
        assert edits.deleted_title in page(client, f"{url}?as_of={edits.as_of}")
        assert edits.deleted_title not in page(client, url)
    assert "A meeting added later" not in page(client, f"/countries/UA/?as_of={edits.as_of}")
    assert "A meeting added later" in page(client, "/countries/UA/")


def test_the_treaty_page_as_it_stood(client: Client, edits: Edits) -> None:
    treaty = Treaty.objects.get(slug=TREATY)
    name = str(treaty)
    actor = User.objects.get(username="cite-editor")
    before = timezone.now()
    treaty_update(actor=actor, treaty=treaty, fields={"name": "Renamed treaty", "short_name": ""}, parties=[])
    then = page(client, f"/treaties/{TREATY}/?as_of={quote(before.isoformat())}")
    assert name in then and "Renamed treaty" not in then and "No parties recorded" not in then
    assert "As it stood on" in then and "Cite this page" in then
    assert "No parties recorded" in page(client, f"/treaties/{TREATY}/")


def test_the_explorer_as_it_stood_filters_on_the_state_of_then(client: Client, edits: Edits) -> None:
    then = page(client, f"/?person=andrzej-duda&as_of={edits.as_of}")
    assert edits.old_title in then and "A meeting added later" not in then
    # Exports and the feed from it are of the same moment.
    assert "/export/events.json?person=andrzej-duda&amp;as_of=" in then
    # A search finds the old title then, and not now.
    word = edits.old_title.split()[-1]
    assert edits.old_title in page(client, f"/?q={quote(word)}&as_of={edits.as_of}")
    assert edits.deleted_title in page(client, f"/?region=donetsk-oblast&as_of={edits.as_of}")


def test_the_explorer_pages_through_the_past_by_keyset(client: Client, edits: Edits) -> None:
    add_events(60, prefix="old")
    moment = quote(timezone.now().isoformat())
    Event.objects.filter(slug__startswith="test-old-").update(title="Changed without history")
    response = client.get(f"/?person=andrzej-duda&as_of={moment}")
    first = response.context["events"]
    assert len(first) == 50 and response.context["next_url"]
    assert "as_of=" in response.context["next_url"]
    second = client.get(response.context["next_url"]).context["events"]
    slugs = [e.slug for e in first + second]
    assert len(slugs) == len(set(slugs))
    assert {e.slug for e in first + second} >= {f"test-old-{i:03d}" for i in range(60)}


# Exports as they stood carry the citation in their metadata.


def test_the_json_export_as_it_stood_carries_its_citation(client: Client, edits: Edits) -> None:
    response = client.get(f"/export/events.json?person=andrzej-duda&as_of={edits.as_of}")
    data = json.loads(body(response))
    titles = [e["title"] for e in data["events"]]
    assert edits.old_title in titles and "A meeting added later" not in titles
    citation = data["citation"]
    assert citation["asOf"] == edits.before.astimezone(UTC).isoformat()
    assert citation["permalink"].startswith("http://testserver/export/events.json?person=andrzej-duda&as_of=")
    assert citation["text"].startswith("“Timeline: A. Duda”. Chancery. http://testserver/export/")
    assert "As it stood on" in citation["text"] and "data version" in citation["text"]
    assert isinstance(citation["dataVersion"], int) and citation["accessed"]
    assert citation["credits"] == data["credits"]
    assert f'<{citation["permalink"]}>; rel="cite-as"' in response["Link"]
    (kyiv,) = [e for e in data["events"] if e["slug"] == DUDA_KYIV]
    assert "as_of=" in kyiv["url"]
    now = json.loads(body(client.get("/export/events.json?person=andrzej-duda")))
    assert now["citation"]["asOf"] is None and "as_of=" in now["citation"]["permalink"]


def test_csv_timelinejs_and_plover_exports_as_they_stood_carry_the_citation(
    client: Client, edits: Edits
) -> None:
    query = f"?person=andrzej-duda&as_of={edits.as_of}"
    text = body(client.get(f"/export/events.csv{query}"))
    first_line = next(csv.reader(io.StringIO(text)))[0]
    # The person filter is named as the person is named now (renamed since).
    assert first_line.startswith("# Cite as: “Timeline: A. Duda”. Chancery. http://testserver/export/")
    assert "As it stood on" in first_line and edits.old_title in text and "Retitled" not in text

    timeline = json.loads(body(client.get(f"/export/timelinejs.json{query}")))
    assert "Cite as: “Timeline: A. Duda”. Chancery." in timeline["title"]["text"]["text"]
    headlines = [e["text"]["headline"] for e in timeline["events"]]
    assert "A meeting added later" not in headlines

    response = client.get(f"/export/plover.jsonl{query}")
    records = [json.loads(line) for line in body(response).splitlines()]
    assert records and all(r["citation"].startswith("“Timeline: A. Duda”. Chancery.") for r in records)
    assert 'rel="cite-as"' in response["Link"]
    (kyiv,) = [r for r in records if r["url"].startswith(f"http://testserver/events/{DUDA_KYIV}/")]
    assert kyiv["event"] == ["CONSULT"] and kyiv["recipient"][0]["code"] == "UKR"


# Bad input: a malformed moment is refused clearly; one before the record began says nothing yet.

PAGES = ["/", f"/events/{DUDA_KYIV}/", f"/treaties/{TREATY}/", "/people/andrzej-duda/", "/countries/UA/"]
EXPORTS = ["/export/events.json", "/export/events.csv", "/export/timelinejs.json", "/export/plover.jsonl"]


@pytest.mark.parametrize("url", [*PAGES, "/regions/donetsk-oblast/"])
@pytest.mark.parametrize("value", ["last tuesday", "2026-13-45", "2026-02-30T25:00"])
def test_a_malformed_as_of_on_a_page_is_a_400_page_saying_why(client: Client, url: str, value: str) -> None:
    response = client.get(url, {"as_of": value})
    assert response.status_code == 400
    html = response.content.decode()
    assert "is not a date or date-time" in html and "ISO 8601" in html
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("url", EXPORTS)
def test_a_malformed_as_of_on_an_export_is_a_400_naming_it(client: Client, url: str) -> None:
    response = client.get(url, {"as_of": "yesterday", "person": "andrzej-duda"})
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "INVALID_FILTER"
    assert any("'yesterday' is not a date or date-time" in e for e in data["errors"])


def test_a_record_page_before_the_record_began_says_there_was_nothing_yet(
    client: Client, edits: Edits
) -> None:
    response = client.get(f"/events/later-meeting/?as_of={edits.as_of}")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Nothing yet" in html and "there was nothing yet" in html and "It was first recorded on" in html
    assert 'href="http://testserver/events/later-meeting/"' in html
    # Long before anything was recorded: the same answer, not an error.
    for url in PAGES[1:]:
        response = client.get(url, {"as_of": "1990-01-01"})
        assert response.status_code == 404 and "there was nothing yet" in response.content.decode(), url
    assert client.get("/events/never-was/", {"as_of": "1990-01-01"}).status_code == 404


def test_the_explorer_and_exports_before_anything_was_recorded(client: Client) -> None:
    response = client.get("/", {"as_of": "1990-01-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing yet" in html and "had recorded no events" in html and "No events" in html
    data = json.loads(body(client.get("/export/events.json", {"as_of": "1990-01-01"})))
    assert data["events"] == [] and data["citation"]["asOf"].startswith("1990-01-01T23:59:59")


def test_a_day_means_the_end_of_that_day(client: Client, edits: Edits) -> None:
    yesterday = (timezone.now() - timedelta(days=1)).date().isoformat()
    data = json.loads(body(client.get("/export/events.json", {"as_of": yesterday})))
    assert data["citation"]["asOf"] == f"{yesterday}T23:59:59.999999+00:00"


def test_an_as_of_page_runs_the_same_statements_however_many_events_it_shows(
    client: Client, edits: Edits, count_statements: Callable[[Client, str], tuple[int, Any]]
) -> None:
    urls = [f"{u}?as_of=%s" for u in ("/people/andrzej-duda/", "/countries/UA/", "/")]
    moment = quote(timezone.now().isoformat())
    before = {u: count_statements(client, u % moment)[0] for u in urls}
    add_events(40)
    moment = quote(timezone.now().isoformat())
    after = {u: count_statements(client, u % moment)[0] for u in urls}
    assert after == before
    # A fixed number: one per list and per kind of record a list names, whatever the events.
    assert max(before.values()) <= 35, before


def test_a_feed_follows_changes_and_refuses_a_moment(client: Client, edits: Edits) -> None:
    response = client.get(f"/feed.atom?person=andrzej-duda&as_of={edits.as_of}")
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_FILTER"
    assert "a feed lists new and corrected events as they come" in response.json()["errors"][0]
    # The explorer as it stood links its feed without the moment.
    html = page(client, f"/?person=andrzej-duda&as_of={edits.as_of}")
    assert (
        'href="/feed.atom?person=andrzej-duda"' in html
        and "/feed.atom?person=andrzej-duda&amp;as_of" not in html
    )
