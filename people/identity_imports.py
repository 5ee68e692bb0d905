"""Who is who, as imports and seed files see it: the editors' decisions, proposals, decisions read back.

``identity_decisions()`` is what the importer's resolver reads: the pairs editors
said are two people, and each slug merged away with the slug answering for it.
``person_candidates_record`` stores the pairs an import proposes without reopening
a decided one; ``person_decisions_record`` stores the decisions a seed file
states (``export_seeds`` writes them), so a round trip keeps them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from core.edits import edit
from core.services import Outcome, Row, write_rows
from people.identity import pair_key, person_merge, record_decision
from people.models import CandidateStatus, Person, PersonCandidate, PersonMerge


@dataclass(frozen=True)
class Decisions:
    """Editors' decisions as the importer needs them, by slug."""

    distinct: set[frozenset[str]] = field(default_factory=set)
    merged: dict[str, str] = field(default_factory=dict)  # slug merged away -> slug answering for it

    def canonical(self, slug: str) -> str:
        """The slug that answers for ``slug`` now (itself unless it was merged away)."""
        return self.merged.get(slug, slug)

    def are_distinct(self, a: str, b: str) -> bool:
        return frozenset((self.canonical(a), self.canonical(b))) in self.distinct or (
            frozenset((a, b)) in self.distinct
        )


@dataclass(frozen=True)
class Proposal:
    """A pair the importer's rules found in the grey band: maybe one person, for an editor to decide."""

    slug_a: str
    slug_b: str
    score: float | None = None
    rule: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)


def identity_decisions() -> Decisions:
    """Every decision stored: pairs marked distinct, and merged slugs with their survivors' slugs."""
    distinct = {
        frozenset(pair)
        for pair in PersonCandidate.objects.filter(status=CandidateStatus.DISTINCT).values_list(
            "slug_a", "slug_b"
        )
    }
    merged = dict(PersonMerge.objects.values_list("merged_slug", "survivor__slug"))
    return Decisions(distinct=distinct, merged=merged)


def person_candidates_record(
    *, actor: Any, reason: str | None = None, proposals: Sequence[Proposal]
) -> dict[Outcome, int]:
    """Store the pairs an import proposes; a pair already decided is left as the editor left it.

    Idempotent: a re-import updates an open pair's score, rule and evidence, and
    adds only pairs never seen. Pairs naming an unknown slug or one person twice are refused.
    """
    counts = dict.fromkeys((Outcome.INSERTED, Outcome.UPDATED, Outcome.UNCHANGED), 0)
    wanted: dict[tuple[str, str], Proposal] = {}
    for proposal in proposals:
        if proposal.slug_a == proposal.slug_b:
            raise ValidationError(f"A pair names {proposal.slug_a!r} twice.", code="same_person")
        wanted[pair_key(proposal.slug_a, proposal.slug_b)] = proposal
    if not wanted:
        return counts
    slugs = {s for pair in wanted for s in pair}
    people = {p.slug: p for p in Person.objects.filter(slug__in=slugs)}
    if missing := sorted(slugs - set(people)):
        raise ValidationError(f"No person has the slug(s) {', '.join(missing)}.", code="not_found")
    with edit(actor=actor, reason=reason):
        stored = {
            (c.slug_a, c.slug_b): c
            for c in PersonCandidate.objects.filter(slug_a__in=slugs, slug_b__in=slugs)
        }
        rows = []
        for (slug_a, slug_b), proposal in wanted.items():
            found = stored.get((slug_a, slug_b))
            if found is not None and found.status != CandidateStatus.OPEN:
                counts[Outcome.UNCHANGED] += 1
                continue
            values = {"score": proposal.score, "rule": proposal.rule, "evidence": proposal.evidence}
            if found is None:
                values |= {
                    "slug_a": slug_a,
                    "slug_b": slug_b,
                    "person_a": people[slug_a],
                    "person_b": people[slug_b],
                }
            rows.append(Row(values, found))
        for written in write_rows(PersonCandidate, rows, full=False):
            counts[written.outcome] += 1
    return counts


@dataclass(frozen=True)
class MergeDecision:
    """A merge as a seed file states it: ``merged_slug`` (named ``name``) is ``survivor`` now."""

    survivor: Person
    merged_slug: str
    name: str = ""
    reason: str = ""


def person_decisions_record(
    *,
    actor: Any,
    reason: str | None = None,
    merged: Sequence[MergeDecision] = (),
    distinct: Sequence[tuple[Person, Person, str]] = (),
) -> dict[Outcome, int]:
    """Store decisions read from seed files (``export_seeds`` writes them); those stored already stay.

    A merged slug still naming a person (a dataset made it again) is merged now; one
    naming nobody is recorded as a redirect (no split: history has nothing to restore).
    """
    counts = dict.fromkeys((Outcome.INSERTED, Outcome.UPDATED, Outcome.UNCHANGED), 0)
    with edit(actor=actor, reason=reason) as current:
        known = set(PersonMerge.objects.values_list("merged_slug", flat=True))
        for decision in merged:
            if decision.merged_slug in known:
                counts[Outcome.UNCHANGED] += 1
                continue
            why = decision.reason or current.reason
            if (other := Person.objects.filter(slug=decision.merged_slug).first()) is not None:
                person_merge(actor=actor, reason=why, survivor=decision.survivor, merged=other)
            else:
                write_rows(
                    PersonMerge,
                    [
                        Row(
                            {
                                "survivor": decision.survivor,
                                "merged_slug": decision.merged_slug,
                                "merged_name": decision.name,
                                "edit": current.id,
                                "reason": why,
                            }
                        )
                    ],
                    full=True,
                )
            known.add(decision.merged_slug)
            counts[Outcome.INSERTED] += 1
        decided = set(
            PersonCandidate.objects.filter(status=CandidateStatus.DISTINCT).values_list("slug_a", "slug_b")
        )
        for a, b, why in distinct:
            if pair_key(a.slug, b.slug) in decided:
                counts[Outcome.UNCHANGED] += 1
                continue
            record_decision(
                actor=current.actor,
                reason=why or current.reason,
                a=a,
                b=b,
                status=CandidateStatus.DISTINCT,
            )
            counts[Outcome.INSERTED] += 1
    return counts
