"""The public pages of a country and of a region, with the events that happened there."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.citing import as_of_parameter, record_or_nothing_yet, refuse_as_of, stamp
from core.errors import InvalidFilter
from core.fuzzydates import FuzzyDate
from events import selectors as event_selectors
from events.asof import event_timeline_as_of, reading_page_as_of, treaties_as_of, visits_as_of
from events.exports import DOUBTFUL_STATUSES, axis_item, dated
from events.overview import overview, overview_context
from events.views import PAGE_SIZE, page_cite
from places.models import Country, Region
from places.selectors import country_by_code, region_ancestors, region_by_slug, regions_as_of

# Rows of each list on a place's page; the explorer shows the rest.
SHOWN = 50


def _timeline(as_of: datetime | None, size: int, **scope: Any) -> tuple[Any, list[Any]]:
    """The place's timeline (a QuerySet, for the overview) and its first page, then or now."""
    if as_of is None:
        timeline = event_selectors.event_timeline(**scope)
        return timeline, event_selectors.reading_page(timeline, size=size)
    timeline = event_timeline_as_of(moment=as_of, **scope)
    return timeline, reading_page_as_of(timeline, moment=as_of, size=size)


def _query(as_of: datetime | None, **filters: str) -> dict[str, str]:
    """The explorer filters of a page's overview links, with its moment when it has one."""
    return filters | ({"as_of": stamp(as_of)} if as_of else {})


@require_safe
def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        as_of = as_of_parameter(request)
    except InvalidFilter as error:
        return refuse_as_of(request, error)
    if as_of is None:
        country = country_by_code(code=code).first()
        if country is None:
            raise Http404(f"No country {code!r}.")
        regions = list(country.regions.filter(parent=None).order_by("name")[: SHOWN * 4 + 1])
        visits = list(
            event_selectors.visit_list(host=country)
            .select_related("event", "visitor")
            .prefetch_related("destinations")[: SHOWN + 1]
        )
        treaties = list(event_selectors.treaty_list(parties=[country.code])[: SHOWN + 1])
    else:
        code = code.strip().upper()
        found = record_or_nothing_yet(request, Country, as_of, what=f"the country {code}", code=code)
        if isinstance(found, HttpResponse):
            return found
        country = found  # type: ignore[assignment]
        regions = regions_as_of(moment=as_of, limit=SHOWN * 4 + 1, country_id=country.pk, parent_id=None)
        visits = visits_as_of(moment=as_of, host=country, limit=SHOWN + 1)
        treaties = treaties_as_of(moment=as_of, party=country, limit=SHOWN + 1)
    timeline, events = _timeline(as_of, PAGE_SIZE, country=country)
    periods = overview(timeline, explorer_query=_query(as_of, country=country.code))
    context = {
        "country": country,
        "events": dated(events[:PAGE_SIZE]),
        "more_events": len(events) > PAGE_SIZE,
        "axis_items": [axis_item(e) for e in events[:PAGE_SIZE]],
        "regions": regions[: SHOWN * 4],
        "more_regions": len(regions) > SHOWN * 4,
        "visits": [(v, FuzzyDate.of(v.event, "date")) for v in visits[:SHOWN]],
        "more_visits": len(visits) > SHOWN,
        "treaties": [(t, FuzzyDate.of(t, "signed")) for t in treaties[:SHOWN]],
        "more_treaties": len(treaties) > SHOWN,
        "doubtful": DOUBTFUL_STATUSES,
        "cite": page_cite(request, title=country.name, as_of=as_of, events=events[:PAGE_SIZE]),
        **overview_context(periods),
    }
    return render(request, "places/country_detail.html", context)


@require_safe
def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        as_of = as_of_parameter(request)
    except InvalidFilter as error:
        return refuse_as_of(request, error)
    live = region_by_slug(slug=slug).select_related("country", "parent").first()
    if as_of is None:
        if live is None:
            raise Http404(f"No region {slug!r}.")
        region = live
        children = list(region.children.order_by("name")[: SHOWN * 4 + 1])
    else:
        found = record_or_nothing_yet(request, Region, as_of, what=f"the region “{slug}”", slug=slug)
        if isinstance(found, HttpResponse):
            return found
        region = found  # type: ignore[assignment]
        children = regions_as_of(moment=as_of, limit=SHOWN * 4 + 1, parent_id=region.pk)
        # History keeps no materialized path: the tree below it is read as it is now.
        if live is not None and live.pk == region.pk:
            region.path = live.path
    timeline, events = _timeline(as_of, PAGE_SIZE, region=region)
    periods = overview(timeline, explorer_query=_query(as_of, region=region.slug))
    context = {
        "region": region,
        "ancestors": list(reversed(region_ancestors(region))),
        "children": children[: SHOWN * 4],
        "more_children": len(children) > SHOWN * 4,
        "events": dated(events[:PAGE_SIZE]),
        "more_events": len(events) > PAGE_SIZE,
        "axis_items": [axis_item(e) for e in events[:PAGE_SIZE]],
        "doubtful": DOUBTFUL_STATUSES,
        "cite": page_cite(request, title=region.name, as_of=as_of, events=events[:PAGE_SIZE]),
        **overview_context(periods),
    }
    return render(request, "places/region_detail.html", context)
