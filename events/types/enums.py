"""The model choices as GraphQL enums, under the contract's names."""

import enum

import strawberry

from events import models

EventKind = strawberry.enum(models.EventKind, name="EventKind")
EventStatus = strawberry.enum(
    models.EventStatus,
    name="EventStatus",
    description="How far the database vouches for an event.",
)
ParticipantRole = strawberry.enum(models.ParticipantRole, name="ParticipantRole")
VisitKind = strawberry.enum(models.VisitKind, name="VisitKind")
ProvisionKind = strawberry.enum(
    models.ProvisionKind,
    name="ProvisionKind",
    description=(
        "What a provision obliges. The first five follow the obligation types of the ATOP alliance "
        "data; MUTUAL_DEFENSE is ATOP's defense obligation."
    ),
)

TreatyTypeEnum = strawberry.enum(
    models.TreatyType,
    name="TreatyType",
    description="What kind of instrument a treaty is (the GGO data's vocabulary).",
)


@strawberry.enum(name="TimelineOrdering", description="How a timeline is ordered.")
class TimelineOrdering(enum.Enum):
    TIMELINE = strawberry.enum_value("timeline", description="Earliest, then latest day, then title.")
    RELEVANCE = strawberry.enum_value(
        "relevance",
        description="Best full-text match first (with `search`, on PostgreSQL); otherwise as TIMELINE.",
    )
