"""Reads of countries and regions, as QuerySets the API and admin compose."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Case, Q, QuerySet, When, prefetch_related_objects

from core.asof import current_rows, instances_as_of
from core.errors import InvalidFilter
from core.namesearch import EXACT, name_search
from places.models import Country, Region


def country_list() -> QuerySet[Country]:
    """Return every country, ordered by code so pages are stable."""
    return Country.objects.order_by("code")


def country_by_code(*, code: str) -> QuerySet[Country]:
    """Return the country with ISO alpha-2 ``code``, matched in any case (none or one)."""
    return Country.objects.filter(code=code.strip().upper())


def country_for_filter(code: str) -> Country:
    """Return the country a filter names, or raise InvalidFilter naming the code."""
    if (country := country_by_code(code=code).first()) is None:
        raise InvalidFilter(f"Unknown country code {code!r}: use ISO 3166-1 alpha-2, e.g. 'UA'.")
    return country


def region_list(*, country: Country | None = None) -> QuerySet[Region]:
    """Return regions, of one country where given, ordered by name."""
    regions = Region.objects.order_by("name", "pk")
    return regions.filter(country=country) if country is not None else regions


def regions_cities_first() -> QuerySet[Region]:
    """Every region, those of kind city first: a trip's destination named like both a province
    and its city is the city (issue 20; seeds/curated/cities.yaml states such cities)."""
    return Region.objects.order_by(Case(When(kind="city", then=0), default=1), "pk")


def region_by_slug(*, slug: str) -> QuerySet[Region]:
    """Return the region with ``slug`` (none or one)."""
    return Region.objects.filter(slug=slug)


def region_for_filter(slug: str) -> Region:
    """Return the region a filter names, or raise InvalidFilter naming the slug."""
    if (region := region_by_slug(slug=slug).first()) is None:
        raise InvalidFilter(f"Unknown region slug {slug!r}.")
    return region


def region_ancestors(region: Region) -> list[Region]:
    """Return the regions above ``region``, nearest first, in one query."""
    ids = region.ancestor_ids()
    by_id = Region.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def region_search(text: str) -> QuerySet[Region]:
    """Regions any form of whose name matches ``text`` (folded: "Kiev", "Київ" find Kyiv), or whose
    slug contains it, or whose ISO 3166-2 code it is; best match first (core.namesearch)."""
    text = text.strip()
    regions = Region.objects.select_related("country").order_by("name", "pk")
    if not text:
        return regions
    return name_search(regions, text, also=Q(slug__icontains=text) | Q(iso_code=text.upper()))


def region_by_iso_code(*, code: str) -> QuerySet[Region]:
    """Return the region with ISO 3166-2 ``code`` (e.g. UA-14), in any case (none or one)."""
    return Region.objects.filter(iso_code=code.strip().upper())


def region_for_text(text: str) -> Region:
    """The region a reader typed: a slug, an ISO 3166-2 code or an exact name or alias."""
    text = text.strip()
    found = (
        region_by_slug(slug=text).first()
        or region_by_iso_code(code=text).first()
        # Named like its city (Baghdad): the higher region, whose events include the city's.
        or Region.objects.filter(name__iexact=text).order_by("path", "pk").first()
    )
    if found is None:
        # An alias in any spelling that folds to the text ("Київ", "Kiev"), first by name.
        found = next((r for r in region_search(text)[:20] if r.search_rank == EXACT), None)
    if found is None:
        raise InvalidFilter(f"No region is called {text!r}: give its name, slug or ISO 3166-2 code (UA-14).")
    return found


def regions_as_of(*, moment: datetime, limit: int, **where: Any) -> list[Region]:
    """Up to ``limit`` regions as they stood at ``moment`` matching ``where`` (history columns), by name."""
    rows = current_rows(Region, moment).filter(**where).order_by("name", "id")[:limit]
    regions = instances_as_of(rows, moment)
    prefetch_related_objects(regions, "country")
    return regions
