"""hsg-administrative-timeline: a dated entry (``body/div/div``) against the served ADMINISTRATIVE Event.

Checked: the date (the head's ``<date>``: ``@when`` the day; ``@from``/``@to`` the span;
``@notBefore``/``@notAfter`` the year or month they cover, the span of whole years or months,
else one day between them), the title (the first paragraph up to its first sentence's end, not cut
after an abbreviation), the kind, the summary (the paragraphs) and the quote (the same words,
verbatim). An entry is served as ``hsg-timeline-<first day>``, ``-2``, ``-3`` for the next ones
of the same first day in file order, and its citation locator names its ``#<section> entry <n>``.
An entry whose head date cannot be read is left out of the sample: the import reports it.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date
from typing import Any
from xml.etree.ElementTree import Element

from audit.base import NOT_FOUND, Api, ErrorKind, Record, register, squash
from audit.raw import XmlAudit
from audit.tei import TEI, XML_ID, first_sentence_is, words

QUERY = """query($slug: String!) { event(slug: $slug) {
  slug kind title summary date { edtf } citations { quote locator }
} }"""


def _day(value: str | None) -> str | None:
    try:
        return date.fromisoformat(value or "").isoformat() if len(value or "") == 10 else None
    except ValueError:
        return None


def expected_date(element: Element) -> tuple[str, str] | None:
    """(EDTF, first day) the head's ``<date>`` stands for; None when it cannot be read."""
    if "when" in element.attrib:
        day = _day(element.get("when"))
        return (day, day) if day else None
    if "from" in element.attrib or "to" in element.attrib:
        start, end = _day(element.get("from")), _day(element.get("to"))
        if not start or not end or end < start:
            return None
        return (start if start == end else f"{start}/{end}", start)
    start, end = _day(element.get("notBefore")), _day(element.get("notAfter"))
    if not start or not end or end < start:
        return None
    month_end = int(end[8:]) == calendar.monthrange(int(end[:4]), int(end[5:7]))[1]
    if not (start[8:] == "01" and month_end):
        return (f"[{start}..{end}]", start)
    whole_years = start[5:] == "01-01" and end[5:] == "12-31"
    if whole_years:
        return (start[:4] if start[:4] == end[:4] else f"{start[:4]}/{end[:4]}", start)
    return (start[:7] if start[:7] == end[:7] else f"{start[:7]}/{end[:7]}", start)


class Timeline(XmlAudit):
    name = "hsg-administrative-timeline"
    prefixes = ("timeline/",)

    def records(self, file: str, root: Element) -> Iterator[Record]:
        seen: dict[str, int] = {}
        for section in root.findall(f"{TEI}text/{TEI}body/{TEI}div"):
            section_id = section.get(XML_ID) or "body"
            for index, div in enumerate(section.findall(f"{TEI}div"), start=1):
                head = div.find(f"{TEI}head")
                element = head.find(f".//{TEI}date") if head is not None else None
                dated = expected_date(element) if element is not None else None
                if dated is None:
                    continue
                seen[dated[1]] = seen.get(dated[1], 0) + 1
                number = seen[dated[1]]
                paragraphs = [t for t in (words(p) for p in div.findall(f"{TEI}p")) if t]
                record_id = f"{section_id} entry {index}"
                yield Record(
                    f"{file} #{record_id}",
                    {
                        "slug": f"hsg-timeline-{dated[1]}" + (f"-{number}" if number > 1 else ""),
                        "locator": f"{file} #{record_id} (",
                        "edtf": dated[0],
                        "label": words(head),
                        "paragraphs": paragraphs,
                    },
                )

    def lookup(self, client: Api, record: Record) -> dict[str, Any] | None:
        return client.query(QUERY, slug=record.fields["slug"])["event"]

    def compare(self, expected: Record, got: dict[str, Any] | None) -> list[ErrorKind]:
        f = expected.fields
        if not got:
            return [ErrorKind(NOT_FOUND, f"{f['slug']} ({f['label']})")]
        if not any((c["locator"] or "").startswith(f["locator"]) for c in got["citations"]):
            served = [c["locator"] for c in got["citations"]]
            return [ErrorKind("another entry at the slug", f"{f['slug']} cites {served}")]
        errors = []
        if got["kind"] != "ADMINISTRATIVE":
            errors.append(ErrorKind("kind", f"served {got['kind']}"))
        if got["date"]["edtf"] != f["edtf"]:
            errors.append(
                ErrorKind("date", f"head {f['label']!r} is {f['edtf']}, served {got['date']['edtf']}")
            )
        title = got["title"].removesuffix("…")
        first = f["paragraphs"][0] if f["paragraphs"] else f["label"]
        cut = got["title"].endswith("…") and first.startswith(title)
        if not (cut or first_sentence_is(first, title)):
            errors.append(ErrorKind("title", f"served {got['title'][:80]!r}, entry {first[:80]!r}"))
        text = squash(" ".join(f["paragraphs"]))
        if squash(got["summary"]) != text:
            errors.append(ErrorKind("summary", f"served {got['summary'][:80]!r}"))
        if not any(squash(c["quote"]) == (text or f["label"]) for c in got["citations"]):
            errors.append(ErrorKind("quote", "no citation quotes the entry's words verbatim"))
        return errors


register(Timeline())
