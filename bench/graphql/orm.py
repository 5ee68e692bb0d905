"""The timeline page's JSON from hand-written Django ORM code: what a careful developer would write
without GraphQL, in as many statements as the API runs (the page, then participants, regions and
citations of its events). The bench asserts it equals the API's answer, key for key."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from core import cursors
from core.fuzzydates import FuzzyDate
from events.models import Citation, EventRegion, Participation

EVENT_COLUMNS = (
    "id",
    "slug",
    "title",
    "status",
    "date",
    "date_earliest",
    "date_latest",
    "treaty__name",
    "visit__id",
    "visit__visitor__name",
    "visit__host_country__code",
    "visit__host_country__name",
)
PARTICIPANT_COLUMNS = (
    "event_id",
    "role",
    "note",
    "person_id",
    "person__name",
    "country_id",
    "country__code",
    "country__name",
)


def cursor(row: dict[str, Any]) -> str:
    """The keyset cursor of ``row``, as the API's connections encode it (core.cursors)."""
    values = [str(row["date_earliest"]), str(row["date_latest"]), row["title"], str(row["id"])]
    return cursors.encode_marked(values, (False, False, True, False))


def date_json(edtf: str, earliest: Any, latest: Any) -> dict[str, Any]:
    fuzzy = FuzzyDate.from_stored(edtf, earliest, latest)
    assert fuzzy is not None  # an event's date is required
    return {
        "edtf": fuzzy.edtf,
        "display": fuzzy.display,
        "earliest": fuzzy.earliest.isoformat() if fuzzy.earliest else None,
        "latest": fuzzy.latest.isoformat() if fuzzy.latest else None,
    }


def page(events: QuerySet, first: int) -> dict[str, Any]:
    """Return ``{"timeline": ...}`` for the first ``first`` events of ``events`` (already ordered and
    filtered, a cursor's bound included)."""
    rows = list(events.values(*EVENT_COLUMNS)[: first + 1])
    more, rows = len(rows) > first, rows[:first]
    ids = [row["id"] for row in rows]
    participants: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for p in Participation.objects.filter(event_id__in=ids).order_by("pk").values(*PARTICIPANT_COLUMNS):
        participants[p["event_id"]].append(
            {
                "role": p["role"],
                "note": p["note"] or None,
                "person": {"name": p["person__name"]} if p["person_id"] else None,
                "country": {"code": p["country__code"], "name": p["country__name"]}
                if p["country_id"]
                else None,
            }
        )
    regions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in (
        EventRegion.objects.filter(event_id__in=ids)
        .order_by("region__name")
        .values("event_id", "region__name", "region__parent_id", "region__parent__name")
    ):
        parent = {"name": r["region__parent__name"]} if r["region__parent_id"] else None
        regions[r["event_id"]].append({"name": r["region__name"], "parent": parent})
    citations: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for c in (
        Citation.objects.filter(event_id__in=ids).order_by("pk").values("event_id", "quote", "source__title")
    ):
        citations[c["event_id"]].append(
            {"quote": c["quote"] or None, "source": {"title": c["source__title"]}}
        )
    edges = []
    for row in rows:
        visit = None
        if row["visit__id"] is not None:
            visit = {
                "visitor": {"name": row["visit__visitor__name"]},
                "hostCountry": {
                    "code": row["visit__host_country__code"],
                    "name": row["visit__host_country__name"],
                },
            }
        edges.append(
            {
                "node": {
                    "slug": row["slug"],
                    "title": row["title"],
                    "status": row["status"],
                    "date": date_json(row["date"], row["date_earliest"], row["date_latest"]),
                    "participants": participants[row["id"]],
                    "regions": regions[row["id"]],
                    "citations": citations[row["id"]],
                    "visit": visit,
                    "treaty": {"name": row["treaty__name"]} if row["treaty__name"] is not None else None,
                }
            }
        )
    end = cursor(rows[-1]) if rows else None
    return {"timeline": {"edges": edges, "pageInfo": {"hasNextPage": more, "endCursor": end}}}
