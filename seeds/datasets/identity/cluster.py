"""Group person records into people: blocking, scored rules, editors' decisions, survivors.

Candidates come from a blocking key: the root state of the record's country lineage
(forms.root) and the first four letters of a folded name word (the family name, and the first
name of a one-word name's match). Each candidate pair is checked for a conflicting fact
(score.conflict), then scored (score.compare):

- at or above ``MERGE`` the records are merged, unless that would join two records an editor
  said are different people, or two records with a conflicting fact (checked across the whole
  group, not only the pair);
- a one-word name ("Kishi"), a name that is another's last words ("Boni Yayi") or a given
  name with a ruling house's name ("Sabah al-Sabah") is merged only into the one person whose
  name it fits, and only when their years of activity are close (``FITS_ONE``); when several
  fit, each pair is a candidate;
- between ``CANDIDATE`` and ``MERGE``, the pair is a candidate for an editor (``Candidate``);
- below, nothing.

Editors' decisions (``Decisions``) come first: a merged-away slug joins its survivor; a pair
said to be two people is never merged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from seeds.datasets.identity.forms import root
from seeds.datasets.identity.score import (
    CANDIDATE,
    CLOSE_YEARS,
    FITS,
    MERGE,
    ONE_NAME_YEARS,
    Match,
    Profile,
    compare,
    conflict,
)

# Rules that merge only a name fitting one person, active within so many years of it.
FITS_ONE = {
    "one-name": ONE_NAME_YEARS,
    "spelling": ONE_NAME_YEARS,
    "later-names": CLOSE_YEARS,
    "house-name": CLOSE_YEARS,
}


@dataclass(frozen=True)
class Decisions:
    """Editors' decisions a later import honours: pairs that are two people; merges that stay."""

    distinct: frozenset[frozenset[str]] = frozenset()
    merged: Mapping[str, str] = field(default_factory=dict)  # merged-away slug -> survivor slug

    def apart(self, a: Iterable[str], b: Iterable[str]) -> bool:
        return any(frozenset((x, y)) in self.distinct for x in a for y in b)


NO_DECISIONS = Decisions()


class Candidate(NamedTuple):
    """A pair of people the rules could not decide: for an editor."""

    slug_a: str
    slug_b: str
    score: float
    rule: str
    evidence: str


@dataclass(frozen=True)
class Merge:
    survivor: str
    slug: str
    score: float
    rule: str
    evidence: str


@dataclass
class Outcome:
    survivor: dict[str, str] = field(default_factory=dict)  # every merged-away slug -> its survivor
    merges: list[Merge] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)


def _blocks(profiles: list[Profile]) -> dict[tuple[str, str], list[int]]:
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, p in enumerate(profiles):
        keys = set()
        for form in p.forms:
            # The family name, and the first name: "Abdullah" meets "Abdullah II bin Al-Hussein",
            # "Lula de Salva" meets "Lula da Silva".
            keys |= {form.tokens[-1][:4], form.tokens[0][:4]}
        for key in keys:
            blocks[(root(p.country), key)].append(i)
    return blocks


def _pairs(profiles: list[Profile]) -> set[tuple[int, int]]:
    pairs = set()
    for members in _blocks(profiles).values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                a, b = profiles[i], profiles[j]
                if a.source == b.source and a.identifiers and b.identifiers:
                    continue  # one source's two ids are two people (score.conflict); skip early
                pairs.add((i, j) if i < j else (j, i))
    return pairs


class _Groups:
    """Union-find over profile indexes, refusing a union that joins a conflict or a decision."""

    def __init__(self, profiles: list[Profile], decisions: Decisions) -> None:
        self.profiles, self.decisions = profiles, decisions
        self.parent = list(range(len(profiles)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(profiles))}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def blocker(self, i: int, j: int) -> str | None:
        a, b = self.members[self.find(i)], self.members[self.find(j)]
        if self.decisions.apart([self.profiles[x].slug for x in a], [self.profiles[y].slug for y in b]):
            return "an editor said they are different people"
        for x in a:
            for y in b:
                if (why := conflict(self.profiles[x], self.profiles[y])) is not None:
                    return why
        # A short name fitting two different full names ("Sabah al-Sabah": Sabah al-Ahmed al-Jaber
        # al-Sabah, Sabah al-Salim al-Sabah) joins them into neither: the fullest names must fit.
        one, other = self._fullest(a), self._fullest(b)
        if compare(one, other, FITS) is None:
            return f"{one.name!r} and {other.name!r} do not fit one name"
        return None

    def _fullest(self, members: list[int]) -> Profile:
        return max(
            (self.profiles[m] for m in members), key=lambda p: (max(len(f.tokens) for f in p.forms), p.slug)
        )

    def union(self, i: int, j: int, *, editor: bool = False) -> bool:
        """Join two groups; an editor's merge overrides the rules' conflicts, not another decision."""
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return False
        a, b = self.members[ri], self.members[rj]
        if editor and self.decisions.apart(
            [self.profiles[x].slug for x in a], [self.profiles[y].slug for y in b]
        ):
            return False
        if not editor and self.blocker(i, j) is not None:
            return False
        self.parent[rj] = ri
        self.members[ri] += self.members.pop(rj)
        return True


