"""hsg-milestones: an article (``body/div`` of an era's chapter) against the served MILESTONE Event.

Served as ``hsg-milestones-<era>-<article id>``. Checked: the title (the head), the kind, the
quote (the head, verbatim), the summary (the paragraphs, cut with "…" only at the summary
limit) and the date. With a ``<date>`` in the head carrying years (``@when``, ``@from``/``@to``)
the date is the words it reads when they are a year, a span ("1794–95", "1775–1795") or a
decade ("1930s"), else its attributes. Without one, the served years must be years the head
writes (its first and last), or the era's years when the head writes none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from audit.base import NOT_FOUND, Api, ErrorKind, Record, register, squash
from audit.raw import XmlAudit
from audit.tei import TEI, XML_ID, words

QUERY = """query($slug: String!) { event(slug: $slug) {
  slug kind title summary date { edtf earliest latest } citations { quote locator }
} }"""
YEAR = re.compile(r"\b(1[789]\d\d|20\d\d)\b")


def span(first: str, last: str) -> str:
    return first if first == last else f"{first}/{last}"


def read_words(said: str) -> str | None:
    """The EDTF of a head date's words: "1819", "1794–95", "1775–1795", "1930s"; None otherwise."""
    if re.fullmatch(r"\d{4}", said):
        return said
    if found := re.fullmatch(r"(\d{4})\s*[–-]\s*(\d{2}|\d{4})", said):
        return span(found[1], found[1][: 4 - len(found[2])] + found[2])
    if found := re.fullmatch(r"(\d{3})0s", said):
        return f"{found[1]}0/{found[1]}9"
    return None


def slugify(value: str) -> str:
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", value.lower())).strip("-_")


class Milestones(XmlAudit):
    name = "hsg-milestones"
    prefixes = ("chapters/",)

    def records(self, file: str, root: Element) -> Iterator[Record]:
        era = Path(file).stem
        for div in root.findall(f"{TEI}text/{TEI}body/{TEI}div"):
            head = div.find(f"{TEI}head")
            article = div.get(XML_ID, "")
            if not article or not words(head):
                continue  # the import reports it and leaves it out
            assert head is not None
            element = head.find(f".//{TEI}date")
            attrs = {k: element.get(k, "") for k in ("when", "from", "to")} if element is not None else {}
            paragraphs = [t for t in (words(p) for p in div.findall(f".//{TEI}p")) if t]
            yield Record(
                f"{file} #{article}",
                {
                    "slug": slugify(f"hsg-milestones-{era}-{article}"),
                    "era": era.split("-"),
                    "head": words(head),
                    "date_words": words(element) if element is not None else "",
                    "attrs": attrs,
                    "summary": "\n\n".join(paragraphs),
                },
            )

    def lookup(self, client: Api, record: Record) -> dict[str, Any] | None:
        return client.query(QUERY, slug=record.fields["slug"])["event"]

    def date_errors(self, f: dict[str, Any], got: dict[str, Any]) -> list[ErrorKind]:
        attrs = {k: v for k, v in f["attrs"].items() if v}
        served = got["date"]
        if attrs:
            when, start, end = attrs.get("when"), attrs.get("from"), attrs.get("to")
            expected = read_words(f["date_words"].rstrip(",. ")) or (
                when or span(start or end or "", end or start or "")
            )
            if served["edtf"] != expected:
                return [ErrorKind("date", f"head {f['head']!r}: {expected}, served {served['edtf']}")]
            return []
        years = YEAR.findall(f["head"]) or f["era"]
        first, last = (served["earliest"] or "")[:4], (served["latest"] or "")[:4]
        if first not in years or (last not in years and not re.search(rf"[–-]\s*{last[2:]}\b", f["head"])):
            return [
                ErrorKind(
                    "date (head without a date element)", f"head {f['head']!r}, served {served['edtf']}"
                )
            ]
        return []

    def compare(self, expected: Record, got: dict[str, Any] | None) -> list[ErrorKind]:
        f = expected.fields
        if not got:
            return [ErrorKind(NOT_FOUND, f"{f['slug']} ({f['head']})")]
        errors = []
        if got["kind"] != "MILESTONE":
            errors.append(ErrorKind("kind", f"served {got['kind']}"))
        if got["title"] != f["head"][:300]:
            errors.append(ErrorKind("title", f"head {f['head'][:80]!r}, served {got['title'][:80]!r}"))
        if not any(c["quote"] == f["head"] for c in got["citations"]):
            errors.append(ErrorKind("quote", f"no citation quotes the head {f['head'][:80]!r}"))
        summary = got["summary"]
        whole = summary == f["summary"]
        cut = summary.endswith("…") and f["summary"].startswith(summary[:-1]) and len(summary) > 1000
        if not (whole or cut or squash(summary) == squash(f["summary"])):
            errors.append(ErrorKind("summary", f"served {summary[:80]!r}"))
        return errors + self.date_errors(f, got)


register(Milestones())
