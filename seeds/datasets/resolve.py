"""Join the datasets' people and places to Chancery's, by written rules only, before validation.

People (docs/datasets.md, "Who is who"):

1. editors' decisions (``Decisions``: a merged-away slug joins its survivor; two people said
   to be different are never merged) and the scored identity rules
   (``seeds.datasets.identity``): records the rules say are one person become one record,
   the others' names its aliases, the rule and score in the person's note and the report;
   pairs the rules cannot decide are reported as candidates (``Resolution.candidates``);
2. an identifier (scheme + value) a person in the files or the database already has, unless
   the records' facts conflict (then the younger is renamed and the collision reported);
3. the curated alias file ``seeds/datasets/people-aliases.yaml`` (dataset, name, country -> person);
4. the same normalised name (accents, case, punctuation ignored), or one of the person's
   aliases, and the same country (nationality) as exactly one person of the curated seed
   files or the database.

Places: a destination ``locale:CC:Name`` becomes the region of country CC whose name or
alias is Name (the curated seeds' region first, then the gazetteer's, then the
database's); when there is none, a new region of kind ``city`` at the top of that
country, slug ``slugify(Name)`` (with ``-cc`` when the slug is taken).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from people.identity_imports import identity_decisions
from people.models import Identifier, Person
from places.selectors import regions_cities_first
from seeds.datasets.base import DataProblem, DatasetDocument
from seeds.datasets.hsg.names import normalised, slug_for
from seeds.datasets.identity import NO_DECISIONS, Candidate, Decisions, identify
from seeds.importer import gazetteer
from seeds.importer.schema import RegionRecord

ALIASES = Path(__file__).resolve().parent / "people-aliases.yaml"
LOCALE = "locale:"


class Kind:
    LIKELY_DUPLICATE = "possible duplicate (not merged)"
    AMBIGUOUS = "name matches several people (not merged)"
    SLUG_TAKEN = "slug taken by another person (renamed)"
    MERGED = "one person by rule (merged)"
    COLLISION = "one id, two people (kept apart)"


@dataclass
class Resolution:
    problems: list[DataProblem] = field(default_factory=list)
    merged: int = 0
    joined: int = 0
    new_regions: int = 0
    candidates: list[Candidate] = field(default_factory=list)


def stored_decisions() -> Decisions:
    """The editors' decisions stored in the database (people.identity_imports), as the rules take them."""
    stored = identity_decisions()
    return Decisions(distinct=frozenset(stored.distinct), merged=dict(stored.merged))


def _with_merges(
    datasets: list[DatasetDocument], aliases: dict[tuple[str, str, str], str], merged: Mapping[str, str]
) -> dict[tuple[str, str, str], str]:
    """Join a record whose slug an editor merged away to the survivor, as the curated alias file joins.

    A merge outlives re-imports (issue 20): without this, the dataset's record would
    make the merged person again whenever its name no longer matches the survivor's.
    """
    if not merged:
        return aliases
    joined = dict(aliases)
    for doc in datasets:
        for _, record in doc.records.get("people", []):
            if (survivor := merged.get(record.slug)) is not None:
                joined[(doc.dataset, normalised(record.name), record.nationality or "")] = survivor
    return joined


def _aliases(path: Path = ALIASES) -> dict[tuple[str, str, str], str]:
    if not path.exists():
        return {}
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
    return {
        (entry["dataset"], normalised(entry["name"]), entry.get("country", "")): entry["person"]
        for entry in data.get("people", [])
    }


def resolve(docs: list[Any], *, aliases: Path = ALIASES, decisions: Decisions = NO_DECISIONS) -> Resolution:
    """Rewrite the dataset documents' people and destinations in place (see the module doc)."""
    result = Resolution()
    datasets = [d for d in docs if isinstance(d, DatasetDocument)]
    if not datasets:
        return result
    curated = [d for d in docs if not isinstance(d, DatasetDocument)]
    if decisions is NO_DECISIONS:
        decisions = stored_decisions()
    found = identify(curated, datasets, decisions)
    result.candidates = found.candidates
    result.problems += found.problems
    _people(
        curated, datasets, _with_merges(datasets, _aliases(aliases), decisions.merged), result, found.joins
    )
    _places(docs, curated, datasets, result)
    return result


# -- people ---------------------------------------------------------------------------------------


