"""An import's new rows are checked once, by its validate step (issue 25, item 3).

The writer hands ``events_write(checked=True)`` rows whose every value validation applied the
models' own field rules to (``seeds.importer.validate``), so the services insert them without
building model instances or checking them again (``core.services.rows.plan_rows``). These
tests pin both halves: the rule is still applied (by validation, before anything is written),
and a checked insert stores exactly what a validated one stores, history and changes log
included.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from core.errors import SeedError
from core.models import Change
from core.services import Tally
from core.services.records import Record
from events.models import Citation, Event, EventCountry, EventRegion, Participation, Visit, VisitDestination
from events.services import events_write
from people.models import Person
from places.models import Country, Region
from seeds.importer import seeds_import
from tests.events.factories import make_source
from tests.seeds.conftest import snapshot

pytestmark = pytest.mark.django_db

Write = Callable[[str, str], Path]

LONG_LOCATOR = """\
sources:
  - slug: test-plain-source
    title: A source without text
events:
  - slug: test-long-locator
    kind: OTHER
    title: A test event
    date: "2022"
    citations:
      - source: test-plain-source
        locator: {locator}
"""


def test_a_citation_field_rule_is_applied_by_validation_before_anything_is_written(write: Write):
    # The writer no longer checks a new citation's fields: validation must refuse the value.
    path = write("locator.yaml", LONG_LOCATOR.format(locator="x" * 301))
    before = snapshot()
    with pytest.raises(SeedError) as error:
        seeds_import(paths=[path])
    (problem,) = error.value.problems
    assert problem.startswith(f"{path}:11: test-long-locator: citations[0].locator: ")
    assert "300" in problem
    assert snapshot() == before


def _write(slug: str, *, checked: bool, actor: Any, source: Any) -> None:
    ua, pl = Country.objects.get(code="UA"), Country.objects.get(code="PL")
    person = Person.objects.get(slug="andrzej-duda")
    kyiv = Region.objects.get(slug="kyiv")
    event = Record(
        slug,
        {"slug": slug, "kind": "VISIT", "title": "Leaders met", "date": " 2024-05? ", "summary": "Talks."},
        {
            "countries": [{"country_id": ua.pk}],
            "regions": [],
            "participants": [{"role": "HOST", "country_id": ua.pk}],
            "citations": [{"source_id": source.pk, "quote": "Leaders met", "locator": "p. 1"}],
        },
        reason="bench.yaml",
    )
    visit = Record(
        f"{slug}-visit",
        {"slug": f"{slug}-visit", "kind": "STATE", "visitor_id": person.pk, "host_country_id": ua.pk},
        {"destinations": [{"region_id": kyiv.pk}]},
        reason="bench.yaml",
    )
    tally = Tally()
    events_write(
        actor=actor,
        reason="import_seeds",
        records=[event],
        visits={slug: visit},
        tally=tally,
        checked=checked,
    )
    assert tally.counts["events.Event"]["inserted"] == 1
    assert pl.pk not in Participation.objects.filter(event__slug=slug).values_list("country_id", flat=True)


def _stored(slug: str) -> dict[str, Any]:
    """Everything the write stored for event ``slug``, with ids and its slugs left out."""
    event = Event.objects.get(slug=slug)
    visit = Visit.objects.get(event=event)

    def rows(model: Any, **where: Any) -> list[dict[str, Any]]:
        skip = {"id", "event_id", "visit_id", "slug", "search_key"}
        return [
            {k: v for k, v in r.items() if k not in skip}
            for r in model._base_manager.filter(**where).values()
        ]

    def history(model: Any, **where: Any) -> list[tuple[Any, ...]]:
        found = model.history.filter(**where).order_by("history_id")
        return [
            (h.history_type, h.history_user_id, h.history_change_reason, h.history_edit is not None)
            for h in found
        ]

    return {
        "event": rows(Event, pk=event.pk),
        "visit": rows(Visit, pk=visit.pk),
        "countries": rows(EventCountry, event=event),
        "regions": rows(EventRegion, event=event),
        "participants": rows(Participation, event=event),
        "citations": rows(Citation, event=event),
        "destinations": rows(VisitDestination, visit=visit),
        "history": [
            history(Event, id=event.pk),
            history(Visit, id=visit.pk),
            history(Participation, event_id=event.pk),
            history(Citation, event_id=event.pk),
            history(EventRegion, event_id=event.pk),
            history(VisitDestination, visit_id=visit.pk),
        ],
        "changes": [
            (c.kind, c.model, c.user_id, c.reason, [[f, o, n] for f, o, n in c.changes if f != "slug"])
            for c in Change.objects.filter(object_id__in=[event.pk, visit.pk]).order_by("id")
            if c.slug in (slug, f"{slug}-visit")
        ],
    }


def test_a_checked_insert_stores_what_a_validated_insert_stores():
    actor = get_user_model().objects.create_user("importer")
    source = make_source("checked", text="Leaders met in Kyiv.")
    _write("test-validated", checked=False, actor=actor, source=source)
    _write("test-checked", checked=True, actor=actor, source=source)
    validated, checked = _stored("test-validated"), _stored("test-checked")
    assert checked == validated
    # The fuzzy date was trimmed and bounded, the visitor mirrored, as on any save.
    (event,) = checked["event"]
    assert event["date"] == "2024-05?" and event["date_earliest"] is not None
    assert any(p["person_id"] for p in checked["participants"])
    assert checked["regions"] == [{"region_id": Region.objects.get(slug="kyiv").pk}]
    assert checked["history"][0] == [("+", actor.pk, "bench.yaml", True)]
