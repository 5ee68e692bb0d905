"""Issue 9's shared foundation in the API: former states, organisations, posts, end states, provenance."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from core.services import Record
from events.models import Citation, Event, Source
from events.services import sources_write
from people.models import Organization, Person, Role
from people.services import people_write
from places.models import Country
from tests.api.conftest import GraphQL


def test_former_states_are_countries_of_their_own_with_dates(gql: GraphQL) -> None:
    body = gql('{ country(code: "suhh") { code name historical founded { edtf } dissolved { edtf } } }')
    assert body["data"]["country"] == {
        "code": "SUHH",
        "name": "Soviet Union",
        "historical": True,
        "founded": {"edtf": "1922-12-30"},
        "dissolved": {"edtf": "1991-12-26"},
    }
    current = gql('{ country(code: "RU") { code historical dissolved { edtf } } }')["data"]["country"]
    assert current == {"code": "RU", "historical": False, "dissolved": None}


def test_organisations_are_listed_and_found_by_slug(gql: GraphQL) -> None:
    body = gql(
        '{ organization(slug: "nato") { slug name abbreviation classification founded { edtf } } '
        "organizations(first: 100) { totalCount edges { node { slug } } } }"
    )
    assert body["data"]["organization"] == {
        "slug": "nato",
        "name": "North Atlantic Treaty Organization",
        "abbreviation": "NATO",
        "classification": "military alliance",
        "founded": {"edtf": "1949-04-04"},
    }
    slugs = {e["node"]["slug"] for e in body["data"]["organizations"]["edges"]}
    assert {"un", "nato", "osce", "eu", "oas", "au", "asean", "iaea", "euratom", "wto"} <= slugs


def _ambassador(editor: object) -> Person:
    source = sources_write(
        actor=editor,
        records=[
            Record(
                "test-dataset",
                {
                    "slug": "test-dataset",
                    "title": "Test dataset",
                    "licence": "CC0 1.0",
                    "licence_url": "https://creativecommons.org/publicdomain/zero/1.0/",
                    "attribution": "Office of the Historian",
                    "commit": "abc123",
                },
            )
        ],
    )[0].instance
    us, pl = Country.objects.get(code="US"), Country.objects.get(code="PL")
    nato = Organization.objects.get(slug="nato")
    roles = [
        {
            "title": "Ambassador",
            "country": us,
            "post_country": pl,
            "start": "2019-01-02",
            "citations": [{"source_id": source.pk, "locator": "missions-countries/poland.xml #pl-2019-01"}],
        },
        {"title": "Representative", "country": us, "post_organization": nato, "start": "2021"},
        {"title": "Special Envoy", "country": us, "start": "2023", "ongoing": True},
    ]
    (written,) = people_write(
        actor=editor,
        records=[
            Record(
                "test-envoy",
                {"slug": "test-envoy", "name": "Test Envoy", "born": "1950", "died": ""},
                {"roles": roles, "identifiers": [{"scheme": "hsg-pocom", "value": "envoy-test"}]},
            )
        ],
    )
    return written.instance


@pytest.mark.django_db
def test_roles_say_where_they_are_held_and_what_is_known_of_their_end(
    gql: GraphQL, admin_user: object
) -> None:
    _ambassador(admin_user)
    body = gql(
        """{ person(slug: "test-envoy") { born { edtf } identifiers { scheme value }
             roles { title country { code } postCountry { code } postOrganization { slug }
                     end { edtf } ongoing endState
                     citations { locator source { licence licenceUrl attribution commit } } } } }"""
    )
    person = body["data"]["person"]
    assert person["born"] == {"edtf": "1950"}
    assert person["identifiers"] == [{"scheme": "hsg-pocom", "value": "envoy-test"}]
    roles = {r["title"]: r for r in person["roles"]}
    assert roles["Ambassador"]["postCountry"] == {"code": "PL"}
    assert roles["Ambassador"]["endState"] == "UNKNOWN"  # no end given, not said to be in office
    assert roles["Ambassador"]["citations"] == [
        {
            "locator": "missions-countries/poland.xml #pl-2019-01",
            "source": {
                "licence": "CC0 1.0",
                "licenceUrl": "https://creativecommons.org/publicdomain/zero/1.0/",
                "attribution": "Office of the Historian",
                "commit": "abc123",
            },
        }
    ]
    assert roles["Representative"]["postOrganization"] == {"slug": "nato"}
    assert roles["Special Envoy"]["endState"] == "ONGOING" and roles["Special Envoy"]["ongoing"] is True


@pytest.mark.django_db
def test_an_office_still_held_has_no_end_and_one_post_at_most(admin_user: object) -> None:
    person = _ambassador(admin_user)
    role = Role(person=person, title="Envoy", start="2020", end="2021", ongoing=True)
    with pytest.raises(ValidationError) as excinfo:
        role.full_clean()
    assert "ongoing" in excinfo.value.message_dict
    role = Role(
        person=person,
        title="Envoy",
        start="2020",
        post_country=Country.objects.get(code="PL"),
        post_organization=Organization.objects.get(slug="nato"),
    )
    with pytest.raises(ValidationError) as excinfo:
        role.full_clean()
    assert "post_organization" in excinfo.value.message_dict
    assert Role.objects.filter(person=person).count() == 3


@pytest.mark.django_db
def test_an_identifier_names_one_person(admin_user: object) -> None:
    _ambassador(admin_user)
    with pytest.raises(ValidationError):
        people_write(
            actor=admin_user,
            full=True,
            records=[
                Record(
                    "test-other",
                    {"slug": "test-other", "name": "Other"},
                    {"identifiers": [{"scheme": "hsg-pocom", "value": "envoy-test"}]},
                )
            ],
        )
    assert not Person.objects.filter(slug="test-other").exists()


def test_notes_are_readable_on_every_record_type(gql: GraphQL) -> None:
    event = Event.objects.filter(note__gt="").first()
    assert event is not None
    body = gql(f'{{ event(slug: "{event.slug}") {{ note }} }}')
    assert body["data"]["event"]["note"] == event.note
    assert Citation._meta.get_field("locator").blank and Source._meta.get_field("licence").blank
