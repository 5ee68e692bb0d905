"""The public pages of a country and of a region, with the events that happened there."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.fuzzydates import FuzzyDate
from events import selectors as event_selectors
from events.views import record_timeline
from places.selectors import country_by_code, region_ancestors, region_by_slug

# Rows of each list on a place's page; the explorer shows the rest.
SHOWN = 50


@require_safe
def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    country = country_by_code(code=code).first()
    if country is None:
        raise Http404(f"No country {code!r}.")
    timeline = event_selectors.event_timeline(country=country)
    regions = list(country.regions.filter(parent=None).order_by("name")[: SHOWN * 4 + 1])
    visits = list(
        event_selectors.first_visits(event_selectors.visit_list(host=country), SHOWN + 1)
        .select_related("event", "visitor")
        .prefetch_related("destinations")
    )
    treaties = list(event_selectors.treaty_list(parties=[country.code])[: SHOWN + 1])
    context = {
        "country": country,
        # The overview counts all of the country's events, in the form that gathers them (issue 25).
        **record_timeline(
            timeline,
            name=country.name,
            query={"country": country.code},
            counted=event_selectors.event_timeline(country=country, whole=True),
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
def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    region = region_by_slug(slug=slug).select_related("country", "parent").first()
    if region is None:
        raise Http404(f"No region {slug!r}.")
    timeline = event_selectors.event_timeline(region=region)
    children = list(region.children.order_by("name")[: SHOWN * 4 + 1])
    context = {
        "region": region,
        "ancestors": list(reversed(region_ancestors(region))),
        "children": children[: SHOWN * 4],
        "more_children": len(children) > SHOWN * 4,
        **record_timeline(timeline, name=region.name, query={"region": region.slug}),
    }
    return render(request, "places/region_detail.html", context)
