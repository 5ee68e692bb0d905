"""Queries and mutations for people."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import strawberry
import strawberry_django
from strawberry.types import Info

from core.asof import AsOf, record_as_of
from core.graphql.mutations import ExpectedVersion, RecordMutations
from core.graphql.types import DeletionType
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
    @strawberry_django.mutation(handle_django_errors=True, description="Create a person with their roles.")
    def person_create(self, info: Info, input: PersonInput, reason: str | None = None) -> PersonType:
        return PEOPLE.create(info, input, reason=reason)

    @strawberry_django.mutation(
        handle_django_errors=True, description="Change a person; a given `roles` list replaces theirs."
    )
    def person_update(
        self,
        info: Info,
        slug: str,
        input: PersonPatch,
        reason: str | None = None,
        expected_version: ExpectedVersion = None,
    ) -> PersonType:
        return PEOPLE.update(info, slug, input, reason=reason, expected_version=expected_version)

    @strawberry_django.mutation(
        handle_django_errors=True, description="Delete a person who takes part in no event, visit or treaty."
    )
    def person_delete(
        self, info: Info, slug: str, reason: str | None = None, expected_version: ExpectedVersion = None
    ) -> DeletionType:
        return PEOPLE.delete(info, slug, reason=reason, expected_version=expected_version)
