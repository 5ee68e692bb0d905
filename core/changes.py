"""The changes selector: every logged edit of a public record after a cursor (core/changelog.py).

One function for every reader — the GraphQL ``changes`` connection, and any feed that wants
"what changed since" — so cursors, filters and their errors mean the same everywhere.

A cursor is the log id of the last change a client saw, encoded with this feed's own prefix so
a cursor from another connection is refused rather than misread. Log ids follow commit order,
so ``id > cursor`` gives a polling client every later change exactly once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db.models import Q, QuerySet
from strawberry.relay import from_base64, to_base64

from core.changelog import MODEL_LABELS, RECORDS
from core.cursors import InvalidCursor
from core.errors import InvalidFilter
from core.models import Change

PREFIX = "changes"
MODELS: tuple[str, ...] = tuple(MODEL_LABELS)


def encode_cursor(change_id: int) -> str:
    """The opaque cursor standing for "after this change"."""
    return to_base64(PREFIX, str(change_id))


def decode_cursor(cursor: str) -> int:
    """The log id a cursor of this feed stands for; ``InvalidCursor`` for any other string."""
    try:
        kind, value = from_base64(cursor)
    except (ValueError, TypeError, UnicodeDecodeError):
        kind, value = "", ""
    if kind != PREFIX or not value.isdigit() or len(value) > 18:
        raise InvalidCursor(
            "Invalid cursor for 'changes': pass an endCursor or edge cursor this feed returned "
            "(cursors of other lists do not work here)."
        )
    return int(value)


@dataclass(frozen=True)
class ChangeFilters:
    """What a reader narrows the feed to; every part optional."""

    since: datetime | None = None
    models: Sequence[str] = ()
    slug: str | None = None


def _check(filters: ChangeFilters) -> None:
    unknown = [m for m in filters.models if m not in MODEL_LABELS]
    if unknown:
        raise InvalidFilter(f"Unknown model(s) {', '.join(map(repr, unknown))}; use {', '.join(MODELS)}.")
    if filters.slug is not None and not filters.slug.strip():
        raise InvalidFilter("The slug filter is empty: name a record's slug, or leave the filter out.")


def records_named(slug: str, models: Sequence[str] = ()) -> set[tuple[str, int]]:
    """Every (model, id) that has or had ``slug``: a renamed record is followed under both."""
    named = Q(slug=slug) | Q(previous_slug=slug)
    logged = Change.objects.filter(named)
    if models:
        logged = logged.filter(model__in=list(models))
    found = set(logged.values_list("model", "object_id").distinct())
    if found:
        return found
    # Records loaded without the write path (a bulk load) have no log rows: ask their tables.
    for name in models or MODELS:
        label = MODEL_LABELS[name]
        key = RECORDS[label][1]
        now = (
            apps.get_model(label)._base_manager.filter(**{key: slug}).order_by().values_list("pk", flat=True)
        )
        found.update((name, pk) for pk in now)
    return found


def changes_query(*, after: int | None, filters: ChangeFilters = ChangeFilters()) -> QuerySet[Change]:
    """The changes with a log id above ``after`` matching ``filters``, oldest first (unsliced).

    One index range scan: on the primary key, or on (model, id) / (model, object_id, id) when
    narrowed (a slug first names its records, under their slug now or one they had); ``since``
    first finds the id to start from through the index on ``at``.
    """
    _check(filters)
    rows: QuerySet[Change] = Change.objects.select_related("user")
    if after is not None:
        rows = rows.filter(id__gt=after)
    if filters.since is not None:
        start = Change.objects.filter(at__gte=filters.since).order_by("at", "id").values_list("id", flat=True)
        first_id = start.first()
        if first_id is None:
            return rows.none()
        rows = rows.filter(id__gte=first_id, at__gte=filters.since)
    if filters.models:
        rows = rows.filter(model__in=list(filters.models))
    if filters.slug is not None:
        named = records_named(filters.slug, filters.models)
        if not named:
            raise InvalidFilter(f"No record has or had the slug {filters.slug!r}: the filter names nothing.")
        either = Q()
        for model, pk in sorted(named):
            either |= Q(model=model, object_id=pk)
        rows = rows.filter(either)
    return rows.order_by("id")


def changes_after(*, after: int | None, first: int, filters: ChangeFilters = ChangeFilters()) -> list[Change]:
    """Up to ``first`` changes after the cursor ``after`` (a log id), oldest first."""
    return list(changes_query(after=after, filters=filters)[:first])
