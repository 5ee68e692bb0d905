"""hsg-rdcr: a dated timeline entry of an article (``div[@type='timeline']``) against the served Event.

Checked: the date (the head's ``<date>``; where the head gives only a year, a served day
must be written in the entry's prose and, when the prose names several days of that year,
be the one of the sentence stating the head's event), the kind (from the head's wording,
where it is unambiguous), the country (the article's name, of its era) and the quotes:
the head among them, each found verbatim in the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from audit.base import NOT_FOUND, Api, ErrorKind, Record, register, squash
from audit.match import same_country
from audit.raw import XmlAudit

TEI = "{http://www.tei-c.org/ns/1.0}"
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DAY = re.compile(
    r"\b("
    + "|".join(MONTHS)
    + r")\s+(\d{1,2}),?\s+(\d{4})|\b(\d{1,2})\s+("
    + "|".join(MONTHS)
    + r"),?\s+(\d{4})"
)
# Head wording → kind, first match wins; a head matching none is not checked for its kind.
KINDS = (
    (r"re-?establish|resum", "RELATIONS_RESUMED"),
    (r"relations severed|severance of|termination of|withdrawn|withdrawal", "RELATIONS_SEVERED"),
    (r"to embassy|embassy status", "EMBASSY_ELEVATION"),
    (r"(?<!non-)recogni", "RECOGNITION"),
    (r"^establishment of diplomatic relations\b|^diplomatic relations established", "RELATIONS_ESTABLISHED"),
    (r"^establishment of consular relations", "CONSULAR_RELATIONS"),
)
# The words a sentence stating the head's event uses (for choosing among several days).
EVENT_WORDS = {
    "RELATIONS_RESUMED": r"establish|resum|restor|credentials|reopen|presented|appointed|commissioned",
    "RELATIONS_SEVERED": r"sever|broke|suspend|clos|withdr|cessation|ceased|war|left",
    "EMBASSY_ELEVATION": r"embassy|elevat|raised|ambassador",
    "RECOGNITION": r"recogni",
    "RELATIONS_ESTABLISHED": r"establish|credentials|presented|opened|appointed|commissioned",
    "CONSULAR_RELATIONS": r"consul",
}
# A full stop after these is no sentence's end ("On February 3, 1917, U.S. Minister …").
ABBREVIATION = re.compile(r"(\b[A-Z]|U\.S|Mr|Mrs|Dr|St|Gen|Jr|Sr|Lt|Col|Capt|Hon|No|Rev)\.$")


def head_kind(head: str) -> str | None:
    """The kind the head's wording states; None when it states none or several ("… and Resumption …")."""
    kinds = {k for pattern, k in KINDS if re.search(pattern, head, re.I)}
    return kinds.pop() if len(kinds) == 1 else None


def sentences(prose: str) -> list[str]:
    parts: list[str] = []
    for chunk in re.split(r"(?<=[.;])\s+(?=[A-Z])", prose):
        if parts and ABBREVIATION.search(parts[-1]):
            parts[-1] += " " + chunk
        else:
            parts.append(chunk)
    return parts


QUERY = """query($slug: String!) { event(slug: $slug) {
  kind title date { edtf earliest latest precision }
  participants { country { code name aliases } } citations { quote }
} }"""


def _text(element: Element) -> str:
    return squash("".join(element.itertext()))


def days(prose: str) -> dict[str, str]:
    """Every day written in the prose ("March 28, 1845", "28 March 1845") → the sentence naming it."""
    found: dict[str, str] = {}
    for sentence in sentences(prose):
        for m in DAY.finditer(sentence):
            month, day, year = (m[1], m[2], m[3]) if m[1] else (m[5], m[4], m[6])
            try:
                iso = date(int(year), MONTHS.index(month) + 1, int(day)).isoformat()
            except ValueError:
                continue
            found.setdefault(iso, sentence)
    return found


