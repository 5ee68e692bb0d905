"""Write the database, or the part one timeline query selects, back as seed YAML.

``import_seeds`` reads the result into an identical database: the same rows, dates (as the
EDTF text editors typed), aliases, notes, source texts byte for byte, and citations with
their quotes. Fields at their default are left out, as a person would write the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db.models import Prefetch, QuerySet

from events.models import Citation, Event, Participation, Source, Treaty, TreatyParty, TreatyProvision, Visit
from people.identity_imports import identity_decisions
from people.models import CandidateStatus, Organization, Person, PersonCandidate, PersonMerge, Role
from places.models import Country, Region
from seeds.importer.sections import SECTIONS

TEXTS = "texts"


def _clean(record: dict[str, Any], *, keep: Iterable[str] = ()) -> dict[str, Any]:
    """Drop fields at their default (empty text, None, empty lists) unless kept."""
    kept = set(keep)
    return {k: v for k, v in record.items() if k in kept or v not in ("", None, [])}


def _fields(row: Any, *names: str) -> dict[str, Any]:
    """The row's values of ``names``, as a seed file holds them: lists plain, a false flag left out."""
    values = {}
    for name in names:
        value = getattr(row, name)
        values[name] = list(value) if isinstance(value, list | tuple) else None if value is False else value
    return values


def _citations(citations: Iterable[Citation]) -> list[dict[str, Any]]:
    return [_clean({"source": c.source.slug, "quote": c.quote, "locator": c.locator}) for c in citations]


@dataclass
class Selection:
    """The records an export writes, by seed section; every one a written record refers to is included.

    ``records`` holds a list for each section of ``seeds.importer.sections.SECTIONS``: model
    rows, or for a section exported as records already, the records themselves.
    """

    records: dict[str, list[Any]]


def _events(events: QuerySet[Event]) -> list[Event]:
    return list(
        events.select_related("treaty", "visit__visitor", "visit__host_country")
        .prefetch_related(
            Prefetch(
                "participants", Participation.objects.select_related("person", "country").order_by("pk")
            ),
            Prefetch("country_links__country"),
            Prefetch("region_links__region"),
            Prefetch("citations", Citation.objects.select_related("source").order_by("pk")),
            Prefetch("visit__destination_links__region"),
        )
        .order_by("date_earliest", "date_latest", "title", "pk")
    )


def select(events: QuerySet[Event] | None = None) -> Selection:
    """Everything (``events`` None), or the given events with all they refer to."""
    treaties = (
        Treaty.objects.select_related("parent")
        .prefetch_related(
            Prefetch(
                "parties",
                TreatyParty.objects.select_related("country", "organization", "signatory").order_by("pk"),
            ),
            Prefetch("provisions", TreatyProvision.objects.order_by("pk")),
            Prefetch("citations", Citation.objects.select_related("source").order_by("pk")),
        )
        .order_by("slug")
    )
    people = Person.objects.select_related("nationality").prefetch_related(
        Prefetch(
            "roles",
            Role.objects.select_related("country", "post_country", "post_organization")
            .prefetch_related(Prefetch("citations", Citation.objects.select_related("source").order_by("pk")))
            .order_by("pk"),
        ),
        Prefetch("identifiers"),
    )
    if events is None:
        everyone = list(people.order_by("slug"))
        return Selection(
            {
                "sources": list(Source.objects.order_by("slug")),
                "countries": list(Country.objects.order_by("code")),
                "organizations": list(Organization.objects.order_by("slug")),
                "regions": list(
                    Region.objects.select_related("country", "parent").order_by("path", "name", "pk")
                ),
                "people": everyone,
                "treaties": list(treaties),
                "events": _events(Event.objects.all()),
                "person_decisions": _person_decisions(everyone),
            }
        )
    chosen = _events(events)
    treaty_ids = {e.treaty_id for e in chosen if e.treaty_id}
    # An amendment's file names its parent: export the parents too, up the chain.
    parents = treaty_ids
    while (
        parents := set(
            Treaty.objects.filter(pk__in=parents, parent__isnull=False).values_list("parent_id", flat=True)
        )
        - treaty_ids
    ):
        treaty_ids |= parents
    chosen_treaties = list(treaties.filter(pk__in=treaty_ids))
    person_ids = {p.person_id for e in chosen for p in e.participants.all() if p.person_id}
    person_ids |= {e.visit.visitor_id for e in chosen if _visit(e)}
    person_ids |= {p.signatory_id for t in chosen_treaties for p in t.parties.all() if p.signatory_id}
    chosen_people = list(people.filter(pk__in=person_ids).order_by("slug"))
    cited = [c for e in chosen for c in e.citations.all()]
    cited += [c for t in chosen_treaties for c in t.citations.all()]
    cited += [c for p in chosen_people for r in p.roles.all() for c in r.citations.all()]
    codes = {c.country.code for e in chosen for c in e.country_links.all()}
    codes |= {p.country.code for e in chosen for p in e.participants.all() if p.country}
    codes |= {e.visit.host_country.code for e in chosen if _visit(e)}
    codes |= {p.nationality.code for p in chosen_people if p.nationality}
    codes |= {r.country.code for p in chosen_people for r in p.roles.all() if r.country}
    codes |= {r.post_country.code for p in chosen_people for r in p.roles.all() if r.post_country}
    organization_ids = {r.post_organization_id for p in chosen_people for r in p.roles.all()}
    organization_ids |= {p.organization_id for t in chosen_treaties for p in t.parties.all()}
    codes |= {p.country.code for t in chosen_treaties for p in t.parties.all() if p.country}
    region_ids = {link.region_id for e in chosen for link in e.region_links.all()}
    region_ids |= {link.region_id for e in chosen if _visit(e) for link in e.visit.destination_links.all()}
    regions = Region.objects.filter(pk__in=region_ids).only("path")
    region_ids |= {ancestor for r in regions for ancestor in r.ancestor_ids()}
    chosen_regions = list(
        Region.objects.filter(pk__in=region_ids)
        .select_related("country", "parent")
        .order_by("path", "name", "pk")
    )
    codes |= {r.country.code for r in chosen_regions}
    return Selection(
        {
            "sources": list(Source.objects.filter(pk__in={c.source_id for c in cited}).order_by("slug")),
            "countries": list(Country.objects.filter(code__in=codes).order_by("code")),
            "organizations": list(
                Organization.objects.filter(pk__in=organization_ids - {None}).order_by("slug")
            ),
            "regions": chosen_regions,
            "people": chosen_people,
            "treaties": chosen_treaties,
            "events": chosen,
            "person_decisions": _person_decisions(chosen_people),
        }
    )


