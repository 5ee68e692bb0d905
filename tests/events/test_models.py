import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.fuzzydates import OPEN_END, FuzzyDate
from events.models import Citation, ParticipantRole, Participation, TreatyParty, Visit
from tests.events.factories import make_event, make_source, make_treaty
from tests.people.factories import make_person
from tests.places.factories import make_country

pytestmark = pytest.mark.django_db


def test_event_date_bounds_follow_the_edtf_text():
    event = make_event("bounds", date="2022-21")
    assert (str(event.date_earliest), str(event.date_latest)) == ("2022-03-01", "2022-05-31")
    event.date = "2022-02-24/.."
    event.save()
    event.refresh_from_db()
    # An open end is stored as the last representable day, so plain comparisons and one
    # ascending index handle it; the API and admin read it back as open.
    assert (str(event.date_earliest), event.date_latest) == ("2022-02-24", OPEN_END)
    assert FuzzyDate.from_stored(event.date, event.date_earliest, event.date_latest).latest is None


def test_invalid_edtf_is_refused_quoting_the_value():
    event = make_event("bad-date")
    event.date = "2024-13"
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert excinfo.value.message_dict == {
        "date": [
            "'2024-13' is not a valid EDTF date "
            "(examples: 2024-05, 2022-04-13, 2022~, 2024-05?, 2022-02-24/..)."
        ]
    }


def test_a_visit_without_a_visitor_is_refused():
    visit = Visit(slug="test-visit", event=make_event("visit"), host_country=make_country())
    with pytest.raises(ValidationError) as excinfo:
        visit.full_clean()
    assert excinfo.value.message_dict == {"visitor": ["This field cannot be null."]}


def test_a_visit_delegation_has_at_least_one_member():
    visit = Visit(
        slug="test-visit",
        event=make_event("visit"),
        host_country=make_country(),
        visitor=make_person(),
        delegation_size=0,
    )
    with pytest.raises(ValidationError) as excinfo:
        visit.full_clean()
    assert excinfo.value.message_dict == {
        "delegation_size": ["Ensure this value is greater than or equal to 1."]
    }


def test_a_treaty_party_twice_is_refused_by_validation_and_by_the_database():
    treaty, country = make_treaty(), make_country()
    TreatyParty.objects.create(treaty=treaty, country=country)
    again = TreatyParty(treaty=treaty, country=country)
    with pytest.raises(ValidationError) as excinfo:
        again.full_clean()
    assert excinfo.value.message_dict == {"__all__": ["This country is already a party to this treaty."]}
    with pytest.raises(IntegrityError), transaction.atomic():
        again.save()


def test_a_participant_needs_a_person_or_a_country():
    participation = Participation(event=make_event("actorless"), role=ParticipantRole.SPEAKER)
    with pytest.raises(ValidationError) as excinfo:
        participation.full_clean()
    # Participation.clean() and the check constraint both say it; the editor needs it once.
    assert set(excinfo.value.message_dict["__all__"]) == {"A participant is a person, a country, or both."}
    with pytest.raises(IntegrityError), transaction.atomic():
        participation.save()


def test_a_participant_may_be_a_country_alone():
    participation = Participation(
        event=make_event("country"), role=ParticipantRole.HOST, country=make_country()
    )
    participation.full_clean()


def test_a_quote_must_occur_verbatim_in_the_source_text():
    source = make_source(text="The president arrived in Kyiv on Tuesday.")
    citation = Citation(source=source, event=make_event("cited"), quote="arrived in Lviv")
    with pytest.raises(ValidationError) as excinfo:
        citation.full_clean()
    assert excinfo.value.message_dict == {
        "quote": [
            f"quote does not occur verbatim in the text of source {source.slug!r} (value 'arrived in Lviv')"
        ]
    }
    citation.quote = "arrived in Kyiv"
    citation.full_clean()


def test_a_citation_backs_exactly_one_record():
    citation = Citation(source=make_source(), event=make_event("one"), treaty=make_treaty())
    with pytest.raises(ValidationError) as excinfo:
        citation.full_clean()
    assert excinfo.value.message_dict == {"__all__": ["A citation backs exactly one event, treaty or role."]}
