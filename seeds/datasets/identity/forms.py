"""Names and countries as the identity rules compare them: folded tokens, variants, state lineage.

A name (already apart from its office: ``seeds.datasets.hsg.names``) is folded: transliterated
to ASCII by ``anyascii`` ("Wałęsa" -> "walesa", "Зеленський" -> "zelenskiy"), lower case,
particles dropped ("al-Sabah" -> "sabah", "bin", "da", "van"), a spelling variant replaced by
its usual form (VARIANTS). Regnal numbers and "Jr." are kept apart as the suffix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from anyascii import anyascii

# Words that join a name's parts without being one: dropped before comparing.
PARTICLES = frozenset(
    [
        "al",
        "el",
        "ul",
        "bin",
        "ibn",
        "bint",
        "ben",
        "abu",
        "de",
        "da",
        "do",
        "dos",
        "das",
        "del",
        "della",
        "di",
        "du",
        "la",
        "le",
        "van",
        "von",
        "der",
        "den",
        "ter",
        # Styles a name keeps in its display ("Sheikh Hasina", "Lord Tweedsmuir", "El Hadj Omar Bongo").
        "hadj",
        "haji",
        "hajji",
        "sheikh",
        "sheik",
        "lord",
        "viscount",
        "y",
        "e",
    ]
)
# Spellings of one given name that string similarity alone scores too low (checked by hand on
# the bundled data: "Binyamin"/"Benyamin" Netanyahu, "Muhammedu" Buhari, "Soeharto"...).
VARIANTS = {
    "binyamin": "benjamin",
    "benyamin": "benjamin",
    "muhammedu": "muhammadu",
    "soeharto": "suharto",
    "soekarno": "sukarno",
    "essa": "isa",
    "issa": "isa",
    "tameem": "tamim",
    "jaber": "jabir",
    "ahmed": "ahmad",
    "aleksander": "alexander",
    "aleksandr": "alexander",
    "mohamed": "mohammed",
    "muhammad": "mohammed",
    "mohammad": "mohammed",
    "abdel": "abdul",
    "costas": "konstantinos",
    "kostas": "konstantinos",
    "konstandinos": "konstantinos",
    "geidar": "heydar",
    "islom": "islam",
    "petar": "peter",
    "wim": "willem",
}
# Where the family name comes first ("Park Chung-hee", "Li Peng"): a one-word name is the first word.
FAMILY_FIRST = frozenset({"KR", "KP", "XKOR", "CN", "TW", "VN", "VDVN", "XVNS", "SG"})
# Ruling houses' names, which a whole family shares: "Nasser al-Sabah" (Prime Minister, 2008) and
# "Nasser Sabah al-Ahmed al-Sabah" (the Amir's son, 2020) are two people; a given name and the
# house alone identify no one.
DYNASTIES = frozenset({"sabah", "thani", "khalifa", "saud", "nahyan", "maktoum", "qasimi", "nuaimi"})
_SPLIT = re.compile(r"[\s,()]+")
_SUFFIX = re.compile(r"^(?:[IVX]+|[JjSs]r\.?)$")
_FATHER = re.compile(r"^(?:bin|ibn)-", re.IGNORECASE)
_PREFIX = re.compile(r"^(?:al|el|ul|bin|ibn)-")
_LETTERS = re.compile(r"[^a-z0-9]")

# A former state's people belong to its successors too: Havel of Czechoslovakia is Havel of the
# Czech Republic (seeds/curated/historical-states.yaml; the successor states as ISO 3166-3 lists them).
SUCCESSORS: dict[str, frozenset[str]] = {
    "SUHH": frozenset(
        ["RU", "UA", "BY", "MD", "GE", "AM", "AZ", "KZ", "KG", "TJ", "TM", "UZ", "EE", "LV", "LT"]
    ),
    "CSHH": frozenset({"CZ", "SK"}),
    "DDDE": frozenset({"DE"}),
    "YUCS": frozenset({"RS", "HR", "SI", "BA", "MK", "ME", "XK", "CSXX"}),
    "CSXX": frozenset({"RS", "ME"}),
    "ANHH": frozenset({"CW", "SX", "BQ"}),
    "YDYE": frozenset({"YE"}),
    # Former states of the dataset-parties seeds: North Yemen's and Tanganyika's leaders
    # (Saleh, Nyerere) are Yemen's and Tanzania's.
    "XYAR": frozenset({"YE"}),
    "XTAN": frozenset({"TZ"}),
    "VDVN": frozenset({"VN"}),
    "XVNS": frozenset({"VN"}),
    "XUAR": frozenset({"EG", "SY"}),
    "XAHU": frozenset({"AT", "HU"}),
    "XOTT": frozenset({"TR"}),
    "XPRU": frozenset({"DE"}),
    "RHZW": frozenset({"ZW"}),
    "XKOR": frozenset({"KR", "KP"}),
    "SKIN": frozenset({"IN"}),
    "XHAW": frozenset({"US"}),
    "XTEX": frozenset({"US"}),
}


def _successors(code: str) -> frozenset[str]:
    found = set(SUCCESSORS.get(code, ()))
    for child in list(found):
        found |= _successors(child)
    return frozenset(found)


@cache
def lineage(code: str) -> frozenset[str]:
    """The state itself, the states it became and the states it came from."""
    before = {old for old in SUCCESSORS if code in _successors(old)}
    return frozenset({code, *_successors(code), *before})


def same_lineage(a: str, b: str) -> bool:
    """One person's country across a state's succession (CSHH and CZ; not UA and RU)."""
    return a == b or b in lineage(a) or a in lineage(b)


@cache
def root(code: str) -> str:
    """The blocking country: the oldest state of the lineage (UA and RU both block under SUHH)."""
    for old, new in SUCCESSORS.items():
        if code in new:
            return root(old)
    return code


def plain(word: str) -> str:
    """ASCII, lower case, letters and digits only."""
    return _LETTERS.sub("", anyascii(_PREFIX.sub("", word.lower())).lower())


def fold(word: str) -> str:
    """``plain``, a known variant replaced by its usual form."""
    folded = plain(word)
    return VARIANTS.get(folded, folded)


@dataclass(frozen=True)
class NameForm:
    """A name as compared: given tokens then family tokens, folded; the suffix apart."""

    tokens: tuple[str, ...]
    suffix: str
    letters: str  # every letter of the name, particles included: "Hassan al Bolkiah" = "Hassanal Bolkiah"
    father_last: bool = False  # the last word is a father's name ("... bin Al-Hussein"), not a surname
    plain: tuple[str, ...] = ()  # the tokens as written (no variant replaced): "konstandions" is nearer
    # "konstandinos" as written than "konstantinos", its usual form
    forefathers: tuple[bool, ...] = ()  # for each token: it follows "bin"/"ibn" (a father's name)

    @property
    def single(self) -> bool:
        return len(self.tokens) == 1


@cache
def name_form(name: str) -> NameForm:
    """A clean person's name (a dataset's structured name, or a visitor name parse_name made) folded.

    No office or honorific is left in these names, so words are split here without nameparser
    (which costs about a millisecond a name: seconds on every import).
    """
    written = [w for w in _SPLIT.split(name) if w]
    suffixes = [w for w in written if _SUFFIX.match(w)]  # "II", "Jr." (not the initial "I.")
    words = [part for w in written if not _SUFFIX.match(w) for part in w.split(".") if part] or written
    letters = "".join(fold(w) if w.lower() not in PARTICLES else w.lower() for w in words)
    kept = [w for w in words if w.lower() not in PARTICLES and plain(w)]
    # A word after "bin"/"ibn" (or written "bin-Saud") is a forefather's name, not the person's own.
    after = {i for i, w in enumerate(words) if i and words[i - 1].lower() in {"bin", "ibn", "bint"}}
    after |= {i for i, w in enumerate(words) if _FATHER.match(w)}
    forefathers = tuple(i in after for i, w in enumerate(words) if w.lower() not in PARTICLES and plain(w))
    tokens = tuple(fold(w) for w in kept)
    suffix = " ".join(s.rstrip(".").upper() for s in suffixes)
    father = (len(words) > 1 and words[-2].lower() in {"bin", "ibn", "bint"}) or bool(
        _FATHER.match(words[-1])
    )
    if not tokens:
        return NameForm((letters,), suffix, letters, father, (letters,), (False,))
    return NameForm(tokens, suffix, letters, father, tuple(plain(w) for w in kept), forefathers)
