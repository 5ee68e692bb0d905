"""An RDCR timeline entry → what kind of event it is, when, and the words that say so.

Dates: the head's ``<date>`` gives the structured value (``when``; ``from``/``to``
as an interval; ``when`` with ``to`` likewise). Most heads give only a year; the
day is then the one the prose gives for the head's event (``rdcr.days``: the
sentence stating it, cited), else the year stays. A head without any date takes the first
full date the prose names, cited the same way. Without either, the entry is not a
dated event and is reported.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from core.fuzzydates import FuzzyDate
from events.models import EventKind
from seeds.datasets.rdcr.days import day_for
from seeds.datasets.rdcr.tei import Entry, HeadDate

_MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}
_MONTH = "|".join(_MONTHS)
# "March 31, 1854", "March 31 1854", "31 March 1854".
_DAY = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>\d{{4}})|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH}),?\s+(?P<y2>\d{{4}}))\b"
)
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:U\.S|Mr|Mrs|St|Gen|Jr|Sr|Dr|No|Lt|Col|Capt|Gov|Sen|Rep|Mt|Ft|D\.C|[A-Z])\.)$"
)
_EDTF = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_YEARS = re.compile(r"^(\d{4})\s*[-–]\s*(\d{2,4})$")


# The event kind of an entry, by the words of its head. First match wins; the words are the
# heads' own (870 distinct heads for 1,222 entries).
_RULES: list[tuple[re.Pattern[str], EventKind]] = [
    (re.compile(r"\b(raised|elevat\w*|upgrad\w*)\b.*\bembass", re.I), EventKind.EMBASSY_ELEVATION),
    (
        re.compile(r"\b(re-?establish\w*|resum\w*|restor\w*|re-?open\w*|renew\w*)\b", re.I),
        EventKind.RELATIONS_RESUMED,
    ),
    (
        re.compile(
            r"\b(sever\w*|cessation|ceased|interrupt\w*|suspen\w*|terminat\w*|ended|broken|break"
            r"|clos\w*|withdraw\w*|recalled)\b",
            re.I,
        ),
        EventKind.RELATIONS_SEVERED,
    ),
    (re.compile(r"\bconsul", re.I), EventKind.CONSULAR_RELATIONS),
    (re.compile(r"\brecogni", re.I), EventKind.RECOGNITION),
    (
        re.compile(
            r"\b(establish\w*|opening)\b.*\b(relations|legation|embassy|mission)\b"
            r"|\brelations established\b",
            re.I,
        ),
        EventKind.RELATIONS_ESTABLISHED,
    ),
    (re.compile(r"\b(treaty|convention|agreement|accession|protocol)\b", re.I), EventKind.TREATY),
    (
        re.compile(
            r"\b(legation|embassy|mission|interests section|liaison office|ambassador|minister)\b", re.I
        ),
        EventKind.DIPLOMATIC_MISSION,
    ),
]


def kind_of(title: str) -> str:
    """The ``EventKind`` value the head's title names; OTHER when no rule matches."""
    for pattern, kind in _RULES:
        if pattern.search(title):
            return kind.value
    return EventKind.OTHER.value


def title_of(head: str) -> str:
    """The head without its trailing date and full stop: 'Mutual Recognition, 1854.' → 'Mutual Recognition'."""  # noqa: E501
    title = re.sub(r"[,;:]\s*(?:\d{4}(?:\s*[-–]\s*\d{2,4})?|\w+ \d{1,2}, \d{4})\s*\.?\s*$", "", head.strip())
    return title.rstrip(" .,;:") or head.strip().rstrip(".")


@dataclass(frozen=True)
class Dated:
    """An entry's date as EDTF, where it came from, and the sentence naming the day when from the prose."""

    edtf: str
    origin: str  # "head", "prose" or "head year"
    sentence: str = ""
    note: str = ""  # says which sentence gave the day, when the prose chose among several
    more_sentences: tuple[str, ...] = ()  # further sentences relied on ("one of" these days)


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` holding [start, end), cut verbatim."""
    begin = 0
    for match in re.finditer(r"[.!?]\s+(?=[A-Z“\"(])", text[:start]):
        if not _ABBREVIATIONS.search(text[: match.start() + 1]):
            begin = match.end()
    stop = len(text)
    for match in re.finditer(r"[.!?](?=\s+[A-Z“\"(]|\s*$)", text[end:]):
        if not _ABBREVIATIONS.search(text[: end + match.start() + 1]):
            stop = end + match.end()
            break
    return text[begin:stop].strip()


def _days(paragraphs: list[str]) -> list[tuple[str, str]]:
    """Every full date the prose names, as (EDTF day, sentence), in reading order."""
    found = []
    for paragraph in paragraphs:
        for match in _DAY.finditer(paragraph):
            month = _MONTHS[match["m1"] or match["m2"]]
            day, year = int(match["d1"] or match["d2"]), int(match["y1"] or match["y2"])
            if not 1 <= day <= calendar.monthrange(year, month)[1]:
                continue
            found.append((f"{year:04d}-{month:02d}-{day:02d}", sentence_around(paragraph, *match.span())))
    return found


def _valid(edtf: str) -> bool:
    try:
        FuzzyDate.parse(edtf)
    except ValidationError:
        return False
    return True


_HEAD_YEARS = re.compile(r"[,;:]\s*(\d{4}(?:\s*[-–]\s*\d{2,4})?)\s*\.?\s*$")


def date_of(entry: Entry) -> Dated | None:
    """The entry's date, or None when neither its head nor its prose gives one."""
    head = entry.date
    if head is None and (years := _HEAD_YEARS.search(entry.head)):
        # A few heads spell the year out without a <date> element: "Cessation of Relations, 1838-40."
        head = HeadDate(text=years[1])
    if head is not None:
        start = head.when or head.from_
        if head.to and start and head.to != start:
            edtf = f"{start}/{head.to}"
            return Dated(edtf, "head") if _valid(edtf) else None
        if not start and (years := _YEARS.match(head.text)):
            first, last = years[1], years[2]
            edtf = f"{first}/{first[: 4 - len(last)]}{last}"
            return Dated(edtf, "head") if _valid(edtf) else None
        if not start and _EDTF.match(head.text):
            start = head.text
        if _EDTF.match(start) and len(start) == 10:
            return Dated(start, "head") if _valid(start) else None
        if _EDTF.match(start) and len(start) == 4:
            found = day_for(entry.head, entry.paragraphs, start, sentence_around)
            if found is None:
                return Dated(start, "head year") if _valid(start) else None
            first, *more = found.sentences or ("",)
            origin = "head year" if found.edtf == start else "prose"
            return Dated(found.edtf, origin, first, found.note, tuple(more)) if _valid(found.edtf) else None
        if _EDTF.match(start):
            for day, sentence in _days(entry.paragraphs):
                if day.startswith(start):
                    return Dated(day, "prose", sentence)
            return Dated(start, "head year") if _valid(start) else None
    days = _days(entry.paragraphs)
    if days:
        return Dated(days[0][0], "prose", days[0][1])
    return None
