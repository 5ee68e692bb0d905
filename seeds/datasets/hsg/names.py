"""hsg-visits ``visitor`` strings: office and name apart, joint visitors split; names normalised.

"President Andrzej Duda and Prime Minister Donald Tusk" is two visitors,
each an (office, name). A string whose part after " and " does not begin with
an office ("Prime Minister and Mrs. Kishi") is one visitor. An office is only
ever taken from the vocabulary below, longest first; a string that begins with
none is a name without an office.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.text import slugify

# Longest first, so "Prime Minister" wins over "Prime" and "Vice President" over "President".
OFFICES = sorted(
    [
        "President-elect",
        "President",
        "Vice President",
        "Prime Minister-elect",
        "Prime Minister",
        "Deputy Prime Minister",
        "First Deputy Prime Minister",
        "Acting Prime Minister",
        "Acting President",
        "Interim President",
        "Provisional President",
        "Premier",
        "Vice Premier",
        "Chancellor",
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
        "Sovereign",
        "Chief Minister",
        "Vice Chairman",
        "Vice Chancellor",
        "Federal Chancellor",
        "Minister President",
        "Chief Justice",
        "High Commissioner",
        "First Secretary",
        "Brigadier General",
        "Lieutenant General",
        "Junta Member",
        "Interim Prime Minister",
        "Prime Minster",
        "Prime Ministere",
    ],
    key=len,
    reverse=True,
)
# The publisher's misspellings of an office, read as the office (the name is untouched).
SPELLINGS = {"Prime Minster": "Prime Minister", "Prime Ministere": "Prime Minister"}
# An office ends where the next letter is not lower case: "Prime MinisterHaidar al-Abadi" (sic).
_OFFICE = re.compile(r"^(?:" + "|".join(re.escape(o) for o in OFFICES) + r")(?![a-z])\.?\s*")
_JOINT = re.compile(r"\s+and\s+(?=(?:" + "|".join(re.escape(o) for o in OFFICES) + r")(?![a-z]))")


def split_visitors(visitor: str) -> list[tuple[str, str]]:
    """(office, name) for each visitor in the string; office '' when the string states none."""
    people = []
    for part in _JOINT.split(" ".join(visitor.split())):
        match = _OFFICE.match(part)
        office = match.group(0).strip().rstrip(".") if match else ""
        office = SPELLINGS.get(office, office)
        name = part[match.end() :].strip() if match else part.strip()
        if name:
            people.append((office, name))
    return people


def normalised(name: str) -> str:
    """A name for exact matching: accents, case, punctuation and spacing ignored, nothing else."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w\s-]", " ", text).replace("-", " ").split())


def slug_for(name: str) -> str:
    return slugify(normalised(name))[:100].strip("-") or "person"
