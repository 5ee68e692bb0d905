"""Mutation inputs for events, visits and treaties, and their translation into service arguments.

Records are named by slug and countries by ISO alpha-2 code, as in queries.
In a ``...Patch`` input an omitted field stays as it is; a given list replaces the whole list
(a treaty's ``parties`` holds its state and organisation parties alike), and ``<list>Add`` /
``<list>Remove`` change only the rows they name (issue 19).

The event and treaty inputs are generated from their declarations (``core.graphql_inputs``):
a field declared in ``events/declarations.py`` is on them with no edit here. Visits keep
their hand-written inputs (their destinations sit among the fields), which
``tests/core/test_declarations.py`` compares with the declaration.
"""

from __future__ import annotations

from typing import Any

import strawberry

from core.graphql.mutations import ReferenceResolver, provided_fields
from core.graphql_inputs import EDTF_HELP, DeclaredInputs, ListInput, Wording, add_field, remove_field
from core.list_inputs import list_arguments, list_input_names
from events.declarations import EVENT, TREATY
from events.models import Event, Source
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


EVENT_INPUTS = DeclaredInputs(
    EVENT,
    name="EventInput",
    description="A new event.",
    patch_description="Changes to an event; omitted fields stay as they are.",
    wording={
        "treaty": Wording(
            description="Treaty slug, for a step in its life.", patch="Treaty slug; null unlinks."
        )
    },
    lists={
        "countries": ListInput(str, _countries, "ISO alpha-2 codes", description="ISO alpha-2 codes."),
        "regions": ListInput(str, _regions, "Region slugs", description="Region slugs."),
        "participants": ListInput(ParticipantInput, _participants, "Participants"),
        "citations": ListInput(CitationInput, _citation_rows, "Citations"),
    },
    enums=(EventKind, EventStatus),
)
EventInput = EVENT_INPUTS.create
EventPatch = EVENT_INPUTS.patch
event_arguments = EVENT_INPUTS.arguments


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
    destinations_add: list[str] | None = add_field("Region slugs")
    destinations_remove: list[str] | None = remove_field("Region slugs")


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
            "source_code": p.source_code,
            "note": p.note,
        }
        for i, p in enumerate(parties)
    ]


def _provisions(
    provisions: list[TreatyProvisionInput], refs: ReferenceResolver, at: str
) -> list[dict[str, Any]]:
    return [{"kind": p.kind, "article": p.article, "summary": p.summary} for p in provisions]


TREATY_INPUTS = DeclaredInputs(
    TREATY,
    name="TreatyInput",
    description="A new treaty.",
    patch_description="Changes to a treaty; omitted fields stay as they are.",
    wording={
        "treaty_type": Wording(name="type"),
        "parent": Wording(
            description="Slug of the treaty it amends.", patch="Slug of the treaty it amends; null unlinks."
        ),
        "open_ended": Wording(description="No end: still in force.", patch=None),
    },
    lists={
        "parties": ListInput(TreatyPartyInput, _parties, "Parties"),
        "provisions": ListInput(TreatyProvisionInput, _provisions, "Provisions"),
        "citations": ListInput(CitationInput, _citation_rows, "Citations"),
    },
    enums=(TreatyTypeEnum,),
)
TreatyInput = TREATY_INPUTS.create
TreatyPatch = TREATY_INPUTS.patch
treaty_arguments = TREATY_INPUTS.arguments