def _person_decisions(people: list[Person]) -> list[dict[str, Any]]:
    """Editors' merges into these people, and the pairs of them marked distinct (issue 20).

    Written by the slugs that name the people now, so the file refers only to people it holds.
    """
    slugs = {p.slug for p in people}
    decisions = identity_decisions()
    merges = PersonMerge.objects.filter(survivor__in=people).select_related("survivor")
    written = [
        _clean(
            {
                "decision": "merged",
                "person": m.survivor.slug,
                "other": m.merged_slug,
                "name": m.merged_name,
                "reason": m.reason,
            }
        )
        for m in merges.order_by("merged_slug")
    ]
    seen: set[tuple[str, str]] = set()
    candidates = PersonCandidate.objects.filter(status=CandidateStatus.DISTINCT).order_by("slug_a", "slug_b")
    for candidate in candidates:
        a, b = sorted((decisions.canonical(candidate.slug_a), decisions.canonical(candidate.slug_b)))
        if a != b and a in slugs and b in slugs and (a, b) not in seen:
            seen.add((a, b))
            written.append(
                _clean({"decision": "distinct", "person": a, "other": b, "reason": candidate.reason})
            )
    return written


def _visit(event: Event) -> Visit | None:
    try:
        return event.visit
    except Visit.DoesNotExist:
        return None


def _source(source: Source) -> dict[str, Any]:
    # The text itself goes to its own file (write_seeds), as editors keep it.
    text_file = f"{TEXTS}/{source.slug}.txt" if source.text else None
    names = ("slug", "title", "publisher", "url", "commit", "licence", "licence_url", "attribution")
    values = _fields(source, *names, "published_on")
    return _clean({**values, "text_file": text_file, "note": source.note})


def _country(country: Country) -> dict[str, Any]:
    return _clean(_fields(country, "code", "alpha3", "name", "aliases", "historical", "founded", "dissolved"))


def _organization(organization: Organization) -> dict[str, Any]:
    names = ("slug", "name", "abbreviation", "classification", "founded", "dissolved", "aliases", "note")
    return _clean(_fields(organization, *names))


def _region(region: Region) -> dict[str, Any]:
    return _clean(
        {
            **_fields(region, "slug", "iso_code", "name", "kind"),
            "country": region.country.code,
            "parent": region.parent.slug if region.parent else None,
            **_fields(region, "aliases", "latitude", "longitude"),
        }
    )


