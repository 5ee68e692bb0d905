"""hsg-milestones: one MILESTONE event per narrative article on U.S. foreign relations, 1750–2000.

Each era file (``chapters/1784-1800.xml``) is a Source holding its text; each article
(``body/div[@type='section']``) an event titled by its head, its text the summary (so
it is searchable), its head cited verbatim. The date is the head's, at the precision it
gives (``article_date``). A ``persName`` is linked to a person, and a ``placeName`` to a
country, only when exactly one of the Office of the Historian's people or one country
bears that exact name in the article's years (``known``); any other stays text.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from core import limits
from core.fuzzydates import FuzzyDate
from seeds.datasets.base import DataProblem, DatasetError, Item, Parsed, document
from seeds.datasets.hsg.common import source_item
from seeds.datasets.hsg.files import xml_files
from seeds.datasets.hsg.known import HsgNarrative, HsgPeople, country_named
from seeds.datasets.hsg.tei import TEI, XML_ID, file_text, text_of, title_of

NAME = "hsg-milestones"
COMMIT = "d0a1f8c9fd2bb6af8efd45eead38e7524ad98169"
URL = "https://history.state.gov/milestones"
_ERA = re.compile(r"(\d{4})-(\d{4})$")
_MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}
_MONTH = "|".join(_MONTHS)
_YEAR_RANGE = re.compile(r"^(\d{4})\s*[–-]\s*(\d{2}|\d{4})$")
_DECADE = re.compile(r"^(\d{3})0s$")
# A head's closing date written out: ", 1948–1949", " (1945–1948)", ", October 1962",
# ", April 1961–October 1962", " of 1982"; years 1700–2099 only.
_HEAD_TAIL = re.compile(
    rf"(?:,|\(|\bof|\bin the)\s*(?:(?P<m1>{_MONTH})\s+)?(?P<y1>1[789]\d\d|20\d\d)"
    rf"(?:\s*[–-]\s*(?:(?P<m2>{_MONTH})\s+)?(?P<y2>1[789]\d\d|20\d\d|\d\d))?(?P<s>s)?\)?\s*$"
)
_HEAD_DAY = re.compile(rf"\b({_MONTH}) (\d{{1,2}}), (1[789]\d\d|20\d\d)\b")
_ANY_YEAR = re.compile(r"\b(1[789]\d\d|20\d\d)\b")


class Kind:
    BAD_DATE = "malformed date"
    NO_ID = "article without an id"


class BadDate(ValueError):
    pass


@dataclass(frozen=True)
class ArticleDate:
    edtf: str
    first: int  # the years it spans, for linking names of that time
    last: int
    note: str = ""


def _full_year(first: str, last: str) -> str:
    return first[: 4 - len(last)] + last


def _span(first: str, last: str) -> str:
    return first if first == last else f"{first}/{last}"


def _valid(edtf: str) -> str:
    try:
        FuzzyDate.parse(edtf)
    except ValidationError:
        raise BadDate(edtf) from None
    return edtf


def _from_words(words: str) -> tuple[str, int, int] | None:
    """A date written as the head writes it: "1794–95", "1930s", "1819"."""
    if re.fullmatch(r"\d{4}", words):
        return words, int(words), int(words)
    if found := _YEAR_RANGE.match(words):
        last = _full_year(found[1], found[2])
        return _span(found[1], last), int(found[1]), int(last)
    if found := _DECADE.match(words):
        return f"{found[1]}0/{found[1]}9", int(found[1] + "0"), int(found[1] + "9")
    return None


def _from_tail(head: str) -> tuple[str, int, int] | None:
    found = _HEAD_TAIL.search(head)
    if found is None:
        return None
    y1 = found["y1"]
    y2 = _full_year(y1, found["y2"]) if found["y2"] else y1
    if found["s"] and not found["y2"] and y1.endswith("0"):
        return f"{y1}/{y1[:3]}9", int(y1), int(y1[:3] + "9")
    start = f"{y1}-{_MONTHS[found['m1']]:02d}" if found["m1"] else y1
    end = (
        f"{y2}-{_MONTHS[found['m2']]:02d}"
        if found["m2"]
        else (y2 if found["y2"] or not found["m1"] else start)
    )
    if found["m1"] and found["y2"] and not found["m2"]:
        end = y2
    return _span(start, end), int(y1), int(y2)


def article_date(head: Element, head_text: str, era: tuple[int, int]) -> ArticleDate:
    """The article's date: the head's ``<date>``, its words, or the era's years (noted)."""
    date = head.find(f".//{TEI}date")
    if date is not None:
        words = text_of(date)
        when, start, end = date.get("when", ""), date.get("from", ""), date.get("to", "")
        if when or start or end:
            for value in (when, start, end):
                if value and not re.fullmatch(r"\d{4}", value):
                    raise BadDate(value)
            read = _from_words(words)
            attrs = (
                (when, int(when), int(when))
                if when
                else (_span(start or end, end or start), int(start or end), int(end or start))
            )
            if read is not None and read[0] != attrs[0]:
                # "John Jay’s Treaty, <date when="1794">1794–95</date>": the words are the head's
                # claim; the attribute keeps only a year of it.
                said = when or f"{start}–{end}"
                note = f"The head's date reads “{words}”; its attribute says {said}: dated as the words."
                return ArticleDate(_valid(read[0]), read[1], read[2], note)
            return ArticleDate(_valid(attrs[0]), attrs[1], attrs[2])
    if (read := _from_tail(head_text)) is not None:
        return ArticleDate(
            _valid(read[0]), read[1], read[2], "The head gives its years in words, without a date element."
        )
    if day := _HEAD_DAY.search(head_text):
        # "The August 17, 1982 U.S.-China Communiqué": the head names the day.
        edtf = f"{day[3]}-{_MONTHS[day[1]]:02d}-{int(day[2]):02d}"
        return ArticleDate(
            _valid(edtf), int(day[3]), int(day[3]), "The head names the day, without a date element."
        )
    years = set(_ANY_YEAR.findall(head_text))
    if len(years) == 1:
        # "The 1973 Arab-Israeli War": the one year the head names.
        year = years.pop()
        return ArticleDate(
            _valid(year), int(year), int(year), "The head names one year, without a date element."
        )
    first, last = era
    note = f"The head gives no date: dated by its chapter's era, {first}–{last}."
    return ArticleDate(_valid(f"{first}/{last}"), first, last, note)


