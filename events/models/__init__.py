from events.models.events import (
    TIMELINE_ORDER,
    Citation,
    Event,
    EventCountry,
    EventKind,
    EventQuerySet,
    EventRegion,
    EventStatus,
    ParticipantRole,
    Participation,
    QuoteRule,
)
from events.models.sources import Source
from events.models.treaties import ProvisionKind, Treaty, TreatyParty, TreatyProvision, TreatyType
from events.models.visits import Visit, VisitDestination, VisitKind

__all__ = [
    "TIMELINE_ORDER",
    "Citation",
    "Event",
    "EventCountry",
    "EventKind",
    "EventQuerySet",
    "EventRegion",
    "EventStatus",
    "ParticipantRole",
    "Participation",
    "ProvisionKind",
    "QuoteRule",
    "Source",
    "Treaty",
    "TreatyParty",
    "TreatyProvision",
    "TreatyType",
    "Visit",
    "VisitDestination",
    "VisitKind",
]
