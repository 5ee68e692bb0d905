"""A record as it stood at a past moment, rebuilt from django-simple-history's rows.

``record_as_of`` finds the historical row a record had at the moment (its newest row at or
before it; none, or a delete, means the record did not exist then) and rebuilds the instance,
with its declared child lists (``core.relations``: participants, places, citations, roles…)
rebuilt from their own history at the same moment and placed in Django's prefetch cache. The
GraphQL types then read fields and lists exactly as they read a live record, and the optimizer
leaves the lists alone (they are marked as prefetched). Records the lists point at (a
participant's person, a citation's source) are shown as they are now.

The same pieces serve lists: ``current_rows`` (the rows current at a moment, a queryset to
filter and page), ``instances_as_of`` (records rebuilt from rows without a query each, their
lists attached in one query per relation) and ``with_targets`` (what they point at). The
GraphQL ``asOf`` fields and timelines (events.asof_timeline) and the pages and exports
``?as_of=`` (events.asof, core.citing) all read through them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Annotated, Any

import strawberry
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
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


def passed(moment: datetime, *, name: str = "asOf") -> datetime:
    """The moment, made aware; ``InvalidFilter`` when it is still to come.

    A moment to come is refused rather than answered with today's state: an answer "as of"
    it would change as edits arrive, and a citation of it would not be reproducible. ``name``
    is the argument as the asker wrote it (``asOf`` in the API, ``as_of`` in a page's URL).
    """
    moment = aware(moment)
    now = timezone.now()
    if moment > now:
        raise InvalidFilter(
            f"{name} {moment.isoformat()} is in the future (it is now {now.isoformat(timespec='seconds')}): "
            "history can answer only for moments that have passed."
        )
    return moment


def check_moment(model: type[models.Model], moment: datetime) -> datetime:
    """The moment, made aware; ``InvalidFilter`` when it is to come or nothing had been recorded by then."""
    moment = passed(moment)
    first = first_recorded(model)
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

    A row is current from its own date until the record's next row was written
    (``history_valid_until``, kept by core.history.close_superseded) and is not a deletion: a range
    test on the row itself, so any index walk (the timeline's, a foreign key's) checks it as it
    goes, with no probe for newer rows. A queryset, so a caller filters, orders and pages it in the
    database: filters on the rows (an event's person, a participant's event) narrow the set before
    any object's history is read.
    """
    history = model.history  # type: ignore[attr-defined]
    still = Q(history_valid_until__isnull=True) | Q(history_valid_until__gt=moment)
    return history.filter(still, history_date__lte=moment).exclude(history_type="-").order_by()


def first_recorded(model: type[models.Model], **key: Any) -> datetime | None:
    """When the record named by ``key`` (or, with no key, anything of ``model``) was first recorded."""
    history = model.history.filter(**key)  # type: ignore[attr-defined]
    return history.order_by("history_date").values_list("history_date", flat=True).first()


def with_targets(model: type[models.Model], instances: list[Any], *, skip: tuple[str, ...] = ()) -> None:
    """Fill the foreign keys of ``instances`` (one model) but ``skip``, one query per key for all.

    The records pointed at (a participant's person, a citation's source) are read as they are
    now, as the module docstring says; one deleted since is cached as None, so reading it costs
    no query. A model's ``deferred_in_lists`` fields (a source's full text) are left unread.
    """
    for field in model._meta.concrete_fields:
        if not (field.many_to_one or field.one_to_one) or field.name in skip:
            continue
        ids = {getattr(i, field.attname) for i in instances} - {None}
        if not ids:
            continue
        target = field.related_model
        records = target._base_manager.defer(*getattr(target, "deferred_in_lists", ()))
        found = records.in_bulk(ids, field_name=field.target_field.name)
        for instance in instances:
            key = getattr(instance, field.attname)
            if key is not None:
                field.set_cached_value(instance, found.get(key))


def attach_as_of(
    instances: list[models.Model], moment: datetime, *, only: frozenset[str] | None = None
) -> None:
    """Give each of ``instances`` (one model) its declared child lists as they stood at ``moment``.

    One query per child relation (and one per kind of record the children point at) for all
    the instances, so a page of fifty rebuilt events costs what one does. The lists land in
    Django's prefetch cache, marked so the optimizer leaves them alone. ``only`` names the lists
    the caller will read (a relation's accessor, or a many-to-many through it); None reads all.
    """
    if not instances:
        return
    model = type(instances[0])
    by_pk = {instance.pk: instance for instance in instances}
    for instance in instances:
        instance.__dict__.setdefault("_prefetched_objects_cache", {})
    for relation in relations_of(model):
        child = relation.child_model
        parent_field = child._meta.get_field(relation.parent_key)
        accessor = parent_field.remote_field.get_accessor_name()
        # A many-to-many through this child (an event's countries) lists the rows' targets.
        through = [m2m for m2m in model._meta.many_to_many if m2m.remote_field.through is child]
        if only is not None and accessor not in only and not any(m2m.name in only for m2m in through):
            continue
        rows = current_rows(child, moment).filter(**{f"{relation.parent_attname}__in": list(by_pk)})
        children = [rebuilt(row) for row in rows]
        with_targets(child, children, skip=(relation.parent_key,))
        grouped: dict[Any, list[Any]] = defaultdict(list)
        for c in children:
            parent = by_pk[getattr(c, relation.parent_attname)]
            parent_field.set_cached_value(c, parent)  # the parent as it stood, not today's
            grouped[parent.pk].append(c)
        for pk, instance in by_pk.items():
            own = _in_model_order(child, grouped[pk])
            cache = instance._prefetched_objects_cache  # type: ignore[attr-defined]
            cache[accessor] = _cached(child, own)
            for m2m in through:
                # A target deleted since is left out, as a live list would not show it either.
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


def instances_as_of(
    rows: Iterable[Any], moment: datetime, *, only: frozenset[str] | None = None
) -> list[Any]:
    """The records of historical ``rows`` (one model) rebuilt, marked as of ``moment``, their lists
    (``only`` those named, as ``attach_as_of`` reads it) attached as they stood then."""
    instances = []
    for row in rows:
        instance = rebuilt(row)
        instance.as_of = moment  # type: ignore[attr-defined]
        instances.append(instance)
    attach_as_of(instances, moment, only=only)
    return instances


def row_as_of(model: type[models.Model], moment: datetime, **key: Any) -> Any | None:
    """The historical row of the record named by ``key`` (``slug=…``) at ``moment``, or None.

    None when no record had that key then, or it had been deleted. A record renamed since is
    found under the key it had then: the one row current at the moment that has it (a key is
    unique at any moment). ``moment`` is aware (``check_moment``, ``core.citing.parse_as_of``).
    """
    return current_rows(model, moment).filter(**key).first()


def record_as_of(model: type[models.Model], moment: datetime, **key: Any) -> models.Model | None:
    """The record named by ``key`` (``slug=…``) as it stood at ``moment``, or None if it did not exist.

    A record renamed since is found under the key it had then.
    """
    moment = check_moment(model, moment)
    row = row_as_of(model, moment, **key)
    return None if row is None else instances_as_of([row], moment)[0]
