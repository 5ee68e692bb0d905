"""The benchmark's table layout: column lists per table and the batch of rows a writer receives.

Rows are plain tuples in the column order of :data:`TABLES`; the generator
(:mod:`bench.dataset`) produces them and any :class:`bench.load.Writer` stores them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Row = tuple[Any, ...]

# Column lists per table; tests/bench/test_bench.py checks them against the models.
TABLES: dict[str, tuple[str, ...]] = {
    "places_country": (
        "id",
        "code",
        "alpha3",
        "name",
        "aliases",
        "historical",
        "founded",
        "founded_earliest",
        "founded_latest",
        "dissolved",
        "dissolved_earliest",
        "dissolved_latest",
    ),
    "places_region": (
        "id",
        "slug",
        "name",
        "kind",
        "iso_code",
        "country_id",
        "parent_id",
        "path",
        "aliases",
        "latitude",
        "longitude",
        "search_key",
    ),
    "people_person": (
        "id",
        "slug",
        "name",
        "aliases",
        "wikidata_id",
        "nationality_id",
        "born",
        "born_earliest",
        "born_latest",
        "died",
        "died_earliest",
        "died_latest",
        "note",
        "version",
        "search_key",
    ),
    "events_source": (
        "id",
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
        "published_on_latest",
        "text",
        "note",
    ),
    "events_treaty": (
        "id",
        "slug",
        "name",
        "short_name",
        "signed",
        "signed_earliest",
        "signed_latest",
        "in_force",
        "in_force_earliest",
        "in_force_latest",
        "note",
        "version",
        "alternative_name",
        "treaty_type",
        "domain",
        "subject",
        "ambit",
        "parent_id",
        "ended",
        "ended_earliest",
        "ended_latest",
        "open_ended",
    ),
    "events_treatyparty": (
        "id",
        "treaty_id",
        "country_id",
        "organization_id",
        "signatory_id",
        "signed",
        "signed_earliest",
        "signed_latest",
        "ratified",
        "ratified_earliest",
        "ratified_latest",
        "in_force",
        "in_force_earliest",
        "in_force_latest",
        "ended",
        "ended_earliest",
        "ended_latest",
        "open_ended",
        "source_code",
        "note",
    ),
    "events_treatyprovision": ("id", "treaty_id", "kind", "article", "summary"),
    "events_event": (
        "id",
        "slug",
        "kind",
        "title",
        "summary",
        "date",
        "date_earliest",
        "date_latest",
        "status",
        "treaty_id",
        "note",
        "version",
    ),
    "events_eventregion": ("id", "event_id", "region_id"),
    "events_eventcountry": ("id", "event_id", "country_id"),
    "events_participation": ("id", "event_id", "role", "person_id", "country_id", "note"),
    "events_citation": ("id", "source_id", "quote", "locator", "event_id", "treaty_id", "role_id"),
    "events_visit": (
        "id",
        "slug",
        "event_id",
        "kind",
        "visitor_id",
        "host_country_id",
        "delegation_size",
        "purpose",
        "note",
        "version",
        "event_date_earliest",
        "event_date_latest",
    ),
    "events_visitdestination": ("id", "visit_id", "region_id"),
}


@dataclass
class Batch:
    """Rows for one table, in the column order of :data:`TABLES`."""

    table: str
    rows: list[Row]

    @property
    def columns(self) -> tuple[str, ...]:
        return TABLES[self.table]


def table_order() -> Sequence[str]:
    """Return the tables in the order batches fill them (parents first)."""
    return tuple(TABLES)
