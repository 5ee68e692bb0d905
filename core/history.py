"""Shared django-simple-history settings: every historical row carries the id of the write that made it.

``EditTagged`` adds ``history_edit`` to every historical model (simple-history's
``bases=[…]``); ``core.edits`` fills it from the ``pre_create_historical_record``
signal, so one admin save, one mutation or one import run is one id, and
``core.revisions`` groups a record's revisions by it rather than by a clock.

Every historical row also carries ``history_valid_until``: the moment the record's next row was
written (null while the row is the record's latest). "The row current at T" is then a range
test, ``history_date <= T < history_valid_until``, that a walk of any index checks on the row
itself, instead of an anti-join probing for a newer row (core.asof, docs/performance.md). It is
kept by ``close_superseded``, which every history writer calls: ``core.edits`` once per edit for
the rows it wrote, simple-history's own saves outside an edit, the bench's SQL
(bench/history.py) and the migration that added the column (``fill_valid_until``).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import connections, models
from django.db.models import Exists, Min, OuterRef, Q, Subquery
from simple_history.models import HistoricalRecords

# A historical row's own columns (attnames) besides the record's fields and its history_id.
HISTORY_COLUMNS = frozenset(
    {
        "history_date",
        "history_type",
        "history_user_id",
        "history_change_reason",
        "history_edit",
        "history_relation_id",
        "history_valid_until",
    }
)
# Rows whose records' earlier rows close: a change or a deletion. A creation (``+``) closes
# nothing that matters: the row before it, if any, is a deletion, never current anyway.
CLOSING_TYPES = ("~", "-")
# Record ids per UPDATE (SQLite caps bound parameters).
CLOSE_BATCH = 500


class EditTagged(models.Model):
    """Abstract base of every historical model: the write (``core.edits.Edit``) a row belongs to.

    ``history_edit`` carries no index: every read that compares it finds its rows by another
    index first (a record's id, a merge's undo by the merged person or their roles) or excludes
    an edit among them (the changes log, the import's fingerprints, the admin's stale-form
    check), and an index is a btree insert per historical row written (issue 25).
    """

    history_edit = models.UUIDField(
        "edit",
        null=True,
        blank=True,
        editable=False,
        help_text="Id of the write (admin save, mutation, import run) that made this row.",
    )
    history_valid_until = models.DateTimeField(
        "valid until",
        null=True,
        blank=True,
        editable=False,
        help_text=(
            "When the record's next historical row was written (this row stopped being current); "
            "empty while this is its latest row."
        ),
    )

    class Meta:
        abstract = True


class IndexedHistoricalRecords(HistoricalRecords):
    """HistoricalRecords whose table carries extra indexes (simple-history offers only its date index)
    and no index on ``history_relation``.

    ``history_relation`` (the ``revisions`` relation) always holds the row's ``id``, which is
    indexed, and every read of a record's rows goes by ``id``: its own index was only a
    btree insert per historical row written (issue 25).
    """

    def __init__(self, *args: Any, indexes: Sequence[models.Index] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.extra_indexes = list(indexes)

    def get_meta_options(self, model: type[models.Model]) -> dict[str, Any]:
        options = super().get_meta_options(model)
        if self.extra_indexes:
            options["indexes"] = [*options.get("indexes", ()), *self.extra_indexes]
        return options

    def get_extra_fields(self, model: type[models.Model], fields: dict[str, Any]) -> dict[str, Any]:
        extra = super().get_extra_fields(model, fields)
        if "history_relation" in extra:
            extra["history_relation"].db_index = False
        return extra


def history(**kwargs: Any) -> HistoricalRecords:
    """Return HistoricalRecords configured the Chancery way.

    ``related_name="revisions"`` gives a real relation that prefetch_related
    can use (the plain ``.history`` manager cannot be prefetched). ``indexes=[…]`` adds indexes
    to the historical table (the as-of reads of events.asof_timeline need some);
    ``no_db_index=[…]`` (simple-history's) leaves out the index of a field's copy no read
    uses. Reads of a record's rows go by ``id`` (``revisions`` is not indexed).
    """
    kwargs.setdefault("related_name", "revisions")
    kwargs.setdefault("bases", [EditTagged])
    # ``history_user`` without a database constraint (simple-history's ``user_db_constraint``):
    # the constraint was checked once per historical row, ~120,000 checks of the same user in
    # a 20,000-event import (0.26 s of its PostgreSQL write; issue 25, item 3). The column stays
    # indexed, and Django still sets it to NULL when a user is deleted (``on_delete=SET_NULL``
    # runs in the ORM, not the database); only a user deleted by SQL could leave an id that
    # names nobody, which ``check_integrity``'s "history-users" check finds and clears.
    kwargs.setdefault("user_db_constraint", False)
    return IndexedHistoricalRecords(**kwargs)


def version_field() -> models.PositiveIntegerField:
    """Return the ``version`` column of a record whose edits are counted (issue 8: no lost updates).

    The services bump it once per edit of the record's fields or lists
    (``core.services.versions``); a write naming an older one is refused.
    """
    return models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Counts the edits of this record (its fields or its lists); a stale write is refused.",
    )


def tag_revision(instance: models.Model, *, actor: Any | None, reason: str | None) -> None:
    """Attach the acting user and reason to the next historical row of ``instance``.

    Inside ``core.edits.edit()`` this is needed only where a row's reason differs
    from the edit's (an import names each record's seed file).
    """
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor  # type: ignore[attr-defined]
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]


def close_superseded(rows: Iterable[Any]) -> None:
    """Set ``history_valid_until`` on the rows that ``rows`` (new historical rows) superseded.

    ``rows`` are simple-history's instances or ``core.edits.HistoryRow``s, of any models. One
    UPDATE per history model (per ``CLOSE_BATCH`` records) for the records changed or deleted:
    each earlier row of those records still open, or open past a new row's date, gets the
    earliest date among the record's later rows, which is exactly when a newer row took over
    (the anti-join ``core.asof`` used to run at every read, run once at write time).
    """
    from core.edits import history_model

    ids: dict[type[models.Model], set[Any]] = defaultdict(set)
    since: dict[type[models.Model], datetime] = {}
    for row in rows:
        if row.history_type not in CLOSING_TYPES:
            continue
        history = history_model(row)
        ids[history].add(row.id)
        date = row.history_date
        since[history] = min(since.get(history, date), date)
    for history, pks in ids.items():
        listed = sorted(pks)
        for start in range(0, len(listed), CLOSE_BATCH):
            _close(history, listed[start : start + CLOSE_BATCH], since[history])


def _close(history: type[models.Model], pks: list[Any], since: datetime) -> None:
    manager = history._base_manager
    later = manager.filter(id=OuterRef("id"), history_id__gt=OuterRef("history_id"))
    first_later = later.order_by().values("id").annotate(first=Min("history_date")).values("first")
    open_rows = Q(history_valid_until__isnull=True) | Q(history_valid_until__gt=since)
    manager.filter(open_rows, id__in=pks).filter(Exists(later)).update(
        history_valid_until=Subquery(first_later)
    )


def fill_valid_until(history: type[models.Model], *, using: str = "default") -> int:
    """Set ``history_valid_until`` on every superseded row of ``history`` (a whole table); return how many.

    For the migration that added the column and for bulk writers that wrote rows by SQL (the
    bench). On PostgreSQL one pass: each row's next row by a window over the table, sorted
    once; elsewhere a correlated subquery per row.
    """
    connection = connections[using]
    table = connection.ops.quote_name(history._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The earliest later date is the next row's unless the clock went back; the running
            # minimum from the end keeps it exact either way.
            cursor.execute(
                f"UPDATE {table} AS h SET history_valid_until = n.until FROM ("
                "SELECT history_id, min(history_date) OVER (PARTITION BY id ORDER BY history_id DESC "
                "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS until "
                f"FROM {table}) AS n WHERE n.history_id = h.history_id AND n.until IS NOT NULL "
                "AND h.history_valid_until IS DISTINCT FROM n.until"
            )
        else:
            cursor.execute(
                f"UPDATE {table} SET history_valid_until = (SELECT min(n.history_date) FROM {table} AS n "
                f"WHERE n.id = {table}.id AND n.history_id > {table}.history_id) "
                f"WHERE EXISTS (SELECT 1 FROM {table} AS n WHERE n.id = {table}.id "
                f"AND n.history_id > {table}.history_id)"
            )
        return cursor.rowcount