def _people(
    curated: list[Any],
    datasets: list[DatasetDocument],
    aliases: dict[tuple[str, str, str], str],
    result: Resolution,
    joins: dict[tuple[str, str], str],
) -> None:
    by_identifier: dict[tuple[str, str], str] = {}
    by_name: dict[tuple[str, str], set[str]] = defaultdict(set)
    taken: set[str] = set()
    merged_away = set(joins)
    for slug, name, person_aliases, country in Person.objects.values_list(
        "slug", "name", "aliases", "nationality__code"
    ):
        taken.add(slug)
        for written in [name, *person_aliases]:
            by_name[(country or "", normalised(written))].add(slug)
    for scheme, value, slug in Identifier.objects.values_list("scheme", "value", "person__slug"):
        by_identifier[(scheme, value)] = slug
    for doc in curated:
        for _, record in doc.records.get("people", []):
            taken.add(record.slug)
            for written in [record.name, *record.aliases]:
                by_name[(record.nationality or "", normalised(written))].add(record.slug)
            for identifier in record.identifiers:
                by_identifier[(identifier.scheme, identifier.value)] = record.slug
    curated_slugs = {r.slug for d in curated for _, r in d.records.get("people", [])}
    dataset_slugs = {r.slug for d in datasets for _, r in d.records.get("people", [])}
    # A person an earlier import wrote under a slug this run merges away is not a join target.
    stale = {slug for _, slug in merged_away} - {joins[k] for k in merged_away}
    for key in list(by_name):
        by_name[key] -= stale

    mapping: dict[tuple[str, str], str] = {}  # (dataset, slug given) -> slug written
    kept: dict[str, tuple[DatasetDocument, int, Any]] = {}
    waiting: dict[str, list[Any]] = defaultdict(list)  # survivor slug -> records merged into it
    for doc in datasets:
        survivors = []
        for index, record in doc.records.get("people", []):
            target = joins.get((doc.dataset, record.slug))
            if target is None:
                target = _match(doc, record, by_identifier, by_name, aliases, result)
            if target is not None and (target in curated_slugs or target != record.slug):
                # One of the curated people, or another record: write no second person.
                mapping[(doc.dataset, record.slug)] = target
                result.joined += 1
                if target in kept:
                    kept[target] = (*kept[target][:2], _merge(kept[target][2], record))
                    result.merged += 1
                elif target in dataset_slugs and target not in curated_slugs:
                    waiting[target].append(record)  # merged when the survivor's own record comes
                continue
            if target is None and record.slug in taken and record.slug not in kept:
                renamed = _free(f"{record.slug}-{(record.nationality or 'xx').lower()}", taken)
                result.problems.append(
                    DataProblem(
                        doc.dataset,
                        Kind.SLUG_TAKEN,
                        doc.name.split(" ", 1)[-1],
                        record.slug,
                        "slug",
                        record.slug,
                        recorded_as=renamed,
                    )
                )
                mapping[(doc.dataset, record.slug)] = renamed
                for waiting_record in waiting.pop(record.slug, []):
                    waiting[renamed].append(waiting_record)
                record = record.model_copy(update={"slug": renamed})
            if record.slug in kept:
                # Another dataset's record of the same person (a shared identifier, rule 2).
                first_doc, first_index, first = kept[record.slug]
                kept[record.slug] = (first_doc, first_index, _merge(first, record))
                result.merged += 1
                continue
            for other in waiting.pop(record.slug, []):
                record = _merge(record, other)
                result.merged += 1
            kept[record.slug] = (doc, index, record)
            taken.add(record.slug)
            survivors.append((index, record))
        doc.records["people"] = survivors
    for doc in datasets:
        doc.records["people"] = [(i, kept[r.slug][2]) for i, r in doc.records.get("people", [])]
    # A survivor may itself have been renamed (a taken slug) or joined to a known person.
    onward = {old: new for (_, old), new in mapping.items() if old in set(joins.values())}
    for key, target in mapping.items():
        seen = {target}
        while target in onward and onward[target] not in seen:
            target = onward[target]
            seen.add(target)
        mapping[key] = target
    for doc in datasets:
        _rewrite_people(doc, mapping)


def _match(
    doc: DatasetDocument,
    record: Any,
    by_identifier: dict[tuple[str, str], str],
    by_name: dict[tuple[str, str], set[str]],
    aliases: dict[tuple[str, str, str], str],
    result: Resolution,
) -> str | None:
    for identifier in record.identifiers:
        if (found := by_identifier.get((identifier.scheme, identifier.value))) is not None:
            return found
    country = record.nationality or ""
    if (found := aliases.get((doc.dataset, normalised(record.name), country))) is not None:
        return found
    candidates = by_name.get((country, normalised(record.name)), set())
    if record.slug in candidates:
        return record.slug  # the person an earlier import wrote from this record
    if len(candidates) == 1:
        return next(iter(candidates))
    if len(candidates) > 1:
        result.problems.append(
            DataProblem(
                doc.dataset,
                Kind.AMBIGUOUS,
                doc.name.split(" ", 1)[-1],
                record.slug,
                "name",
                record.name,
                recorded_as=f"a person of its own (candidates: {', '.join(sorted(candidates))})",
            )
        )
    return None


