"""GraphQL types for people and their offices."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
import strawberry_django
from strawberry import relay

from core.graphql.mutations import ReferenceResolver, provided_fields
from core.graphql.pagination import keyset_connection
from core.graphql.types import EDITORS_NOTE, fuzzy_date_field, history_field, text_or_null
from core.list_inputs import ListRows, list_arguments, list_input_names
from events.timeline_field import timeline_field
from people import models
from places.models import Country
from places.types import CountryType

# The event types sit above this module (an event names its people): the fields that return
# them name them lazily (resolved when the schema is built), the timeline is
# events.timeline_field's, so this module never imports events.types (the import is for type
# checkers).
if TYPE_CHECKING:
    from events.types import CitationType, VisitType

VisitTypeRef = Annotated["VisitType", strawberry.lazy("events.types")]
CitationTypeRef = Annotated["CitationType", strawberry.lazy("events.types")]
UNSET: Any = strawberry.UNSET


@strawberry.enum(name="RoleEndState", description="What is known about the end of a term of office.")
class RoleEndState(enum.Enum):
    KNOWN = "KNOWN"
    ONGOING = "ONGOING"
    UNKNOWN = "UNKNOWN"


RoleOutcome = strawberry.enum(
    models.RoleOutcome,
    name="RoleOutcome",
    description="Whether the office was taken up: SERVED, or nominated or appointed and not served "
    "(DECLINED, WITHDRAWN, NOT_CONFIRMED, NOT_AT_POST, DIED; NOT_SERVED when the source gives no reason).",
)


def end_state(role: models.Role) -> RoleEndState:
    """KNOWN when an end is given; ONGOING when the person still holds the office; else UNKNOWN."""
    if role.end:
        return RoleEndState.KNOWN
    return RoleEndState.ONGOING if role.ongoing else RoleEndState.UNKNOWN


@strawberry_django.type(models.Organization, name="Organization")
class OrganizationType(relay.Node):
    """An international organisation (UN, NATO, OSCE...): offices are held at it."""

    slug: str
    name: str
    aliases: list[str]

    abbreviation = text_or_null("abbreviation", description="e.g. NATO; null when none.")
    classification = text_or_null(
        "classification",
        description="Free vocabulary, lower case: intergovernmental, alliance...; null when none.",
    )

    founded = fuzzy_date_field("founded")
    dissolved = fuzzy_date_field("dissolved")
    note = text_or_null("note", description="The editors' note; null when none.")


OrganizationConnection = keyset_connection(OrganizationType, "Organization")


@strawberry_django.type(models.Identifier, name="Identifier")
class IdentifierType:
    """An id another dataset gives the person, e.g. scheme hsg-pocom, value pompeo-michael-r."""

    scheme: str = strawberry_django.field(description="Who issued the id: a dataset's name, e.g. hsg-pocom.")
    value: str


@strawberry.input(name="PostFilter", description="An office: where it is held, its title, whose it is.")
class PostFilter:
    country: str | None = strawberry.field(
        default=None, description="Code of the country it is held in (Ambassador to Poland: PL)."
    )
    organization: str | None = strawberry.field(
        default=None, description="Slug of the organisation it is held at (nato)."
    )
    title: str | None = strawberry.field(default=None, description="Exact title, e.g. 'Secretary of State'.")
    of: str | None = strawberry.field(default=None, description="Whose office: a country code (US).")


@strawberry_django.type(models.Role, name="Role")
class RoleType:
    """An office a person held over time, e.g. President of Poland, U.S. Ambassador to Poland."""

    title: str
    # By name: PersonType is defined below in this module. A strawberry.lazy() to this same
    # module never settled when the schema was built under manage.py (it spun at 100% CPU).
    person: PersonType = strawberry_django.field(description="Who held it.")
    country: CountryType | None = strawberry_django.field(
        description="Whose office it is: the United States for a U.S. ambassador."
    )
    post_country: CountryType | None = strawberry_django.field(
        description="The country the office is held in or accredited to (Ambassador to Poland)."
    )
    post_organization: OrganizationType | None = strawberry_django.field(
        description="The organisation the office is held at (Representative to NATO)."
    )
    ongoing: bool = strawberry_django.field(
        description="True only when the person still holds the office; a null end with false means "
        "the end is unknown."
    )
    outcome: RoleOutcome = strawberry_django.field(
        description="SERVED, or why a nomination was not served; only SERVED terms count in "
        "`officeHolders`. The note keeps the source's words."
    )

    @strawberry_django.field(
        description="KNOWN (see end), ONGOING (still in office) or UNKNOWN (ended, the data does not "
        "say when).",
        only=["end", "ongoing"],
    )
    def end_state(self, root: models.Role) -> RoleEndState:
        return end_state(root)

    @strawberry_django.field(
        description="What backs the role: each citation's source, words and locator.",
        prefetch_related=["citations__source"],
    )
    def citations(self, root: models.Role) -> list[CitationTypeRef]:
        return list(root.citations.all())  # type: ignore[return-value]

    start = fuzzy_date_field("start")
    end = fuzzy_date_field("end")
    note = text_or_null("note", description=EDITORS_NOTE)


@strawberry_django.type(models.Person, name="Person")
class PersonType(relay.Node):
    """Someone who acts in events: visits, signs, speaks, claims."""

    slug: str
    name: str
    aliases: list[str]
    roles: list[RoleType]
    identifiers: list[IdentifierType] = strawberry_django.field(
        description="Ids other datasets give the person (scheme + value), e.g. hsg-pocom pompeo-michael-r."
    )
    visits: list[VisitTypeRef] = strawberry_django.field(
        description="Visits the person made as a visitor, oldest first."
    )
    version: int = strawberry_django.field(
        description=(
            "How many edits the record has had (its fields or its lists). Send it back as "
            "`expectedVersion` when changing or deleting it: a stale one is refused with CONFLICT."
        )
    )

    @strawberry_django.field(
        description="The slug that names this person now. `person(slug:)` with a slug merged away "
        "answers the person it was merged into: compare this with the slug asked for.",
        only=["slug"],
    )
    def canonical_slug(self, root: models.Person) -> str:
        return root.slug

    @strawberry_django.field(
        description="Slugs of records merged into this person by editors; each still answers for them.",
        prefetch_related=["merges"],
    )
    def merged_slugs(self, root: models.Person) -> list[str]:
        return sorted(merge.merged_slug for merge in root.merges.all())

    wikidata_id = text_or_null("wikidata_id")
    born = fuzzy_date_field("born")
    died = fuzzy_date_field("died")
    note = text_or_null("note", description=EDITORS_NOTE)

    timeline = timeline_field(
        "person", description="Events the person took part in, in any role; oldest first."
    )

    history = history_field("Every edit of the person and their roles, oldest first.")


PersonConnection = keyset_connection(PersonType, "Person")


@strawberry.input(name="RoleInput", description="An office the person held.")
class RoleInput:
    title: str
    country: str | None = strawberry.field(default=None, description="Whose office: a country code.")
    post_country: str | None = strawberry.field(
        default=None, description="Country code of where it is held (Ambassador to PL)."
    )
    post_organization: str | None = strawberry.field(
        default=None, description="Slug of the organisation it is held at (nato)."
    )
    start: str = strawberry.field(default="", description="EDTF date, e.g. 2015-08-06.")
    end: str = strawberry.field(
        default="", description="EDTF date; empty: still in office if `ongoing`, else end unknown."
    )
    ongoing: bool = strawberry.field(default=False, description="Still in office (leave `end` empty).")
    outcome: RoleOutcome = strawberry.field(
        default=models.RoleOutcome.SERVED, description="SERVED unless the nominee never held the office."
    )
    note: str = ""


@strawberry.input(name="IdentifierInput", description="An id another dataset gives the person.")
class IdentifierInput:
    scheme: str = strawberry.field(description="Who issued it, e.g. hsg-pocom.")
    value: str


@strawberry.input(name="PersonInput", description="A new person.")
class PersonInput:
    slug: str
    name: str
    aliases: list[str] = strawberry.field(default_factory=list)
    wikidata_id: str | None = None
    nationality: str | None = strawberry.field(default=None, description="ISO alpha-2 code.")
    born: str = strawberry.field(default="", description="EDTF date, e.g. 1972-05-16 or 1972.")
    died: str = strawberry.field(default="", description="EDTF date.")
    note: str = ""
    roles: list[RoleInput] = strawberry.field(default_factory=list)
    identifiers: list[IdentifierInput] = strawberry.field(default_factory=list)


@strawberry.input(name="PersonPatch", description="Changes to a person; omitted fields stay as they are.")
class PersonPatch:
    slug: str | None = UNSET
    name: str | None = UNSET
    aliases: list[str] | None = UNSET
    wikidata_id: str | None = UNSET
    nationality: str | None = strawberry.field(default=UNSET, description="ISO alpha-2 code; null clears.")
    born: str | None = UNSET
    died: str | None = UNSET
    note: str | None = UNSET
    roles: list[RoleInput] | None = UNSET
    identifiers: list[IdentifierInput] | None = UNSET
    identifiers_add: list[IdentifierInput] | None = strawberry.field(
        default=UNSET, description="Identifiers to add, kept with every one stored when the write lands."
    )
    identifiers_remove: list[IdentifierInput] | None = strawberry.field(
        default=UNSET, description="Identifiers to remove (one not there is already gone)."
    )
    roles_add: list[RoleInput] | None = strawberry.field(
        default=UNSET,
        description="Roles to add, matched on title, country, post and start (one already there takes "
        "the values given), kept with every role stored when the write lands: the safe way to add.",
    )
    roles_remove: list[RoleInput] | None = strawberry.field(
        default=UNSET, description="Roles to remove, matched the same way (one not there is already gone)."
    )


def _roles(roles: list[RoleInput], refs: ReferenceResolver, at: str) -> list[dict[str, Any]]:
    return [
        {
            "title": r.title,
            "country": refs.get(Country, f"{at}.{i}.country", r.country, key="code"),
            "post_country": refs.get(Country, f"{at}.{i}.postCountry", r.post_country, key="code"),
            "post_organization": refs.get(
                models.Organization, f"{at}.{i}.postOrganization", r.post_organization
            ),
            "start": r.start,
            "end": r.end,
            "ongoing": r.ongoing,
            "note": r.note,
        }
        for i, r in enumerate(roles)
    ]


def _identifiers(items: list[IdentifierInput], refs: ReferenceResolver, at: str) -> list[dict[str, Any]]:
    return [{"scheme": i.scheme, "value": i.value} for i in items]


def person_arguments(data: PersonInput | PersonPatch) -> dict[str, Any]:
    """Return service keyword arguments for ``data``, its codes resolved."""
    refs = ReferenceResolver()
    lists: dict[str, ListRows] = {"roles": _roles, "identifiers": _identifiers}
    fields = provided_fields(data, skip=list_input_names(lists))
    if "nationality" in fields:
        fields["nationality"] = refs.get(Country, "nationality", fields["nationality"], key="code")
    if fields.get("wikidata_id") == "":
        fields["wikidata_id"] = None  # unique and nullable: an empty id is no id
    arguments: dict[str, Any] = {"fields": fields, **list_arguments(data, lists, refs)}
    refs.check()
    return arguments
