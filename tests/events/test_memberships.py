"""The overview's memberships (events.memberships) always say what the link tables say.

After each kind of write (services, saves outside an edit, merges, region moves, deletions,
imports) the two tables are compared with the memberships computed the old way, from the link
tables and the events' dates in Python; the pages' counts with ``year_counts`` over the
timeline, as the overview counted before (issue 25, item 2).
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection

from core.edits import edit
from core.fuzzydates import OPEN_END, OPEN_START
from events import memberships, selectors
from events.integrity import find_stale_memberships, repair_memberships
from events.models import (
    CountryMembership,
    Event,
    EventCountry,
    EventRegion,
    ParticipantRole,
    Participation,
    PersonMembership,
    Visit,
)
from events.services import event_create, event_delete, event_update
from people.identity import person_merge
from people.models import Person
from places.models import Country, Region
from tests.events.factories import make_event
from tests.people.factories import make_person
from tests.seeds.conftest import empty_database, run  # noqa: F401

pytestmark = pytest.mark.django_db

Stored = tuple[set[tuple[int, int, int | None]], set[tuple[int, int, int | None]]]


def _year(event: Any) -> int | None:
    if event.date_earliest > OPEN_START:
        return event.date_earliest.year
    return event.date_latest.year if event.date_latest < OPEN_END else None


def computed() -> Stored:
    """Both tables as the link tables say, computed without SQL of the memberships' own."""
    years = {e.pk: _year(e) for e in Event.objects.only("date_earliest", "date_latest")}
    people = {
        (event, person, years[event])
        for event, person in Participation.objects.filter(person__isnull=False).values_list("event", "person")
    }
    region_country = dict(Region.objects.values_list("pk", "country"))
    links = {
        *EventCountry.objects.values_list("event", "country"),
        *((e, region_country[r]) for e, r in EventRegion.objects.values_list("event", "region")),
        *Participation.objects.filter(country__isnull=False).values_list("event", "country"),
        *Visit.objects.values_list("event", "host_country"),
    }
    return people, {(event, country, years[event]) for event, country in links}


def stored() -> Stored:
    return (
        set(PersonMembership.objects.values_list("event", "person", "year")),
        set(CountryMembership.objects.values_list("event", "country", "year")),
    )


def assert_in_step() -> None:
    people, countries = computed()
    now_people, now_countries = stored()
    assert now_people == people, (now_people - people, people - now_people)
    assert now_countries == countries, (now_countries - countries, countries - now_countries)


def assert_pages_count_as_before(people: list[Person], countries: list[Country]) -> None:
    """The overview's counts from the memberships equal ``year_counts`` over the timeline."""
    for person in people:
        old = selectors.year_counts(selectors.event_timeline(person=person, whole=True))
        assert memberships.year_counts(person_id=person.pk) == old, person
    for country in countries:
        old = selectors.year_counts(selectors.event_timeline(country=country, whole=True))
        assert memberships.year_counts(country_id=country.pk) == old, country


@pytest.fixture
def actor() -> User:
    return User.objects.create_user("member-keeper", password=None, is_staff=True)


def _busiest(limit: int = 5) -> tuple[list[Person], list[Country]]:
    people = Person.objects.filter(pk__in=PersonMembership.objects.values("person")).order_by("pk")[:limit]
    countries = Country.objects.filter(pk__in=CountryMembership.objects.values("country")).order_by("pk")
    return list(people), list(countries[:limit])


def test_the_seeded_memberships_match_the_links_and_the_pages_counts() -> None:
    assert PersonMembership.objects.exists() and CountryMembership.objects.exists()
    assert_in_step()
    assert_pages_count_as_before(*_busiest(20))


def test_created_edited_moved_and_deleted_events(actor: User) -> None:
    ua, pl = Country.objects.get(code="UA"), Country.objects.get(code="PL")
    duda = Person.objects.get(slug="andrzej-duda")
    event = event_create(
        actor=actor,
        fields={"slug": "member-event", "kind": "MEETING", "title": "Kept", "date": "2025-05"},
        countries=[ua],
        regions=[Region.objects.get(slug="kyiv")],
        participants=[
            {"role": ParticipantRole.HOST, "country": pl},
            {"role": ParticipantRole.PARTICIPANT, "person": duda},
        ],
    )
    assert (event.pk, duda.pk, 2025) in stored()[0]
    assert_in_step()
    event, _ = event_update(actor=actor, event=event, fields={"date": "../2019-03-02"})
    assert (event.pk, ua.pk, 2019) in stored()[1]
    assert_in_step()
    event, _ = event_update(actor=actor, event=event, fields={"date": "2021/.."})
    assert (event.pk, ua.pk, 2021) in stored()[1]
    assert_in_step()
    # A participation moved to another event (a change in place): both events follow.
    other = Event.objects.exclude(pk=event.pk).exclude(participants__person=duda).first()
    with edit(actor=actor, reason="moved"):
        moved = Participation.objects.get(event=event, person=duda)
        moved.event = other
        moved.save()
    assert (other.pk, duda.pk, _year(other)) in stored()[0]
    assert_in_step()
    event_delete(actor=actor, event=event, reason="gone")
    assert not CountryMembership.objects.filter(event_id=event.pk).exists()
    assert_in_step()


