"""GraphQL for the changes feed: ``changes(after:, first:, filters:)`` over core.changes."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.relay import PageInfo
from strawberry.types import Info

from core import changes as selector
from core.graphql.pagination import check_page_size
from core.graphql.types import FieldChangeType, public_editor_name
from core.models import Change

ChangeModel = strawberry.enum(
    enum.Enum("ChangeModel", {name.upper(): name for name in selector.MODELS}),
    name="ChangeModel",
    description="The kinds of public record the changes feed covers.",
)


@strawberry.input(name="ChangesFilter", description="Narrow the changes feed; every part optional.")
class ChangesFilter:
    since: datetime | None = strawberry.field(
        default=None, description="Only changes made at or after this moment (ISO 8601, with offset)."
    )
    models: list[ChangeModel] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Only changes of these kinds of record."
    )
    slug: str | None = strawberry.field(
        default=None,
        description="Only changes of the record with this slug (a country's code), now or before a rename.",
    )


@strawberry.type(name="Change", description="One edit of one public record: who, when, why and what.")
class ChangeType:
    edit_id: strawberry.ID = strawberry.field(
        description="The write it was part of: several records changed by one save share it."
    )
    at: datetime = strawberry.field(description="When the edit was made.")
    kind: str = strawberry.field(description="CREATED, CHANGED or DELETED.")
    model: ChangeModel  # type: ignore[valid-type]
    slug: str = strawberry.field(description="The record's slug (a country's code) after the edit.")
    previous_slug: str | None = strawberry.field(
        description="Its slug before the edit, when the edit renamed it."
    )
    reason: str | None
    changes: list[FieldChangeType] = strawberry.field(
        description="Fields before and after; child lists (participants, citations…) as list changes."
    )
    username: strawberry.Private[str | None]

    @strawberry.field(
        description=(
            "Who made it, as the record's history names editors: a display name or 'editor' for "
            "anonymous clients (never a login name), imports by name."
        )
    )
    def author(self, info: Info) -> str | None:
        return public_editor_name(self.username, info)

    @classmethod
    def of(cls, row: Change) -> ChangeType:
        return cls(
            edit_id=strawberry.ID(str(row.edit)),
            at=row.at,
            kind=row.kind,
            model=ChangeModel(row.model),
            slug=row.slug,
            previous_slug=row.previous_slug or None,
            reason=row.reason or None,
            changes=[FieldChangeType(field=f, old=old, new=new) for f, old, new in row.changes],
            username=row.user.get_username() if row.user is not None else None,
        )


@strawberry.type(name="ChangeEdge")
class ChangeEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after this change.")
    node: ChangeType


@strawberry.type(
    name="ChangeConnection",
    description=(
        "A page of changes in commit order. Store `pageInfo.endCursor` and pass it as `after` "
        "next time: you get every later change exactly once (on an empty page it is the cursor "
        "you passed, so keep it)."
    ),
)
class ChangeConnection:
    edges: list[ChangeEdge]
    page_info: PageInfo


DEFAULT_PAGE = 100


@strawberry.type
class ChangesQuery:
    @strawberry.field(
        description=(
            "Every create, change and delete of every public record (events, visits, treaties and "
            "their parties, people and roles, places, sources and citations), one node per edit "
            "and record, oldest first."
        )
    )
    def changes(
        self,
        info: Info,
        after: Annotated[
            str | None, strawberry.argument(description="A cursor this feed returned; none: from the start.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description="Page size (default 100).")] = None,
        filters: ChangesFilter | None = None,
    ) -> ChangeConnection:
        cap = info.schema.config.relay_max_results
        check_page_size(first=first, last=None, cap=cap)
        size = min(DEFAULT_PAGE, cap) if first is None else first
        start = selector.decode_cursor(after) if after is not None else None
        wanted = filters or ChangesFilter()
        rows = selector.changes_after(
            after=start,
            first=size + 1,
            filters=selector.ChangeFilters(
                since=wanted.since,
                models=[m.value for m in wanted.models or ()],
                slug=wanted.slug,
            ),
        )
        page = rows[:size]
        edges = [ChangeEdge(cursor=selector.encode_cursor(row.id), node=ChangeType.of(row)) for row in page]
        return ChangeConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(rows) > size,
                has_previous_page=start is not None,
                start_cursor=edges[0].cursor if edges else after,
                end_cursor=edges[-1].cursor if edges else after,
            ),
        )
