"""Keyset-paged connections under the contract's names: cursors hold the ordering values, not offsets."""

from __future__ import annotations

import strawberry
from strawberry_django.relay import DjangoCursorEdge

from core.graphql.pagination import KeysetConnection
from events.types.records import EventType, TreatyPartyType, TreatyType, VisitType


@strawberry.type(name="EventEdge")
class EventEdge(DjangoCursorEdge[EventType]):
    pass


@strawberry.type(name="EventConnection")
class EventConnection(KeysetConnection[EventType]):
    edges: list[EventEdge]


@strawberry.type(name="VisitEdge")
class VisitEdge(DjangoCursorEdge[VisitType]):
    pass


@strawberry.type(name="VisitConnection")
class VisitConnection(KeysetConnection[VisitType]):
    edges: list[VisitEdge]


@strawberry.type(name="TreatyEdge")
class TreatyEdge(DjangoCursorEdge[TreatyType]):
    pass


@strawberry.type(name="TreatyConnection")
class TreatyConnection(KeysetConnection[TreatyType]):
    edges: list[TreatyEdge]


@strawberry.type(name="TreatyPartyEdge")
class TreatyPartyEdge(DjangoCursorEdge[TreatyPartyType]):
    pass


@strawberry.type(
    name="TreatyPartyConnection",
    description="A country's participations in treaties, each with the country's own steps.",
)
class TreatyPartyConnection(KeysetConnection[TreatyPartyType]):
    edges: list[TreatyPartyEdge]
