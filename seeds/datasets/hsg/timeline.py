"""hsg-administrative-timeline: the Department of State's own history, one ADMINISTRATIVE event per entry.

The file is one Source holding its text (``tei``); each dated ``<div>`` of a decade
section is an event: the date from its head (``@when`` a day; ``@notBefore``/``@notAfter``
the year or month they span, or the span itself when it covers several; ``@from``/``@to``
a span), the title its first sentence, the summary its paragraphs, cited verbatim.
People are linked through their ``ref`` to history.state.gov's people pages where the
id is an hsg-pocom person's; any other is left as the text says it (and reported).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.etree.ElementTree import Element

from seeds.datasets.base import DataProblem, DatasetError, Item, Parsed, document
from seeds.datasets.hsg.common import source_item
from seeds.datasets.hsg.files import xml_files
from seeds.datasets.hsg.known import HsgNarrative, HsgPeople
from seeds.datasets.hsg.tei import TEI, XML_ID, file_text, first_sentence, text_of, title_of

NAME = "hsg-administrative-timeline"
COMMIT = "30aee8ca8be3f74b5170ee1fd000771b2738cbbe"
URL = "https://history.state.gov/departmenthistory/timeline"
US = "US"
PEOPLE_URL = re.compile(r"^https?://history\.state\.gov/departmenthistory/people/([a-z0-9-]+)/?$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Kind:
    BAD_DATE = "malformed date"
    NO_DATE = "entry without a date"
    PERSON_NOT_IN_POCOM = "person id not in hsg-pocom (left as text)"


class BadDate(ValueError):
    def __init__(self, field: str, value: str) -> None:
        self.field, self.value = field, value
        super().__init__(f"{field}={value!r}")


@dataclass(frozen=True)
class EntryDate:
    edtf: str
    start: str  # the first day the head names, for the slug
    note: str = ""


def _day(field: str, value: str) -> str:
    if not _DAY.match(value):
        raise BadDate(field, value)
    try:
        date.fromisoformat(value)  # a real day of the calendar: not 1789-07-32, not 1900-02-29
    except ValueError:
        raise BadDate(field, value) from None
    return value


def _last_day(day: str) -> bool:
    year, month, d = (int(x) for x in day.split("-"))
    return d == calendar.monthrange(year, month)[1]


def entry_date(element: Element) -> EntryDate:
    """The head's ``<date>`` as EDTF; BadDate names the attribute that cannot be read."""
    label = text_of(element)
    if "when" in element.attrib:
        day = _day("@when", element.get("when", ""))
        return EntryDate(day, day)
    if "from" in element.attrib or "to" in element.attrib:
        start, end = _day("@from", element.get("from", "")), _day("@to", element.get("to", ""))
        if end < start:
            raise BadDate("@to", end)
        return EntryDate(f"{start}/{end}" if end != start else start, start)
    if "notBefore" in element.attrib or "notAfter" in element.attrib:
        start = _day("@notBefore", element.get("notBefore", ""))
        end = _day("@notAfter", element.get("notAfter", ""))
        if end < start:
            raise BadDate("@notAfter", end)
        whole_months = start.endswith("-01") and _last_day(end)
        if not whole_months:
            edtf = f"[{start}..{end}]"  # one day between them, none said
        elif start[:4] == end[:4] and start[5:] == "01-01" and end[5:] == "12-31":
            edtf = start[:4]
        elif start[:7] == end[:7]:
            edtf = start[:7]
        elif start[5:] == "01-01" and end[5:] == "12-31":
            edtf = f"{start[:4]}/{end[:4]}"
        else:
            edtf = f"{start[:7]}/{end[:7]}"
        note = f"The timeline dates this entry “{label}” (notBefore {start}, notAfter {end})."
        return EntryDate(edtf, start, note)
    raise BadDate("@when", "")


