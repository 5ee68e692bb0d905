"""Public pages for events and treaties, the timeline explorer and its exports: read-only, no login.

Every page and export answers ``?as_of=`` from history (core.asof, events.asof) and says how to
cite it (core.citing): a page in its cite block, an export in its ``citation`` and a
``Link: rel="cite-as"`` header.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from core.asof import first_recorded
from core.citing import Cite, as_of_pair, cite, reads_as_of, record_now_or_then, stamp
from core.errors import InvalidFilter
from core.fuzzydates import FuzzyDate
from events import selectors
from events.asof import reading_page_as_of, treaty_steps_as_of
from events.asof_timeline import event_rows_as_of, with_details_as_of
from events.credits import Credit, credits_for, distinct_credits, event_credits
from events.explorer import Timeline, timeline_from
from events.exports import DOUBTFUL_STATUSES, axis_item, csv_lines, dated, event_json, timelinejs
from events.models import Event, EventKind, EventStatus, Treaty
from events.overview import memberships_counter, overview, overview_context
from places.selectors import country_list

# Events per explorer page (and per page of a record's timeline).
PAGE_SIZE = 50
# Events per export file; a longer query gives a link to the next file.
EXPORT_SIZE = 2000


def event_url(event: Event, *, as_of: datetime | None = None) -> str:
    """An event's page; as it stood at ``as_of`` when given (a list as it stood links to then)."""
    url = reverse("event", args=[event.slug])
    return f"{url}?{as_of_pair(as_of)}" if as_of else url


def page_cite(request: HttpRequest, *, title: str, as_of: datetime | None, events: list[Event]) -> Cite:
    """The citation of a page or an export listing ``events``: its moment and the sources they cite."""
    return cite(
        request,
        title=title,
        as_of=as_of,
        sources=[c.source for e in events for c in e.citations.all()],
        credits=distinct_credits(credits_for(events)),
    )


@require_safe
def explorer(request: HttpRequest) -> HttpResponse:
    """The timeline explorer: filters in the URL, an axis and the list it draws, paged by keyset."""
    timeline = timeline_from(request.GET)
    events, last = timeline.page(size=PAGE_SIZE, after=request.GET.get("after"))
    querystring = timeline.querystring
    title = timeline_title(timeline)
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
        "cite": page_cite(request, title=title, as_of=timeline.as_of, events=events),
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


def timeline_title(timeline: Timeline) -> str:
    """The title of the explorer's query (a page's, an export's, a feed's): the records it names."""
    parts = [
        str(x) for x in (timeline.person, timeline.country and timeline.country.name, timeline.region) if x
    ]
    return f"Timeline: {', '.join(parts)}" if parts else "Timeline"


@require_safe
@reads_as_of
def event_detail(request: HttpRequest, slug: str, *, as_of: datetime | None) -> HttpResponse:
    # As it stood: from history (core.asof), an event deleted since included.
    live = selectors.event_detail(slug=slug)
    event = record_now_or_then(request, Event, as_of, live=live, what=f"the event “{slug}”", slug=slug)
    if as_of is not None:
        (event,) = with_details_as_of([event], as_of)
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
@reads_as_of
def treaty_detail(request: HttpRequest, slug: str, *, as_of: datetime | None) -> HttpResponse:
    live = selectors.treaty_detail(slug=slug)
    treaty = record_now_or_then(request, Treaty, as_of, live=live, what=f"the treaty “{slug}”", slug=slug)
    if as_of is None:
        steps = list(
            selectors.with_details(treaty.events.order_by("date_earliest", "date_latest", "title", "pk"))
        )
    else:
        # Its parties and citations as they stood (core.asof, whom they name as now); its parent, as now.
        prefetch_related_objects([treaty], "parent")
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


