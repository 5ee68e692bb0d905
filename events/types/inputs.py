"""Mutation inputs for events, visits and treaties, and their translation into service arguments.

Records are named by slug and countries by ISO alpha-2 code, as in queries.
In a ``...Patch`` input an omitted field stays as it is; a given list replaces the whole list
(a treaty's ``parties`` holds its state and organisation parties alike), and ``<list>Add`` /
``<list>Remove`` change only the rows they name (issue 19).
"""

from __future__ import annotations

from typing import Any

import strawberry

from core.graphql.mutations import ReferenceResolver, provided_fields
from core.list_inputs import ListRows, list_arguments, list_input_names
from events.models import Event, Source, Treaty
from events.types.enums import (
    EventKind,
    EventStatus,
    ParticipantRole,
    ProvisionKind,
    TreatyTypeEnum,
    VisitKind,
)
from people.models import Organization, Person
from places.models import Country, Region

UNSET: Any = strawberry.UNSET
EDTF_HELP = "EDTF date, e.g. 2024-05, 2022-04-13, 2022~, 2024-05?, 2022-02-24/.."


def _add(what: str) -> Any:
    return strawberry.field(
        default=UNSET,
        description=f"{what} to add, matched on identity (one already there takes the values given), "
        "kept with every row stored when the write lands: the safe way to add.",
    )


def _remove(what: str) -> Any:
    return strawberry.field(
        default=UNSET, description=f"{what} to remove, matched on identity (one not there is already gone)."
    )


@strawberry.input(name="ParticipantInput", description="A participant: a person, a country, or both.")
class ParticipantInput:
    role: ParticipantRole  # type: ignore[valid-type]
    person: str | None = strawberry.field(default=None, description="Person slug.")
    country: str | None = strawberry.field(default=None, description="ISO alpha-2 code.")
    note: str = ""


@strawberry.input(name="CitationInput", description="A source and the exact words relied on.")
class CitationInput:
    source: str = strawberry.field(description="Source slug.")
    quote: str = strawberry.field(default="", description="Verbatim span of the source's text.")
    locator: str = strawberry.field(
        default="",
        description="Where in the source, e.g. 'data/2010.xml #2972'; part of the citation's identity, "
        "so send back the locator you read.",
    )


@strawberry.input(name="EventInput", description="A new event.")
class EventInput:
    slug: str
    kind: EventKind  # type: ignore[valid-type]
    title: str
    date: str = strawberry.field(description=EDTF_HELP)
    summary: str = ""
    status: EventStatus = EventStatus.REPORTED  # type: ignore[valid-type]
    treaty: str | None = strawberry.field(default=None, description="Treaty slug, for a step in its life.")
    note: str = ""
    countries: list[str] = strawberry.field(default_factory=list, description="ISO alpha-2 codes.")
    regions: list[str] = strawberry.field(default_factory=list, description="Region slugs.")
    participants: list[ParticipantInput] = strawberry.field(default_factory=list)
    citations: list[CitationInput] = strawberry.field(default_factory=list)


@strawberry.input(name="EventPatch", description="Changes to an event; omitted fields stay as they are.")
class EventPatch:
    slug: str | None = UNSET
    kind: EventKind | None = UNSET  # type: ignore[valid-type]
    title: str | None = UNSET
    date: str | None = strawberry.field(default=UNSET, description=EDTF_HELP)
    summary: str | None = UNSET
    status: EventStatus | None = UNSET  # type: ignore[valid-type]
    treaty: str | None = strawberry.field(default=UNSET, description="Treaty slug; null unlinks.")
    note: str | None = UNSET
    countries: list[str] | None = UNSET
    regions: list[str] | None = UNSET
    participants: list[ParticipantInput] | None = UNSET
    citations: list[CitationInput] | None = UNSET
    countries_add: list[str] | None = _add("ISO alpha-2 codes")
    countries_remove: list[str] | None = _remove("ISO alpha-2 codes")
    regions_add: list[str] | None = _add("Region slugs")
    regions_remove: list[str] | None = _remove("Region slugs")
    participants_add: list[ParticipantInput] | None = _add("Participants")
    participants_remove: list[ParticipantInput] | None = _remove("Participants")
    citations_add: list[CitationInput] | None = _add("Citations")
    citations_remove: list[CitationInput] | None = _remove("Citations")


def _countries(codes: list[str], refs: ReferenceResolver, at: str) -> list[Any]:
    return [refs.get(Country, f"{at}.{i}", c, key="code") for i, c in enumerate(codes)]


