"""Public pages for events and treaties, the timeline explorer and its exports: read-only, no login."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from core.asof import record_as_of
from core.citing import as_of_parameter, cite
from core.errors import InvalidFilter
from core.fuzzydates import FuzzyDate
from events import selectors
from events.credits import credits_for, distinct_credits
from events.explorer import Timeline, timeline_from
from events.exports import DOUBTFUL_STATUSES, axis_item, csv_lines, dated, event_json, timelinejs
from events.models import Event, EventKind, EventStatus
from events.overview import overview, overview_context
from places.selectors import country_list

# Events per explorer page (and per page of a record's timeline).
PAGE_SIZE = 50
# Events per export file; a longer query gives a link to the next file.
EXPORT_SIZE = 2000


def event_url(event: Event) -> str:
    return reverse("event", args=[event.slug])


@require_safe
def explorer(request: HttpRequest) -> HttpResponse:
    """The timeline explorer: filters in the URL, an axis and the list it draws, paged by keyset."""
    timeline = timeline_from(request.GET)
    events, last = timeline.page(size=PAGE_SIZE, after=request.GET.get("after"))
    querystring = timeline.querystring
    context = {
        "timeline": timeline,
        "form": timeline.form,
        "events": dated(events),
        "axis_items": [axis_item(e) for e in events],
        "next_url": f"?{querystring + '&' if querystring else ''}after={last.slug}" if last else None,
        "paged": bool(request.GET.get("after")),
        "querystring": querystring,
        "title": _title(timeline),
        "doubtful": DOUBTFUL_STATUSES,
        # Plain tuples: some 250 options render several times faster than model instances.
        "countries": [
            (code, name, timeline.country is not None and code == timeline.country.code)
            for code, name in country_list().order_by("name").values_list("code", "name")
        ],
        "kind_choices": _choices(EventKind.choices, request.GET.getlist("kind"), short=False),
        "status_choices": _choices(EventStatus.choices, request.GET.getlist("status"), short=True),
    }
    return render(request, "events/explorer.html", context, status=400 if timeline.errors else 200)


def _choices(
    choices: list[tuple[str, str]], chosen: list[str], *, short: bool
) -> list[tuple[str, str, str, bool]]:
    """Checkbox rows: value, label (the value in words when ``short``), long label, checked."""
    return [(value, value.title() if short else label, label, value in chosen) for value, label in choices]


def _title(timeline: Timeline) -> str:
    parts = [
        str(x) for x in (timeline.person, timeline.country and timeline.country.name, timeline.region) if x
    ]
    return f"Timeline: {', '.join(parts)}" if parts else "Timeline"


@require_safe
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        as_of = as_of_parameter(request)
        # ?as_of= answers from history (core.asof), an event deleted since included.
        event = (
            selectors.event_detail(slug=slug).first()
            if as_of is None
            else record_as_of(Event, as_of, slug=slug)
        )
    except InvalidFilter as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    if event is None:
        raise Http404(f"No event {slug!r}{f' as of {as_of:%Y-%m-%d %H:%M} UTC' if as_of else ''}.")
    dated([event])
    context = {
        "event": event,
        "date": FuzzyDate.of(event, "date"),
        "axis_items": [axis_item(event)],
        "doubtful": DOUBTFUL_STATUSES,
        "cite": cite(
            request, title=event.title, as_of=as_of, sources=[c.source for c in event.citations.all()]
        ),
    }
    return render(request, "events/event_detail.html", context)


# How a reader may sort a treaty's parties (``?parties=``): the name, or the day of a step.
PARTY_SORTS = {"name": "name", "signed": "signed", "ratified": "ratified", "in_force": "in force"}


def _party_sort_key(column: int) -> Any:
    """Sort parties by the earliest day of one of their steps, those without it last, then by name."""

    def key(row: tuple[Any, ...]) -> tuple[bool, date, str]:
        fd = row[column]
        day = fd.earliest if fd is not None else None
        return (day is None, day or date.min, _party_name(row[0]))

    return key


def _party_name(party: Any) -> str:
    return (
        party.country.name if party.country else party.organization.name if party.organization else ""
    ).casefold()


@require_safe
def treaty_detail(request: HttpRequest, slug: str) -> HttpResponse:
    treaty = selectors.treaty_detail(slug=slug).first()
    if treaty is None:
        raise Http404(f"No treaty {slug!r}.")
    steps = list(
        selectors.with_details(treaty.events.order_by("date_earliest", "date_latest", "title", "pk"))
    )
    parties = [
        (p, *(FuzzyDate.of(p, name) for name in ("signed", "ratified", "in_force", "ended")))
        for p in treaty.parties.all()
    ]
    sort = request.GET.get("parties", "name")
    sort_error = None
    if sort not in PARTY_SORTS:
        sort_error = (
            f"Parties cannot be sorted by {sort!r}: sort by {', '.join(PARTY_SORTS)}. Sorted by name."
        )
        sort = "name"
    if sort == "name":
        parties.sort(key=lambda row: _party_name(row[0]))
    else:
        # Row columns: the party, then signed, ratified, in force (the order of PARTY_SORTS).
        parties.sort(key=_party_sort_key(list(PARTY_SORTS).index(sort)))
    context = {
        "treaty": treaty,
        "signed": FuzzyDate.of(treaty, "signed"),
        "in_force": FuzzyDate.of(treaty, "in_force"),
        "ended": FuzzyDate.of(treaty, "ended"),
        "parties": parties,
        "party_sort": sort,
        "party_sorts": PARTY_SORTS.items(),
        "party_sort_error": sort_error,
        "events": dated(steps),
        "axis_items": [axis_item(e) for e in steps],
        "doubtful": DOUBTFUL_STATUSES,
    }
    return render(request, "events/treaty_detail.html", context)


def record_timeline(
    timeline: QuerySet[Event],
    *,
    name: str,
    query: dict[str, str],
    counted: QuerySet[Event] | None = None,
) -> dict[str, Any]:
    """What a record's page (a person, a country, a region; core/public/record.html) shows of its events.

    The first page of ``timeline`` (dated, with its axis items), the years overview, and the
    Atom feed of the explorer ``query`` that lists them all, titled with the record's ``name``.
    The overview counts ``counted`` when given: the same events in a form cheaper to count.
    """
    events = selectors.reading_page(timeline, size=PAGE_SIZE)
    periods = overview(timeline if counted is None else counted, explorer_query=query)
    shown = dated(events[:PAGE_SIZE])
    return {
        "record_name": name,
        "feed_query": urlencode(query),
        "events": shown,
        "more_events": len(events) > PAGE_SIZE,
        "axis_items": [axis_item(e) for e in shown],
        "doubtful": DOUBTFUL_STATUSES,
        **overview_context(periods),
    }


# Exports: the explorer's query (its filters, from ``after`` on) as files.


def export(
    request: HttpRequest,
    extension: str,
    body: Callable[[Timeline, list[Event], str | None], HttpResponse],
    *,
    link_next: bool = True,
) -> HttpResponse:
    """One export file of the query from ``after`` on: ``body`` writes it, as an attachment.

    A refused filter answers 400 with the explorer's errors. Where a longer query goes on,
    ``link_next`` names the next file in a ``Link`` header (the JSON names it in its body).
    """
    timeline = timeline_from(request.GET)
    events, last = timeline.page(size=EXPORT_SIZE, after=request.GET.get("after"))
    if timeline.errors:
        return JsonResponse({"errors": timeline.errors}, status=400)
    next_url = None
    if last is not None:
        query = request.GET.copy()
        query["after"] = last.slug
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    response = body(timeline, events, next_url)
    filename = f"chancery-{date.today().isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if next_url and link_next:
        response["Link"] = f'<{next_url}>; rel="next"'
    return response


@require_safe
def export_timelinejs(request: HttpRequest) -> HttpResponse:
    """TimelineJS3 JSON of the query, loadable as TimelineJS's own data file."""

    def body(timeline: Timeline, events: list[Event], next_url: str | None) -> HttpResponse:
        data = timelinejs(
            events, title=_title(timeline), url_of=lambda e: request.build_absolute_uri(event_url(e))
        )
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})

    return export(request, "timelinejs.json", body)


@require_safe
def export_json(request: HttpRequest) -> HttpResponse:
    """JSON of the query with each date's full semantics (shape, ends, precision, qualifiers)."""

    def body(timeline: Timeline, events: list[Event], next_url: str | None) -> HttpResponse:
        credits = credits_for(events)
        data = {
            "title": _title(timeline),
            "filters": timeline.querystring,
            # Every source the events cite, with its licence and the credit it asks for (events/credits.py).
            "sources": [credit.as_json() for credit in credits],
            # The same, once per distinct credit: what to show where the data is shown.
            "credits": distinct_credits(credits),
            "events": [event_json(e, url=request.build_absolute_uri(event_url(e))) for e in events],
            "next": next_url,
        }
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})

    return export(request, "json", body, link_next=False)


@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    """CSV of the query, one event a line, with its date's semantics in columns."""

    def body(timeline: Timeline, events: list[Event], next_url: str | None) -> HttpResponse:
        def lines() -> Iterator[str]:
            yield from csv_lines(events, url_of=lambda e: request.build_absolute_uri(event_url(e)))

        return StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")

    return export(request, "csv", body)
