"""Whom and where the narrative hsg sets may name with certainty: read from bundled files only.

People are the Office of the Historian's own: every hsg-pocom person file
(``people/<x>/<id>.xml``) and every president of hsg-travels' ``presidents.xml``, by the
id history.state.gov gives them (``jefferson-thomas``). The adapters write such a person
with that id as identifier (scheme ``hsg``), the one join rule 1 of
``seeds.datasets.resolve`` makes to the pocom and travels records of the same person.

Countries are the gazetteer's and the curated seed files' (names and aliases, and the
historical states' founding and dissolution). Nothing is read from the database: a
first import and a re-run must read a name the same way, or the re-run would not be
"Up to date".
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import yaml

from seeds.datasets.base import DATA_FOLDER
from seeds.datasets.hsg.common import HsgDataset
from seeds.datasets.hsg.files import parse_xml, text, xml_bytes, xml_files
from seeds.datasets.hsg.names import normalised
from seeds.importer import gazetteer
from seeds.paths import CURATED

POCOM = DATA_FOLDER / "hsg-pocom"
TRAVELS = DATA_FOLDER / "hsg-travels"
SEEDS = CURATED
SECRETARIES = "positions-principals/secretary.xml"
_YEAR = re.compile(r"^(\d{4})")


@dataclass(frozen=True)
class HsgPerson:
    id: str
    name: str
    born: str = ""
    died: str = ""

    def record(self) -> dict[str, object]:
        """The person as a seed record joined by its hsg id (the name is the pocom/travels one)."""
        return {
            "slug": self.id,
            "name": self.name,
            "identifiers": [{"scheme": "hsg", "value": self.id}],
            "nationality": "US",
            "born": self.born,
            "died": self.died,
        }

    def alive(self, first: int, last: int) -> bool:
        """Alive some time in [first, last] (an unknown birth or death does not refute it)."""
        born, died = _YEAR.match(self.born), _YEAR.match(self.died)
        return (born is None or int(born[1]) <= last) and (died is None or int(died[1]) >= first)


class HsgPeople:
    """Every person with a history.state.gov id: pocom's person files, read only when asked for.

    The archive is read once (bytes); of its 4,300 person files only those a dataset names
    are parsed, which keeps two adapters' look-ups to a second.
    """

    def __init__(self, pocom: Path, travels: Path) -> None:
        self.files: dict[str, tuple[str, bytes]] = {}
        self.secretaries: set[str] = set()
        for name, data in xml_bytes(pocom, ("people/", SECRETARIES)):
            if name == SECRETARIES:
                root = parse_xml("hsg-pocom", name, data)
                self.secretaries = {text(entry, "person-id") for entry in root.iter("principal")}
            else:
                self.files[Path(name).stem] = (name, data)
        self.presidents: dict[str, HsgPerson] = {}
        for _, root in xml_files("hsg-travels", travels, ("presidents/",)):
            for president in root.iter("president"):
                person_id = text(president, "id")
                self.presidents[person_id] = HsgPerson(
                    person_id,
                    text(president, "name") or person_id,
                    _day(text(president, "birth-year")),
                    _day(text(president, "death-year")),
                )
        self._read: dict[str, HsgPerson] = {}

    def get(self, person_id: str) -> HsgPerson | None:
        """The person of that id: pocom's record, else the president's; None when neither has it."""
        if person_id in self._read:
            return self._read[person_id]
        if person_id not in self.files:
            return self.presidents.get(person_id)
        name, data = self.files[person_id]
        root = parse_xml("hsg-pocom", name, data)
        # Named exactly as hsg-pocom's adapter names the person (no "Jr."), so that a run of this
        # dataset alone finds the same record and changes nothing of it.
        parts = [text(root, f"persName/{part}") for part in ("forename", "surname")]
        person = HsgPerson(
            person_id,
            " ".join(filter(None, parts)) or person_id,
            _day(text(root, "birth")),
            _day(text(root, "death")),
        )
        self._read[person_id] = person
        return person

    @cached_property
    def leaders(self) -> dict[str, tuple[HsgPerson, ...]]:
        """Presidents and Secretaries of State by exact name: the people a milestone article is about.

        A name of anyone else in hsg-pocom is not certain enough: its "William Clark" is a career
        ambassador, the milestones' the National Security Adviser.
        """
        by_name: dict[str, list[HsgPerson]] = defaultdict(list)
        for person_id in sorted(self.secretaries | set(self.presidents)):
            if (person := self.get(person_id)) is not None:
                by_name[normalised(person.name)].append(person)
        return {name: tuple(found) for name, found in by_name.items()}

    def leader_named(self, name: str, first: int, last: int) -> HsgPerson | None:
        """The one President or Secretary of State of that exact name alive in [first, last], else None."""
        found = [p for p in self.leaders.get(normalised(name), ()) if p.alive(first, last)]
        return found[0] if len(found) == 1 else None


class HsgNarrative(HsgDataset):
    """An Office of the Historian narrative: it names people, found in hsg-pocom's and hsg-travels' files."""

    def __init__(self, *, folder: Path | None = None, pocom: Path = POCOM, travels: Path = TRAVELS) -> None:
        super().__init__(folder=folder)
        self.pocom, self.travels = pocom, travels

    def known(self) -> HsgPeople:
        return hsg_people(self.pocom, self.travels)


@cache
def hsg_people(pocom: Path = POCOM, travels: Path = TRAVELS) -> HsgPeople:
    return HsgPeople(pocom, travels)


def _day(value: str) -> str:
    return value if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value) else ""


@dataclass(frozen=True)
class KnownCountry:
    code: str
    founded: int | None = None
    dissolved: int | None = None

    def existed(self, start: int, end: int) -> bool:
        """Some part of the years [start, end] falls in the state's own years."""
        return (self.founded is None or self.founded <= end) and (
            self.dissolved is None or self.dissolved >= start
        )


@cache
def countries_by_name() -> dict[str, tuple[KnownCountry, ...]]:
    """Every country name and alias (normalised) -> the countries so called."""
    records: dict[str, tuple[list[str], int | None, int | None]] = {}
    for code, record in gazetteer.countries().items():
        records[code] = ([record.name or "", *record.aliases], None, None)
    for path in sorted(SEEDS.glob("*.yaml")):
        # Only the countries section; the importer validates these files itself.
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for record in data.get("countries") or []:
            code = str(record.get("code"))
            names, founded, dissolved = records.get(code, ([], None, None))
            names = [*names, str(record.get("name") or ""), *(str(a) for a in record.get("aliases") or [])]
            records[code] = (
                names,
                _year(record.get("founded")) or founded,
                _year(record.get("dissolved")) or dissolved,
            )
    by_name: dict[str, set[KnownCountry]] = defaultdict(set)
    for code, (names, founded, dissolved) in records.items():
        for name in names:
            if name:
                by_name[normalised(name)].add(KnownCountry(code, founded, dissolved))
    return {name: tuple(sorted(found, key=lambda c: c.code)) for name, found in by_name.items()}


def _year(value: object) -> int | None:
    found = _YEAR.match(str(value or ""))
    return int(found[1]) if found else None


def country_named(name: str, start: int, end: int) -> str | None:
    """The one country of that exact name or alias that existed in [start, end]; None otherwise."""
    found = [c for c in countries_by_name().get(normalised(name), ()) if c.existed(start, end)]
    return found[0].code if len(found) == 1 else None