class Milestones(HsgNarrative, name=NAME):
    def parse(self) -> Parsed:
        parsed = Parsed()
        known = self.known()
        for file, root in xml_files(NAME, self.folder, ("chapters/",)):
            body = root.find(f"{TEI}text/{TEI}body")
            era = _ERA.search(Path(file).stem)
            if root.tag != f"{TEI}TEI" or body is None or era is None:
                raise DatasetError(NAME, file, None, "not a TEI chapter named by its era (1784-1800.xml)")
            title = title_of(root) or f"Milestones: {era[1]}–{era[2]}"
            slug = f"{NAME}-{Path(file).stem}"
            url, text = f"{URL}/{Path(file).stem}", file_text(root, title=title)
            source = source_item(slug, title, url, COMMIT, text=text, record_id=Path(file).stem)
            items, people = [source], {}
            for div in body.findall(f"{TEI}div"):
                item = self._article(file, div, slug, (int(era[1]), int(era[2])), known, people, parsed)
                if item is not None:
                    items.append(item)
            items[1:1] = [Item("people", p.record(), p.id) for p in people.values()]
            parsed.add(document(NAME, file, items))
        return parsed

    def _article(
        self,
        file: str,
        div: Element,
        source: str,
        era: tuple[int, int],
        known: HsgPeople,
        people: dict[str, Any],
        parsed: Parsed,
    ) -> Item | None:
        article_id = div.get(XML_ID, "")
        head = div.find(f"{TEI}head")
        head_text = text_of(head) if head is not None else ""
        if not article_id or head is None or not head_text:
            parsed.problems.append(
                DataProblem(
                    NAME, Kind.NO_ID, file, article_id, "@xml:id", head_text, recorded_as="not imported"
                )
            )
            return None
        try:
            dated = article_date(head, head_text, era)
        except BadDate as error:
            parsed.problems.append(
                DataProblem(
                    NAME, Kind.BAD_DATE, file, article_id, "head/date", str(error), recorded_as="not imported"
                )
            )
            return None
        paragraphs = [t for t in (text_of(p) for p in div.findall(f".//{TEI}p")) if t]
        summary = "\n\n".join(paragraphs)
        summary_limit = limits.TEXT_LIMITS["summary"]
        participants: list[dict[str, Any]] = []
        for name in dict.fromkeys(text_of(p) for p in div.iter(f"{TEI}persName")):
            person = known.leader_named(name, dated.first, dated.last)
            if person is not None and all(p["person"] != person.id for p in participants):
                people[person.id] = person
                participants.append({"role": "SUBJECT", "person": person.id})
        countries = []
        for name in dict.fromkeys(text_of(p) for p in div.iter(f"{TEI}placeName")):
            code = country_named(name, dated.first, dated.last)
            if code is not None and code not in countries:
                countries.append(code)
        values = {
            # As history.state.gov addresses it (/milestones/1784-1800/jay-treaty): ids repeat across eras.
            "slug": slugify(f"{NAME}-{Path(file).stem}-{article_id}"),
            "kind": "MILESTONE",
            "title": head_text[:300],
            "summary": summary if len(summary) <= summary_limit else summary[: summary_limit - 1] + "…",
            "date": dated.edtf,
            "countries": countries,
            "participants": participants,
            "citations": [{"source": source, "quote": head_text, "locator": f"{file} #{article_id}"}],
            "note": dated.note,
        }
        return Item("events", values, article_id)
