"""The read selectors the API and the benchmarks share, called directly."""

from __future__ import annotations

from datetime import date

import pytest

from core.errors import InvalidFilter
from events.models import Event
from events.selectors import event_timeline, treaty_list, visit_list
from people.models import Person
from places.models import Country, Region
from tests.api.conftest import TREATY


@pytest.mark.usefixtures("seeded")
def test_instances_and_names_select_the_same_events() -> None:
    by_name = list(event_timeline(person="andrzej-duda", country="ua", region="kyiv"))
    by_instance = list(
        event_timeline(
            person=Person.objects.get(slug="andrzej-duda"),
            country=Country.objects.get(code="UA"),
            region=Region.objects.get(slug="kyiv"),
        )
    )
    assert by_name == by_instance
    assert [e.slug for e in by_name] == ["duda-first-visit-kyiv"]


@pytest.mark.usefixtures("seeded")
def test_timeline_is_a_lazy_queryset_without_distinct() -> None:
    events = event_timeline(region="donetsk-oblast", country="UA", person="oleksandr-syrskyi")
    assert events.model is Event
    assert not events.query.distinct
    assert events.count() == len(list(events))


@pytest.mark.usefixtures("seeded")
def test_unknown_names_raise_invalid_filter() -> None:
    with pytest.raises(InvalidFilter, match=r"^Unknown region slug 'atlantis'\.$"):
        event_timeline(region="atlantis")
    with pytest.raises(InvalidFilter, match=r"^Unknown country code 'XX'"):
        treaty_list(parties=["RU", "XX"])


@pytest.mark.usefixtures("seeded")
def test_treaty_and_visit_lists() -> None:
    assert [t.slug for t in treaty_list(parties=["kp"], provision="MUTUAL_DEFENSE")] == [TREATY]
    assert [t.slug for t in treaty_list(signed_from=date(2025, 5, 20), signed_to=date(2025, 6, 10))] == [
        TREATY
    ]
    assert list(treaty_list(signed_to=date(2024, 12, 31))) == []
    assert [v.slug for v in visit_list(host="kp")] == ["lyubimova-north-korea-visit"]
    assert list(visit_list(visitor="andrzej-duda", date_to=date(2022, 2, 23))) == []
