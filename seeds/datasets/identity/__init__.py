"""Who is who across the bundled datasets: written, scored rules that merge one person's records.

``identify`` runs before the resolve step's exact joins (seeds.datasets.resolve): it splits a
shared id that names two people (records.split_collisions), builds one profile per record
(records.profiles), groups them (cluster.group: blocking, conflicts, scored rules, editors'
decisions) and says, for each merged-away record, which record it joins. The rule and score of
each merge go into the survivor's note and the import report; the pairs it could not decide
are ``Candidate`` tuples, ``candidate_pairs`` gives them to whoever stores them for editors.
``manage.py evaluate_identity`` (identity.evaluate) measures the rules on a hand-labelled set.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from seeds.datasets.base import DataProblem, DatasetDocument
from seeds.datasets.identity.cluster import NO_DECISIONS, Candidate, Decisions, Merge, group
from seeds.datasets.identity.records import profiles, rename, split_collisions

__all__ = ["NO_DECISIONS", "Candidate", "Decisions", "Identified", "candidate_pairs", "identify"]


class Kind:
    MERGED = "one person by rule (merged)"
    COLLISION = "one id, two people (kept apart)"
    CANDIDATE = "possible duplicate (not merged)"


@dataclass
class Identified:
    joins: dict[tuple[str, str], str] = field(default_factory=dict)  # (dataset, slug) -> survivor
    merges: list[Merge] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    problems: list[DataProblem] = field(default_factory=list)


def identify(
    curated: list[Any], datasets: list[DatasetDocument], decisions: Decisions = NO_DECISIONS
) -> Identified:
    """Decide who is one person; note each merge on its survivor (see the module doc)."""
    result = Identified()
    for collision in split_collisions(datasets):
        result.problems.append(
            DataProblem(
                collision.dataset,
                Kind.COLLISION,
                "people",
                collision.slug,
                "id",
                collision.slug,
                recorded_as=f"a person of its own, {collision.renamed} ({collision.why})",
            )
        )
    found = profiles(curated, datasets)
    outcome = group(found, decisions)
    survivor = dict(outcome.survivor)
    known = {p.slug for p in found}
    renamed = _plain_slugs(datasets, found, survivor, known)
    result.candidates = [
        c._replace(slug_a=renamed.get(c.slug_a, c.slug_a), slug_b=renamed.get(c.slug_b, c.slug_b))
        for c in outcome.candidates
    ]
    for old, new in decisions.merged.items():
        if old in known and new not in known:
            survivor.setdefault(old, new)  # an editor's survivor the files do not name (the database's)
    where = {}
    for doc in datasets:
        for _, record in doc.records.get("people", []):
            where.setdefault(record.slug, doc.dataset)
            if record.slug in survivor:
                result.joins[(doc.dataset, record.slug)] = survivor[record.slug]
    names = {p.slug: p.name for p in found}
    notes: dict[str, list[str]] = defaultdict(list)
    for merge in outcome.merges:
        merge = replace(merge, survivor=renamed.get(merge.survivor, merge.survivor))
        why = f"rule {merge.rule}, score {merge.score:.2f} ({merge.evidence})"
        result.merges.append(merge)
        notes[merge.survivor].append(f"{merge.slug} ({names[merge.slug]!r}): {why}")
        result.problems.append(
            DataProblem(
                where.get(merge.slug, "seeds"),
                Kind.MERGED,
                "people",
                merge.slug,
                "name",
                names[merge.slug],
                recorded_as=f"{merge.survivor}: {why}",
            )
        )
    for candidate in result.candidates:
        result.problems.append(
            DataProblem(
                where.get(candidate.slug_a, "seeds"),
                Kind.CANDIDATE,
                "people",
                candidate.slug_a,
                "name",
                names[candidate.slug_a],
                recorded_as=(
                    f"kept apart from {candidate.slug_b} ({names[candidate.slug_b]!r}): "
                    f"rule {candidate.rule}, score {candidate.score:.2f}"
                ),
            )
        )
    _note(datasets, notes)
    return result


def _plain_slugs(
    datasets: list[DatasetDocument], found: list[Any], survivor: dict[str, str], known: set[str]
) -> dict[str, str]:
    """A survivor named ``<name>-<country>`` (two states' records of one person: Havel of CSHH and of
    CZ) takes the plain ``<name>`` when no other record has it."""
    by_slug = {p.slug: p for p in found}
    renamed = {}
    for slug in sorted(set(survivor.values())):
        profile = by_slug.get(slug)
        suffix = f"-{profile.country.lower()}" if profile and profile.country else ""
        if not suffix or not slug.endswith(suffix) or profile.curated or slug[: -len(suffix)] in known:
            continue
        plain = slug[: -len(suffix)]
        rename(datasets, profile.source, slug, plain)
        known.add(plain)
        for old, new in survivor.items():
            if new == slug:
                survivor[old] = plain
        profile.slug = renamed[slug] = plain
    return renamed


def _note(datasets: list[DatasetDocument], notes: dict[str, list[str]]) -> None:
    """Say on each surviving record which records the import merged into it, and why."""
    for doc in datasets:
        people = []
        for index, record in doc.records.get("people", []):
            if record.slug in notes:
                text = "Merged by the import from " + "; ".join(sorted(notes.pop(record.slug))) + "."
                record = record.model_copy(update={"note": " ".join(filter(None, [record.note, text]))})
            people.append((index, record))
        doc.records["people"] = people


def candidate_pairs(docs: list[Any], decisions: Decisions = NO_DECISIONS) -> list[Candidate]:
    """The pairs the rules could not decide, as (slug_a, slug_b, score, rule, evidence), for editors.

    ``docs`` are the importer's documents (curated seed documents and dataset documents) as
    ``import_seeds`` reads them, before the resolve step; they are not changed.
    """
    datasets = [
        replace(d, records={k: list(v) for k, v in d.records.items()})
        for d in docs
        if isinstance(d, DatasetDocument)
    ]
    curated = [d for d in docs if not isinstance(d, DatasetDocument)]
    split_collisions(datasets)
    return group(profiles(curated, datasets), decisions).candidates
