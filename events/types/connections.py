"""Keyset-paged connections under the contract's names: cursors hold the ordering values, not offsets."""

from __future__ import annotations

from core.graphql.pagination import keyset_connection
from events.types.records import EventType, TreatyPartyType, TreatyType, VisitType

EventConnection = keyset_connection(EventType, "Event")
VisitConnection = keyset_connection(VisitType, "Visit")
TreatyConnection = keyset_connection(TreatyType, "Treaty")
TreatyPartyConnection = keyset_connection(
    TreatyPartyType,
    "TreatyParty",
    description="A country's participations in treaties, each with the country's own steps.",
)