def test_saves_outside_an_edit_are_followed_row_by_row() -> None:
    ua = Country.objects.get(code="UA")
    event = make_event("outside", date="2011-02")
    EventCountry.objects.create(event=event, country=ua)
    assert (event.pk, ua.pk, 2011) in stored()[1]
    Event.objects.get(pk=event.pk).delete()
    assert_in_step()


def test_merging_people(actor: User) -> None:
    survivor, merged = _busiest(2)[0]
    person_merge(actor=actor, reason="one person", survivor=survivor, merged=merged)
    assert not PersonMembership.objects.filter(person_id=merged.pk).exists()
    assert_in_step()
    assert_pages_count_as_before([survivor], [])


def test_a_region_moved_to_another_country_and_deleted(actor: User) -> None:
    region = (
        Region.objects.filter(pk__in=EventRegion.objects.values("region"))
        .filter(children__isnull=True, visits__isnull=True)
        .order_by("pk")
        .first()
    )
    elsewhere = Country.objects.exclude(pk=region.country_id).order_by("pk").first()
    with edit(actor=actor, reason="moved"):
        region.country = elsewhere
        region.parent = None
        region.save()
    assert CountryMembership.objects.filter(country=elsewhere).exists()
    assert_in_step()
    with edit(actor=actor, reason="gone"):
        for link in EventRegion.objects.filter(region=region):
            link.delete()
        region.delete()
    assert_in_step()


def test_a_raw_delete_of_an_event_cascades_in_the_database() -> None:
    event = make_event("raw", date="2012-03")
    EventCountry.objects.create(event=event, country=Country.objects.get(code="UA"))
    assert CountryMembership.objects.filter(event_id=event.pk).exists()
    # No signal, no history, no edit: only the database's ON DELETE CASCADE can remove the rows.
    EventCountry.objects.filter(event=event)._raw_delete(connection.alias)
    Event.objects.filter(pk=event.pk)._raw_delete(connection.alias)
    assert not CountryMembership.objects.filter(event_id=event.pk).exists()
    assert_in_step()


def test_a_raw_delete_of_a_person_leaves_rows_the_integrity_check_finds() -> None:
    person = make_person("raw")
    event = Event.objects.order_by("pk").first()
    Participation.objects.create(event=event, role=ParticipantRole.PARTICIPANT, person=person)
    Participation.objects.filter(person=person)._raw_delete(connection.alias)
    Person.objects.filter(pk=person.pk)._raw_delete(connection.alias)
    # No constraint on the person (its cost, events.models.memberships): the row stays, unread.
    assert memberships.stale_events() == [event.pk]
    repair_memberships(find_stale_memberships(), "repaired")
    assert not PersonMembership.objects.filter(person_id=person.pk).exists()


def test_importing_into_an_empty_database_and_again(empty_database: None) -> None:  # noqa: F811
    assert not PersonMembership.objects.exists()
    run()
    assert PersonMembership.objects.exists()
    assert_in_step()
    before = stored()
    run()  # a re-import that changes nothing
    assert stored() == before


def test_the_rebuild_command_gives_what_the_edits_kept() -> None:
    before = stored()
    PersonMembership.objects.all().delete()
    out = StringIO()
    call_command("rebuild_memberships", stdout=out)
    assert stored() == before
    assert "person" in out.getvalue()


def test_the_integrity_check_finds_and_repairs_stale_memberships() -> None:
    assert memberships.stale_events() == []
    event = Event.objects.filter(pk__in=CountryMembership.objects.values("event")).order_by("pk").first()
    CountryMembership.objects.filter(event=event).delete()  # as a restore without them would
    PersonMembership.objects.filter(event=event).update(year=1)
    (finding,) = find_stale_memberships()
    assert finding.data == event.pk
    repair_memberships([finding], "repaired")
    assert memberships.stale_events() == []
    assert_in_step()


def test_the_record_pages_show_the_old_counts(client: Any) -> None:
    people, countries = _busiest(3)
    for url, old in [
        *((f"/people/{p.slug}/", selectors.event_timeline(person=p, whole=True)) for p in people),
        *((f"/countries/{c.code}/", selectors.event_timeline(country=c, whole=True)) for c in countries),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.context["overview_total"] == sum(n for _, n in selectors.year_counts(old)), url
