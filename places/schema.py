"""Queries for countries and regions."""

from __future__ import annotations

from collections.abc import Iterable

import strawberry
import strawberry_django

from places import models, selectors
from places.types import CountryConnection, CountryType, RegionConnection, RegionType


@strawberry.type
class Query:
    @strawberry_django.field(description="The country with this ISO alpha-2 code (any case), or null.")
    def country(self, code: str) -> CountryType | None:
        return selectors.country_by_code(code=code)  # type: ignore[return-value]

    @strawberry_django.connection(CountryConnection, description="Every country, by code.")
    def countries(self) -> Iterable[models.Country]:
        return selectors.country_list()

    @strawberry_django.field(description="The region with this slug, or null.")
    def region(self, slug: str) -> RegionType | None:
        return selectors.region_by_slug(slug=slug)  # type: ignore[return-value]

    @strawberry_django.field(description="The region with ISO 3166-2 code `code` (UA-14; any case), or null.")
    def region_by_iso_code(self, code: str) -> RegionType | None:
        return selectors.region_by_iso_code(code=code)  # type: ignore[return-value]

    @strawberry_django.connection(
        RegionConnection,
        description="Regions any form of whose name matches `search` (folded: Kyiv, Kiev, Київ), "
        "whose slug contains it, or whose ISO 3166-2 code it is; best match first. Without "
        "`search`, every region by name.",
    )
    def regions(self, search: str | None = None) -> Iterable[models.Region]:
        return selectors.region_search(search or "")
