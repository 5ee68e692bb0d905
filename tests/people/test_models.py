import pytest
from django.core.exceptions import ValidationError

from people.models import Role
from tests.people.factories import make_person
from tests.places.factories import make_country

pytestmark = pytest.mark.django_db


def test_a_role_keeps_fuzzy_start_and_end():
    role = Role.objects.create(
        person=make_person("duda"),
        title="President",
        country=make_country(),
        start="2015-08-06",
        end="2025-08-06",
    )
    assert (str(role.start_earliest), str(role.end_latest)) == ("2015-08-06", "2025-08-06")
    assert str(role) == "President of Testland"


def test_the_same_role_from_the_same_start_is_refused():
    person, country = make_person("twice"), make_country()
    Role.objects.create(person=person, title="Minister", country=country, start="2020")
    again = Role(person=person, title="Minister", country=country, start="2020")
    with pytest.raises(ValidationError) as excinfo:
        again.full_clean()
    assert excinfo.value.message_dict == {
        "__all__": ["Role with this Person, Title, Country, Post and Start already exists."]
    }


def test_a_wikidata_id_is_a_q_number():
    person = make_person("wikidata", wikidata_id="11734")
    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()
    assert excinfo.value.message_dict == {"wikidata_id": ["A Wikidata item id, e.g. Q11734."]}
