"""GraphQL types of an event's PLOVER record (``Event.plover``); the mapping is events.plover."""

from __future__ import annotations

from typing import Any

import strawberry
import strawberry_django

from core.graphql.types import FuzzyDateType
from events import plover


@strawberry.type(name="PloverEntity", description="A PLOVER actor or recipient.")
class PloverEntityType:
    code: str | None = strawberry.field(
        description="ISO 3166-1 alpha-3 (POL); a former state's ISO 3166-3 alpha-3 (SUN); null for "
        "a state ISO never coded or a person acting for no recorded country."
    )
    entity_text: str = strawberry.field(description="The person's or the country's name.")
    country: str | None = strawberry.field(description="Chancery's country code (PL, SUHH).")
    person: str | None = strawberry.field(description="Chancery's person slug.")


@strawberry.type(name="PloverCitation", description="PLOVER citeInfo: one source the record relies on.")
class PloverCitationType:
    title: str
    url: str | None
    citation: str | None = strawberry.field(description="Where in the source, e.g. a dataset record id.")
    corpus: str | None = strawberry.field(description="The source's publisher.")


@strawberry.type(
    name="PloverRecord",
    description="The event as a PLOVER record (docs/plover.md): event type, mode and context, ISO "
    "alpha-3 actors, the verbatim quotes and their sources.",
)
class PloverRecordType:
    id: str
    date: str = strawberry.field(description="PLOVER's single day: the first day the event may be on.")
    enddate: str | None = strawberry.field(description="The last day of an event that lasted (a span).")
    event: str = strawberry.field(description="The PLOVER event type, e.g. CONSULT, AGREE, SUPPORT.")
    mode: list[str]
    context: list[str] = strawberry.field(description="PLOVER contexts; 'negation' for a denied event.")
    quad_code: int = strawberry.field(
        description="1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict."
    )
    actor: list[PloverEntityType]
    recipient: list[PloverEntityType]
    event_text: list[str] = strawberry.field(description="The citations' quotes, verbatim.")
    cite_info: list[PloverCitationType]
    confidence: str = strawberry.field(description="high (confirmed), medium (reported) or low.")
    comment: str = strawberry.field(description="Which rule mapped the kind, and why.")
    date_bounds: FuzzyDateType = strawberry.field(
        description="Chancery's own date, EDTF and bounds, so no precision is lost to `date`."
    )


@strawberry_django.field(
    description="The event as a PLOVER record; null when its kind has no PLOVER type (docs/plover.md).",
    only=plover.ONLY,
    select_related=plover.SELECT,
    prefetch_related=plover.PREFETCH,
)
def plover_field(root: Any) -> PloverRecordType | None:
    result = plover.plover_of(root)
    return result if isinstance(result, plover.Record) else None  # type: ignore[return-value]
