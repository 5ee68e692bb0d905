"""The public pages of a country and of a region, with the events that happened there."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.citing import reads_as_of, record_now_or_then
from core.fuzzydates import FuzzyDate
from events import selectors as event_selectors
from events.asof import party_treaties_as_of, visits_as_of
from events.views import record_timeline
from places.models import Country, Region
from places.selectors import country_by_code, region_ancestors, region_by_slug, regions_as_of

# Rows of each list on a place's page; the explorer shows the rest.
SHOWN = 50


@require_safe
@reads_as_of
def country_detail(request: HttpRequest, code: str, *, as_of: datetime | None) -> HttpResponse:
    live = country_by_code(code=code)
    code = code.strip().upper()
    country = record_now_or_then(request, Country, as_of, live=live, what=f"the country {code}", code=code)
    if as_of is None:
        regions = list(country.regions.filter(parent=None).order_by("name")[: SHOWN * 4 + 1])
        visits = list(
            event_selectors.first_visits(event_selectors.visit_list(host=country), SHOWN + 1)
            .select_related("event", "visitor")
            .prefetch_related("destinations")
        )
        treaties = list(event_selectors.treaty_list(parties=[country.code])[: SHOWN + 1])
    else:
        # From history (core.asof, events.asof): its lists as they stood.
        regions = regions_as_of(moment=as_of, limit=SHOWN * 4 + 1, country_id=country.pk, parent_id=None)
        visits = visits_as_of(moment=as_of, host=country, limit=SHOWN + 1)
        treaties = party_treaties_as_of(moment=as_of, party=country, limit=SHOWN + 1)
    context = {
        "country": country,
        **record_timeline(
            request,
            scope={"country": country},
            name=country.name,
            query={"country": country.code},
            as_of=as_of,
        ),
        "regions": regions[: SHOWN * 4],
        "more_regions": len(regions) > SHOWN * 4,
        "visits": [(v, FuzzyDate.of(v.event, "date")) for v in visits[:SHOWN]],
        "more_visits": len(visits) > SHOWN,
        "treaties": [(t, FuzzyDate.of(t, "signed")) for t in treaties[:SHOWN]],
        "more_treaties": len(treaties) > SHOWN,
    }
    return render(request, "places/country_detail.html", context)


@require_safe
@reads_as_of
def region_detail(request: HttpRequest, slug: str, *, as_of: datetime | None) -> HttpResponse:
    live = region_by_slug(slug=slug).select_related("country", "parent")
    region = record_now_or_then(request, Region, as_of, live=live, what=f"the region “{slug}”", slug=slug)
    if as_of is None:
        children = list(region.children.order_by("name")[: SHOWN * 4 + 1])
    else:
        children = regions_as_of(moment=as_of, limit=SHOWN * 4 + 1, parent_id=region.pk)
        # History keeps no materialized path: the tree below it is read as it is now.
        now = live.first()
        if now is not None and now.pk == region.pk:
            region.path = now.path
    context = {
        "region": region,
        "ancestors": list(reversed(region_ancestors(region))),
        "children": children[: SHOWN * 4],
        "more_children": len(children) > SHOWN * 4,
        **record_timeline(
            request, scope={"region": region}, name=region.name, query={"region": region.slug}, as_of=as_of
        ),
    }
    return render(request, "places/region_detail.html", context)
