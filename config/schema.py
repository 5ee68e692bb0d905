"""The root GraphQL schema: every app's queries and mutations, with the guards of ``config.graphql``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.schema.config import StrawberryConfig
from strawberry.types import Info

from config.graphql.cost import MAX_PAGE_SIZE
from config.graphql.errors import log_errors
from config.graphql.extensions import schema_extensions
from core.changes_schema import ChangesQuery
from core.graphql.types import DateScalar, DateTimeScalar
from events.schema import Mutation as EventMutation
from events.schema import Query as EventQuery
from people.schema import Mutation as PeopleMutation
from people.schema import Query as PeopleQuery
from places.schema import Query as PlacesQuery


@strawberry.type
class Query(EventQuery, PeopleQuery, PlacesQuery, ChangesQuery):
    @strawberry.field(description="Any record by its global id.")
    def node(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The ID of the object.")],
    ) -> relay.Node | None:
        # Every Chancery record has an integer key: any other key names no record. Without this
        # the database refuses it in its own words ("Field 'id' expected a number but got 'abc'.").
        if not (id.node_id.isdigit() and int(id.node_id) < 2**63):
            return None
        return id.resolve_node_sync(info, required=False)


@strawberry.type
class Mutation(EventMutation, PeopleMutation):
    """Editors' writes: each needs a signed-in user with the model's Django permission."""


class ChancerySchema(strawberry.Schema):
    """The schema, logging each error once: bugs with their traceback, client mistakes without."""

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        log_errors(errors)


schema = ChancerySchema(
    query=Query,
    mutation=Mutation,
    config=StrawberryConfig(relay_max_results=MAX_PAGE_SIZE),
    extensions=schema_extensions(),
    scalar_overrides={date: DateScalar, datetime: DateTimeScalar},
)
