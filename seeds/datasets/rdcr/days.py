"""Which day of the head's year the prose gives for the head's event (issue 21).

Most RDCR heads give only a year ("Diplomatic Relations Severed by Mexico, 1845");
the prose often names several days of it ("On March 1, 1845, President Tyler signed
… Mexico severed relations on March 28"). The day is the one the prose gives for
the head's own event: the sentences saying it in the head's words (severed,
established, recognized, presented credentials…), and in such a sentence the date
nearest those words. One day found: that day. Several: the EDTF set "one of these
days" (``[1845-03-01,1845-03-28]``). None: the year stays, and the note says so.
The first date in the prose is never taken just for being first.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

_MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}
_MONTH = "|".join(_MONTHS)
# "March 31, 1854", "31 March 1854", and (within the head's year) "March 31" alone.
_FULL = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>\d{{4}})|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH}),?\s+(?P<y2>\d{{4}}))\b"
)
_YEAR = re.compile(r"\b(1[6-9]\d\d|20\d\d)\b")
_BARE = re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})\b(?!,?\s*\d)")

# The head's event (by the head's words) and the words a sentence states it with.
_EVENTS: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    (
        re.compile(r"\bsever(?:ed|ance|s)?\b|\bbr(?:eak|oken)\b", re.I),
        re.compile(r"\bsever(?:ed|ance|ing|s)?\b|\bbr(?:oke|eak|oken)\b|\bsuspend", re.I),
    ),
    (
        re.compile(r"\binterrupt|\bsuspen|\bcessation|\bceased|\bterminat|\bended\b", re.I),
        re.compile(
            r"\binterrupt|\bsuspen|\bcease|\bceased|\bterminat|\bsever(?:ed|ance)\b|\bbr(?:oke|eak)|\bended\b",
            re.I,
        ),
    ),
    (
        re.compile(r"\bresum|\bre-?establish|\brestor|\brenew|\bre-?open", re.I),
        re.compile(r"\bresum|\bre-?establish|\brestor|\brenew|\bre-?open", re.I),
    ),
    (re.compile(r"\brecogni", re.I), re.compile(r"\brecogni", re.I)),
    (
        re.compile(r"\b(?:raised|elevat\w*|upgrad\w*)\b", re.I),
        re.compile(r"\b(?:rais|elevat|upgrad|promot)\w*|\bembassy status", re.I),
    ),
    (re.compile(r"\bclos(?:ure|ing|ed)\b", re.I), re.compile(r"\bclos(?:ed|ure|ing)\b", re.I)),
    (re.compile(r"\bmov(?:ed|es?)\b", re.I), re.compile(r"\bmoved\b|\btransferred|\brelocated", re.I)),
    (
        re.compile(r"\bestablish\w*|\bopen\w*", re.I),
        re.compile(r"\bestablish\w*|\bopen(?:ed|ing)\b", re.I),
    ),
    (
        re.compile(r"\bfirst\b.*\b(?:minister|ambassador|envoy|chargé|charge|commissioner|agent)", re.I),
        re.compile(r"\bpresented\b|\bcredentials\b", re.I),
    ),
    (
        re.compile(r"\b(?:treaty|convention|agreement)\b", re.I),
        re.compile(r"\bsign(?:ed|ing)\b|\bconclu", re.I),
    ),
]


# "… which he did on September 19, 1903. This date marks the establishment of diplomatic relations".
# "… until November 2, 1849, when he was recalled …. This constituted full termination of relations".
_THIS_DATE = re.compile(r"\b(?:This|That) (?:date |day )?(?:marks|marked|constituted)\b[^.]*\.")
_QUOTED = re.compile(r"“[^”]*”")
FOLLOWING = 60  # characters: "recognized the Republic of Chile on January 27" is one phrase


@dataclass(frozen=True)
class ProseDays:
    """What the prose says of the head's year: the EDTF value, the sentences relied on, and the note."""

    edtf: str
    sentences: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class _Mention:
    day: str
    start: int
    sentence: str
    sentence_start: int


