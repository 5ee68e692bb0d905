"""hsg-visits: a foreign leader's visit (data/<decade>.xml ``<visit>``) against the served Event and Visit.

Checked: every visitor of the record by name, the dates, the visitor's country, the host
(the United States) and the description. A record naming two leaders ("President X and
Prime Minister Y") is served as one visit each (``hsg-visits-<id>-1``, ``-2``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import Element

from audit.base import NOT_FOUND, Api, ErrorKind, Record, fold, register, squash
from audit.match import same_country, same_person
from audit.raw import XmlAudit, journey, text

# Words of an office in front of a name ("Prime Minister", "King", "President-elect"): read off
# the raw visitor strings, so what is left is the name a researcher would look for.
OFFICE_WORDS = set(
    [
        "president",
        "elect",
        "vice",
        "prime",
        "minister",
        "premier",
        "deputy",
        "first",
        "acting",
        "interim",
        "provisional",
        "chancellor",
        "king",
        "queen",
        "crown",
        "prince",
        "princess",
        "grand",
        "duke",
        "duchess",
        "hereditary",
        "emperor",
        "empress",
        "shah",
        "sultan",
        "amir",
        "emir",
        "pope",
        "governor",
        "general",
        "chairman",
        "chairwoman",
        "secretary",
        "foreign",
        "chief",
        "of",
        "state",
        "head",
        "regent",
        "generalissimo",
        "taoiseach",
        "his",
        "her",
        "majesty",
        "royal",
        "highness",
        "sheikh",
        "field",
        "marshal",
    ]
)
# A served name beginning so still carries (part of) an office: "elect Gerhard Schroeder".
# Not Shah, Amir, Prince or Sheikh: they begin names too (Amir-Abbas Hoveyda, Shah Mahmud).
OFFICE_LEFT = {
    "elect",
    "of",
    "the",
    "president",
    "prime",
    "minister",
    "premier",
    "chancellor",
    "vice",
    "deputy",
}
QUERY = """query($slug: String!) { event(slug: $slug) {
  slug summary date { edtf earliest latest }
  visit { visitor { name aliases } hostCountry { code name aliases } }
  participants { role person { name aliases } country { code name aliases } }
} }"""


def visitors(raw: str) -> list[str]:
    """The names of a visitor string: split at " and " where an office follows, offices dropped."""
    parts = re.split(r"\s+(?:and|&)\s+|;\s*", raw)
    names: list[str] = []
    for part in parts:
        words = fold(part).split()
        offices_only = names and all(w in OFFICE_WORDS for w in fold(names[-1]).split())
        if names and (offices_only or not words or words[0] not in OFFICE_WORDS):
            # "Prime Minister and Mrs. Kishi", "Premier and Prince Sihanouk": one visitor.
            names[-1] += f" and {part}"
            continue
        names.append(part)
    result = []
    for name in names:
        words = fold(name).split()
        while len(words) > 1 and words[0] in OFFICE_WORDS:
            words.pop(0)
        result.append(" ".join(words))
    return result


class Visits(XmlAudit):
    name = "hsg-visits"
    prefixes = ("data/",)

    def records(self, file: str, root: Element) -> Iterator[Record]:
        for visit in root.iter("visit"):
            visitor, description = text(visit, "visitor"), text(visit, "description")
            yield journey(file, visit, visit.find("from"), visitor=visitor, description=description)

    def lookup(self, client: Api, record: Record) -> list[dict[str, Any]]:
        base = f"hsg-visits-{record.fields['id']}"
        one = client.query(QUERY, slug=base)["event"]
        if one:
            return [one]
        found = []
        for i in range(1, 10):
            event = client.query(QUERY, slug=f"{base}-{i}")["event"]
            if not event:
                break
            found.append(event)
        return found

    def compare(self, expected: Record, got: list[dict[str, Any]]) -> list[ErrorKind]:
        f = expected.fields
        if not got:
            return [ErrorKind(NOT_FOUND, f"visitor {f['visitor']!r}")]
        errors = []
        names = visitors(f["visitor"])
        if len(names) != len(got):
            errors.append(
                ErrorKind("visitors split wrong", f"{f['visitor']!r} served as {len(got)} visit(s)")
            )
        for name in names:
            if not any(same_person(name, e["visit"]["visitor"] if e["visit"] else None) for e in got):
                served = [e["visit"]["visitor"]["name"] for e in got if e["visit"]]
                errors.append(ErrorKind("visitor name", f"raw {f['visitor']!r}, served {served}"))
        for event in got:
            served_name = ((event["visit"] or {}).get("visitor") or {}).get("name") or ""
            if not served_name[:1].isalpha() or fold(served_name).split()[0] in OFFICE_LEFT:
                errors.append(ErrorKind("visitor name holds an office", f"served {served_name!r}"))
            date = event["date"]
            if (date["earliest"], date["latest"]) != (f["start"], f["end"]):
                errors.append(ErrorKind("date", f"raw {f['start']}..{f['end']}, served {date['edtf']}"))
            if squash(event["summary"]) != squash(f["description"]):
                errors.append(ErrorKind("description", f"served {event['summary'][:80]!r}"))
            visit = event["visit"] or {}
            if (visit.get("hostCountry") or {}).get("code") != "US":
                errors.append(ErrorKind("host country", f"served {visit.get('hostCountry')}"))
            countries = [
                p["country"] for p in event["participants"] if p["role"] == "VISITOR" and p["country"]
            ]
            if not any(same_country(c, f["country"], on=f["start"]) for c in countries):
                errors.append(
                    ErrorKind(
                        "visitor's country",
                        f"raw {f['country']!r} ({f['country_slug']}), "
                        f"served {[c['name'] for c in countries]}",
                    )
                )
        return errors


register(Visits())
