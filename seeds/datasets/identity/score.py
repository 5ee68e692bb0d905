"""Whether two person records are one person: conflicting facts first, then a scored name rule.

``conflict`` names a fact that makes two records two people whatever their names (different
birth years, a death before the other's office, one source giving them two ids). ``compare``
scores the best of their names (each record's name and aliases) by one of the rules below and
says why; string similarity is rapidfuzz's, never a hand-written distance.

- ``same-name`` (1.0): the same folded name ("Lech Wałęsa" = "Lech Walesa").
- ``fewer-names``: one name's words are the other's, in order, some left out or given as
  initials ("Jacques R. Chirac" / "Jacques Chirac", "George H.W. Bush" / "George Herbert
  Walker Bush"); ``name-variant`` when a word is a spelling variant ("Binyamin"/"Benjamin",
  "Nicloas"/"Nicolas"). Score: the mean of the words' scores (1 equal, 0.9 an initial, a
  missing middle word 0.85, else rapidfuzz's ratio / 100); the first and last words must match.
- ``given-name`` (0.7, a candidate): a one-word name that is another's first name, not regnal.
- ``later-names`` (0.8, a candidate): one name is the other's last words ("Boni Yayi").
- ``first-name-differs`` (below MERGE, a candidate): first names only 80% alike ("Dalia"/"Galia").
- ``house-name`` (at most 0.8, a candidate): a given name and a ruling house's name
  ("Nasser al-Sabah") fitting a longer name of that house.
- ``one-name`` (0.9 / 0.6): a one-word name ("President Tito") and a full name whose family
  name it is ("Josip Broz Tito"; not a father's name after "bin"), or a monarch's name and the
  full regnal name it begins ("Abdullah", "Abdullah II bin Al-Hussein"); merged only when it
  fits one person and their years of activity are within ``ONE_NAME_YEARS`` (decided in
  seeds.datasets.identity.cluster).

Dates of life add evidence: the same birth year adds 0.05. Conflicting facts (``conflict``)
keep two records apart whatever their names: different birth or death years, an office held
after the other's death or before they were 15, activity more than ``APART_YEARS`` apart
(Seretse Khama and his son Ian), different regnal numbers or suffixes, different countries
(across a state's succession, forms.same_lineage), two ids of one source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from seeds.datasets.identity.forms import DYNASTIES, FAMILY_FIRST, NameForm, name_form, same_lineage

MERGE = 0.85  # at or above: the import merges
CANDIDATE = 0.6  # at or above (and below MERGE): a pair for an editor to decide
ONE_NAME_YEARS = 20
CLOSE_YEARS = 8  # a later-names or house-name match fitting one person active this close merges
APART_YEARS = 25  # records of office-holders active this many years apart are two people
INITIAL, MISSING, WORD = 0.9, 0.85, 0.8  # an initial; a middle word one name leaves out; a word's floor
DYNASTY = 0.8  # a given name and a ruling house's name fitting a longer name: a candidate only
LATER = 0.8  # a name that is another's last words, its first names left out: a candidate only
GIVEN_ONLY = 0.7  # a one-word name that is another's first name: a candidate only
FITS = 0.6  # a word's floor for two names to be one person's at all


@dataclass
class Profile:
    """What the rules know of one person record (its dataset's record, or a curated one)."""

    slug: str
    names: tuple[str, ...]
    country: str
    source: str
    born: int | None = None
    died: int | None = None
    active: tuple[int, int] | None = None  # first and last year of an office or a visit
    identifiers: frozenset[tuple[str, str]] = frozenset()
    curated: bool = False
    references: int = 0
    forms: tuple[NameForm, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.forms = tuple(dict.fromkeys(name_form(n) for n in self.names if n.strip()))

    @property
    def name(self) -> str:
        return self.names[0]


@dataclass(frozen=True)
class Match:
    score: float
    rule: str
    evidence: str


def _year_gap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> int | None:
    if a is None or b is None:
        return None
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def conflict(a: Profile, b: Profile) -> str | None:
    """A fact that makes the two records two people, or None."""
    if not same_lineage(a.country, b.country):
        return f"countries {a.country} and {b.country}"
    if a.source == b.source and a.identifiers and b.identifiers and not (a.identifiers & b.identifiers):
        return f"{a.source} gives them two ids"
    if a.born is not None and b.born is not None and abs(a.born - b.born) > 1:
        return f"born {a.born} and {b.born}"
    if a.died is not None and b.died is not None and abs(a.died - b.died) > 1:
        return f"died {a.died} and {b.died}"
    for one, other in ((a, b), (b, a)):
        if one.active is None:
            continue
        if other.died is not None and one.active[0] > other.died + 1:
            return f"{one.slug} in office in {one.active[0]}, after {other.slug} died ({other.died})"
        if other.born is not None and one.active[1] < other.born + 15:
            return f"{one.slug} in office in {one.active[1]}, before {other.slug} was 15 (born {other.born})"
    gap = _year_gap(a.active, b.active)
    if gap is not None and gap > APART_YEARS:
        return f"active {gap} years apart"
    suffixes = {f.suffix for f in a.forms if f.suffix}, {f.suffix for f in b.forms if f.suffix}
    if suffixes[0] and suffixes[1] and not suffixes[0] & suffixes[1]:
        return f"{'/'.join(sorted(suffixes[0]))} and {'/'.join(sorted(suffixes[1]))}"
    return None


# A word's usual form (forms.fold), its spelling as written (forms.plain), whether it is a
# forefather's name (after "bin").
Word = tuple[str, str, bool]


def _word(a: Word, b: Word) -> float:
    x, y = a[0], b[0]
    if x == y:
        return 1.0
    if (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y)):
        return INITIAL
    if min(len(x), len(y)) < 4:
        return 0.0
    return max(fuzz.ratio(x, y), fuzz.ratio(a[1], b[1])) / 100


def _words(short: tuple[Word, ...], long: tuple[Word, ...], floor: float) -> tuple[float, list[str]] | None:
    """Align the shorter name's words with the longer's, in order (first with first, last with last)."""
    first, last = _word(short[0], long[0]), _word(short[-1], long[-1])
    if first < floor or last < floor:
        return None
    scores, notes = [first], []
    j = 1
    for word in short[1:-1]:
        while j < len(long) - 1 and _word(word, long[j]) < floor:
            scores.append(MISSING)
            j += 1
        if j >= len(long) - 1:
            return None
        scores.append(_word(word, long[j]))
        j += 1
    scores += [MISSING] * (len(long) - 1 - j)
    scores.append(last)
    for (x, *_), (y, *_) in zip((short[0], short[-1]), (long[0], long[-1]), strict=True):
        if x != y and len(x) > 1 and len(y) > 1:
            notes.append(f"{x}~{y}")
    return sum(scores) / len(scores), notes


def _later(short: tuple[Word, ...], long: tuple[Word, ...], floor: float) -> bool:
    """The shorter name is the longer's last words: "Boni Yayi" of "Thomas Boni Yayi".

    Not a given name and a ruling house's ("Jabir al-Sabah" is not the end of "Sabah al-Ahmed
    al-Jabir al-Sabah", where Jabir is a grandfather).
    """
    if len(short) < 2 or (len(short) == 2 and short[-1][0] in DYNASTIES):
        return False
    if long[-len(short)][2]:
        return False  # "Isa bin Salman" is the father named in "Hamad bin Isa bin Salman"
    return all(_word(s, w) >= floor for s, w in zip(short, long[-len(short) :], strict=True))


def _words_of(form: NameForm) -> tuple[Word, ...]:
    return tuple(zip(form.tokens, form.plain, form.forefathers, strict=True))


def compare_forms(a: NameForm, b: NameForm, floor: float = WORD, family_first: bool = False) -> Match | None:
    if a.letters == b.letters or a.tokens == b.tokens:
        return Match(1.0, "same-name", " ".join(a.tokens))
    if a.single or b.single:
        one, full = (a, b) if a.single else (b, a)
        word = one.tokens[0]
        if full.single:
            ratio = fuzz.ratio(word, full.tokens[0]) / 100
            return Match(ratio, "spelling", f"{word}~{full.tokens[0]}") if ratio >= max(floor, 0.9) else None
        family = full.tokens[0] if family_first else full.tokens[-1]
        if word == family and not one.suffix and (family_first or not full.father_last):
            return Match(0.9, "one-name", f"{word}: family name of {' '.join(full.tokens)}")
        if word == full.tokens[0] and full.suffix and one.suffix in {"", full.suffix}:
            # A monarch's one name: "Abdullah" of "Abdullah II bin Al-Hussein", not of a commoner.
            return Match(0.9, "one-name", f"{word}: regnal name of {' '.join(full.tokens)} {full.suffix}")
        if word == full.tokens[0] and not one.suffix:
            # "Bhumibol" / "Bhumibol Adulyadej" (a king), "Mohammed" / "Mohammed Karim Lamrani" (not).
            return Match(GIVEN_ONLY, "given-name", f"{word}: first name of {' '.join(full.tokens)}")
        return None
    short, long = sorted((_words_of(a), _words_of(b)), key=len)
    aligned = _words(short, long, floor)
    if aligned is None:
        if _later(short, long, floor):
            # Also "Ziaur Rahman" of "Khaleda Ziaur Rahman" (his widow): cluster merges it only
            # when it fits one person active within CLOSE_YEARS.
            words = " ".join(w[0] for w in short), " ".join(w[0] for w in long)
            return Match(LATER, "later-names", f"{words[0]} ends {words[1]}")
        return None
    score, notes = aligned
    rule = "name-variant" if notes else "fewer-names"
    if _word(short[0], long[0]) < MERGE:
        score, rule = min(score, MERGE - 0.01), "first-name-differs"  # "Dalia"/"Galia": an editor's call
    if len(short) == 2 and len(long) > 2 and short[-1][0] in DYNASTIES:
        score, rule = min(score, DYNASTY), "house-name"  # forms.DYNASTIES: for an editor to decide
    return Match(round(score, 3), rule, f"{' '.join(a.tokens)} / {' '.join(b.tokens)}")


def compare(a: Profile, b: Profile, floor: float = WORD) -> Match | None:
    """The best rule any of the two records' names give (no conflict check: see ``conflict``).

    ``floor``: the lowest score a word may have; lower than WORD, whether two names can be one
    person's at all (a group's members must all fit each other: cluster._Groups).
    """
    best: Match | None = None
    family_first = a.country in FAMILY_FIRST or b.country in FAMILY_FIRST
    for x in a.forms:
        for y in b.forms:
            found = compare_forms(x, y, floor, family_first)
            if found is not None and (best is None or found.score > best.score):
                best = found
    if best is None:
        return None
    if a.born is not None and a.born == b.born and best.score < 1.0:
        best = Match(min(1.0, best.score + 0.05), best.rule, f"{best.evidence}; both born {a.born}")
    return best
