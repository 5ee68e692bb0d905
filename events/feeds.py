"""Atom feeds of any explorer query: ``/feed.atom?person=andrzej-duda`` (issue 24).

One entry per event the filters select, newest edit first: a new event appears, and each
correction moves the entry's ``updated`` so feed readers show it again, with the corrections
listed (when, which fields, the editor's reason; never who: usernames stay private). The
filters are the explorer's own (events.explorer), so a bad one is refused with the
explorer's message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from core import dataversion
from core.errors import InvalidFilter
from core.revisions import CREATED, DELETED, Revision, revisions_by_record
from events.explorer import Timeline, timeline_from
from events.models import Event
from events.views import timeline_title

# Entries per feed: the events edited last. Feed readers poll; they need what is new.
FEED_SIZE = 50


# Edits listed per entry, newest first; older ones are counted (the event's page has them all).
EDITS_SHOWN = 10
# History rows read newest first before falling back to aggregating the whole query (below).
RECENT_ROWS = 2000


@dataclass
class FeedQuery:
    """An explorer query and the events its feed lists, read once per request."""

    timeline: Timeline
    events: list[Event]


def feed_events(selected: QuerySet[Event], *, size: int = FEED_SIZE) -> list[Event]:
    """The ``size`` events of the query edited last, each with ``published`` and ``updated``.

    Every edit of an event, its lists included, saves the event (its version counts up), so
    its own history rows date every edit. The newest RECENT_ROWS of them are read first,
    newest edit first on ``hevent_edited_idx``: when ``size`` selected events are among them,
    no other selected event can have a newer edit (nor an equal one with a higher id: the walk
    is in the feed's own order), and the answer never aggregates the history of a broad query
    (a country with a million events). A narrow or quiet query falls back to its own events'
    history.

    Deletions are left out of the walk (the index holds no ``-`` row): a deleted event is no
    entry, and a thousand deletions of one clean-up made the first rows all deletions, so a
    busy country's feed fell back to aggregating all of its events (issue 25).
    """
    recent = list(
        Event.history.exclude(history_type="-")
        .order_by("-history_date", "-id")
        .values_list("id", flat=True)[:RECENT_ROWS]
    )
    # The query's own annotations (search rank) stay in its subquery, out of the aggregate.
    matching = Event.objects.filter(pk__in=selected.values("pk"))
    found = _latest(matching.filter(pk__in=set(recent)), size)
    if len(found) == size or len(recent) < RECENT_ROWS:
        return found
    return _latest(matching, size)


def _latest(events: QuerySet[Event], size: int) -> list[Event]:
    """``events`` edited last first, with the day of their first and last history rows."""
    # Correlated lookups on the history's (id) index: no join and grouping of its whole table.
    rows = Event.history.filter(id=OuterRef("pk"))
    return list(
        events.annotate(
            published=Subquery(rows.order_by("history_date").values("history_date")[:1]),
            updated=Subquery(rows.order_by("-history_date").values("history_date")[:1]),
        )
        .filter(updated__isnull=False)  # bulk-loaded rows with no history are no news
        .order_by("-updated", "-pk")[:size]
    )


def _changed_fields(revision: Revision) -> list[str]:
    """The fields and lists an edit changed, once each: 'participants', not each column of a row."""
    names: list[str] = []
    for change in revision.changes:
        name = change.field.split(".")[0]
        if name not in names:
            names.append(name)
    return names


def change_line(revision: Revision) -> str:
    """One edit in words, e.g. '6 December 2026 21:40 UTC: corrected title, date (reason: typo)'."""
    when = f"{revision.date:%-d %B %Y %H:%M} UTC"
    if revision.kind == CREATED:
        what = "added"
    elif revision.kind == DELETED:
        what = "deleted"
    else:
        fields = _changed_fields(revision)
        what = f"corrected {', '.join(fields)}" if fields else "corrected"
    reason = f" (reason: {revision.reason})" if revision.reason else ""
    return f"{when}: {what}{reason}"


class TimelineFeed(Feed):
    """The explorer's query as Atom, at ``/feed.atom`` with the explorer's filters."""

    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        timeline = timeline_from(request.GET)
        if timeline.as_of is not None:
            # A feed follows the record as it changes; a past state is a page's or an export's.
            timeline.errors.append(
                "as_of: a feed lists new and corrected events as they come; for the events as they "
                "stood at a moment, use the explorer or an export with the same as_of."
            )
        selected = timeline.events()  # a filter that resolves but cannot be applied (a window) says so here
        if timeline.person_candidates:
            names = ", ".join(p.slug for p in timeline.person_candidates)
            timeline.errors.append(f"Person: several people match; name one by slug ({names}).")
        if timeline.errors:
            return JsonResponse({"errors": timeline.errors, "code": InvalidFilter.code}, status=400)
        # The data version moves on every write: an unchanged one means an unchanged feed.
        version = dataversion.current()
        etag = f'"{version}-{timeline.querystring}"' if version is not None else None
        if etag and (not_modified := get_conditional_response(request, etag=etag)):
            return not_modified
        # The feed object is shared by every request: the query travels on the request.
        request.chancery_feed = FeedQuery(timeline, feed_events(selected))  # type: ignore[attr-defined]
        response = super().__call__(request, *args, **kwargs)
        if etag:
            response["ETag"] = etag
        return response

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FeedQuery:
        return request.chancery_feed  # type: ignore[attr-defined]

    def title(self, query: FeedQuery) -> str:
        return f"Chancery — {timeline_title(query.timeline)}"

    def subtitle(self, query: FeedQuery) -> str:
        if not query.events:
            # An empty feed says why, and that it is not broken.
            return "No event matches these filters yet; new and corrected ones will appear here."
        return "Events new and corrected, newest edit first; each correction updates its entry."

    def link(self, query: FeedQuery) -> str:
        filters = query.timeline.querystring
        return reverse("explorer") + (f"?{filters}" if filters else "")

    def feed_url(self, query: FeedQuery) -> str:
        filters = query.timeline.querystring
        return reverse("feed") + (f"?{filters}" if filters else "")

    def items(self, query: FeedQuery) -> list[Event]:
        events = query.events
        history = revisions_by_record(Event, [e.pk for e in events])
        for event in events:
            event.feed_revisions = history[event.pk]  # type: ignore[attr-defined]
        return events

    def item_title(self, item: Event) -> str:
        return item.title

    def item_link(self, item: Event) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Event) -> str:
        # The id outlives a change of slug: a renamed event stays one entry in readers.
        return f"tag:chancery,2024:event/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Event) -> datetime:
        return item.published  # type: ignore[attr-defined]

    def item_updateddate(self, item: Event) -> datetime:
        return item.updated  # type: ignore[attr-defined]

    def item_categories(self, item: Event) -> list[str]:
        return [item.get_kind_display(), item.get_status_display()]

    def item_description(self, item: Event) -> str:
        revisions = item.feed_revisions[::-1]  # type: ignore[attr-defined]
        lines = "".join(f"<li>{escape(change_line(r))}</li>" for r in revisions[:EDITS_SHOWN])
        older = len(revisions) - EDITS_SHOWN
        if older > 0:
            lines += f"<li>and {older} earlier edits</li>"
        summary = f"<p>{escape(item.summary)}</p>" if item.summary else ""
        return f"{summary}<p>Edits, newest first:</p><ul>{lines}</ul>"
