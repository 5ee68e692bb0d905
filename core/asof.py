"""A record as it stood at a past moment, rebuilt from django-simple-history's rows.

``record_as_of`` finds the historical row a record had at the moment (its newest row at or
before it; none, or a delete, means the record did not exist then) and rebuilds the instance,
with its declared child lists (``core.relations``: participants, places, citations, roles…)
rebuilt from their own history at the same moment and placed in Django's prefetch cache. The
GraphQL types then read fields and lists exactly as they read a live record, and the optimizer
leaves the lists alone (they are marked as prefetched). Records the lists point at (a
participant's person, a citation's source) are shown as they are now.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Annotated, Any

import strawberry
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Exists, Max, OuterRef, Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone
from strawberry_django.optimizer import mark_optimized_by_prefetching

from core.errors import InvalidFilter
from core.relations import relations_of

# The argument every as-of field takes.
AsOf = Annotated[
    datetime | None,
    strawberry.argument(
        name="asOf",
        description=(
            "Answer from history: the record as it stood at this moment (ISO 8601; UTC when no "
            "offset is given), deleted records included; null when it did not exist then."
        ),
    ),
]


def aware(moment: datetime) -> datetime:
    """A naive moment is read as UTC (what the API documents)."""
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def check_moment(model: type[models.Model], moment: datetime) -> datetime:
    """The moment, made aware; ``InvalidFilter`` when nothing had been recorded by then."""
    moment = aware(moment)
    history = model.history  # type: ignore[attr-defined]
    first = history.order_by("history_date").values_list("history_date", flat=True).first()
    if first is None:
        raise InvalidFilter(
            f"No {model._meta.verbose_name} history has been recorded yet: asOf cannot be answered."
        )
    if moment < first:
        raise InvalidFilter(
            f"asOf {moment.isoformat()} is before the first record ({first.isoformat()}): "
            "nothing was recorded then; ask for a moment on or after it."
        )
    return moment


def _cached(model: type[models.Model], instances: list[Any]) -> QuerySet:
    """A queryset that yields ``instances`` without a query, left alone by the optimizer."""
    queryset = model._base_manager.all()
    queryset._result_cache = instances  # type: ignore[attr-defined]
    queryset._prefetch_done = True  # type: ignore[attr-defined]
    return mark_optimized_by_prefetching(queryset)


def _rows_as_of(history: Any, moment: datetime, **lookup: Any) -> list[Any]:
    """Each object's newest historical row at ``moment`` among ``lookup``, deletions dropped."""
    newest = (
        history.filter(history_date__lte=moment, **lookup)
        .values("id")
        .annotate(last=Max("history_id"))
        .values("last")
    )
    rows = history.filter(history_id__in=newest).order_by("id")
    return [row for row in rows if row.history_type != "-"]


def _in_model_order(model: type[models.Model], instances: list[Any]) -> list[Any]:
    """Sort as the live list comes (the model's ``Meta.ordering``); NULLs last, as PostgreSQL does."""

    def value(instance: Any, path: str) -> Any:
        parts = path.split("__")
        for n, part in enumerate(parts):
            if instance is None:
                return None
            if part == "pk":
                return instance.pk
            field = instance._meta.get_field(part)
            if field.is_relation and n == len(parts) - 1:
                return getattr(instance, field.attname)  # the key: no query, and the target may be gone
            try:
                instance = getattr(instance, part)
            except ObjectDoesNotExist:
                return None
        return instance

    ordered = list(instances)
    for term in reversed([t for t in model._meta.ordering if isinstance(t, str)]):
        path = term.lstrip("-")
        ordered.sort(
            key=lambda i, p=path: (value(i, p) is None, value(i, p) or 0), reverse=term.startswith("-")
        )
    return ordered


def current_rows(model: type[models.Model], moment: datetime) -> QuerySet:
    """The historical rows of ``model`` that were current at ``moment``: one per object that existed then.

    A row is current when no later row of the same object was written by then (the newest at or
    before the moment, as ``_rows_as_of`` takes it) and it is not a deletion. Written as a NOT
    EXISTS probe on the history's ``id`` index, so filters on the rows (an event's person, a
    participant's event) narrow the set before any object's history is read.
    """
    history = model.history  # type: ignore[attr-defined]
    newer = history.filter(id=OuterRef("id"), history_date__lte=moment, history_id__gt=OuterRef("history_id"))
    return (
        history.filter(history_date__lte=moment).exclude(history_type="-").filter(~Exists(newer)).order_by()
    )


