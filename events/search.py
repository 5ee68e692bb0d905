"""Full-text search of events: their title, summary and cited quotes, and the people a search names.

The live timeline (``events.selectors.event_timeline``) filters and ranks with it; the timeline as
it stood (``events.asof_timeline``) reuses its expressions, its people step and its rank over the
historical rows.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce

from core.folding import fold
from core.namesearch import matching
from events.models import TIMELINE_ORDER, Citation, Event, Participation
from people.models import Person

# The same expressions back the GIN indexes of migration 0002: PostgreSQL uses an
# expression index only when the query repeats the expression exactly.
SEARCH_CONFIG = "english"
EVENT_VECTOR = SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
    "summary", weight="B", config=SEARCH_CONFIG
)
QUOTE_VECTOR = SearchVector("quote", weight="C", config=SEARCH_CONFIG)

# A search whose words are in at least this many events takes the timeline-index walk.
BUSY_SEARCH_EVENTS = 2000

# A search whose words name at most this many people (each word whole, in any form of the
# name: "Zelensky", "Зеленський", "John Kerry") also finds the events they took part in; a
# word in more names than that ("john") is searched as a word only.
SEARCH_PEOPLE = 20


def named_people(text: str) -> QuerySet[Participation] | None:
    """The participations of the few people ``text`` names, or None when it names none or many."""
    folded = fold(text)
    if not folded:
        return None
    named = Person.objects.filter(matching("search_key", folded.split(), whole=True)).order_by()
    pks = list(named.values_list("pk", flat=True)[: SEARCH_PEOPLE + 1])
    if not pks or len(pks) > SEARCH_PEOPLE:
        return None
    return Participation.objects.filter(person_id__in=pks).order_by()


def relevance(query: SearchQuery, quotes: QuerySet[Any]) -> Cast:
    """An event's rank for ``query``: its own text's plus that of its best-matching quote (of
    ``quotes``, the event's citations, correlated by the caller), live or as they stood.

    An integer, because it compares exactly in keyset cursors; a float4 would not.
    """
    best_quote = quotes.annotate(rank=SearchRank(QUOTE_VECTOR, query)).order_by("-rank").values("rank")
    return Cast(
        (SearchRank(EVENT_VECTOR, query) + Coalesce(Subquery(best_quote[:1]), 0.0)) * 1e6,
        IntegerField(),
    )


def search_events(events: QuerySet[Event], text: str, *, by_relevance: bool) -> QuerySet[Event]:
    """Keep events whose title, summary or cited quotes match ``text``, or in which a person it
    names took part; rank them if asked."""
    taking_part = named_people(text)
    if connections[events.db].vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        own = Event.objects.alias(vector=EVENT_VECTOR).filter(vector=query).order_by()
        quoted = Citation.objects.alias(vector=QUOTE_VECTOR).filter(vector=query).order_by()
        if by_relevance or own[:BUSY_SEARCH_EVENTS].count() < BUSY_SEARCH_EVENTS:
            # A UNION of two GIN-indexed matches, gathered and sorted: right for rare words (an
            # OR across the two tables could use neither index) and needed to rank anyway.
            matches = [quoted.values("event_id")]
            if taking_part is not None:
                matches.append(taking_part.values("event_id"))
            events = events.filter(pk__in=own.values("pk").union(*matches))
        else:
            # A common word: testing each event on the timeline-index walk finds a page at once,
            # where gathering every match would sort most of the table.
            matching_events = Q(vector=query) | Q(Exists(quoted.filter(event=OuterRef("pk"))))
            if taking_part is not None:
                matching_events |= Q(Exists(taking_part.filter(event=OuterRef("pk"))))
            events = events.alias(vector=EVENT_VECTOR).filter(matching_events)
        if by_relevance:
            rank = relevance(query, Citation.objects.filter(event=OuterRef("pk")))
            events = events.annotate(relevance=rank).order_by("-relevance", *TIMELINE_ORDER)
        return events
    # SQLite has no full-text search: a case-insensitive substring match of every word, like
    # PostgreSQL's within the event's own text or within one cited quote; the order stays the timeline's.
    words = text.split()
    own_text = Q()
    quote = Q()
    for word in words:
        own_text &= Q(title__icontains=word) | Q(summary__icontains=word)
        quote &= Q(quote__icontains=word)
    found = own_text | Q(Exists(Citation.objects.filter(quote, event=OuterRef("pk"))))
    if taking_part is not None:
        found |= Q(Exists(taking_part.filter(event=OuterRef("pk"))))
    return events.filter(found)
