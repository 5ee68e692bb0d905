"""GraphQL types for countries and regions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry import relay

from core.graphql.pagination import keyset_connection
from core.graphql.types import fuzzy_date_field, text_or_null
from events import treaty_selectors
from events.models import TreatyParty
from events.timeline_field import timeline_field
from places import models, selectors

# The event types sit above this module (an event names its places): the fields that return
# them name them lazily (resolved when the schema is built), the timeline is
# events.timeline_field's, so this module never imports events.types (the import is for type
# checkers).
if TYPE_CHECKING:
    from events.types import PartyStepFilter, TreatyPartyConnection

PartyStepFilterArg = Annotated["PartyStepFilter", strawberry.lazy("events.types")]
TreatyPartyConnectionType = Annotated["TreatyPartyConnection", strawberry.lazy("events.types")]


@strawberry_django.type(models.Region, name="Region")
class RegionType(relay.Node):
    """A place inside a country: oblast, city, village... at any depth."""

    slug: str
    name: str
    kind: str = strawberry_django.field(
        description="oblast, city, village, ... (free vocabulary, lower case)."
    )
    country: CountryType
    parent: RegionType | None
    children: list[RegionType]
    latitude: float | None
    longitude: float | None
    aliases: list[str] = strawberry_django.field(description="Other names it goes by: 'Donetska oblast'.")

    iso_code = text_or_null("iso_code", description="ISO 3166-2 where one exists, e.g. UA-14.")

    @strawberry_django.field(description="Nearest first, up to the top-level region.", only=["path"])
    def ancestors(self, root: models.Region) -> list[RegionType]:
        return selectors.region_ancestors(root)  # type: ignore[return-value]

    timeline = timeline_field("region", description="Events located in this region or any region below it.")


RegionConnection = keyset_connection(RegionType, "Region")


@strawberry_django.type(models.Country, name="Country")
class CountryType(relay.Node):
    """A state, keyed by its ISO 3166-1 alpha-2 code."""

    code: str = strawberry_django.field(
        description="ISO 3166-1 alpha-2, upper case; a former state's four-letter code (ISO 3166-3 "
        "alpha-4 such as SUHH, or X plus three letters where ISO has none)."
    )
    name: str
    aliases: list[str]
    historical: bool = strawberry_django.field(
        description="A state that no longer exists (USSR, Yugoslavia): records of its era name it."
    )

    founded = fuzzy_date_field("founded")
    dissolved = fuzzy_date_field("dissolved")

    @strawberry_django.connection(RegionConnection, description="Regions of the country, by name.")
    def regions(self, root: models.Country) -> Iterable[models.Region]:
        # An explicit order: the related manager's default ordering reached the cursor
        # connection as "ORDER BY 1" (the id), while its cursors held the name.
        return selectors.region_list(country=root)

    timeline = timeline_field(
        "country",
        description="Events in the country, in any of its "
        "regions, or with it as a participant; oldest first.",
    )

    @strawberry_django.connection(
        TreatyPartyConnectionType,
        description=(
            "The country's treaties, each with the country's own signature, ratification, entry into "
            "force and end, in the order the treaties were signed (unsigned last)."
        ),
    )
    def treaties(
        self, root: models.Country, filters: PartyStepFilterArg | None = None
    ) -> Iterable[TreatyParty]:
        return treaty_selectors.party_steps_for(root, filters)


CountryConnection = keyset_connection(CountryType, "Country")
