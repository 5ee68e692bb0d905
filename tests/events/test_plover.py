"""Chancery's events as PLOVER records: the mapping (events/plover.py), the JSON-lines export
and the GraphQL ``Event.plover`` field, which must agree."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events import plover
from events.credits import Credit
from events.models import Citation, Event, EventKind, EventStatus, ParticipantRole, Participation, Source
from events.plover import LeftOut, Record, plover_of
from people.models import Person
from places.models import Country
from tests.api.conftest import post_graphql
from tests.events.factories import make_event
from tests.pages.conftest import DUDA_KYIV

pytestmark = pytest.mark.django_db


def lines(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content[:500]
    return [json.loads(line) for line in response.content.decode().splitlines()]


def country(code: str) -> Country:
    return Country.objects.get(code=code)


_numbers = itertools.count()


def event_with(
    kind: str, *actors: tuple[str, str], status: str = EventStatus.REPORTED, **extra: Any
) -> Event:
    """An event of ``kind`` with (role, country code) participants."""
    event = make_event(f"plover-{kind.lower()}-{next(_numbers)}", kind=kind, status=status, **extra)
    for role, code in actors:
        Participation.objects.create(event=event, role=role, country=country(code))
    return event


def mapped(event: Event) -> Record:
    result = plover_of(Event.objects.get(pk=event.pk))
    assert isinstance(result, Record), result
    return result


def test_dudas_visits_export_as_consult_visit_with_poland_as_actor_and_the_host_as_recipient(
    client: Client,
) -> None:
    response = client.get("/export/plover.jsonl?person=andrzej-duda")
    assert response["Content-Type"].startswith("application/x-ndjson")
    records = {r["id"]: r for r in lines(response)}
    kyiv = records[DUDA_KYIV]
    assert kyiv["event"] == ["CONSULT"] and kyiv["mode"] == ["visit"]
    assert kyiv["actor"] == [
        {
            "code": "POL",
            "entity_text": "Andrzej Duda",
            "chancery_country": "PL",
            "chancery_person": "andrzej-duda",
        }
    ]
    assert [e["code"] for e in kyiv["recipient"]] == ["UKR"]
    assert kyiv["quad_code"] == 1 and "diplomatic" in kyiv["context"]
    # The verbatim quote and its source; Chancery's date kept beside PLOVER's one day.
    event = Event.objects.get(slug=DUDA_KYIV)
    citation = event.citations.select_related("source").get()
    assert kyiv["event_text"] == [citation.quote]
    assert kyiv["cite_info"][0]["title"] == citation.source.title
    assert kyiv["date"] == "2022-02-24" and kyiv["enddate"] is None
    assert kyiv["date_bounds"]["edtf"] == "[2022-02-24..2025-08-06]"
    assert kyiv["date_bounds"]["latest"] == "2025-08-06"
    assert kyiv["url"].endswith(f"/events/{DUDA_KYIV}/")
    # No header in JSON lines: each record credits its licensed sources (events.credits).
    source = citation.source
    assert kyiv["credits"] == ([Credit.of(source).text] if Credit.of(source).licensed else [])
    # Every visit of his is there, visitor as actor.
    visits = [r for r in records.values() if r["mode"] == ["visit"]]
    assert visits and all(r["actor"][0]["code"] == "POL" for r in visits)


def test_the_export_takes_the_other_exports_filters_and_counts_what_it_leaves_out(client: Client) -> None:
    response = client.get("/export/plover.jsonl?country=UA")
    records = lines(response)
    events = json.loads(client.get("/export/events.json?country=UA").content)["events"]
    kinds = {e["slug"]: e["kind"] for e in events}
    left_out = [k for k in kinds.values() if k in plover.NO_PLOVER_TYPE]
    assert len(records) + len(left_out) <= len(events)
    assert int(response["X-PLOVER-Records"]) == len(records)
    counted = dict(part.split("=") for part in response["X-PLOVER-Left-Out"].split(", "))
    assert counted.get("STATEMENT") == str(list(kinds.values()).count("STATEMENT"))
    assert all(kinds[r["id"]] not in plover.NO_PLOVER_TYPE for r in records)


@pytest.mark.parametrize("query", ["person=nobody-at-all", "country=XX", "kind=PICNIC", "from=2025&to=2024"])
def test_a_bad_filter_is_refused_like_the_other_exports(client: Client, query: str) -> None:
    response = client.get(f"/export/plover.jsonl?{query}")
    assert response.status_code == 400
    assert response.json() == client.get(f"/export/events.json?{query}").json()


def test_a_meeting_of_three_is_multilateral_with_every_party_as_actor() -> None:
    record = mapped(
        event_with(
            EventKind.MEETING,
            (ParticipantRole.PARTICIPANT, "PL"),
            (ParticipantRole.PARTICIPANT, "UA"),
            (ParticipantRole.PARTICIPANT, "US"),
        )
    )
    assert (record.event, record.mode) == ("CONSULT", ["multilateral"])
    assert [e.code for e in record.actor] == ["POL", "UKR", "USA"] and record.recipient == []


def test_a_meeting_of_two_is_consult_without_a_mode_and_with_host_and_visitor_a_visit() -> None:
    two = mapped(
        event_with(EventKind.MEETING, (ParticipantRole.SPEAKER, "PL"), (ParticipantRole.PARTICIPANT, "UA"))
    )
    assert (two.event, two.mode, two.recipient) == ("CONSULT", [], [])
    hosted = mapped(
        event_with(EventKind.MEETING, (ParticipantRole.VISITOR, "PL"), (ParticipantRole.HOST, "DE"))
    )
    assert hosted.mode == ["visit"] and [e.code for e in hosted.recipient] == ["DEU"]


def test_a_treaty_signing_is_agree() -> None:
    record = mapped(
        event_with(EventKind.TREATY, (ParticipantRole.SIGNATORY, "RU"), (ParticipantRole.SIGNATORY, "KP"))
    )
    assert record.event == "AGREE" and [e.code for e in record.actor] == ["RUS", "PRK"]


def test_military_force_against_another_is_assault_and_posture_alone_is_mobilize() -> None:
    alone = event_with(EventKind.MILITARY, (ParticipantRole.PARTY, "RU"))
    alone.country_links.create(country=country("RU"))
    assert (mapped(alone).event, mapped(alone).quad_code) == ("MOBILIZE", 4)
    # The seeded invasion: Russia the only party, in Ukraine.
    invasion = mapped(Event.objects.get(slug="full-scale-invasion"))
    assert invasion.event == "ASSAULT" and "military" in invasion.context
    assert [e.code for e in invasion.actor] == ["RUS"] and [e.code for e in invasion.recipient] == ["UKR"]
    two_sides = mapped(
        event_with(EventKind.MILITARY, (ParticipantRole.PARTY, "RU"), (ParticipantRole.PARTY, "UA"))
    )
    assert two_sides.event == "ASSAULT" and len(two_sides.actor) == 2


def test_relations_kinds_map_to_their_nearest_type_with_the_reason() -> None:
    for kind, expected in [
        (EventKind.RECOGNITION, ("SUPPORT", [])),
        (EventKind.RELATIONS_ESTABLISHED, ("SUPPORT", [])),
        (EventKind.RELATIONS_RESUMED, ("SUPPORT", [])),
        (EventKind.EMBASSY_ELEVATION, ("SUPPORT", [])),
        (EventKind.RELATIONS_SEVERED, ("SANCTION", ["discontinue"])),
    ]:
        record = mapped(
            event_with(kind, (ParticipantRole.PARTICIPANT, "US"), (ParticipantRole.PARTICIPANT, "PL"))
        )
        assert (record.event, record.mode) == expected, kind
        assert record.comment.startswith(f"{kind} → {expected[0]}: ") and "'" in record.comment


def test_kinds_without_a_plover_type_are_left_out_with_their_reason_never_forced() -> None:
    for kind in plover.NO_PLOVER_TYPE:
        result = plover_of(event_with(kind, (ParticipantRole.PARTICIPANT, "US")))
        assert result == LeftOut(kind, plover.NO_PLOVER_TYPE[kind])
    # Every kind is either mapped or left out with a reason.
    assert set(plover.RULES) | set(plover.NO_PLOVER_TYPE) == set(EventKind.values)
    assert not set(plover.RULES) & set(plover.NO_PLOVER_TYPE)
    nobody = make_event("plover-nobody", kind=EventKind.MEETING)
    assert plover_of(nobody) == LeftOut(EventKind.MEETING, plover.NO_ACTOR)


def test_statuses_become_confidence_and_a_denial_negation() -> None:
    expected = {
        "CONFIRMED": "high",
        "REPORTED": "medium",
        "CLAIMED": "low",
        "DISPUTED": "low",
        "DENIED": "low",
    }
    for status, confidence in expected.items():
        event = event_with(EventKind.MEETING, (ParticipantRole.PARTICIPANT, "PL"), status=status)
        record = mapped(event)
        assert record.confidence == confidence
        assert ("negation" in record.context) == (status == "DENIED")
        event.delete()


def test_former_states_by_their_iso_3166_3_code_and_uncoded_ones_by_none() -> None:
    record = mapped(event_with(EventKind.MEETING, (ParticipantRole.PARTICIPANT, "SUHH"), date="1975"))
    assert record.actor[0].code == "SUN" and record.actor[0].country == "SUHH"
    uncoded = Country.objects.filter(historical=True, alpha3__isnull=True).first()
    assert uncoded is not None
    other = make_event("plover-uncoded", date="1900")
    Participation.objects.create(event=other, role=ParticipantRole.PARTICIPANT, country=uncoded)
    entity = mapped(other).actor[0]
    assert entity.code is None and entity.country == uncoded.code and entity.entity_text == uncoded.name


def test_a_span_keeps_its_end_and_an_open_start_gives_its_last_day() -> None:
    span = mapped(event_with(EventKind.MEETING, (ParticipantRole.PARTICIPANT, "PL"), date="2022-01/2022-04"))
    assert (span.date, span.enddate) == ("2022-01-01", "2022-04-30")
    open_start = mapped(event_with(EventKind.TREATY, (ParticipantRole.PARTY, "PL"), date="../2025-08-06"))
    assert (open_start.date, open_start.enddate) == ("2025-08-06", None)
    assert open_start.date_bounds.edtf == "../2025-08-06"


PLOVER_PAGE = """query ($first: Int!, $person: String) {
  timeline(first: $first, filters: {person: $person}) {
    edges { node { slug participants { role country { code } }
      plover { id event mode context quadCode actor { code entityText country person }
               recipient { code } eventText citeInfo { title url citation corpus } confidence comment
               date enddate dateBounds { edtf earliest latest } } } }
  }
}"""


def test_graphql_plover_agrees_with_the_export(client: Client) -> None:
    body = post_graphql(client, PLOVER_PAGE, {"first": 50, "person": "andrzej-duda"}).json()
    assert "errors" not in body, body
    nodes = {e["node"]["slug"]: e["node"] for e in body["data"]["timeline"]["edges"]}
    exported = {r["id"]: r for r in lines(client.get("/export/plover.jsonl?person=andrzej-duda"))}
    for slug, node in nodes.items():
        record = node["plover"]
        if record is None:
            assert slug not in exported
            continue
        row = exported[slug]
        assert [record["event"]] == row["event"] and record["mode"] == row["mode"]
        assert [a["code"] for a in record["actor"]] == [a["code"] for a in row["actor"]]
        assert [r["code"] for r in record["recipient"]] == [r["code"] for r in row["recipient"]]
        assert record["eventText"] == row["event_text"] and record["date"] == row["date"]
        assert record["dateBounds"]["edtf"] == row["date_bounds"]["edtf"]
    assert nodes[DUDA_KYIV]["plover"]["actor"][0]["code"] == "POL"
    # Selecting participants beside plover keeps both lists whole.
    assert {p["role"] for p in nodes[DUDA_KYIV]["participants"]} == {"VISITOR", "HOST"}


def _add_visits(n: int, prefix: str) -> None:
    pl, ua = country("PL"), country("UA")
    duda = Person.objects.get(slug="andrzej-duda")
    source = Source.objects.create(slug=f"{prefix}-src", title="Src", text="Quoted words.")
    for i in range(n):
        event = make_event(f"{prefix}-{i}", kind=EventKind.VISIT, date="2023-03")
        event.country_links.create(country=ua)
        Participation.objects.create(event=event, role=ParticipantRole.VISITOR, person=duda, country=pl)
        Participation.objects.create(event=event, role=ParticipantRole.HOST, country=ua)
        Citation.objects.create(event=event, source=source, quote="Quoted words.")


def test_plover_on_a_timeline_page_costs_no_statement_per_event(client: Client) -> None:
    def statements(first: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            body = post_graphql(client, PLOVER_PAGE, {"first": first, "person": "andrzej-duda"}).json()
        assert "errors" not in body, body
        assert len(body["data"]["timeline"]["edges"]) == first
        return len(queries)

    _add_visits(30, "count")
    assert statements(3) == statements(30)


def test_a_query_asking_plover_leaves_the_compiled_path_and_gets_the_same_answer(client: Client) -> None:
    from tests.api.test_compiled_reads import both

    compiled, executor, path = both(client, PLOVER_PAGE, {"first": 10, "person": "andrzej-duda"})
    assert compiled == executor and b'"errors"' not in compiled[1]
    assert path.startswith("executor; reason=Event.plover"), path
    assert json.loads(compiled[1])["data"]["timeline"]["edges"][0]["node"]["plover"] is not None


def test_paging_on_by_an_unknown_event_is_refused_and_a_known_one_pages(client: Client) -> None:
    response = client.get("/export/plover.jsonl?person=andrzej-duda&after=no-such-event")
    assert response.status_code == 400
    assert "Unknown event 'no-such-event'" in response.json()["errors"][0]
    everything = [r["id"] for r in lines(client.get("/export/plover.jsonl?person=andrzej-duda"))]
    rest = [
        r["id"] for r in lines(client.get(f"/export/plover.jsonl?person=andrzej-duda&after={everything[0]}"))
    ]
    assert rest == everything[1:]


def test_one_event_and_a_visits_event_carry_plover_and_a_kind_without_a_type_null(client: Client) -> None:
    query = """query ($slug: String!) {
      event(slug: $slug) { plover { event mode actor { code } recipient { code } } }
      visit(slug: $slug) { event { plover { event } } }
    }"""
    body = post_graphql(client, query, {"slug": DUDA_KYIV}).json()
    assert "errors" not in body, body
    assert body["data"]["event"]["plover"] == {
        "event": "CONSULT",
        "mode": ["visit"],
        "actor": [{"code": "POL"}],
        "recipient": [{"code": "UKR"}],
    }
    assert body["data"]["visit"]["event"]["plover"] == {"event": "CONSULT"}
    statement = Event.objects.filter(kind=EventKind.STATEMENT).first()
    assert statement is not None
    body = post_graphql(client, query, {"slug": statement.slug}).json()
    assert "errors" not in body, body
    assert body["data"]["event"]["plover"] is None


def test_each_record_credits_the_licensed_sources_it_cites(client: Client) -> None:
    from seeds.datasets.ggo.adapter import SOURCE_RECORD

    ggo = Source.objects.create(**SOURCE_RECORD)
    Citation.objects.create(source=ggo, event=Event.objects.get(slug=DUDA_KYIV), quote="")
    records = {r["id"]: r for r in lines(client.get("/export/plover.jsonl?person=andrzej-duda"))}
    authors = 'Hollway, James, and Jael Tan. "Global governance observations on international agreements"'
    assert any(authors in credit and "CC BY 4.0" in credit for credit in records[DUDA_KYIV]["credits"])
