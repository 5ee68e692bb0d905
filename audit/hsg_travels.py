"""hsg-travels: a trip abroad (president-/secretary-travels/*.xml ``<trip>``) against the served Event.

Checked: the traveller by name, the dates, the country visited (its display name of the
time), each ``locale`` place as a destination, and the remarks.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import Element

from audit.base import NOT_FOUND, Api, ErrorKind, Record, contains_words, register, squash
from audit.match import same_country, same_person
from audit.raw import XmlAudit, journey, text

QUERY = """query($slug: String!) { event(slug: $slug) {
  slug summary date { edtf earliest latest }
  visit { visitor { name aliases } hostCountry { code name aliases } destinations { name aliases } }
} }"""


class Travels(XmlAudit):
    name = "hsg-travels"
    prefixes = ("president-travels/", "secretary-travels/")

    def records(self, file: str, root: Element) -> Iterator[Record]:
        for trip in root.iter("trip"):
            places = [p.strip() for p in text(trip, "locale").split(",") if p.strip()]
            name, remarks = text(trip, "name"), text(trip, "remarks")
            yield journey(file, trip, trip.find("country"), name=name, places=places, remarks=remarks)

    def lookup(self, client: Api, record: Record) -> dict[str, Any] | None:
        return client.query(QUERY, slug=f"hsg-travels-{record.fields['id']}")["event"]

    def compare(self, expected: Record, got: dict[str, Any] | None) -> list[ErrorKind]:
        f = expected.fields
        if not got:
            return [ErrorKind(NOT_FOUND, f"{f['name']} to {f['country']}")]
        errors = []
        visit = got["visit"] or {}
        if not same_person(f["name"], visit.get("visitor")):
            errors.append(ErrorKind("traveller name", f"raw {f['name']!r}, served {visit.get('visitor')}"))
        date = got["date"]
        if (date["earliest"], date["latest"]) != (f["start"], f["end"]):
            errors.append(ErrorKind("date", f"raw {f['start']}..{f['end']}, served {date['edtf']}"))
        if not same_country(visit.get("hostCountry"), f["country"], on=f["start"]):
            host = (visit.get("hostCountry") or {}).get("name")
            errors.append(
                ErrorKind("country", f"raw {f['country']!r} ({f['country_slug']}), served {host!r}")
            )
        served = [n for d in visit.get("destinations") or [] for n in [d["name"], *d["aliases"]]]
        for place in f["places"]:
            if not any(contains_words(n, place) or contains_words(place, n) for n in served):
                errors.append(ErrorKind("destination", f"raw {place!r}, served {served}"))
        if squash(got["summary"]) != squash(f["remarks"]):
            errors.append(ErrorKind("remarks", f"served {got['summary'][:80]!r}"))
        return errors


register(Travels())