def mentions(paragraphs: list[str], year: str, sentence_around: object) -> list[_Mention]:
    """Every day of ``year`` the prose names, full or as "March 28" within that year, in reading order."""
    found = []
    for paragraph in paragraphs:
        spans = []
        for match in _FULL.finditer(paragraph):
            if (match["y1"] or match["y2"]) == year:
                spans.append(
                    (match.span(), _MONTHS[match["m1"] or match["m2"]], int(match["d1"] or match["d2"]))
                )
        for match in _BARE.finditer(paragraph):
            # "In April 1846, … on May 13": a bare day beside another year is not of the head's year.
            around = sentence_around(paragraph, *match.span())  # type: ignore[operator]
            if any(y != year for y in _YEAR.findall(around)):
                continue
            spans.append((match.span(), _MONTHS[match["m"]], int(match["d"])))
        for (start, end), month, day in sorted(spans):
            if not 1 <= day <= calendar.monthrange(int(year), month)[1]:
                continue
            sentence = sentence_around(paragraph, start, end)  # type: ignore[operator]
            found.append(_Mention(f"{year}-{month:02d}-{day:02d}", start, sentence, paragraph.find(sentence)))
    return found


def _nearest(in_sentence: list[_Mention], hits: list[int]) -> _Mention:
    """The date the event's words govern: the first after them ("severed relations on March 28")
    when close, else the nearest ("On June 16, 1940, Reynaud resigned")."""
    offset = in_sentence[0].sentence_start
    places = [(m, m.start - offset) for m in in_sentence]
    following = [(at - hit, m) for m, at in places for hit in hits if 0 <= at - hit <= FOLLOWING]
    if following:
        return min(following, key=lambda pair: pair[0])[1]
    return min(places, key=lambda pair: min(abs(pair[1] - hit) for hit in hits))[0]


def day_for(head: str, paragraphs: list[str], year: str, sentence_around: object) -> ProseDays | None:
    """The day (or days) of ``year`` the prose gives for the head's event; None when it names none."""
    found = mentions(paragraphs, year, sentence_around)
    if not found:
        return None
    days = sorted({m.day for m in found})
    if len(days) == 1:
        return ProseDays(days[0], (found[0].sentence,), "Day from the article's prose (cited).")
    words = [said for names, said in _EVENTS if names.search(head)]
    chosen: dict[str, str] = {}  # day -> sentence
    by_sentence: dict[str, list[_Mention]] = {}
    for mention in found:
        by_sentence.setdefault(mention.sentence, []).append(mention)
    for paragraph in paragraphs:
        for pointer in _THIS_DATE.finditer(paragraph):
            before = [m for m in found if m.sentence in paragraph[: pointer.start()]]
            if before and any(p.search(pointer[0]) for p in words):
                chosen.setdefault(before[-1].day, f"{before[-1].sentence} {pointer[0]}")
    # Words inside quotation marks mostly name something (the “Treaty Restoring Friendly
    # Relations”): read them only when no sentence states the event in its own words.
    for own_words in (True, False):
        for sentence, in_it in by_sentence.items():
            if _THIS_DATE.match(sentence):
                continue  # it points back to the sentence before (above); its own dates are asides
            quoted = [q.span() for q in _QUOTED.finditer(sentence)] if own_words else []
            hits = [
                m.start()
                for pattern in words
                for m in pattern.finditer(sentence)
                if not any(a <= m.start() < b for a, b in quoted)
            ]
            if hits:
                chosen.setdefault(_nearest(in_it, hits).day, sentence)
        if chosen:
            break
    listed = ", ".join(days)
    if not chosen:
        return ProseDays(
            year,
            (),
            f"The head gives only the year; the prose names {len(days)} days of it ({listed}) but no "
            "sentence states the head's event on one of them, so the year is kept.",
        )
    if len(chosen) == 1:
        day, sentence = next(iter(chosen.items()))
        return ProseDays(
            day, (sentence,), f"Day from the prose's sentence stating the event (cited); it names {listed}."
        )
    picked = sorted(chosen)
    return ProseDays(
        f"[{','.join(picked)}]",
        tuple(chosen[d] for d in picked),
        f"One of {', '.join(picked)}: the prose states the event in more than one sentence (cited), "
        "and the entry does not say which day.",
    )
