"""The sections of a seed file, declared once: every step of the importer and the export iterates this.

A section is a top-level key of a seed file (``sources:``, ``people:``...). Its order here is
the order records are validated, written and exported in: a record refers only to records of
the sections above it (a region to a country, an event to a treaty), so each is written after
what it names. The loader checks each record against ``record``; the validator calls
``Validator.<validate>``, the writer ``Writer.<write>``, the dry run counts ``model`` rows by
``keys``; ``seeds.export`` writes each row with ``seeds.export.<export>``; docs/seed-format.md
lists the records in this order (``seeds.importer.docs``). Adding a section is a line here and
the handlers it names; ``tests/seeds/test_sections.py`` fails when a step does not know it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.db import models
from pydantic import Field, create_model

from events.models import Event, Source, Treaty
from people.models import Organization, Person
from places.models import Country, Region
from seeds.importer.schema import (
    CountryRecord,
    EventRecord,
    OrganizationRecord,
    PersonDecisionRecord,
    PersonRecord,
    Record,
    RegionRecord,
    SourceRecord,
    TreatyRecord,
)


@dataclass(frozen=True)
class Section:
    """One top-level key of a seed file and what each step does with its records."""

    name: str  # the key in a seed file, the list in ``Plan`` and in ``seeds.export.Selection``
    record: type[Record]  # the shape of one record (seeds.importer.schema)
    model: type[models.Model] | None  # the rows a dry run counts; None: not counted
    keys: tuple[str, ...]  # the natural keys a stored row is matched on, any of them
    validate: str  # the ``seeds.importer.validate.Validator`` method checking one record
    write: str | None  # the ``seeds.importer.write.Writer`` method; None: written by the one above
    export: str | None  # the ``seeds.export`` function giving a row's record; None: rows are records

    @property
    def label(self) -> str:
        """The section's records in a sentence ("person decisions")."""
        return self.name.replace("_", " ")


SECTIONS: tuple[Section, ...] = (
    Section("sources", SourceRecord, Source, ("slug",), "_source", "_sources", "_source"),
    Section("countries", CountryRecord, Country, ("code",), "_country", "_countries", "_country"),
    Section(
        "organizations",
        OrganizationRecord,
        Organization,
        ("slug",),
        "_organization",
        "_organizations",
        "_organization",
    ),
    Section("regions", RegionRecord, Region, ("iso_code", "slug"), "_region", "_regions", "_region"),
    Section("people", PersonRecord, Person, ("slug",), "_person", "_people", "_person"),
    Section("treaties", TreatyRecord, Treaty, ("slug",), "_treaty", "_treaties", "_treaty"),
    Section("events", EventRecord, Event, ("slug",), "_event", "_events", "_event"),
    # Decisions on who is who are written with the people they name (Writer._people), and
    # ``seeds.export`` selects them as records already (they are not one row each).
    Section("person_decisions", PersonDecisionRecord, None, (), "_person_decision", None, None),
)

# Section name -> record model; the loader validates record by record so one bad
# record does not hide the others' problems.
RECORDS: dict[str, type[Record]] = {s.name: s.record for s in SECTIONS}

SeedFile = create_model(
    "SeedFile",
    __base__=Record,
    __doc__="One YAML seed file: every section is optional; records reference each other by slug or code.",
    __module__=__name__,
    gazetteer=(
        Literal["pycountry"] | None,
        Field(
            None, description="Also load every ISO 3166-1 country and ISO 3166-2 subdivision from pycountry."
        ),
    ),
    **{s.name: (list[s.record], Field(default_factory=list)) for s in SECTIONS},  # type: ignore[valid-type]
)