def _person(person: Person) -> dict[str, Any]:
    roles = [
        _clean(
            {
                "title": r.title,
                "country": r.country.code if r.country else None,
                "post_country": r.post_country.code if r.post_country else None,
                "post_organization": r.post_organization.slug if r.post_organization else None,
                "start": r.start,
                "end": r.end,
                "ongoing": r.ongoing or None,
                "note": r.note,
                "citations": _citations(r.citations.all()),
            }
        )
        for r in person.roles.all()
    ]
    return _clean(
        {
            "slug": person.slug,
            "name": person.name,
            "aliases": list(person.aliases),
            "wikidata_id": person.wikidata_id,
            "identifiers": [{"scheme": i.scheme, "value": i.value} for i in person.identifiers.all()],
            "nationality": person.nationality.code if person.nationality else None,
            "born": person.born,
            "died": person.died,
            "note": person.note,
            "roles": roles,
        }
    )


def _treaty(treaty: Treaty) -> dict[str, Any]:
    return _clean(
        {
            "slug": treaty.slug,
            "name": treaty.name,
            "short_name": treaty.short_name,
            "alternative_name": treaty.alternative_name,
            "treaty_type": treaty.treaty_type,
            "domain": treaty.domain,
            "subject": treaty.subject,
            "ambit": treaty.ambit,
            "parent": treaty.parent.slug if treaty.parent else None,
            "signed": treaty.signed,
            "in_force": treaty.in_force,
            "ended": treaty.ended,
            "open_ended": treaty.open_ended or None,
            "note": treaty.note,
            "parties": [
                _clean(
                    {
                        "country": p.country.code if p.country else None,
                        "organization": p.organization.slug if p.organization else None,
                        "signatory": p.signatory.slug if p.signatory else None,
                        "signed": p.signed,
                        "ratified": p.ratified,
                        "in_force": p.in_force,
                        "ended": p.ended,
                        "open_ended": p.open_ended or None,
                    }
                )
                for p in treaty.parties.all()
            ],
            "provisions": [
                _clean({"kind": p.kind, "article": p.article, "summary": p.summary}, keep=["summary"])
                for p in treaty.provisions.all()
            ],
            "citations": _citations(treaty.citations.all()),
        }
    )


def _event(event: Event) -> dict[str, Any]:
    visit = _visit(event)
    return _clean(
        {
            "slug": event.slug,
            "kind": event.kind,
            "title": event.title,
            "summary": event.summary,
            "date": event.date,
            "status": event.status,
            "treaty": event.treaty.slug if event.treaty else None,
            "countries": [link.country.code for link in event.country_links.all()],
            "regions": [link.region.slug for link in event.region_links.all()],
            "participants": [
                _clean(
                    {
                        "role": p.role,
                        "person": p.person.slug if p.person else None,
                        "country": p.country.code if p.country else None,
                        "note": p.note,
                    }
                )
                for p in event.participants.all()
            ],
            "citations": _citations(event.citations.all()),
            "note": event.note,
            "visit": _clean(
                {
                    "slug": visit.slug,
                    "kind": visit.kind,
                    "visitor": visit.visitor.slug,
                    "host_country": visit.host_country.code,
                    "destinations": [link.region.slug for link in visit.destination_links.all()],
                    "delegation_size": visit.delegation_size,
                    "purpose": visit.purpose,
                    "note": visit.note,
                }
            )
            if visit
            else None,
        }
    )


def _exporter(name: str) -> Callable[[Any], dict[str, Any]]:
    """The function of this module that ``seeds.importer.sections`` names for a section's rows."""
    return globals()[name]


def write_seeds(selection: Selection, folder: Path, *, name: str = "export.yaml") -> Path:
    """Write ``selection`` as ``folder/name`` with source texts under ``folder/texts/``."""
    texts = folder / TEXTS
    texts.mkdir(parents=True, exist_ok=True)
    for source in selection.records["sources"]:
        if source.text:
            # Byte for byte, line endings as stored: the importer reads it back with newline="".
            with (texts / f"{source.slug}.txt").open("w", encoding="utf-8", newline="") as handle:
                handle.write(source.text)
    document = {}
    for section in SECTIONS:
        rows = selection.records[section.name]
        document[section.name] = (
            rows if section.export is None else [_exporter(section.export)(r) for r in rows]
        )
    path = folder / name
    header = "# Written by `python manage.py export_seeds`; `python manage.py import_seeds` reads it back.\n"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(header)
        yaml.safe_dump(_clean(document), handle, sort_keys=False, allow_unicode=True, width=100)
    return path