def _regions(slugs: list[str], refs: ReferenceResolver, at: str) -> list[Any]:
    return [refs.get(Region, f"{at}.{i}", s) for i, s in enumerate(slugs)]


def _participants(people: list[ParticipantInput], refs: ReferenceResolver, at: str) -> list[dict[str, Any]]:
    return [
        {
            "role": p.role,
            "person": refs.get(Person, f"{at}.{i}.person", p.person),
            "country": refs.get(Country, f"{at}.{i}.country", p.country, key="code"),
            "note": p.note,
        }
        for i, p in enumerate(people)
    ]


def _citation_rows(items: list[CitationInput], refs: ReferenceResolver, at: str) -> list[dict[str, Any]]:
    return [
        {
            "source": refs.get(Source, f"{at}.{i}.source", c.source),
            "quote": c.quote,
            "locator": c.locator,
        }
        for i, c in enumerate(items)
    ]


EVENT_LISTS: dict[str, ListRows] = {
    "countries": _countries,
    "regions": _regions,
    "participants": _participants,
    "citations": _citation_rows,
}


def event_arguments(data: EventInput | EventPatch) -> dict[str, Any]:
    """Return service keyword arguments for ``data``, its slugs and codes resolved."""
    refs = ReferenceResolver()
    fields = provided_fields(data, skip=list_input_names(EVENT_LISTS))
    if "treaty" in fields:
        fields["treaty"] = refs.get(Treaty, "treaty", fields["treaty"])
    arguments: dict[str, Any] = {"fields": fields, **list_arguments(data, EVENT_LISTS, refs)}
    refs.check()
    return arguments


@strawberry.input(name="VisitInput", description="A visit, made of an existing event.")
class VisitInput:
    slug: str
    event: str = strawberry.field(description="Slug of the event the visit is.")
    visitor: str = strawberry.field(description="Person slug.")
    host_country: str = strawberry.field(description="ISO alpha-2 code.")
    kind: VisitKind = VisitKind.UNSPECIFIED  # type: ignore[valid-type]
    destinations: list[str] = strawberry.field(default_factory=list, description="Region slugs.")
    delegation_size: int | None = None
    purpose: str = ""
    note: str = ""


@strawberry.input(name="VisitPatch", description="Changes to a visit; omitted fields stay as they are.")
class VisitPatch:
    slug: str | None = UNSET
    event: str | None = UNSET
    visitor: str | None = UNSET
    host_country: str | None = UNSET
    kind: VisitKind | None = UNSET  # type: ignore[valid-type]
    destinations: list[str] | None = UNSET
    delegation_size: int | None = UNSET
    purpose: str | None = UNSET
    note: str | None = UNSET
    destinations_add: list[str] | None = _add("Region slugs")
    destinations_remove: list[str] | None = _remove("Region slugs")


def visit_arguments(data: VisitInput | VisitPatch) -> dict[str, Any]:
    """Return service keyword arguments for ``data``, its slugs and codes resolved."""
    refs = ReferenceResolver()
    fields = provided_fields(data, skip=list_input_names({"destinations": _regions}))
    if "event" in fields:
        fields["event"] = refs.get(Event, "event", fields["event"])
    if "visitor" in fields:
        fields["visitor"] = refs.get(Person, "visitor", fields["visitor"])
    if "host_country" in fields:
        fields["host_country"] = refs.get(Country, "host_country", fields["host_country"], key="code")
    arguments: dict[str, Any] = {"fields": fields, **list_arguments(data, {"destinations": _regions}, refs)}
    refs.check()
    return arguments


@strawberry.input(
    name="TreatyPartyInput",
    description="A party, a state (country) or an international organisation (organization): exactly one "
    "of them; who signed for it and when.",
)
class TreatyPartyInput:
    country: str | None = strawberry.field(default=None, description="ISO alpha-2 code of a state party.")
    organization: str | None = strawberry.field(default=None, description="Slug of an organisation party.")
    signatory: str | None = strawberry.field(default=None, description="Person slug.")
    signed: str = strawberry.field(default="", description=EDTF_HELP)
    ratified: str = strawberry.field(default="", description=EDTF_HELP)
    in_force: str = strawberry.field(default="", description=EDTF_HELP)
    ended: str = strawberry.field(default="", description=EDTF_HELP)
    open_ended: bool = strawberry.field(default=False, description="No end: still in force.")
    source_code: str = strawberry.field(
        default="", description="The party's code in the dataset it came from (GGO's RUS for the USSR)."
    )
    note: str = strawberry.field(default="", description="Editorial note: what was inferred, and from what.")


