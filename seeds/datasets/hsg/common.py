"""What the three hsg adapters share: their Source records, locators, dates and visit records."""

from __future__ import annotations

import re
from typing import Any

from seeds.datasets.base import Item, Parsed, document

PUBLISHER = "U.S. Department of State, Office of the Historian"
LICENCE = "Public domain (U.S. government work); CC0 1.0 Universal elsewhere"
LICENCE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"
ATTRIBUTION = "Office of the Historian, U.S. Department of State (history.state.gov)"
ISO_DAY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# An identifier the Office of the Historian gives a person, shared by hsg-travels and hsg-pocom.
PERSON_SCHEME = "hsg"


def source_item(slug: str, title: str, url: str, commit: str) -> Item:
    values = {
        "slug": slug,
        "title": title,
        "publisher": PUBLISHER,
        "url": url,
        "commit": commit,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "attribution": ATTRIBUTION,
    }
    return Item("sources", values, "SOURCE.md")


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
