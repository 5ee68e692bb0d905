"""Queries and mutations for people."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import strawberry
import strawberry_django

from core.asof import AsOf, record_as_of
from core.graphql.mutations import RecordMutations
from people import models, selectors, services
from people.types import (
    OrganizationConnection,
    OrganizationType,
    PersonConnection,
    PersonInput,
    PersonPatch,
    PersonType,
    PostFilter,
    RoleType,
    person_arguments,
)


@strawberry.type
class Query:
    @strawberry_django.field(description="The person with this slug, or null.")
    def person(self, slug: str, as_of: AsOf = None) -> PersonType | None:
        if as_of is not None:  # from history: the person and their roles as they stood (core.asof)
            return record_as_of(models.Person, as_of, slug=slug)  # type: ignore[return-value]
        return selectors.person_by_slug(slug=slug)  # type: ignore[return-value]

    @strawberry_django.connection(
        PersonConnection,
        description="People by name; `search` finds any form of a name: the name, an alias, given + "
        "family name without middle names, any script or spelling that folds to the same letters "
        "(Walesa, Wałęsa; Zelensky, Зеленський), then near misses; best match first.",
    )
    def people(self, search: str | None = None) -> Iterable[models.Person]:
        return selectors.person_list(search=search)

    @strawberry_django.field(
        description="Who held an office on a day: the roles of the office named by `post` whose holder "
        "held it on `on`, by start. A role with an unknown end counts until a later holder of the office "
        'started. E.g. the U.S. ambassador to Poland: `officeHolders(post: {country: "PL", of: "US"}, '
        'on: "2015-06-01")`; the Secretary of State: `post: {title: "Secretary of State"}`.'
    )
    def office_holders(self, post: PostFilter, on: date) -> list[RoleType]:
        return selectors.office_holders(  # type: ignore[return-value]
            on=on, country=post.country, organization=post.organization, title=post.title, of=post.of
        )

    @strawberry_django.field(description="The international organisation with this slug (nato), or null.")
    def organization(self, slug: str) -> OrganizationType | None:
        return models.Organization.objects.filter(slug=slug).first()  # type: ignore[return-value]

    @strawberry_django.connection(
        OrganizationConnection, description="International organisations (UN, NATO, OSCE...), by slug."
    )
    def organizations(self) -> Iterable[models.Organization]:
        return models.Organization.objects.order_by("slug")


PEOPLE = RecordMutations(models.Person, services.PERSON_SERVICES, person_arguments)


@strawberry.type
class Mutation:
    person_create, person_update, person_delete = PEOPLE.fields(
        input=PersonInput,
        patch=PersonPatch,
        output=PersonType,
        create="Create a person with their roles.",
        update="Change a person; a given `roles` list replaces theirs.",
        delete="Delete a person who takes part in no event, visit or treaty.",
    )
