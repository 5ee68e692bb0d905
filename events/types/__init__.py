"""GraphQL types for events, visits, treaties and sources: enums, records, connections, filters, inputs."""

from events.types.connections import (
    EventConnection,
    TreatyConnection,
    TreatyPartyConnection,
    VisitConnection,
)
from events.types.enums import (
    EventKind,
    EventStatus,
    ParticipantRole,
    ProvisionKind,
    TimelineOrdering,
    VisitKind,
)
from events.types.filters import (
    PartyStepFilter,
    TimelineFilter,
    TreatyFilter,
    VisitFilter,
    treaties_for,
    visits_for,
)
from events.types.records import (
    CitationType,
    EventType,
    ParticipationType,
    SourceType,
    TreatyPartyType,
    TreatyProvisionType,
    TreatyType,
    VisitType,
)

__all__ = [
    "CitationType",
    "EventConnection",
    "EventKind",
    "EventStatus",
    "EventType",
    "ParticipantRole",
    "ParticipationType",
    "PartyStepFilter",
    "ProvisionKind",
    "SourceType",
    "TimelineFilter",
    "TimelineOrdering",
    "TreatyConnection",
    "TreatyFilter",
    "TreatyPartyConnection",
    "TreatyPartyType",
    "TreatyProvisionType",
    "TreatyType",
    "VisitConnection",
    "VisitFilter",
    "VisitKind",
    "VisitType",
    "treaties_for",
    "visits_for",
]
