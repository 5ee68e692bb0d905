"""hsg-pocom: U.S. chiefs of mission and principal officers as Roles of their people.

A chief of mission's role is the United States' office (``country`` US) held
in a country (``post_country``, the state of the era: a 1975 chief in
``czechoslovakia-1993`` is Czechoslovakia's) or at an organisation
(``post_organization``); its title is the role title's singular name
(roles-country-chiefs/) or the organisation mission's. Start is the day the
chief started (credentials presented); when only the appointment is dated,
the start is "on or after" it (EDTF ``[1953-04-08..]``), never the
appointment itself. An empty end is "end unknown" (the data does not say a
chief is still at post). The notes beside each date become the role's note.
A record listed among ``<other-nominees>`` / ``<other-appointees>`` is kept with
the outcome its note gives (declined, withdrawn...: ``hsg.outcomes``), so it is
listed but never counted as held. Eleven ids are shared by two records: both
are kept when their keys differ, and the collision is reported.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from seeds.datasets.base import DataProblem, Item, Parsed, document
from seeds.datasets.hsg import common, outcomes
from seeds.datasets.hsg.common import (
    ISO_DAY,
    PERSON_SCHEME,
    HsgDataset,
    Reading,
    citation,
    parsed_with_source,
)
from seeds.datasets.hsg.files import text, xml_files

NAME = "hsg-pocom"
COMMIT = "44d2226df6b26f8f5807215ec40e3a6c4d706bbb"
TITLE = "Principal Officers and Chiefs of Mission (Office of the Historian)"
URL = "https://history.state.gov/departmenthistory/people/principals-chiefs"
US = "US"
# Organisation missions -> organisation slugs (seeds/curated/organizations.yaml); None: not an organisation.
ORGANIZATIONS: dict[str, str | None] = {
    "representative-to-asean": "asean",
    "representative-to-au": "au",
    "representative-to-eu": "eu",
    "representative-to-iaea": "iaea",
    "representative-to-icao": "icao",
    "representative-to-nato": "nato",
    "representative-to-oas": "oas",
    "representative-to-oecd": "oecd",
    "representative-to-osce": "osce",
    "representative-to-un": "un",
    "representative-to-unafa": "fao",
    "representative-to-unesco": "unesco",
    "representative-to-unido": "unido",
    "representative-to-usoarn": None,  # a U.S. office, not an organisation
    "representative-uneo": "un",
    "representative-unvo": "un",
}


class Kind(common.Kind):
    UNKNOWN_PERSON = "unknown person id"
    UNKNOWN_TITLE = "unknown role title id"
    DUPLICATE = "duplicate record"
    ID_COLLISION = "record id shared by two records"
    UNKNOWN_ORGANIZATION = "mission without an organisation record"


class Pocom(HsgDataset, name=NAME):
    def parse(self) -> Parsed:
        parsed = parsed_with_source(NAME, TITLE, URL, COMMIT)
        problems = parsed.problems
        titles: dict[str, str] = {}
        people: dict[str, dict[str, Any]] = {}
        person_files: dict[str, str] = {}
        missions: list[tuple[str, Element]] = []
        for file, root in xml_files(NAME, self.folder, ("roles-country-chiefs/", "people/")):
            if file.startswith("roles-country-chiefs/"):
                titles[text(root, "id")] = text(root, "names/singular")
            else:
                person_id = text(root, "id")
                people[person_id] = _person(root)
                person_files[person_id] = file
        for file, root in xml_files(
            NAME, self.folder, ("missions-countries/", "missions-orgs/", "positions-principals/")
        ):
            missions.append((file, root))
        roles: dict[str, list[dict[str, Any]]] = {}
        seen: dict[tuple[Any, ...], tuple[str, dict[str, Any]]] = {}
        ids: set[tuple[str, str]] = set()  # principals' ids repeat across offices' files
        for file, root in missions:
            territory = text(root, "territory-id")
            org_mission = root.tag == "org-mission"
            position = root.tag == "principal-position"
            own_title = text(root, "names/singular") if (org_mission or position) else ""
            organization = ORGANIZATIONS.get(text(root, "id")) if org_mission else None
            for listed_in, entry in _entries(root, "principal" if position else "chief"):
                record_id = text(entry, "id")
                person_id = text(entry, "person-id")
                if (file, record_id) in ids:
                    # Eleven ids are shared by two different records (Barnebey's chargé and
                    # ambassador terms in Belize): both are real, told apart by their keys below.
                    problems.append(
                        DataProblem(
                            NAME,
                            Kind.ID_COLLISION,
                            file,
                            record_id,
                            "id",
                            record_id,
                            recorded_as="both kept when they differ",
                        )
                    )
                ids.add((file, record_id))
                if person_id not in people:
                    problems.append(
                        DataProblem(
                            NAME,
                            Kind.UNKNOWN_PERSON,
                            file,
                            record_id,
                            "person-id",
                            person_id,
                            recorded_as="not imported",
                        )
                    )
                    continue
                role = _role(file, entry, record_id, problems, listed_in)
                title = own_title or titles.get(text(entry, "role-title-id"), "")
                if not title:
                    problems.append(
                        DataProblem(
                            NAME,
                            Kind.UNKNOWN_TITLE,
                            file,
                            record_id,
                            "role-title-id",
                            text(entry, "role-title-id"),
                            recorded_as="not imported",
                        )
                    )
                    continue
                role["title"] = title[:200]
                role["country"] = US
                if org_mission:
                    role["post_organization"] = organization
                    if organization is None:
                        role["note"] = "; ".join(filter(None, [role["note"], f"Held at: {own_title}."]))
                elif not position:
                    slug = text(entry, "contemporary-territory-id") or territory
                    day = (role["start"] or role["_appointed"])[:10]
                    reading = Reading(NAME, file, record_id, problems)
                    field = "contemporary-territory-id"
                    role["post_country"] = reading.country(slug, day, field, recorded_as="post unknown")
                role.pop("_appointed")
                key = (
                    person_id,
                    role["title"],
                    role.get("post_country"),
                    role.get("post_organization"),
                    role["start"],
                )
                if key in seen:
                    first_id, first = seen[key]
                    # A second record of the same term that only adds what the first left
                    # empty (John R. Bass's end in Turkey) completes it; anything else is kept
                    # as the first record says.
                    fuller = all(role.get(k) == v for k, v in first.items() if v and k != "citations")
                    if fuller:
                        first.update({k: v for k, v in role.items() if v})
                    problems.append(
                        DataProblem(
                            NAME,
                            Kind.DUPLICATE,
                            file,
                            record_id,
                            "",
                            f"same office and start as #{first_id}",
                            recorded_as="merged: the fuller record kept" if fuller else "second skipped",
                        )
                    )
                    continue
                seen[key] = (record_id, role)
                role["citations"] = [citation(NAME, file, record_id)]
                roles.setdefault(person_id, []).append(role)
        items = []
        for person_id in sorted(roles):
            values = {**people[person_id], "roles": roles[person_id]}
            items.append(Item("people", values, person_id))
        parsed.add(document(NAME, "people/", items))
        return parsed


def _person(root: Element) -> dict[str, Any]:
    person_id = text(root, "id")
    forename, surname = text(root, "persName/forename"), text(root, "persName/surname")
    name = " ".join(filter(None, [forename, surname])) or person_id
    aliases = [a for a in [text(root, "persName/altname")] if a and a != name]
    birth, death = text(root, "birth"), text(root, "death")
    return {
        "slug": person_id,
        "name": name,
        "aliases": aliases,
        "identifiers": [{"scheme": PERSON_SCHEME, "value": person_id}],
        "nationality": US,
        "born": birth if ISO_DAY.match(birth) else "",
        "died": death if ISO_DAY.match(death) else "",
    }


def _entries(root: Element, tag: str) -> list[tuple[str, Element]]:
    """Return each ``tag`` record with the list it sits in (chiefs, other-nominees...)."""
    return [(listing.tag, entry) for listing in root for entry in listing.iter(tag)]


def _role(
    file: str, entry: Element, record_id: str, problems: list[DataProblem], listed_in: str
) -> dict[str, Any]:
    dates = {}
    notes = []
    for step in ("appointed", "arrived", "started", "ended"):
        value = text(entry, f"{step}/date")
        if value and not ISO_DAY.match(value):
            problems.append(DataProblem(NAME, Kind.BAD_DATE, file, record_id, f"{step}/date", value))
            value = ""
        dates[step] = value
        note = text(entry, f"{step}/note")
        if note:
            notes.append(f"{step.capitalize()}: {note}" + (f" {value}" if value else " (no date)"))
    if text(entry, "note"):
        notes.append(text(entry, "note"))
    served, added = outcomes.outcome(
        listed_in=listed_in, note=" ".join(notes), started=dates["started"], ended=dates["ended"]
    )
    if added:
        notes.append(added)
    start = dates["started"]
    if not start and dates["appointed"] and len(dates["appointed"]) == 10:
        start = f"[{dates['appointed']}..]"  # started on or after the appointment, day unknown
    return {
        "start": start,
        "end": dates["ended"],
        "note": " ".join(notes),
        "outcome": served.value,
        "_appointed": dates["appointed"],
    }
