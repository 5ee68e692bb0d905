"""The identity rules on the importer's records: profiles from the documents, id collisions.

A profile is one slug across the datasets (hsg-pocom and hsg-travels give one person the same
hsg id, which is their slug), with the years the records give: birth and death, roles'
starts and ends, the dates of the visits and trips the person makes.

Two datasets' records that share a slug but not a life (hsg-pocom's ``taft-william-howard`` is
William Howard Taft III, born 1915; presidents.xml's is President Taft, born 1857) are two
people: the younger keeps the id's record under ``<slug>-<birth year>`` without the shared
identifier, and the collision is reported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from seeds.datasets.base import DatasetDocument
from seeds.datasets.identity.score import Profile, conflict

_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def year(edtf: str | None) -> int | None:
    """The first year an EDTF text names ("[1953-04-08..]" -> 1953), or None."""
    found = _YEAR.search(edtf or "")
    return int(found.group(1)) if found else None


@dataclass(frozen=True)
class Collision:
    dataset: str
    slug: str
    renamed: str
    why: str


def _span(years: list[int]) -> tuple[int, int] | None:
    return (min(years), max(years)) if years else None


def _activity(
    datasets: list[DatasetDocument],
) -> tuple[dict[tuple[str, str], list[int]], dict[tuple[str, str], int]]:
    """(dataset, slug) -> the years of its events, and how many events name it."""
    years: dict[tuple[str, str], list[int]] = defaultdict(list)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for doc in datasets:
        for _, event in doc.records.get("events", []):
            slugs = {p.person for p in event.participants if p.person}
            if event.visit is not None and event.visit.visitor:
                slugs.add(event.visit.visitor)
            when = year(event.date)
            for slug in slugs:
                counts[(doc.dataset, slug)] += 1
                if when is not None:
                    years[(doc.dataset, slug)].append(when)
    return years, counts


def _profile(
    source: str, record: Any, years: list[int], references: int, *, curated: bool = False
) -> Profile:
    role_years = [y for r in record.roles for y in (year(r.start), year(r.end)) if y is not None]
    return Profile(
        slug=record.slug,
        names=(record.name, *record.aliases),
        country=record.nationality or "",
        source=source,
        born=year(record.born),
        died=year(record.died),
        active=_span(role_years + years),
        identifiers=frozenset((i.scheme, i.value) for i in record.identifiers),
        curated=curated,
        references=references,
    )


def split_collisions(datasets: list[DatasetDocument]) -> list[Collision]:
    """Rename the younger of two datasets' records that share a slug but conflict (module doc)."""
    years, _ = _activity(datasets)
    first: dict[str, tuple[DatasetDocument, Any]] = {}
    collisions = []
    for doc in datasets:
        people = []
        for index, record in doc.records.get("people", []):
            seen = first.get(record.slug)
            if seen is None or seen[0].dataset == doc.dataset:
                first.setdefault(record.slug, (doc, record))
                people.append((index, record))
                continue
            a = _profile(seen[0].dataset, seen[1], years[(seen[0].dataset, record.slug)], 0)
            b = _profile(doc.dataset, record, years[(doc.dataset, record.slug)], 0)
            why = conflict(a, b)
            if why is None:
                people.append((index, record))
                continue
            younger_doc, younger = (doc, record) if (b.born or 0) >= (a.born or 0) else seen
            renamed = f"{record.slug}-{year(younger.born) or younger_doc.dataset}"
            kept = younger.model_copy(
                update={
                    "slug": renamed,
                    "identifiers": [i for i in younger.identifiers if i.value != record.slug],
                }
            )
            collisions.append(Collision(younger_doc.dataset, record.slug, renamed, why))
            if younger is record:
                people.append((index, kept))
            else:
                people.append((index, record))
                younger_doc.records["people"] = [
                    (i, kept if r is younger else r) for i, r in younger_doc.records["people"]
                ]
                first[record.slug] = (doc, record)
        doc.records["people"] = people
    return collisions


def profiles(curated: list[Any], datasets: list[DatasetDocument]) -> list[Profile]:
    """One profile per curated person and per dataset slug (a slug's records across datasets)."""
    years, counts = _activity(datasets)
    found: dict[str, Profile] = {}
    for doc in curated:
        for _, record in doc.records.get("people", []):
            found[record.slug] = _profile("seeds", record, [], 0, curated=True)
    for doc in datasets:
        for _, record in doc.records.get("people", []):
            key = (doc.dataset, record.slug)
            profile = _profile(doc.dataset, record, years[key], counts[key])
            seen = found.get(record.slug)
            if seen is not None and seen.curated:
                continue  # a dataset's record under a curated slug: resolve joins or renames it
            found[record.slug] = profile if seen is None else _combined(seen, profile)
    return list(found.values())


def _combined(a: Profile, b: Profile) -> Profile:
    spans = [s for s in (a.active, b.active) if s]
    return Profile(
        slug=a.slug,
        names=tuple(dict.fromkeys((*a.names, *b.names))),
        country=a.country or b.country,
        source=a.source,
        born=a.born if a.born is not None else b.born,
        died=a.died if a.died is not None else b.died,
        active=(min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None,
        identifiers=a.identifiers | b.identifiers,
        references=a.references + b.references,
    )


def rename(datasets: list[DatasetDocument], dataset: str, old: str, new: str) -> None:
    """Give a dataset's person record another slug, in its people and in its events."""

    def person(slug: str | None) -> str | None:
        return new if slug == old else slug

    for doc in datasets:
        if doc.dataset != dataset:
            continue
        doc.records["people"] = [
            (i, r.model_copy(update={"slug": new}) if r.slug == old else r)
            for i, r in doc.records.get("people", [])
        ]
        events = []
        for index, event in doc.records.get("events", []):
            if any(p.person == old for p in event.participants) or (
                event.visit and event.visit.visitor == old
            ):
                update: dict[str, Any] = {
                    "participants": [
                        p.model_copy(update={"person": person(p.person)}) for p in event.participants
                    ]
                }
                if event.visit is not None:
                    update["visit"] = event.visit.model_copy(update={"visitor": person(event.visit.visitor)})
                event = event.model_copy(update=update)
            events.append((index, event))
        doc.records["events"] = events