class RDCR(XmlAudit):
    name = "hsg-rdcr"
    prefixes = ("articles/",)
    archive = "articles.tar.xz"

    def records(self, file: str, root: Element) -> Iterator[Record]:
        slug = Path(file).stem
        title = root.find(f".//{TEI}titleStmt/{TEI}title[@type='short']")
        country = _text(title).rstrip("*").strip() if title is not None else slug
        body = root.find(f".//{TEI}body")
        if body is None:
            return
        article = squash("".join(body.itertext()))
        divs = [d for d in body.iter(f"{TEI}div") if d.get("type") == "timeline"]
        for index, div in enumerate(divs, 1):
            head = div.find(f"{TEI}head")
            when = head.find(f".//{TEI}date") if head is not None else None
            prose = " ".join(_text(c) for c in div if c.tag not in (f"{TEI}head", f"{TEI}div"))
            yield Record(
                f"{file} entry {index}",
                {
                    "slug": slug,
                    "index": index,
                    "country": country,
                    "head": _text(head) if head is not None else "",
                    "when": (when.get("when") or (_text(when) if not when.get("from") else ""))
                    if when is not None
                    else "",
                    "from": when.get("from", "") if when is not None else "",
                    "to": when.get("to", "") if when is not None else "",
                    "prose": prose,
                    "article": article,
                },
            )

    def lookup(self, client: Api, record: Record) -> dict[str, Any] | None:
        return client.query(QUERY, slug=f"rdcr-{record.fields['slug']}-{record.fields['index']}")["event"]

    def compare(self, expected: Record, got: dict[str, Any] | None) -> list[ErrorKind]:
        f = expected.fields
        if not got:
            if not f["when"] and not f["from"]:
                # No date in the head: the entry is no dated event (the import reports it).
                return []
            return [ErrorKind(NOT_FOUND, f["head"][:100])]
        errors = self._date(f, got)
        kind = head_kind(f["head"])
        if kind and got["kind"] != kind:
            errors.append(ErrorKind("kind", f"head {f['head']!r}, served {got['kind']}"))
        countries = [
            p["country"] for p in got["participants"] if p["country"] and p["country"]["code"] != "US"
        ]
        if f["slug"] != "united-states" and not any(
            same_country(c, f["country"], on=got["date"]["earliest"] or "") for c in countries
        ):
            errors.append(
                ErrorKind("country", f"article {f['country']!r}, served {[c['name'] for c in countries]}")
            )
        quotes = [squash(c["quote"]) for c in got["citations"] if c["quote"]]
        if f["head"] and squash(f["head"]) not in quotes:
            errors.append(ErrorKind("head not quoted", f"{f['head']!r}"))
        for quote in quotes:
            if quote not in f["article"]:
                errors.append(ErrorKind("quote not verbatim", quote[:120]))
        return errors

    def _date(self, f: dict[str, Any], got: dict[str, Any]) -> list[ErrorKind]:
        served = got["date"]
        if f["from"] or f["to"]:
            want = f"{f['from'] or f['when']}/{f['to']}" if f["to"] else f["from"]
            return (
                [] if served["edtf"] == want else [ErrorKind("date", f"head {want}, served {served['edtf']}")]
            )
        year = f["when"][:4]
        if len(f["when"]) > 4:
            return (
                []
                if served["edtf"] == f["when"]
                else [ErrorKind("date", f"head {f['when']}, served {served['edtf']}")]
            )
        written = days(f["prose"])
        if year:
            if (served["earliest"] or "")[:4] != year or (served["latest"] or "")[:4] != year:
                return [ErrorKind("date", f"head {year}, served {served['edtf']}")]
            written = {d: s for d, s in written.items() if d.startswith(year)}
        elif not any(served["edtf"][:4] in s for s in [f["prose"]]):
            return [
                ErrorKind("date", f"no date in the head; served {served['edtf']}, a year not in the prose")
            ]
        if served["precision"] != "DAY" or served["earliest"] != served["latest"]:
            return []  # the year (or a set of days): honest imprecision
        day = served["earliest"]
        if day not in written:
            return [ErrorKind("day not in the prose", f"served {day}; prose names {sorted(written)}")]
        kind = head_kind(f["head"])
        if len(written) > 1 and kind and not re.search(EVENT_WORDS[kind], written[day], re.I):
            return [
                ErrorKind(
                    "day guessed among several in the prose",
                    f"{f['head']!r}: served {day} from {written[day][:100]!r}",
                )
            ]
        return []


register(RDCR())
