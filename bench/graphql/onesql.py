"""The timeline page's JSON from one SQL statement (``json_build_object``/``json_agg``), plus the date
text in Python: the floor for any server on this page. The page's rows are chosen by the same
filter and cursor bound the API uses (the selector's SQL, compiled once per page, outside the
timing); the bench asserts the result equals the API's answer."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from bench.graphql.orm import cursor, date_json

NODE = """
json_build_object(
  'slug', p.slug, 'title', p.title, 'status', p.status,
  'date', json_build_object('edtf', p.date, 'earliest', p.date_earliest, 'latest', p.date_latest),
  'participants', (
    SELECT COALESCE(json_agg(json_build_object(
      'role', pa.role, 'note', NULLIF(pa.note, ''),
      'person', CASE WHEN pe.id IS NULL THEN NULL ELSE json_build_object('name', pe.name) END,
      'country', CASE WHEN c.id IS NULL THEN NULL ELSE json_build_object('code', c.code, 'name', c.name) END
    ) ORDER BY pa.id), '[]')
    FROM events_participation pa
    LEFT JOIN people_person pe ON pe.id = pa.person_id
    LEFT JOIN places_country c ON c.id = pa.country_id
    WHERE pa.event_id = p.id),
  'regions', (
    SELECT COALESCE(json_agg(json_build_object(
      'name', r.name,
      'parent', CASE WHEN up.id IS NULL THEN NULL ELSE json_build_object('name', up.name) END
    ) ORDER BY r.name), '[]')
    FROM events_eventregion er
    JOIN places_region r ON r.id = er.region_id
    LEFT JOIN places_region up ON up.id = r.parent_id
    WHERE er.event_id = p.id),
  'citations', (
    SELECT COALESCE(json_agg(json_build_object(
      'quote', NULLIF(ci.quote, ''), 'source', json_build_object('title', s.title)
    ) ORDER BY ci.id), '[]')
    FROM events_citation ci JOIN events_source s ON s.id = ci.source_id
    WHERE ci.event_id = p.id),
  'visit', (
    SELECT json_build_object(
      'visitor', json_build_object('name', vp.name),
      'hostCountry', json_build_object('code', hc.code, 'name', hc.name))
    FROM events_visit v
    JOIN people_person vp ON vp.id = v.visitor_id
    JOIN places_country hc ON hc.id = v.host_country_id
    WHERE v.event_id = p.id),
  'treaty', (SELECT json_build_object('name', t.name) FROM events_treaty t WHERE t.id = p.treaty_id)
)"""

PAGE_COLUMNS = ("id", "slug", "title", "status", "date", "date_earliest", "date_latest", "treaty_id")


def statement(events: QuerySet, first: int) -> tuple[str, tuple[Any, ...]]:
    """Return the one statement for the first ``first`` events of ``events`` (ordered, filtered)."""
    rows_sql, params = events.values(*PAGE_COLUMNS)[: first + 1].query.sql_with_params()
    sql = f"""
        WITH p AS MATERIALIZED ({rows_sql})
        SELECT COALESCE(json_agg(json_build_array(
                 {NODE}, p.date_earliest::text, p.date_latest::text, p.title, p.id
               ) ORDER BY p.date_earliest, p.date_latest, p.title, p.id), '[]')::text
        FROM p"""
    return sql, params


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def page(sql: str, params: tuple[Any, ...], first: int) -> dict[str, Any]:
    """Run the statement and shape its rows as the API's ``{"timeline": ...}``."""
    with connection.cursor() as db:
        db.execute(sql, params)
        rows = json.loads(db.fetchone()[0])
    more, rows = len(rows) > first, rows[:first]
    edges = []
    for node, *_ in rows:
        day = node["date"]
        node["date"] = date_json(day["edtf"], _day(day["earliest"]), _day(day["latest"]))
        edges.append({"node": node})
    end = None
    if rows:
        _, earliest, latest, title, pk = rows[-1]
        end = cursor({"date_earliest": earliest, "date_latest": latest, "title": title, "id": pk})
    return {"timeline": {"edges": edges, "pageInfo": {"hasNextPage": more, "endCursor": end}}}