def first_recorded(model: type[models.Model], **key: Any) -> datetime | None:
    """When the record named by ``key`` (or, with no key, anything of ``model``) was first recorded."""
    history = model.history.filter(**key)  # type: ignore[attr-defined]
    return history.order_by("history_date").values_list("history_date", flat=True).first()


def _targets(relation_model: type[models.Model], identity: tuple[str, ...]) -> list[Any]:
    """Prefetches of the records a child row points at by its identity (a participant's person),
    read as they are now; a model's ``deferred_in_lists`` fields (a source's full text) left unread."""
    prefetches: list[Any] = []
    for name in identity:
        field = relation_model._meta.get_field(name)
        if field.is_relation and field.many_to_one:
            target = field.related_model
            deferred = getattr(target, "deferred_in_lists", ())
            prefetches.append(Prefetch(name, target._base_manager.defer(*deferred)))
    return prefetches


def attach_as_of(instances: list[models.Model], moment: datetime) -> None:
    """Give each of ``instances`` (one model) its declared child lists as they stood at ``moment``.

    One query per list for all the instances (and one per kind of record the rows point at), so
    a page of fifty rebuilt events costs what one does.
    """
    if not instances:
        return
    model = type(instances[0])
    by_pk = {instance.pk: instance for instance in instances}
    for instance in instances:
        instance.__dict__.setdefault("_prefetched_objects_cache", {})
    for relation in relations_of(instances[0]):
        child = relation.child_model
        rows = current_rows(child, moment).filter(**{f"{relation.parent_attname}__in": list(by_pk)})
        children = [rebuilt(row) for row in rows]
        prefetch_related_objects(children, *_targets(child, relation.identity))
        grouped: dict[Any, list[Any]] = defaultdict(list)
        for c in children:
            grouped[getattr(c, relation.parent_attname)].append(c)
        accessor = child._meta.get_field(relation.parent_key).remote_field.get_accessor_name()
        # A many-to-many through this child (an event's countries) lists the rows' targets.
        through = [m2m for m2m in model._meta.many_to_many if m2m.remote_field.through is child]
        for pk, instance in by_pk.items():
            own = _in_model_order(child, grouped.get(pk, []))
            cache = instance._prefetched_objects_cache  # type: ignore[attr-defined]
            cache[accessor] = _cached(child, own)
            for m2m in through:
                name = m2m.m2m_reverse_field_name()
                targets = [t for c in own if (t := getattr(c, name)) is not None]
                cache[m2m.name] = _cached(m2m.related_model, _in_model_order(m2m.related_model, targets))


def rebuilt(row: Any) -> models.Model:
    """The record a historical row holds, without a query.

    django-simple-history's ``row.instance`` reads the fields history does not keep (a region's
    path, a person's search key) from the live row, one query per record; a list of fifty
    regions made fifty. Here they keep their defaults: derived values no page shows as of a
    moment (a region's tree below it is read as it is now, by its id).
    """
    model = row.instance_type
    values = {
        f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields if f.attname in row.__dict__
    }
    instance = model(**values)
    instance._state.adding = False
    instance._state.db = row._state.db
    return instance


def instances_as_of(rows: Iterable[Any], moment: datetime) -> list[Any]:
    """The records of historical ``rows`` (one model) rebuilt, with their lists as they stood."""
    instances = []
    for row in rows:
        instance = rebuilt(row)
        instance.as_of = moment  # type: ignore[attr-defined]
        instances.append(instance)
    attach_as_of(instances, moment)
    return instances


def record_as_of(model: type[models.Model], moment: datetime, **key: Any) -> models.Model | None:
    """The record named by ``key`` (``slug=…``) as it stood at ``moment``, or None if it did not exist.

    A record renamed since is found under the key it had then.
    """
    moment = check_moment(model, moment)
    history = model.history  # type: ignore[attr-defined]
    named = history.filter(history_date__lte=moment, **key).order_by("-history_date", "-history_id").first()
    if named is None:
        return None
    row = (
        history.filter(id=named.id, history_date__lte=moment).order_by("-history_date", "-history_id").first()
    )
    if row is None or row.history_type == "-" or any(getattr(row, k) != v for k, v in key.items()):
        return None
    (instance,) = instances_as_of([row], moment)
    return instance


def ids_as_of(model: type[models.Model], moment: datetime) -> dict[Any, Any]:
    """Every object of ``model`` that existed at ``moment``: id -> its historical row."""
    rows = _rows_as_of(model.history, aware(moment))  # type: ignore[attr-defined]
    found: dict[Any, Any] = defaultdict(lambda: None)
    found.update((row.id, row) for row in rows)
    return found
