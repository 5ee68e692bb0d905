"""hsg-visits: foreign leaders' visits to the United States, one Event + Visit per visitor.

A record naming two visitors ("President Andrzej Duda and Prime Minister Donald
Tusk") becomes one visit for each, both citing the record. The office in the
string goes into the visitor's participation note (dated by the visit), never
into the name. People are keyed by normalised name + country; the resolve step
(seeds.datasets.resolve) joins them to people already in Chancery.
"""

from __future__ import annotations

from collections import defaultdict

from seeds.datasets.base import DataProblem, Item, Parsed, document
from seeds.datasets.hsg import common
from seeds.datasets.hsg.common import (
    HsgDataset,
    Reading,
    citation,
    event_item,
    parsed_with_source,
    visit_kind,
)
from seeds.datasets.hsg.files import text, xml_files
from seeds.datasets.hsg.names import normalised, slug_for, split_visitors

NAME = "hsg-visits"
COMMIT = "869ca4f0e8d15521bc3c094b846e6b1d3c7d8f1d"
TITLE = "Visits by Foreign Leaders (Office of the Historian)"
URL = "https://history.state.gov/departmenthistory/visits"
HOST = "US"


class Kind(common.Kind):
    NO_VISITOR = "no visitor name"


class Visits(HsgDataset, name=NAME):
    def parse(self) -> Parsed:
        parsed = parsed_with_source(NAME, TITLE, URL, COMMIT)
        people: dict[tuple[str, str], str] = {}  # (country, normalised name) -> name as first written
        files: list[tuple[str, list[tuple[Item, str, list[tuple[str, str]]]]]] = []
        for file, root in xml_files(NAME, self.folder, ("data/",)):
            items = []
            for visit in root.iter("visit"):
                found = self._visit(file, visit, parsed.problems)
                if found is not None:
                    items.append(found)
                    _item, country, visitors = found
                    for _office, name in visitors:
                        people.setdefault(person_key(country, name), name)
            files.append((file, items))
        slugs = _slugs(people)
        person_items = [
            Item("people", {"slug": slugs[key], "name": name, "nationality": key[0]}, f"visitor {name!r}")
            for key, name in sorted(people.items(), key=lambda kv: slugs[kv[0]])
        ]
        parsed.add(document(NAME, "data/ (visitors)", person_items))
        for file, items in files:
            records = []
            for item, country, visitors in items:
                for i, (office, name) in enumerate(visitors):
                    person = slugs[person_key(country, name)]
                    # One visit per visitor of a joint record; the slug says which.
                    slug = item.values["slug"] if len(visitors) == 1 else f"{item.values['slug']}-{i + 1}"
                    values = dict(item.values)
                    values["title"] = f"{office} {name} visits the United States".strip()[:300]
                    values["slug"] = slug
                    values["visit"] = {**values["visit"], "slug": slug, "visitor": person}
                    values["participants"] = [
                        {**p, "person": person, "note": office} if p["role"] == "VISITOR" else p
                        for p in values["participants"]
                    ]
                    records.append(Item("events", values, item.record_id))
            parsed.add(document(NAME, file, records))
        return parsed

    def _visit(
        self, file: str, visit: object, problems: list[DataProblem]
    ) -> tuple[Item, str, list[tuple[str, str]]] | None:
        record_id = text(visit, "id")
        reading = Reading(NAME, file, record_id, problems)
        start, date = reading.dates(visit)
        if not date:
            reading.report(Kind.EMPTY_DATE, "start-date", "", recorded_as="not imported")
            return None
        origin = visit.find("from")  # type: ignore[attr-defined]
        slug = origin.get("id", "") if origin is not None else ""
        country = reading.country(slug, start, "from/@id", recorded_as="not imported")
        if country is None:
            return None
        visitors = split_visitors(text(visit, "visitor"))
        if not visitors:
            reading.report(Kind.NO_VISITOR, "visitor", "", recorded_as="not imported")
            return None
        description = text(visit, "description")
        item = event_item(
            slug=f"hsg-visits-{record_id}",
            title="",
            summary=description,
            date=date,
            record_id=record_id,
            cite=citation(NAME, file, record_id),
            visitor="",
            visitor_country=country,
            host=HOST,
            destinations=[],
            kind=visit_kind(description),
        )
        return item, country, visitors


def _slugs(people: dict[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    """One slug per person key: the name's slug, with the country code when two countries share it."""
    by_slug: dict[str, set[str]] = defaultdict(set)
    for country, key in people:
        by_slug[slug_for(key)].add(country)
    return {
        (country, key): slug_for(key)
        if len(by_slug[slug_for(key)]) == 1
        else f"{slug_for(key)}-{country.lower()}"
        for country, key in people
    }


def person_key(country: str, name: str) -> tuple[str, str]:
    return (country, normalised(name))
