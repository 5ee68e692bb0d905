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
from events.models.memberships import CountryMembership, PersonMembership
from events.models.sources import Source
from events.models.treaties import ProvisionKind, Treaty, TreatyParty, TreatyProvision, TreatyType
from events.models.visits import Visit, VisitDestination, VisitKind

__all__ = [
    "TIMELINE_ORDER",
    "Citation",
    "CountryMembership",
    "Event",
    "EventCountry",
    "EventKind",
    "EventQuerySet",
    "EventRegion",
    "EventStatus",
    "ParticipantRole",
    "Participation",
    "PersonMembership",
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
