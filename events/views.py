"""Public pages for events and treaties, the timeline explorer and its exports: read-only, no login."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from core.asof import first_recorded
from core.citing import Cite, as_of_pair, as_of_parameter, cite, record_or_nothing_yet, refuse_as_of
from core.errors import InvalidFilter
from core.fuzzydates import FuzzyDate
from events import selectors
from events.asof import treaty_steps_as_of, with_details_as_of
from events.credits import Credit, credits_for, distinct_credits, event_credits
from events.explorer import Timeline, timeline_from
from events.exports import DOUBTFUL_STATUSES, axis_item, csv_lines, dated, event_json, timelinejs
from events.models import Event, EventKind, EventStatus, Treaty
from places.selectors import country_list

# Events per explorer page (and per page of a record's timeline).
PAGE_SIZE = 50
# Events per export file; a longer query gives a link to the next file.
EXPORT_SIZE = 2000


def event_url(event: Event) -> str:
    return reverse("event", args=[event.slug])


def _event_url(event: Event, timeline: Timeline) -> str:
    """An event's page, as it stood at the timeline's moment when it has one."""
    url = event_url(event)
    return f"{url}?{as_of_pair(timeline.as_of)}" if timeline.as_of else url


@require_safe
def explorer(request: HttpRequest) -> HttpResponse:
    """The timeline explorer: filters in the URL, an axis and the list it draws, paged by keyset."""
    timeline = timeline_from(request.GET)
    events, last = timeline.page(size=PAGE_SIZE, after=request.GET.get("after"))
    querystring = timeline.querystring
    title = _title(timeline)
    context = {
        "timeline": timeline,
        "form": timeline.form,
        "events": dated(events),
        "axis_items": [axis_item(e) for e in events],
        "next_url": f"?{querystring + '&' if querystring else ''}after={last.slug}" if last else None,
        "paged": bool(request.GET.get("after")),
        "querystring": querystring,
        "title": title,
        "doubtful": DOUBTFUL_STATUSES,
        "cite": _cite(request, timeline, title, events),
        **_nothing_yet(timeline),
        # Plain tuples: some 250 options render several times faster than model instances.
        "countries": [
            (code, name, timeline.country is not None and code == timeline.country.code)
            for code, name in country_list().order_by("name").values_list("code", "name")
        ],
        "kind_choices": _choices(EventKind.choices, request.GET.getlist("kind"), short=False),
        "status_choices": _choices(EventStatus.choices, request.GET.getlist("status"), short=True),
    }
    return render(request, "events/explorer.html", context, status=400 if timeline.errors else 200)


def _cite(request: HttpRequest, timeline: Timeline, title: str, events: list[Event]) -> Cite:
    """The citation of a list page or an export: the query, its moment, the sources its events cite."""
    return page_cite(request, title=title, as_of=timeline.as_of, events=events)


def page_cite(request: HttpRequest, *, title: str, as_of: datetime | None, events: list[Event]) -> Cite:
    """The citation of a record's page: its moment and the sources its listed events cite."""
    return cite(
        request,
        title=title,
        as_of=as_of,
        sources=[c.source for e in events for c in e.citations.all()],
        credits=distinct_credits(credits_for(events)),
    )


