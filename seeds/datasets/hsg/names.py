"""hsg-visits ``visitor`` strings parsed into people: office, honorific, name and suffix apart.

"President Andrzej Duda and Prime Minister Donald Tusk" is two visitors; so is "President
Anwar Sadat, Prime Minister Mustafa Khalil". A separator (" and ", " & ", ", ") splits a
string only where an office follows it; an office with no name of its own ("Premier and
Prince Sihanouk") is the office of the person named next. The office comes from the
vocabulary below (longest first, with its "-elect"/"-designate" forms and the publisher's
misspellings); the rest is read by ``nameparser`` (taught the honorifics and offices once, in
``CONSTANTS``) into honorific, given, middle, family name and suffix. What nameparser gets
wrong on these strings is corrected here, each case named and tested
(tests/datasets/hsg/test_names.py): regnal numbers and "3rd" are suffixes, not middle names
or titles; a one-word name is a family name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache

from django.utils.text import slugify
from nameparser import HumanName
from nameparser.config import Constants

# Longest first, so "Prime Minister" wins over "Prime" and "Vice President" over "President".
OFFICES = sorted(
    [
        "President",
        "Vice President",
        "Prime Minister",
        "Deputy Prime Minister",
        "First Deputy Prime Minister",
        "Acting Prime Minister",
        "Acting President",
        "Interim President",
        "Interim Prime Minister",
        "Provisional President",
        "Premier",
        "Vice Premier",
        "Chancellor",
        "Federal Chancellor",
        "King",
        "Queen",
        "Crown Prince",
        "Crown Princess",
        "Prince",
        "Princess",
        "Grand Duke",
        "Grand Duchess",
        "Hereditary Grand Duke",
        "Emperor",
        "Empress",
        "Shah",
        "Sultan",
        "Amir",
        "Emir",
        "Pope",
        "Governor General",
        "Chairman",
        "Chairman of the Presidency",
        "Chairwoman",
        "General Secretary",
        "Secretary General",
        "Foreign Minister",
        "Chief of State",
        "Head of State",
        "Regent",
        "Prince Regent",
        "Generalissimo",
        "General",
        "Field Marshal",
        "Marshal",
        "Supreme Leader",
        "Chief Executive",
        "State Counsellor",
        "Taoiseach",
        "Captain Regent",
        "Co-Prince",
        "Chief Minister",
        "Vice Chairman",
        "Minister President",
        "President of the Council of Ministers",
        "First Secretary",
        "Brigadier General",
        "Lieutenant General",
        "Junta Member",
    ],
    key=len,
    reverse=True,
)
# The publisher's misspellings and spacing of an office, read as the office (the name is untouched).
SPELLINGS = [
    (re.compile(r"\bPrime Minist(?:er|re|ere)(?=[A-Z])"), "Prime Minister "),  # "Prime MinisterHaidar"
    (re.compile(r"\bPrime Minst?ere?\b|\bPrime Ministere\b|\bPrime Minster\b"), "Prime Minister"),
    (re.compile(r"(?<=\w)-\s*(elect|designate)\b", re.IGNORECASE), lambda m: f"-{m.group(1).lower()}"),
    (re.compile(r"\b(al|el)-\s+(?=[A-Z])"), r"\1-"),  # "al- Abadi"
]
# Styles before a name that are not an office: kept apart from the name, not part of it.
HEIRS = {"Crown Prince", "Crown Princess"}
# A one-word name is written with these styles, as the person is known: "Lord Tweedsmuir".
KNOWN_BY_STYLE = {"Lord", "Viscount", "Sheikh", "Sheik"}
HONORIFICS = ["Archbishop", "Sheikh", "Sheik", "Haji", "Dom", "Lord", "Viscount", "Sir", "Dr.", "Mrs.", "Mr."]
_OFFICE_WORD = r"(?:" + "|".join(re.escape(o) for o in OFFICES) + r")(?:-(?:elect|designate))?"
# An office ends where the next letter is not lower case and no hyphen follows ("Prime Minister-Prince").
_OFFICE = re.compile(r"^(" + _OFFICE_WORD + r")(?![a-z])(?:\.|\s*-\s*|\s+|$)")
_SEPARATOR = re.compile(r"\s*(?:,|\s&|\sand)\s+(?=" + _OFFICE_WORD + r"(?![a-z]))")
_REGNAL = re.compile(r"^(?:[IVX]+|\d+(?:st|nd|rd|th))$")
_ORDINALS = {"2nd": "II", "3rd": "III", "4th": "IV"}

# Office words that are also given names ("Prime Minister Amir Abbas Hoveyda", "Shah Mahmud"):
# nameparser must not take them for a style inside a name.
NAME_WORDS = {"amir", "emir", "shah", "sultan", "member", "general", "marshal"}
# nameparser, taught once: the offices' and honorifics' words are titles.
CONSTANTS = Constants()
CONSTANTS.titles.add(
    *({w.lower() for o in OFFICES for w in o.split() if w[0].isupper()} - NAME_WORDS),
    *(h.lower().rstrip(".") for h in HONORIFICS),
)


@dataclass(frozen=True)
class Visitor:
    """One person a visitor string names: ``name`` as Chancery writes it, and its parts."""

    office: str
    honorific: str
    given: str
    middle: str
    family: str
    suffix: str
    name: str


@cache  # a visitor string repeats on every visit of one leader; nameparser takes ~1 ms a name
def parse_visitors(visitor: str) -> tuple[Visitor, ...]:
    """Each person a visitor string names, office and name apart (see the module doc)."""
    text = " ".join(visitor.split())
    for pattern, replacement in SPELLINGS:
        text = pattern.sub(replacement, text)  # type: ignore[arg-type]
    people: list[Visitor] = []
    pending_office = ""
    for part in _SEPARATOR.split(text):
        office, rest = _office(part)
        if not rest:  # "Premier and Prince Sihanouk": the office of the next person named
            pending_office = pending_office or office
            continue
        if pending_office:
            # The first office is the person's; one following it ("Prince") is a style.
            office, rest = pending_office, f"{office} {rest}".strip()
            pending_office = ""
        person = parse_name(rest, office=office)
        if office in HEIRS and not person.given:
            # An heir known by one name keeps the style: "Crown Prince Hussein" (2023) is not
            # King Hussein (died 1999), whose one name the visits also give.
            person = replace(person, name=f"{office} {person.name}")
        people.append(person)
    return tuple(people)


def split_visitors(visitor: str) -> list[tuple[str, str]]:
    """(office, name) for each visitor in the string; office '' when the string states none."""
    return [(v.office, v.name) for v in parse_visitors(visitor)]


def _office(part: str) -> tuple[str, str]:
    match = _OFFICE.match(part)
    if match is None:
        return "", part.strip()
    office = match.group(1)
    if office.endswith(("-Elect", "-Designate")):
        office = office[: office.rindex("-")] + office[office.rindex("-") :].lower()
    return office, part[match.end() :].strip(" -")


def parse_name(text: str, *, office: str = "") -> Visitor:
    """A name read by nameparser into honorific, given, middle, family and suffix."""
    words = [_ORDINALS.get(w, w) for w in text.replace(",", " ").split()]
    # Regnal numbers and ordinals are suffixes wherever they stand ("Abdullah II bin Al-Hussein",
    # "Aquino, 3rd"): nameparser reads them as a middle name, a surname or a title.
    suffixes = [w for w in words if _REGNAL.match(w) or w.rstrip(".").lower() in {"jr", "sr"}]
    parsed = HumanName(" ".join(w for w in words if w not in suffixes), constants=CONSTANTS)
    honorific = parsed.title
    given, middle, family = parsed.first, parsed.middle, parsed.last
    if parsed.nickname:  # "Henry A. (Heinz Alfred) Kissinger": the bracketed names are middle names
        middle = " ".join(filter(None, [middle, parsed.nickname]))
    if not family and given and not middle:
        given, family = "", given  # a one-word name ("Tito", "Hussein") is the name they go by
    if honorific == "St.":  # nameparser reads "St." as a saint's style: "St. Laurent" is a surname
        family, honorific = f"St. {family}", ""
    if honorific and not (given or family):
        family, honorific = honorific, ""  # nothing but a style: "Earl of Athlone" is the name
    # The name as written, less the styles before it; "Jr." after a comma, as English writes it.
    shown = words[len(honorific.split()) :] if honorific not in KNOWN_BY_STYLE or given else words
    name = " ".join(f", {w.rstrip('.')}." if w.rstrip(".").lower() in {"jr", "sr"} else w for w in shown)
    return Visitor(office, honorific, given, middle, family, " ".join(suffixes), name.replace(" ,", ","))


def normalised(name: str) -> str:
    """A name for exact matching: accents, case, punctuation and spacing ignored, nothing else."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w\s-]", " ", text).replace("-", " ").split())


def slug_for(name: str) -> str:
    return slugify(normalised(name))[:100].strip("-") or "person"
