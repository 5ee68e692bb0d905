"""The ``timeline`` field of a person, a country and a region, declared once.

Each is the record's events, live or as they stood at ``asOf`` (events.asof_connection
.scoped_timeline), under the same arguments. The event types sit above the person and place
types (an event names them), so the connection and filter types are named lazily, resolved
when the schema is built, and this module never imports events.types.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
import strawberry_django

from core.asof import AsOfList
from events.asof_connection import scoped_timeline
from events.models import Event

if TYPE_CHECKING:
    from events.types import EventConnection, TimelineFilter

TimelineFilterArg = Annotated["TimelineFilter", strawberry.lazy("events.types")]
EventConnectionType = Annotated["EventConnection", strawberry.lazy("events.types")]


def timeline_field(scope: str, *, description: str) -> Any:
    """The ``timeline`` connection of the record ``scope`` names (``person``, ``country``, ``region``)."""

    def timeline(
        root: Any, filters: TimelineFilterArg | None = None, as_of: AsOfList = None
    ) -> Iterable[Event]:
        return scoped_timeline(filters, as_of, **{scope: root})  # type: ignore[return-value]

    return strawberry_django.connection(EventConnectionType, description=description)(timeline)
