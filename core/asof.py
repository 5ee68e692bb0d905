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
from datetime import UTC, datetime
from typing import Annotated, Any

import strawberry
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Exists, Max, OuterRef, QuerySet
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

# The argument every as-of list (a timeline) takes.
AsOfList = Annotated[
    datetime | None,
    strawberry.argument(
        name="asOf",
        description=(
            "Answer from history: the events that matched the filters at this moment (ISO 8601; UTC "
            "when no offset is given), as they stood then, deleted ones included. Cursors are valid "
            "only with the same asOf."
        ),
    ),
]


def aware(moment: datetime) -> datetime:
    """A naive moment is read as UTC (what the API documents)."""
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def check_moment(model: type[models.Model], moment: datetime) -> datetime:
    """The moment, made aware; ``InvalidFilter`` when it is to come or nothing had been recorded by then.

    A moment to come is refused rather than answered with today's state: an answer "as of"
    it would change as edits arrive, and a citation of it would not be reproducible.
    """
    moment = aware(moment)
    now = timezone.now()
    if moment > now:
        raise InvalidFilter(
            f"asOf {moment.isoformat()} is in the future (it is now {now.isoformat(timespec='seconds')}): "
            "history can answer only for moments that have passed."
        )
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


def current_rows(history: QuerySet, moment: datetime) -> QuerySet:
    """The rows of ``history`` that were each object's newest at ``moment``, deletions left out.

    A queryset (an anti-join on a newer row of the same object by then), so a caller can filter,
    order and page it in the database: the index on (id, history_date) serves the probe.
    """
    newer = history.model._default_manager.filter(
        id=OuterRef("id"), history_date__lte=moment, history_id__gt=OuterRef("history_id")
    )
    return history.filter(history_date__lte=moment).exclude(history_type="-").filter(~Exists(newer))


def with_targets(model: type[models.Model], instances: list[Any], *, skip: tuple[str, ...] = ()) -> None:
    """Fill each instance's foreign keys but ``skip`` from one query per key (a participant's
    person, a citation's source): read live, as the module docstring says, without a query per row."""
    for field in model._meta.concrete_fields:
        if not field.many_to_one or field.name in skip:
            continue
        ids = {getattr(i, field.attname) for i in instances} - {None}
        if not ids:
            continue
        targets = field.related_model._base_manager.all()
        if field.related_model._meta.label_lower == "events.source":
            targets = targets.defer("text")  # a dataset's full text can be megabytes; lists never show it
        found = targets.in_bulk(ids, field_name=field.target_field.name)
        for instance in instances:
            key = getattr(instance, field.attname)
            if key is not None and key in found:
                field.set_cached_value(instance, found[key])


def attach_children(instances: list[models.Model], moment: datetime) -> None:
    """Give each instance its declared child lists as they stood at ``moment``, from their history.

    One query per child relation (and one per foreign key of the children) for every instance
    together, so a page of fifty events costs what one does. The lists land in Django's
    prefetch cache, marked so the optimizer leaves them alone.
    """
    if not instances:
        return
    model = type(instances[0])
    by_pk = {instance.pk: instance for instance in instances}
    for relation in relations_of(model):
        child = relation.child_model
        rows = _rows_as_of(child.history, moment, **{f"{relation.parent_attname}__in": list(by_pk)})  # type: ignore[attr-defined]
        children = [row.instance for row in rows]
        with_targets(child, children, skip=(relation.parent_key,))
        grouped: dict[Any, list[Any]] = defaultdict(list)
        for c in children:
            grouped[getattr(c, relation.parent_attname)].append(c)
        accessor = child._meta.get_field(relation.parent_key).remote_field.get_accessor_name()
        # A many-to-many through this child (an event's countries) lists the rows' targets.
        through = [m2m for m2m in model._meta.many_to_many if m2m.remote_field.through is child]
        for pk, instance in by_pk.items():
            cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
            cache[accessor] = _cached(child, _in_model_order(child, grouped[pk]))
        for m2m in through:
            target_field = child._meta.get_field(m2m.m2m_reverse_field_name())
            for pk, instance in by_pk.items():
                # A target deleted since is left out, as a live list would not show it either.
                targets = [target_field.get_cached_value(c, default=None) for c in grouped[pk]]
                ordered = _in_model_order(m2m.related_model, [t for t in targets if t is not None])
                instance._prefetched_objects_cache[m2m.name] = _cached(m2m.related_model, ordered)  # type: ignore[attr-defined]


def instances_as_of(rows: list[Any], moment: datetime) -> list[models.Model]:
    """The records the historical ``rows`` stood for, marked as of ``moment``, their lists attached."""
    instances = []
    for row in rows:
        instance = row.instance
        instance._state.adding = False
        instance.as_of = moment  # type: ignore[attr-defined]
        instances.append(instance)
    attach_children(instances, moment)
    return instances


def row_as_of(model: type[models.Model], moment: datetime, **key: Any) -> Any | None:
    """The historical row of the record named by ``key`` (``slug=…``) at ``moment``, or None.

    None when no record had that key then, or it had been deleted. A record renamed since is
    found under the key it had then. ``moment`` must have passed ``check_moment``.
    """
    history = model.history  # type: ignore[attr-defined]
    named = history.filter(history_date__lte=moment, **key).order_by("-history_date", "-history_id").first()
    if named is None:
        return None
    row = (
        history.filter(id=named.id, history_date__lte=moment).order_by("-history_date", "-history_id").first()
    )
    if row is None or row.history_type == "-" or any(getattr(row, k) != v for k, v in key.items()):
        return None
    return row


def record_as_of(model: type[models.Model], moment: datetime, **key: Any) -> models.Model | None:
    """The record named by ``key`` (``slug=…``) as it stood at ``moment``, or None if it did not exist.

    A record renamed since is found under the key it had then.
    """
    moment = check_moment(model, moment)
    row = row_as_of(model, moment, **key)
    return None if row is None else instances_as_of([row], moment)[0]


def ids_as_of(model: type[models.Model], moment: datetime) -> dict[Any, Any]:
    """Every object of ``model`` that existed at ``moment``: id -> its historical row."""
    rows = _rows_as_of(model.history, aware(moment))  # type: ignore[attr-defined]
    found: dict[Any, Any] = defaultdict(lambda: None)
    found.update((row.id, row) for row in rows)
    return found
