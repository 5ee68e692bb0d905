"""GraphQL paging of a timeline as it stood (``asOf``): cursors, pages and edges over history.

A resolver given ``asOf`` returns an ``AsOfTimeline`` (a ``core.graphql.pagination.SelfPaged``)
in place of a QuerySet of events; the connection then asks it for the page. Its cursors name the
moment and the event a page ends on, nothing else: the event's ordering values at a moment that
has passed never change, so they are read again from history (events.asof_timeline.position_of).
A cursor made at another moment, a live list's cursor, or another feed's is refused with
INVALID_CURSOR: paging must stay within one answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from strawberry.relay import PageInfo, from_base64, to_base64

from core import limits
from core.asof import aware
from core.cursors import InvalidCursor
from core.graphql.pagination import KeysetConnection, SelfPaged
from events.asof_timeline import (
    TimelineOrder,
    events_from_history,
    flipped,
    position_of,
    rows_after,
    timeline_as_of,
)
from events.models import Event
from events.selectors import TimelineFilters, timeline_for

PREFIX = "asof1"


def encode_cursor(moment: datetime, event_id: int) -> str:
    """The cursor standing for "after event ``event_id`` in the answer as of ``moment``"."""
    return to_base64(PREFIX, json.dumps([moment.isoformat(), event_id], separators=(",", ":")))


def decode_cursor(cursor: str, name: str, moment: datetime) -> int:
    """The event a cursor of this answer ends on; ``InvalidCursor`` for any other cursor."""
    if len(cursor) > limits.CURSOR_CHARACTERS:
        raise InvalidCursor(
            f"Invalid cursor for '{name}': it is {len(cursor):,} characters long, and cursors this "
            f"API returns are at most {limits.CURSOR_CHARACTERS:,}."
        )
    try:
        kind, text = from_base64(cursor)
        made_at, event_id = json.loads(text)
        made = datetime.fromisoformat(made_at)
    except (ValueError, TypeError, UnicodeDecodeError):
        kind, made, event_id = "", None, None
    if kind != PREFIX or made is None or not isinstance(event_id, int) or isinstance(event_id, bool):
        raise InvalidCursor(
            f"Invalid cursor for '{name}': pass a startCursor, endCursor or edge cursor this timeline "
            "returned for the same asOf (cursors of the live timeline or of other lists do not work here)."
        )
    if aware(made) != moment:
        raise InvalidCursor(
            f"Invalid cursor for '{name}': it was made for asOf {made.isoformat()}, not "
            f"{moment.isoformat()}; ask with that asOf, or start again from the first page."
        )
    return event_id


@dataclass(frozen=True)
class AsOfTimeline(SelfPaged):
    """The events of a timeline as it stood at ``moment``: historical rows in the list's order."""

    rows: QuerySet
    moment: datetime

    def _position(self, cursor: str, name: str) -> dict[str, Any]:
        event_id = decode_cursor(cursor, name, self.moment)
        position = position_of(self.rows, event_id, self.moment)
        if position is None:
            raise InvalidCursor(
                f"Invalid cursor for '{name}': the event it ends on is not in this answer; start again "
                "from the first page."
            )
        return position

    def connection(
        self,
        connection_type: type[KeysetConnection],
        *,
        first: int | None,
        last: int | None,
        after: str | None,
        before: str | None,
        only: frozenset[str] | None = None,
    ) -> KeysetConnection:
        rows = self.rows
        order = list(rows.query.order_by)
        if after is not None:
            rows = rows_after(rows, self._position(after, "after"))
        if before is not None:
            rows = rows_after(flipped(rows), self._position(before, "before")).order_by(*order)
        has_previous, has_next = after is not None, before is not None
        if first is not None:
            page = list(rows[: first + 1])
            has_next = len(page) > first
            page = page[:first]
        else:
            page = list(flipped(rows)[: last + 1]) if last is not None else []
            has_previous = len(page) > (last or 0)
            page = page[:last][::-1]
        if first is not None and last is not None and len(page) > last:
            has_previous, page = True, page[len(page) - last :]
        events = events_from_history(page, self.moment, only=only)
        edges = [
            connection_type.edge_type(cursor=encode_cursor(self.moment, event.pk), node=event)
            for event in events
        ]
        return connection_type(
            edges=edges,
            page_info=PageInfo(
                has_next_page=has_next,
                has_previous_page=has_previous,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count_qs=self.rows,
        )


def as_of_timeline(
    filters: TimelineFilters | None, *, moment: datetime, order: TimelineOrder = "timeline", **scope: Any
) -> AsOfTimeline:
    """The timeline ``filters`` ask for as it stood at ``moment`` (within ``scope``), ready to page."""
    rows = timeline_as_of(filters, moment=moment, order=order, **scope)
    return AsOfTimeline(rows=rows, moment=aware(moment))


def scoped_timeline(
    filters: TimelineFilters | None, as_of: datetime | None, **scope: Any
) -> QuerySet[Event] | AsOfTimeline:
    """A person's, country's or region's timeline: live, or as it stood at ``as_of``.

    A scope record itself read as of a moment (``person(slug, asOf:)``) gives its timeline at that
    moment unless another is asked for: the same question, asked then.
    """
    moment = as_of or next((getattr(s, "as_of", None) for s in scope.values() if hasattr(s, "as_of")), None)
    if moment is None:
        return timeline_for(filters, **scope)
    return as_of_timeline(filters, moment=moment, **scope)
