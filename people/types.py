"""GraphQL types for people and their offices."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
import strawberry_django
from strawberry import relay
from strawberry_django.relay import DjangoCursorEdge

from core.fuzzydates import FuzzyDate
from core.revisions import revisions_for
from core.types import (
    FuzzyDateType,
    KeysetConnection,
    References,
    RevisionType,
    fuzzy_date_only,
    given,
)
from events.models import Event
from people import models
from places.models import Country
from places.types import CountryType

if TYPE_CHECKING:
    from events.types import EventConnection, TimelineFilter, VisitType

TimelineFilterArg = Annotated["TimelineFilter", strawberry.lazy("events.types")]
EventConnectionType = Annotated["EventConnection", strawberry.lazy("events.types")]
VisitTypeRef = Annotated["VisitType", strawberry.lazy("events.types")]
UNSET: Any = strawberry.UNSET


@strawberry_django.type(models.Role, name="Role")
class RoleType:
    """An office a person held over time, e.g. President of Poland."""

    title: str
    country: CountryType | None

    @strawberry_django.field(only=fuzzy_date_only("start"))
    def start(self, root: models.Role) -> FuzzyDateType | None:
        return FuzzyDate.of(root, "start")  # type: ignore[return-value]

    @strawberry_django.field(only=fuzzy_date_only("end"))
    def end(self, root: models.Role) -> FuzzyDateType | None:
        return FuzzyDate.of(root, "end")  # type: ignore[return-value]

    @strawberry_django.field(
        description="The editors' note: what was inferred (a date, a role) and from what; null when none.",
        only=["note"],
    )
    def note(self, root: models.Role) -> str | None:
        return root.note or None


@strawberry_django.type(models.Person, name="Person")
class PersonType(relay.Node):
    """Someone who acts in events: visits, signs, speaks, claims."""

    slug: str
    name: str
    aliases: list[str]
    roles: list[RoleType]
    visits: list[VisitTypeRef] = strawberry_django.field(
        description="Visits the person made as a visitor, oldest first."
    )
    version: int = strawberry_django.field(
        description=(
            "How many edits the record has had (its fields or its lists). Send it back as "
            "`expectedVersion` when changing or deleting it: a stale one is refused with CONFLICT."
        )
    )

    @strawberry_django.field(only=["wikidata_id"])
    def wikidata_id(self, root: models.Person) -> str | None:
        return root.wikidata_id or None

    @strawberry_django.field(
        description="The editors' note: what was inferred (a date, a role) and from what; null when none.",
        only=["note"],
    )
    def note(self, root: models.Person) -> str | None:
        return root.note or None

    @strawberry_django.connection(
        EventConnectionType, description="Events the person took part in, in any role; oldest first."
    )
    def timeline(self, root: models.Person, filters: TimelineFilterArg | None = None) -> Iterable[Event]:
        from events.types import timeline_for

        return timeline_for(filters, person=root)

    @strawberry_django.field(description="Every edit of the person and their roles, oldest first.")
    def history(self, root: models.Person) -> list[RevisionType]:
        return revisions_for(root)  # type: ignore[return-value]


@strawberry.type(name="PersonEdge")
class PersonEdge(DjangoCursorEdge[PersonType]):
    pass


@strawberry.type(name="PersonConnection")
class PersonConnection(KeysetConnection[PersonType]):
    edges: list[PersonEdge]


@strawberry.input(name="RoleInput", description="An office the person held.")
class RoleInput:
    title: str
    country: str | None = strawberry.field(default=None, description="ISO alpha-2 code.")
    start: str = strawberry.field(default="", description="EDTF date, e.g. 2015-08-06.")
    end: str = strawberry.field(default="", description="EDTF date; empty while in office.")
    note: str = ""


@strawberry.input(name="PersonInput", description="A new person.")
class PersonInput:
    slug: str
    name: str
    aliases: list[str] = strawberry.field(default_factory=list)
    wikidata_id: str | None = None
    nationality: str | None = strawberry.field(default=None, description="ISO alpha-2 code.")
    note: str = ""
    roles: list[RoleInput] = strawberry.field(default_factory=list)


@strawberry.input(name="PersonPatch", description="Changes to a person; omitted fields stay as they are.")
class PersonPatch:
    slug: str | None = UNSET
    name: str | None = UNSET
    aliases: list[str] | None = UNSET
    wikidata_id: str | None = UNSET
    nationality: str | None = strawberry.field(default=UNSET, description="ISO alpha-2 code; null clears.")
    note: str | None = UNSET
    roles: list[RoleInput] | None = UNSET


def person_arguments(data: PersonInput | PersonPatch) -> dict[str, Any]:
    """Return service keyword arguments for ``data``, its codes resolved."""
    refs = References()
    fields = given(data, skip=frozenset({"roles"}))
    if "nationality" in fields:
        fields["nationality"] = refs.get(Country, "nationality", fields["nationality"], key="code")
    if fields.get("wikidata_id") == "":
        fields["wikidata_id"] = None  # unique and nullable: an empty id is no id
    arguments: dict[str, Any] = {"fields": fields}
    if (roles := data.roles) is not UNSET and roles is not None:
        arguments["roles"] = [
            {
                "title": r.title,
                "country": refs.get(Country, f"roles.{i}.country", r.country, key="code"),
                "start": r.start,
                "end": r.end,
                "note": r.note,
            }
            for i, r in enumerate(roles)
        ]
    refs.check()
    return arguments
