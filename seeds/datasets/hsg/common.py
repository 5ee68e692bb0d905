"""What the three hsg adapters share: their Source records, locators, dates and visit records."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seeds.datasets.base import DATA_FOLDER, DataProblem, Item, Parsed, document
from seeds.datasets.hsg import countries
from seeds.datasets.hsg.files import text

PUBLISHER = "U.S. Department of State, Office of the Historian"
LICENCE = "Public domain (U.S. government work); CC0 1.0 Universal elsewhere"
LICENCE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"
ATTRIBUTION = "Office of the Historian, U.S. Department of State (history.state.gov)"
ISO_DAY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# An identifier the Office of the Historian gives a person, shared by hsg-travels and hsg-pocom.
PERSON_SCHEME = "hsg"


class Kind:
    """Problem kinds the hsg adapters share; each adapter's ``Kind`` adds its own."""

    EMPTY_DATE = "empty date"
    BAD_DATE = "malformed date"
    UNKNOWN_COUNTRY = "unknown country slug"


class HsgDataset:
    """An Office of the Historian dataset: its ``name`` (``class X(HsgDataset, name=...)``) and the
    folder read, its bundled copy unless given."""

    name: str

    def __init_subclass__(cls, *, name: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if name:
            cls.name = name

    def __init__(self, *, folder: Path | None = None) -> None:
        self.folder = folder or DATA_FOLDER / self.name


@dataclass
class Reading:
    """One record of a data file being read: what is unusable in it is reported with its file and id."""

    dataset: str
    file: str
    record_id: str
    problems: list[DataProblem]

    def report(self, kind: str, field: str, value: Any, *, recorded_as: str = "unknown") -> None:
        self.problems.append(
            DataProblem(self.dataset, kind, self.file, self.record_id, field, value, recorded_as=recorded_as)
        )

    def dates(self, node: Any) -> tuple[str, str]:
        """The node's start-date and the interval to its end-date; a date missing or malformed is
        reported and left out."""
        start, end = text(node, "start-date"), text(node, "end-date")
        for field, value in (("start-date", start), ("end-date", end)):
            if not value:
                self.report(Kind.EMPTY_DATE, field, value)
            elif not ISO_DAY.match(value):
                self.report(Kind.BAD_DATE, field, value)
        start = start if ISO_DAY.match(start) else ""
        end = end if ISO_DAY.match(end) else ""
        return start, interval(start, end)

    def country(self, slug: str, day: str, field: str, *, recorded_as: str) -> str | None:
        """The ISO code of the country ``slug`` names on ``day``; None, reported, when it names none."""
        code = countries.code_for(slug, day)
        if code is None:
            self.report(Kind.UNKNOWN_COUNTRY, field, slug, recorded_as=recorded_as)
        return code


def source_item(
    slug: str, title: str, url: str, commit: str, *, text: str = "", record_id: str = "SOURCE.md"
) -> Item:
    """A Source record of the Office of the Historian: publisher and licence are theirs for every file."""
    values = {
        "slug": slug,
        "title": title,
        "publisher": PUBLISHER,
        "url": url,
        **({"text": text} if text else {}),
        "commit": commit,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "attribution": ATTRIBUTION,
    }
    return Item("sources", values, record_id)


def parsed_with_source(slug: str, title: str, url: str, commit: str) -> Parsed:
    """A parse result that starts with the dataset's one Source record."""
    parsed = Parsed()
    parsed.add(document(slug, "SOURCE.md", [source_item(slug, title, url, commit)]))
    return parsed


def citation(dataset: str, file: str, record_id: str) -> dict[str, str]:
    """The citation every imported record carries: its dataset and where in it."""
    return {"source": dataset, "locator": f"{dataset} {file} #{record_id}"}


def interval(start: str, end: str) -> str:
    """A closed EDTF interval; one day when start and end are the same day."""
    if start and end and start != end:
        return f"{start}/{end}"
    return start or end


def event_item(
    *,
    slug: str,
    title: str,
    summary: str,
    date: str,
    record_id: str,
    cite: dict[str, str],
    visitor: str,
    visitor_country: str | None,
    host: str,
    destinations: list[str],
    kind: str = "UNSPECIFIED",
    note: str = "",
    participant_note: str = "",
) -> Item:
    """A VISIT event with its Visit, as a seed file gives it."""
    participants: list[dict[str, Any]] = [
        {"role": "VISITOR", "person": visitor, "country": visitor_country, "note": participant_note[:300]},
        {"role": "HOST", "country": host},
    ]
    if visitor_country == host:
        participants = participants[:1]
    values = {
        "slug": slug,
        "kind": "VISIT",
        "title": title[:300],
        "summary": summary,
        "date": date,
        "countries": [host],
        "regions": list(destinations),
        "participants": participants,
        "citations": [cite],
        "note": note,
        "visit": {
            "slug": slug,
            "kind": kind,
            "visitor": visitor,
            "host_country": host,
            "destinations": list(destinations),
        },
    }
    return Item("events", values, record_id)


VISIT_KINDS = (
    (re.compile(r"\bstate visit\b", re.I), "STATE"),
    (re.compile(r"\bofficial working visit\b", re.I), "WORKING"),
    (re.compile(r"\bworking visit\b", re.I), "WORKING"),
    (re.compile(r"\bofficial visit\b", re.I), "OFFICIAL"),
    (re.compile(r"\b(private|informal) visit\b", re.I), "PRIVATE"),
)


def visit_kind(description: str) -> str:
    """The kind of visit the description states ("Official Working Visit."); else UNSPECIFIED."""
    for pattern, kind in VISIT_KINDS:
        if pattern.search(description):
            return kind
    return "UNSPECIFIED"


def locale_ref(country: str, name: str) -> str:
    """A destination still to be resolved to a region (seeds.datasets.resolve): 'locale:UA:Kyiv'."""
    return f"locale:{country}:{name}"
