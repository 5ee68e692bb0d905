"""hsg-travels: trips abroad of U.S. Presidents and Secretaries of State, and presidents' terms.

Each trip (one per country of a tour) is a VISIT event with its Visit: the
traveller, the host country of the era (a 1973 trip to ``russia`` named
"U.S.S.R." is the Soviet Union's), the ``locale`` places as destinations (the
resolve step finds or adds each as a region of that country) and the remarks
as summary. People carry their hsg id (``who``) as an identifier, which joins
them to hsg-pocom's. Presidents' terms (presidents/presidents.xml) become
President roles.
"""

from __future__ import annotations

from typing import Any

from seeds.datasets.base import DataProblem, Item, Parsed, document
from seeds.datasets.hsg import common
from seeds.datasets.hsg.common import (
    ISO_DAY,
    PERSON_SCHEME,
    HsgDataset,
    Reading,
    citation,
    event_item,
    locale_ref,
    parsed_with_source,
)
from seeds.datasets.hsg.files import text, xml_files

NAME = "hsg-travels"
COMMIT = "3170c773f22c99dadc8ec93da070f8ff6259d6d8"
TITLE = "Travels of the President and the Secretary of State (Office of the Historian)"
URL = "https://history.state.gov/departmenthistory/travels"
US = "US"
OFFICES = {"president": "President", "secretary": "Secretary of State"}


Kind = common.Kind  # the shared kinds are all this adapter reports


class Travels(HsgDataset, name=NAME):
    def parse(self) -> Parsed:
        parsed = parsed_with_source(NAME, TITLE, URL, COMMIT)
        people: dict[str, dict[str, Any]] = {}
        for file, root in xml_files(NAME, self.folder, ("presidents/",)):
            for president in root.iter("president"):
                self._president(file, president, people, parsed.problems)
        for file, root in xml_files(NAME, self.folder, ("president-travels/", "secretary-travels/")):
            items = []
            for trip in root.iter("trip"):
                item = self._trip(file, trip, people, parsed.problems)
                if item is not None:
                    items.append(item)
            parsed.add(document(NAME, file, items))
        person_items = [Item("people", values, slug) for slug, values in sorted(people.items())]
        # People first: the trips refer to them (order within a run does not matter to validation).
        parsed.documents.insert(1, document(NAME, "people", person_items)[0])
        return parsed

    def _president(
        self, file: str, president: Any, people: dict[str, dict[str, Any]], problems: list[DataProblem]
    ) -> None:
        slug = text(president, "id")
        record_id = president.get("n", slug)
        start, end = text(president, "took-office-date"), text(president, "left-office-date")
        for field, value in (("took-office-date", start), ("left-office-date", end)):
            if value and not ISO_DAY.match(value):
                problems.append(DataProblem(NAME, Kind.BAD_DATE, file, record_id, field, value))
        role = {
            "title": "President",
            "country": US,
            "start": start if ISO_DAY.match(start) else "",
            "end": end if ISO_DAY.match(end) else "",
            "citations": [citation(NAME, file, record_id)],
        }
        if not role["end"]:
            # The list was crawled in 2011: an empty end is not "still in office".
            role["note"] = "presidents.xml gives no end of this term (the list dates from 2011)."
        person = _person(people, slug, text(president, "name"))
        born, died = text(president, "birth-year"), text(president, "death-year")
        person["born"] = born if ISO_DAY.match(born) else ""
        person["died"] = died if ISO_DAY.match(died) else ""
        person["roles"].append(role)

    def _trip(
        self, file: str, trip: Any, people: dict[str, dict[str, Any]], problems: list[DataProblem]
    ) -> Item | None:
        record_id = text(trip, "id")
        who = trip.get("who", "")
        office = OFFICES.get(trip.get("role", ""), "")
        reading = Reading(NAME, file, record_id, problems)
        start, date = reading.dates(trip)
        if not date:
            return None
        country_el = trip.find("country")
        slug = country_el.get("id", "") if country_el is not None else ""
        shown = " ".join((country_el.text or "").split()) if country_el is not None else ""
        host = reading.country(slug, start, "country/@id", recorded_as="not imported")
        if host is None:
            return None
        name = text(trip, "name")
        _person(people, who, name)
        locale = text(trip, "locale")
        places = [p.strip() for p in locale.split(",") if p.strip()]
        destinations = [locale_ref(host, p) for p in places]
        where = f"{shown} ({locale})" if locale else shown
        return event_item(
            slug=f"hsg-travels-{record_id}",
            title=f"{office} {name} in {where}".strip(),
            summary=text(trip, "remarks"),
            date=date,
            record_id=record_id,
            cite=citation(NAME, file, record_id),
            visitor=who,
            visitor_country=US,
            host=host,
            destinations=list(dict.fromkeys(destinations)),
            participant_note=office,
        )


def _person(people: dict[str, dict[str, Any]], slug: str, name: str) -> dict[str, Any]:
    person = people.get(slug)
    if person is None:
        person = people[slug] = {
            "slug": slug,
            "name": name or slug,
            "aliases": [],
            "identifiers": [{"scheme": PERSON_SCHEME, "value": slug}],
            "nationality": US,
            "roles": [],
        }
    elif name and name != person["name"] and name not in person["aliases"]:
        person["aliases"].append(name)
    return person