class Timeline(HsgNarrative, name=NAME):
    def parse(self) -> Parsed:
        parsed = Parsed()
        files = list(xml_files(NAME, self.folder, ("timeline/",)))
        if not files:
            raise DatasetError(NAME, "timeline/timeline.xml", None, "no timeline file in the dataset")
        known = self.known()
        for file, root in files:
            body = root.find(f"{TEI}text/{TEI}body")
            if root.tag != f"{TEI}TEI" or body is None:
                raise DatasetError(NAME, file, None, "not a TEI file with a text/body")
            source = self._source(root)
            items, people = [source], {}
            slugs: dict[str, int] = {}
            for section in body.findall(f"{TEI}div"):
                section_id = section.get(XML_ID) or "body"
                for index, div in enumerate(section.findall(f"{TEI}div"), start=1):
                    record_id = f"{section_id} entry {index}"
                    event = self._event(
                        file, record_id, div, source.values["slug"], slugs, known, people, parsed
                    )
                    if event is not None:
                        items.append(event)
            items[1:1] = [Item("people", person.record(), person.id) for person in people.values()]
            parsed.add(document(NAME, file, items))
        return parsed

    def _source(self, root: Element) -> Item:
        title = title_of(root) or "Administrative Timeline of the Department of State"
        return source_item(NAME, title, URL, COMMIT, text=file_text(root, title=title), record_id="timeline")

    def _event(
        self,
        file: str,
        record_id: str,
        div: Element,
        source: str,
        slugs: dict[str, int],
        known: HsgPeople,
        people: dict[str, Any],
        parsed: Parsed,
    ) -> Item | None:
        head = div.find(f"{TEI}head")
        element = head.find(f".//{TEI}date") if head is not None else None
        label = text_of(head) if head is not None else ""
        if element is None:
            parsed.problems.append(
                DataProblem(
                    NAME, Kind.NO_DATE, file, record_id, "head/date", label, recorded_as="not imported"
                )
            )
            return None
        try:
            dated = entry_date(element)
        except BadDate as error:
            parsed.problems.append(
                DataProblem(
                    NAME,
                    Kind.BAD_DATE,
                    file,
                    record_id,
                    f"head/date/{error.field}",
                    error.value,
                    recorded_as="not imported",
                )
            )
            return None
        paragraphs = [t for t in (text_of(p) for p in div.findall(f"{TEI}p")) if t]
        words = "\n\n".join(paragraphs)
        participants: list[dict[str, Any]] = [
            {"role": "SUBJECT", "country": US, "note": "Department of State"}
        ]
        for ref in div.iter(f"{TEI}ref"):
            found = PEOPLE_URL.match(ref.get("target", ""))
            if found is None:
                continue
            # pocom's ids only, as its people pages are the ones the timeline links to.
            person = known.get(found[1]) if found[1] in known.files else None
            if person is None:
                parsed.problems.append(
                    DataProblem(
                        NAME,
                        Kind.PERSON_NOT_IN_POCOM,
                        file,
                        record_id,
                        "ref/@target",
                        found[1],
                        recorded_as=f"text only ({text_of(ref)})",
                    )
                )
                continue
            people[person.id] = person
            if all(p.get("person") != person.id for p in participants):
                participants.append({"role": "SUBJECT", "person": person.id})
        n = slugs[dated.start] = slugs.get(dated.start, 0) + 1
        slug = f"hsg-timeline-{dated.start}" + (f"-{n}" if n > 1 else "")
        title = first_sentence(paragraphs[0]) if paragraphs else label
        values = {
            "slug": slug,
            "kind": "ADMINISTRATIVE",
            "title": title if len(title) <= 300 else title[:299] + "…",
            "summary": words,
            "date": dated.edtf,
            "participants": participants,
            "citations": [
                {"source": source, "quote": words or label, "locator": f"{file} #{record_id} ({label})"[:300]}
            ],
            "note": dated.note,
        }
        return Item("events", values, record_id)