@strawberry.input(name="TreatyProvisionInput", description="One obligation the treaty sets out.")
class TreatyProvisionInput:
    kind: ProvisionKind  # type: ignore[valid-type]
    summary: str
    article: str = ""


@strawberry.input(name="TreatyInput", description="A new treaty.")
class TreatyInput:
    slug: str
    name: str
    short_name: str = ""
    alternative_name: str = ""
    treaty_type: TreatyTypeEnum | None = strawberry.field(default=None, name="type")  # type: ignore[valid-type]
    domain: str = ""
    subject: str = ""
    ambit: str = ""
    parent: str | None = strawberry.field(default=None, description="Slug of the treaty it amends.")
    signed: str = strawberry.field(default="", description=EDTF_HELP)
    in_force: str = strawberry.field(default="", description=EDTF_HELP)
    ended: str = strawberry.field(default="", description=EDTF_HELP)
    open_ended: bool = strawberry.field(default=False, description="No end: still in force.")
    note: str = ""
    parties: list[TreatyPartyInput] = strawberry.field(default_factory=list)
    provisions: list[TreatyProvisionInput] = strawberry.field(default_factory=list)
    citations: list[CitationInput] = strawberry.field(default_factory=list)


@strawberry.input(name="TreatyPatch", description="Changes to a treaty; omitted fields stay as they are.")
class TreatyPatch:
    slug: str | None = UNSET
    name: str | None = UNSET
    short_name: str | None = UNSET
    alternative_name: str | None = UNSET
    treaty_type: TreatyTypeEnum | None = strawberry.field(default=UNSET, name="type")  # type: ignore[valid-type]
    domain: str | None = UNSET
    subject: str | None = UNSET
    ambit: str | None = UNSET
    parent: str | None = strawberry.field(
        default=UNSET, description="Slug of the treaty it amends; null unlinks."
    )
    signed: str | None = strawberry.field(default=UNSET, description=EDTF_HELP)
    in_force: str | None = strawberry.field(default=UNSET, description=EDTF_HELP)
    ended: str | None = strawberry.field(default=UNSET, description=EDTF_HELP)
    open_ended: bool | None = UNSET
    note: str | None = UNSET
    parties: list[TreatyPartyInput] | None = UNSET
    provisions: list[TreatyProvisionInput] | None = UNSET
    citations: list[CitationInput] | None = UNSET
    parties_add: list[TreatyPartyInput] | None = _add("Parties")
    parties_remove: list[TreatyPartyInput] | None = _remove("Parties")
    provisions_add: list[TreatyProvisionInput] | None = _add("Provisions")
    provisions_remove: list[TreatyProvisionInput] | None = _remove("Provisions")
    citations_add: list[CitationInput] | None = _add("Citations")
    citations_remove: list[CitationInput] | None = _remove("Citations")


def _parties(parties: list[TreatyPartyInput], refs: ReferenceResolver, at: str) -> list[dict[str, Any]]:
    return [
        {
            "country": refs.get(Country, f"{at}.{i}.country", p.country, key="code"),
            "organization": refs.get(Organization, f"{at}.{i}.organization", p.organization),
            "signatory": refs.get(Person, f"{at}.{i}.signatory", p.signatory),
            "signed": p.signed,
            "ratified": p.ratified,
            "in_force": p.in_force,
            "ended": p.ended,
            "open_ended": p.open_ended,
        }
        for i, p in enumerate(parties)
    ]


def _provisions(
    provisions: list[TreatyProvisionInput], refs: ReferenceResolver, at: str
) -> list[dict[str, Any]]:
    return [{"kind": p.kind, "article": p.article, "summary": p.summary} for p in provisions]


TREATY_LISTS: dict[str, ListRows] = {
    "parties": _parties,
    "provisions": _provisions,
    "citations": _citation_rows,
}


def treaty_arguments(data: TreatyInput | TreatyPatch) -> dict[str, Any]:
    """Return service keyword arguments for ``data``, its slugs and codes resolved."""
    refs = ReferenceResolver()
    fields = provided_fields(data, skip=list_input_names(TREATY_LISTS))
    if "treaty_type" in fields:
        fields["treaty_type"] = fields["treaty_type"] or ""  # null: the type is not known
    if "parent" in fields:
        fields["parent"] = refs.get(Treaty, "parent", fields["parent"])
    arguments: dict[str, Any] = {"fields": fields, **list_arguments(data, TREATY_LISTS, refs)}
    refs.check()
    return arguments
