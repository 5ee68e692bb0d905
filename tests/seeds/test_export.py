"""export_seeds writes seed YAML that import_seeds reads back into an identical database."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import CommandError, call_command

from events.models import (
    Citation,
    Event,
    EventCountry,
    EventRegion,
    Participation,
    Source,
    Treaty,
    TreatyParty,
    TreatyProvision,
    Visit,
    VisitDestination,
)
from people.models import Identifier, Organization, Person, Role
from places.models import Country, Region

pytestmark = pytest.mark.django_db

# Every row, by natural values (no ids), in a stable order: two databases hold the same
# records exactly when these are equal.
SNAPSHOT: list[tuple[Any, tuple[str, ...]]] = [
    (Country, ("code", "alpha3", "name", "aliases", "historical", "founded", "dissolved")),
    (
        Organization,
        ("slug", "name", "abbreviation", "classification", "founded", "dissolved", "aliases", "note"),
    ),
    (
        Region,
        (
            "slug",
            "iso_code",
            "name",
            "kind",
            "country__code",
            "parent__slug",
            "aliases",
            "latitude",
            "longitude",
        ),
    ),
    (
        Source,
        (
            "slug",
            "title",
            "publisher",
            "url",
            "commit",
            "licence",
            "licence_url",
            "attribution",
            "published_on",
            "published_on_earliest",
            "text",
            "note",
        ),
    ),
    (Person, ("slug", "name", "aliases", "wikidata_id", "nationality__code", "born", "died", "note")),
    (Identifier, ("person__slug", "scheme", "value")),
    (
        Role,
        (
            "person__slug",
            "title",
            "country__code",
            "post_country__code",
            "post_organization__slug",
            "start",
            "start_earliest",
            "end",
            "end_latest",
            "ongoing",
            "note",
        ),
    ),
    (Treaty, ("slug", "name", "short_name", "signed", "signed_earliest", "in_force", "note")),
    (TreatyParty, ("treaty__slug", "country__code", "signatory__slug", "signed", "ratified")),
    (TreatyProvision, ("treaty__slug", "kind", "article", "summary")),
    (
        Event,
        (
            "slug",
            "kind",
            "title",
            "summary",
            "date",
            "date_earliest",
            "date_latest",
            "status",
            "treaty__slug",
            "note",
        ),
    ),
    (EventCountry, ("event__slug", "country__code")),
    (EventRegion, ("event__slug", "region__slug")),
    (Participation, ("event__slug", "role", "person__slug", "country__code", "note")),
    (
        Visit,
        (
            "slug",
            "event__slug",
            "kind",
            "visitor__slug",
            "host_country__code",
            "delegation_size",
            "purpose",
            "note",
        ),
    ),
    (VisitDestination, ("visit__slug", "region__slug")),
    (
        Citation,
        (
            "source__slug",
            "quote",
            "locator",
            "event__slug",
            "treaty__slug",
            "role__person__slug",
            "role__title",
        ),
    ),
]


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return {
        model.__name__: sorted(
            (tuple(map(repr, row)) for row in model.objects.values_list(*fields)), key=lambda r: r
        )
        for model, fields in SNAPSHOT
    }


def wipe() -> None:
    """Delete every Chancery record, children first."""
    for model in (Citation, VisitDestination, Visit, Participation, EventRegion, EventCountry, Event):
        model.objects.all().delete()
    for model in (TreatyProvision, TreatyParty, Treaty, Role, Identifier, Person, Organization, Source):
        model.objects.all().delete()
    Region.objects.update(parent=None)
    Region.objects.all().delete()
    Country.objects.all().delete()


def export(folder: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("export_seeds", str(folder), *args, stdout=out)
    return out.getvalue()


def reimport(folder: Path) -> str:
    out = io.StringIO()
    call_command("import_seeds", str(folder), stdout=out)
    return out.getvalue()


def test_the_seeds_round_trip_into_an_identical_database(tmp_path: Path) -> None:
    before = snapshot()
    assert len(before["Region"]) > 5000 and len(before["Citation"]) >= 25
    assert f"Wrote {tmp_path}/export.yaml: {Event.objects.count()} events" in export(tmp_path)
    # Over the database it came from, the export changes nothing...
    assert "Nothing changed." in reimport(tmp_path)
    # ...and into an empty one it gives the same rows, dates, texts and citations.
    wipe()
    assert Event.objects.count() == 0
    reimport(tmp_path)
    assert snapshot() == before


def test_a_filtered_export_carries_what_its_events_refer_to(tmp_path: Path) -> None:
    before = snapshot()
    assert "2 events, 0 treaties, 2 people, 2 sources" in export(tmp_path, "--person", "andrzej-duda")
    document = yaml.safe_load((tmp_path / "export.yaml").read_text(encoding="utf-8"))
    assert [e["slug"] for e in document["events"]] == ["duda-first-visit-kyiv", "duda-zelenskyy-meeting"]
    assert document["events"][0]["date"] == "[2022-02-24..2025-08-06]"
    assert {p["slug"] for p in document["people"]} == {"andrzej-duda", "volodymyr-zelenskyy"}
    wipe()
    reimport(tmp_path)
    after = snapshot()
    # Exactly the two events, with their participants and citations as they were.
    for name in ("Event", "Participation", "Visit", "VisitDestination"):
        assert after[name] == [r for r in before[name] if "duda" in r[0] or "duda" in "".join(r)]
    duda_citations = [r for r in before["Citation"] if "'duda-" in "".join(r) or "'andrzej-duda'" in r[4]]
    assert {r for r in after["Citation"]} >= {
        r for r in duda_citations if "'volodymyr-zelenskyy'" not in r[4]
    }


def test_wrong_filters_are_refused_and_write_nothing(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No person is called 'nobody'"):
        export(tmp_path / "out", "--person", "nobody")
    assert not (tmp_path / "out").exists()