def _nothing_yet(timeline: Timeline) -> dict[str, Any]:
    """Whether ``timeline``'s moment is before any event was recorded, and when the first was."""
    if timeline.as_of is None:
        return {"nothing_yet": False}
    first = first_recorded(Event)
    return {"nothing_yet": first is None or timeline.as_of < first, "first_recorded": first}


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
    except InvalidFilter as error:
        return refuse_as_of(request, error)
    if as_of is None:
        event = selectors.event_detail(slug=slug).first()
        if event is None:
            raise Http404(f"No event {slug!r}.")
    else:
        # From history (core.asof), an event deleted since included.
        found = record_or_nothing_yet(request, Event, as_of, what=f"the event “{slug}”", slug=slug)
        if isinstance(found, HttpResponse):
            return found
        (event,) = with_details_as_of([found], as_of)  # type: ignore[list-item]
    dated([event])
    context = {
        "event": event,
        "date": FuzzyDate.of(event, "date"),
        "axis_items": [axis_item(event)],
        "doubtful": DOUBTFUL_STATUSES,
        "cite": cite(
            request,
            title=event.title,
            as_of=as_of,
            sources=[c.source for c in event.citations.all()],
            credits=distinct_credits(event_credits(event)),
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
    try:
        as_of = as_of_parameter(request)
    except InvalidFilter as error:
        return refuse_as_of(request, error)
    if as_of is None:
        treaty = selectors.treaty_detail(slug=slug).first()
        if treaty is None:
            raise Http404(f"No treaty {slug!r}.")
        steps = list(
            selectors.with_details(treaty.events.order_by("date_earliest", "date_latest", "title", "pk"))
        )
    else:
        found = record_or_nothing_yet(request, Treaty, as_of, what=f"the treaty “{slug}”", slug=slug)
        if isinstance(found, HttpResponse):
            return found
        treaty = found  # type: ignore[assignment]
        # Its parties and citations as they stood (core.asof); whom they name, as now.
        prefetch_related_objects([treaty], "parent")
        prefetch_related_objects(list(treaty.parties.all()), "signatory")
        steps = treaty_steps_as_of(treaty=treaty, moment=as_of)
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
        "cite": cite(
            request,
            title=str(treaty),
            as_of=as_of,
            sources=[c.source for c in treaty.citations.all()],
            credits=distinct_credits(Credit.of(c.source) for c in treaty.citations.all()),
        ),
    }
    return render(request, "events/treaty_detail.html", context)


# Exports: the explorer's query (its filters, from ``after`` on) as files.


def _export(request: HttpRequest) -> tuple[Timeline, list[Event], str | None]:
    timeline = timeline_from(request.GET)
    events, last = timeline.page(size=EXPORT_SIZE, after=request.GET.get("after"))
    next_url = None
    if last is not None:
        query = request.GET.copy()
        query["after"] = last.slug
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return timeline, events, next_url


def _refused(timeline: Timeline) -> JsonResponse:
    return JsonResponse({"errors": timeline.errors, "code": InvalidFilter.code}, status=400)


def _cite_as(response: HttpResponse, citation: Cite) -> HttpResponse:
    """Name the export's permalink in a ``Link: rel="cite-as"`` header (RFC 8574)."""
    link = f'<{citation.permalink}>; rel="cite-as"'
    response["Link"] = f"{response['Link']}, {link}" if response.has_header("Link") else link
    return response


def _filename(request: HttpRequest, timeline: Timeline, extension: str) -> str:
    return f"chancery-{date.today().isoformat()}.{extension}"


@require_safe
def export_timelinejs(request: HttpRequest) -> HttpResponse:
    """TimelineJS3 JSON of the query, loadable as TimelineJS's own data file."""
    timeline, events, next_url = _export(request)
    if timeline.errors:
        return _refused(timeline)
    citation = _cite(request, timeline, _title(timeline), events)
    data = timelinejs(
        events,
        title=_title(timeline),
        url_of=lambda e: request.build_absolute_uri(_event_url(e, timeline)),
        citation=citation.text,
    )
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(request, timeline, "timelinejs.json")}"'
    )
    if next_url:
        response["Link"] = f'<{next_url}>; rel="next"'
    return _cite_as(response, citation)


@require_safe
def export_json(request: HttpRequest) -> HttpResponse:
    """JSON of the query with each date's full semantics (shape, ends, precision, qualifiers)."""
    timeline, events, next_url = _export(request)
    if timeline.errors:
        return _refused(timeline)
    credits = credits_for(events)
    citation = _cite(request, timeline, _title(timeline), events)
    data = {
        "title": _title(timeline),
        "filters": timeline.querystring,
        # How to cite this file: a permalink with its moment, the text, the data version.
        "citation": citation.as_json(),
        # Every source the events cite, with its licence and the credit it asks for (events/credits.py).
        "sources": [credit.as_json() for credit in credits],
        # The same, once per distinct credit: what to show where the data is shown.
        "credits": distinct_credits(credits),
        "events": [event_json(e, url=request.build_absolute_uri(_event_url(e, timeline))) for e in events],
        "next": next_url,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="{_filename(request, timeline, "json")}"'
    return _cite_as(response, citation)


@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    """CSV of the query, one event a line, with its date's semantics in columns."""
    timeline, events, next_url = _export(request)
    if timeline.errors:
        return _refused(timeline)

    citation = _cite(request, timeline, _title(timeline), events)

    def lines() -> Iterator[str]:
        yield from csv_lines(
            events,
            url_of=lambda e: request.build_absolute_uri(_event_url(e, timeline)),
            citation=citation.text,
        )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(request, timeline, "csv")}"'
    if next_url:
        response["Link"] = f'<{next_url}>; rel="next"'
    return _cite_as(response, citation)
