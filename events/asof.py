"""Lists of a page or an export as they stood at a past moment (``?as_of=``, issue 24).

Which events matched a filter then is one read, shared with the GraphQL ``timeline(asOf)``:
``events.asof_timeline.event_rows_as_of`` (historical rows, filtered on the state of then,
deleted events included), rebuilt with their lists, visit and treaty by
``events.asof_timeline.events_from_history``. Here are what only the pages need: the reading
order's keyset page (events.selectors.reading_page on history rows), the visits and treaties
a person's or a country's page lists, and a treaty's steps. The records they point at (a
participant's person, a cited source) are shown as they are now, as the GraphQL ``asOf``
fields show them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from core.asof import current_rows, instances_as_of, rebuilt, with_targets
from core.fuzzydates import OPEN_START
from events.asof_timeline import AS_OF_ORDER, events_from_history
from events.models import Event, Treaty, TreatyParty, Visit
from events.selectors import events_after
from events.treaty_selectors import treaty_order
from people.models import Person
from places.models import Country

# The treaty list's order on history rows, whose own key is ``id``.
HISTORY_TREATY_ORDER = treaty_order(key="id")


def _plain(rows: Iterable[Any]) -> list[Any]:
    """Records rebuilt from history rows without their lists, for a list that shows only their fields."""
    return [rebuilt(row) for row in rows]


def reading_page_as_of(rows: QuerySet[Any], *, moment: datetime, size: int, after: Any = None) -> list[Event]:
    """Up to ``size + 1`` events of an as-of timeline after ``after`` (a row), in reading order.

    events.selectors.reading_page on history rows: events with a known start first, then
    those whose start is open; ``after`` pages by keyset over the same order.
    """
    dated = rows.filter(date_earliest__gt=OPEN_START)
    undated = rows.filter(date_earliest__lte=OPEN_START)
    if after is not None and after.date_earliest <= OPEN_START:
        found = list(events_after(undated, after, key="id")[: size + 1])
    else:
        found = list((events_after(dated, after, key="id") if after is not None else dated)[: size + 1])
        # Asked even when the dated part fills the page, as reading_page does: the same statements.
        found += list(undated[: size + 1])[: size + 1 - len(found)]
    return events_from_history(found, moment)


def visits_as_of(
    *, moment: datetime, visitor: Person | None = None, host: Country | None = None, limit: int
) -> list[Visit]:
    """Up to ``limit`` visits of then, by their events' dates (events.selectors.VISIT_ORDER), each
    with its event and destinations as they stood."""
    rows = current_rows(Visit, moment)
    if visitor is not None:
        rows = rows.filter(visitor_id=visitor.pk)
    if host is not None:
        rows = rows.filter(host_country_id=host.pk)
    listed = list(rows.values_list("event_id", "slug", "id"))
    days = {
        pk: (earliest, latest)
        for pk, earliest, latest in current_rows(Event, moment)
        .filter(id__in=[event_id for event_id, _, _ in listed])
        .values_list("id", "date_earliest", "date_latest")
    }
    ordered = sorted((row for row in listed if row[0] in days), key=lambda r: (*days[r[0]], r[1], r[2]))
    wanted = [visit_id for _, _, visit_id in ordered[:limit]]
    # The lists show each visit's event by its date and slug only: its own lists are not read.
    events = {
        e.pk: e for e in _plain(current_rows(Event, moment).filter(id__in=[r[0] for r in ordered[:limit]]))
    }
    visits = {v.pk: v for v in instances_as_of(rows.filter(id__in=wanted), moment)}
    with_targets(Visit, list(visits.values()), skip=("event",))
    event_field = Visit._meta.get_field("event")
    for visit in visits.values():
        event_field.set_cached_value(visit, events[visit.event_id])  # type: ignore[union-attr]
    return [visits[pk] for pk in wanted if pk in visits]


def party_treaties_as_of(*, moment: datetime, party: Country, limit: int) -> list[Treaty]:
    """Up to ``limit`` treaties ``party`` was a party to at ``moment``, oldest signature first."""
    parties = current_rows(TreatyParty, moment).filter(country_id=party.pk).values("treaty_id")
    rows = current_rows(Treaty, moment).filter(id__in=parties).order_by(*HISTORY_TREATY_ORDER)[:limit]
    return _plain(rows)


def treaty_steps_as_of(*, treaty: Treaty, moment: datetime) -> list[Event]:
    """The events of ``treaty`` as they stood, in timeline order."""
    rows = current_rows(Event, moment).filter(treaty_id=treaty.pk).order_by(*AS_OF_ORDER)
    return events_from_history(rows, moment)