def record_timeline(
    request: HttpRequest, *, scope: dict[str, Any], name: str, query: dict[str, str], as_of: datetime | None
) -> dict[str, Any]:
    """What a record's page (a person, a country, a region; core/public/record.html) shows of its events.

    The first page of the events of ``scope`` (a person, a country or a region), now or as they
    stood at ``as_of`` (events.asof_timeline), dated, with their axis items; the years overview,
    whose explorer links keep the moment; the Atom feed of the explorer ``query`` that lists them
    all, titled with the record's ``name`` (without the moment: a feed follows changes); and the
    page's cite block.
    """
    if as_of is None:
        timeline: QuerySet[Any] = selectors.event_timeline(**scope)
        events = selectors.reading_page(timeline, size=PAGE_SIZE)
        # The overview counts all of them, in the form that gathers a busy country's (issue 25).
        counted = selectors.event_timeline(whole=True, **scope)
    else:
        counted = timeline = event_rows_as_of(moment=as_of, **scope)
        events = reading_page_as_of(timeline, moment=as_of, size=PAGE_SIZE)
    periods = overview(
        counted,
        explorer_query=query | ({"as_of": stamp(as_of)} if as_of else {}),
        # A person's or a country's, now: an index-only count of its memberships (events.memberships).
        counted=memberships_counter(scope) if as_of is None else None,
    )
    shown = dated(events[:PAGE_SIZE])
    return {
        "record_name": name,
        "feed_query": urlencode(query),
        "events": shown,
        "more_events": len(events) > PAGE_SIZE,
        "axis_items": [axis_item(e) for e in shown],
        "doubtful": DOUBTFUL_STATUSES,
        "cite": page_cite(request, title=name, as_of=as_of, events=shown),
        **overview_context(periods),
    }


# Exports: the explorer's query (its filters, from ``after`` on, at its moment) as files.


@dataclass(frozen=True)
class ExportPage:
    """What one export file holds: the query, its page of events, the next file, how to cite it."""

    request: HttpRequest
    timeline: Timeline
    events: list[Event]
    next_url: str | None
    citation: Cite

    @property
    def title(self) -> str:
        return timeline_title(self.timeline)

    def url_of(self, event: Event) -> str:
        """The event's page, absolute, as it stood at the query's moment when it has one."""
        return self.request.build_absolute_uri(event_url(event, as_of=self.timeline.as_of))


def export(
    request: HttpRequest,
    extension: str,
    body: Callable[[ExportPage], HttpResponse],
    *,
    link_next: bool = True,
) -> HttpResponse:
    """One export file of the query from ``after`` on: ``body`` writes it, as an attachment.

    A refused filter (or ``as_of``) answers 400 with the explorer's errors. Where a longer query
    goes on, ``link_next`` names the next file in a ``Link`` header (the JSON names it in its
    body); every file names its permalink in a ``Link: rel="cite-as"`` header (RFC 8574).
    """
    timeline = timeline_from(request.GET)
    events, last = timeline.page(size=EXPORT_SIZE, after=request.GET.get("after"))
    if timeline.errors:
        return JsonResponse({"errors": timeline.errors, "code": InvalidFilter.code}, status=400)
    next_url = None
    if last is not None:
        query = request.GET.copy()
        query["after"] = last.slug
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    citation = page_cite(request, title=timeline_title(timeline), as_of=timeline.as_of, events=events)
    response = body(ExportPage(request, timeline, events, next_url, citation))
    filename = f"chancery-{date.today().isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    links = [f'<{next_url}>; rel="next"'] if next_url and link_next else []
    response["Link"] = ", ".join([*links, f'<{citation.permalink}>; rel="cite-as"'])
    return response


@require_safe
def export_timelinejs(request: HttpRequest) -> HttpResponse:
    """TimelineJS3 JSON of the query, loadable as TimelineJS's own data file."""

    def body(page: ExportPage) -> HttpResponse:
        data = timelinejs(page.events, title=page.title, url_of=page.url_of, citation=page.citation.text)
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})

    return export(request, "timelinejs.json", body)


@require_safe
def export_json(request: HttpRequest) -> HttpResponse:
    """JSON of the query with each date's full semantics (shape, ends, precision, qualifiers)."""

    def body(page: ExportPage) -> HttpResponse:
        credits = credits_for(page.events)
        data = {
            "title": page.title,
            "filters": page.timeline.querystring,
            # How to cite this file: a permalink with its moment, the text, the data version.
            "citation": page.citation.as_json(),
            # Every source the events cite, with its licence and the credit it asks for (events/credits.py).
            "sources": [credit.as_json() for credit in credits],
            # The same, once per distinct credit: what to show where the data is shown.
            "credits": distinct_credits(credits),
            "events": [event_json(e, url=page.url_of(e)) for e in page.events],
            "next": page.next_url,
        }
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})

    return export(request, "json", body, link_next=False)


@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    """CSV of the query, one event a line, with its date's semantics in columns."""

    def body(page: ExportPage) -> HttpResponse:
        def lines() -> Iterator[str]:
            yield from csv_lines(page.events, url_of=page.url_of, citation=page.citation.text)

        return StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")

    return export(request, "csv", body)