def group(profiles: list[Profile], decisions: Decisions = NO_DECISIONS) -> Outcome:
    """Merge what the rules (and the editors' decisions) say is one person; list the candidates."""
    groups = _Groups(profiles, decisions)
    index = {p.slug: i for i, p in enumerate(profiles)}
    edges: list[tuple[int, int, Match]] = []
    for old, new in decisions.merged.items():
        if old in index and new in index and groups.union(index[new], index[old], editor=True):
            edges.append((index[new], index[old], Match(1.0, "editor-merge", "merged by an editor")))
    scored: list[tuple[int, int, Match]] = []
    for i, j in sorted(_pairs(profiles)):
        match = compare(profiles[i], profiles[j])
        if match is None or match.score < CANDIDATE or conflict(profiles[i], profiles[j]) is not None:
            continue
        scored.append((i, j, match))
    scored.sort(key=lambda e: (-e[2].score, e[0], e[1]))
    one_name: list[tuple[int, int, Match]] = []
    for i, j, match in scored:
        if match.rule in FITS_ONE:
            if match.score >= MERGE or match.rule in {"later-names", "house-name"}:
                one_name.append((i, j, match))
        elif match.score >= MERGE and groups.union(i, j):
            edges.append((i, j, match))
    _one_names(profiles, groups, one_name, edges)
    merged = {groups.find(i) for i, j, _ in edges}
    outcome = Outcome()
    chosen = set(decisions.merged.values())  # an editor's survivor stays the survivor
    survivors = {}
    for r in merged:
        members = [profiles[m] for m in groups.members[r]]
        survivors[r] = next((p.slug for p in members if p.slug in chosen), None) or _survivor(members)
    for i, j, match in edges:
        survivor = survivors[groups.find(i)]
        for slug in (profiles[i].slug, profiles[j].slug):
            if slug != survivor:
                outcome.survivor[slug] = survivor
        other = profiles[j].slug if profiles[j].slug != survivor else profiles[i].slug
        outcome.merges.append(Merge(survivor, other, match.score, match.rule, match.evidence))
    best: dict[tuple[str, str], Candidate] = {}
    for i, j, match in scored:
        if groups.find(i) == groups.find(j) or not (match.score < MERGE or match.rule in FITS_ONE):
            continue
        # A pair of people as the import writes them: each record's survivor.
        a, b = sorted(outcome.survivor.get(p.slug, p.slug) for p in (profiles[i], profiles[j]))
        if decisions.apart(groups_slugs(groups, i), groups_slugs(groups, j)):
            continue
        found = Candidate(a, b, min(match.score, MERGE - 0.01), match.rule, match.evidence)
        if (a, b) not in best or found.score > best[(a, b)].score:
            best[(a, b)] = found
    outcome.candidates = sorted(best.values())
    return outcome


def groups_slugs(groups: _Groups, i: int) -> list[str]:
    return [groups.profiles[m].slug for m in groups.members[groups.find(i)]]


def _one_names(
    profiles: list[Profile], groups: _Groups, pairs: list[tuple[int, int, Match]], edges: list
) -> None:
    """A short name joins the single group it fits, when their years of activity are close (FITS_ONE)."""
    fits: dict[int, dict[int, Match]] = defaultdict(dict)  # short name's record -> record it fits
    for i, j, match in pairs:
        shorter = min((i, j), key=lambda k: min(len(f.tokens) for f in profiles[k].forms))
        fits[shorter][j if shorter == i else i] = match
    for one, found in sorted(fits.items()):
        targets = {groups.find(k) for k in found} - {groups.find(one)}
        if len(targets) != 1:
            continue
        other, match = next((k, m) for k, m in sorted(found.items()) if groups.find(k) in targets)
        gap = _gap(profiles, groups.members[groups.find(one)], groups.members[groups.find(other)])
        if gap is not None and gap <= FITS_ONE[match.rule] and groups.union(other, one):
            edges.append((other, one, Match(match.score, match.rule, f"{match.evidence}; {gap} years apart")))


def _gap(profiles: list[Profile], a: list[int], b: list[int]) -> int | None:
    spans = [[profiles[x].active for x in side if profiles[x].active] for side in (a, b)]
    if not spans[0] or not spans[1]:
        return None
    first = (min(s[0] for s in spans[0]), max(s[1] for s in spans[0]))
    second = (min(s[0] for s in spans[1]), max(s[1] for s in spans[1]))
    return max(0, max(first[0], second[0]) - min(first[1], second[1]))


def _survivor(members: list[Profile]) -> str:
    """The record that stays: curated, then with ids, then the fullest name, then a current state."""
    best = min(
        members,
        key=lambda p: (
            not p.curated,
            not p.identifiers,
            -len(p.forms[0].tokens),
            len(p.country) != 2,
            -p.references,
            p.slug,
        ),
    )
    return best.slug
