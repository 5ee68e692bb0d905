"""Filter inputs for timelines, visits and treaties; each maps onto one selector.

Timelines and a country's party steps are read by ``events.selectors.timeline_for`` and
``events.treaty_selectors.party_steps_for``, which the person and place types call too.
"""

from __future__ import annotations

from datetime import date

import strawberry
from django.db.models import QuerySet

from events import selectors
from events.models import Treaty, Visit
from events.types.enums import EventKind, EventStatus, ProvisionKind, TreatyTypeEnum


@strawberry.input(name="TimelineFilter", description="Every given field narrows the timeline.")
class TimelineFilter:
    person: str | None = strawberry.field(
        default=None, description="Person slug: events the person took part in, in any role."
    )
    country: str | None = strawberry.field(
        default=None,
        description="ISO alpha-2: events in the country, in any of its regions, or with it as a participant.",
    )
    region: str | None = strawberry.field(
        default=None, description="Region slug: events in the region or any region below it."
    )
    kinds: list[EventKind] | None = None  # type: ignore[valid-type]
    status: list[EventStatus] | None = None  # type: ignore[valid-type]
    from_: date | None = strawberry.field(
        default=None,
        name="from",
        description="Events whose date interval overlaps [from, to]; either end may be left open.",
    )
    to: date | None = None
    search: str | None = strawberry.field(
        default=None,
        description="Full-text search over titles, summaries and cited quotes; words naming a person "
        "in any form of their name (Zelensky, Зеленський, John Kerry) also find the events they "
        "took part in.",
    )


PARTIES_HELP = (
    "ISO 3166-1 codes, alpha-2 or alpha-3, any case: treaties to which every listed country is a party."
)
IN_FORCE_ON_HELP = (
    "In force on this day: entered into force on or before it (a month or year counts from its "
    "last day) and not ended by it. A treaty with no known entry into force is left out."
)


@strawberry.input(name="TreatyFilter", description="Every given field narrows the list.")
class TreatyFilter:
    parties: list[str] | None = strawberry.field(default=None, description=PARTIES_HELP)
    provision: ProvisionKind | None = None  # type: ignore[valid-type]
    signed_from: date | None = strawberry.field(
        default=None, description="Signed within [signedFrom, signedTo] (overlap, as for timelines)."
    )
    signed_to: date | None = None
    types: list[TreatyTypeEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these types (agreement, protocol, amendment, MOU...)."
    )
    domain: str | None = strawberry.field(
        default=None, description="Policy field, any case: Environment, Trade, Health, Human Rights..."
    )
    in_force_on: date | None = strawberry.field(default=None, description=IN_FORCE_ON_HELP)
    amends: str | None = strawberry.field(
        default=None, description="Treaty slug: its amendments, protocols and extensions."
    )
    search: str | None = strawberry.field(
        default=None,
        description="Words of the title (name, short or alternative name), all of them, any case.",
    )


def treaties_for(filters: TreatyFilter | None) -> QuerySet[Treaty]:
    """Return the treaties ``filters`` ask for."""
    if filters is None:
        return selectors.treaty_list()
    return selectors.treaty_list(
        parties=filters.parties,
        provision=filters.provision,
        signed_from=filters.signed_from,
        signed_to=filters.signed_to,
        types=filters.types,
        domain=filters.domain,
        in_force_on=filters.in_force_on,
        amends=filters.amends,
        search=filters.search,
    )


@strawberry.input(
    name="PartyStepFilter",
    description="A country's treaties, narrowed by its own steps and by the treaties; every field narrows.",
)
class PartyStepFilter:
    signed_from: date | None = strawberry.field(
        default=None, description="The country signed within [signedFrom, signedTo]."
    )
    signed_to: date | None = None
    ratified_from: date | None = strawberry.field(
        default=None,
        description="The country ratified (acceded, accepted, approved) within [ratifiedFrom, ratifiedTo].",
    )
    ratified_to: date | None = None
    in_force_on: date | None = strawberry.field(
        default=None, description="In force for this country on the day: " + IN_FORCE_ON_HELP[12:]
    )
    parties: list[str] | None = strawberry.field(
        default=None, description="Other countries (ISO codes) that must be parties too."
    )
    types: list[TreatyTypeEnum] | None = None  # type: ignore[valid-type]
    domain: str | None = None
    search: str | None = strawberry.field(default=None, description="Words of the treaty's title.")


@strawberry.input(name="VisitFilter", description="Every given field narrows the list.")
class VisitFilter:
    visitor: str | None = strawberry.field(default=None, description="Person slug of the visitor.")
    host: str | None = strawberry.field(default=None, description="ISO alpha-2 of the host country.")
    from_: date | None = strawberry.field(default=None, name="from")
    to: date | None = None


def visits_for(filters: VisitFilter | None) -> QuerySet[Visit]:
    """Return the visits ``filters`` ask for."""
    if filters is None:
        return selectors.visit_list()
    return selectors.visit_list(
        visitor=filters.visitor, host=filters.host, date_from=filters.from_, date_to=filters.to
    )