def _merge(first: Any, other: Any) -> Any:
    """One person from two datasets' records: the first's name, both's aliases, ids and roles."""
    aliases = list(first.aliases)
    for name in [other.name, *other.aliases]:
        if name != first.name and name not in aliases:
            aliases.append(name)
    identifiers = list(first.identifiers)
    identifiers += [
        i for i in other.identifiers if (i.scheme, i.value) not in {(j.scheme, j.value) for j in identifiers}
    ]
    keys = {(r.title, r.country, r.post_country, r.post_organization, r.start) for r in first.roles}
    roles = list(first.roles) + [
        r
        for r in other.roles
        if (r.title, r.country, r.post_country, r.post_organization, r.start) not in keys
    ]
    return first.model_copy(
        update={
            "aliases": aliases,
            "identifiers": identifiers,
            "roles": roles,
            "born": first.born or other.born,
            "died": first.died or other.died,
            "nationality": first.nationality or other.nationality,
        }
    )


def _free(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def _rewrite_people(doc: DatasetDocument, mapping: dict[tuple[str, str], str]) -> None:
    def person(slug: str | None) -> str | None:
        return mapping.get((doc.dataset, slug), slug) if slug is not None else None

    events = []
    for index, event in doc.records.get("events", []):
        update: dict[str, Any] = {}
        if any(p.person is not None and (doc.dataset, p.person) in mapping for p in event.participants):
            update["participants"] = [
                p.model_copy(update={"person": person(p.person)}) for p in event.participants
            ]
        if event.visit is not None and (doc.dataset, event.visit.visitor) in mapping:
            update["visit"] = event.visit.model_copy(update={"visitor": person(event.visit.visitor)})
        events.append((index, event.model_copy(update=update) if update else event))
    doc.records["events"] = events


# -- places ---------------------------------------------------------------------------------------


def _places(docs: list[Any], curated: list[Any], datasets: list[DatasetDocument], result: Resolution) -> None:
    wanted = {
        ref
        for doc in datasets
        for _, event in doc.records.get("events", [])
        for ref in [*event.regions, *(event.visit.destinations if event.visit else [])]
        if ref.startswith(LOCALE)
    }
    if not wanted:
        return
    index: dict[tuple[str, str], str] = {}
    slugs: set[str] = set()

    def add(country: str | None, slug: str | None, names: list[str]) -> None:
        if not country or not slug:
            return
        slugs.add(slug)
        for name in names:
            if name:
                index.setdefault((country, normalised(name)), slug)

    by_iso: dict[str, RegionRecord] = {}
    if any(getattr(d, "gazetteer", False) for d in docs):
        by_iso = dict(gazetteer.regions())
    for doc in curated:
        for _, record in doc.records.get("regions", []):
            base = by_iso.get(record.iso_code or "")
            name = record.name or (base.name if base else None)
            add(
                record.country or (base.country if base else None),
                record.slug or (base.slug if base else None),
                [name or "", *record.aliases, *((base.name,) if base else ())],
            )
            if record.iso_code and base is not None:
                by_iso.pop(record.iso_code)
    for record in by_iso.values():
        add(record.country, record.slug, [record.name])
    for slug, name, aliases, country in regions_cities_first().values_list(
        "slug", "name", "aliases", "country__code"
    ):
        add(country, slug, [name, *aliases])
    new: dict[tuple[str, str], RegionRecord] = {}
    mapping: dict[str, str] = {}
    for ref in sorted(wanted):
        _, country, name = ref.split(":", 2)
        key = (country, normalised(name))
        if key in index:
            mapping[ref] = index[key]
            continue
        if key not in new:
            slug = slug_for(name)
            if slug in slugs:
                slug = _free(f"{slug}-{country.lower()}", slugs)
            slugs.add(slug)
            new[key] = RegionRecord.model_validate(
                {"slug": slug, "name": name, "kind": "city", "country": country}
            )
        mapping[ref] = new[key].slug
    if new:
        doc = datasets[-1]
        places = DatasetDocument(path=doc.path, name=f"{doc.dataset} (places)", dataset=doc.dataset)
        places.records["regions"] = list(enumerate(new.values()))
        for i, record in enumerate(new.values()):
            places.record_ids[("regions", i)] = record.name
        docs.append(places)
        result.new_regions = len(new)
    for doc in datasets:
        events = []
        for i, event in doc.records.get("events", []):
            if not any(r.startswith(LOCALE) for r in event.regions) and not (
                event.visit and any(r.startswith(LOCALE) for r in event.visit.destinations)
            ):
                events.append((i, event))
                continue
            regions = list(dict.fromkeys(mapping.get(r, r) for r in event.regions))
            update: dict[str, Any] = {"regions": regions}
            if event.visit is not None:
                destinations = list(dict.fromkeys(mapping.get(r, r) for r in event.visit.destinations))
                update["visit"] = event.visit.model_copy(update={"destinations": destinations})
            events.append((i, event.model_copy(update=update)))
        doc.records["events"] = events
