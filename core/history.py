"""Shared django-simple-history settings: every historical row carries the id of the write that made it.

``EditTagged`` adds ``history_edit`` to every historical model (simple-history's
``bases=[…]``); ``core.edits`` fills it from the ``pre_create_historical_record``
signal, so one admin save, one mutation or one import run is one id, and
``core.revisions`` groups a record's revisions by it rather than by a clock.
"""

from collections.abc import Sequence
from typing import Any

from django.db import models
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
    }
)


class EditTagged(models.Model):
    """Abstract base of every historical model: the write (``core.edits.Edit``) a row belongs to."""

    history_edit = models.UUIDField(
        "edit",
        null=True,
        blank=True,
        db_index=True,
        editable=False,
        help_text="Id of the write (admin save, mutation, import run) that made this row.",
    )

    class Meta:
        abstract = True


class IndexedHistoricalRecords(HistoricalRecords):
    """HistoricalRecords whose table carries extra indexes (simple-history offers only its date index)."""

    def __init__(self, *args: Any, indexes: Sequence[models.Index] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.extra_indexes = list(indexes)

    def get_meta_options(self, model: type[models.Model]) -> dict[str, Any]:
        options = super().get_meta_options(model)
        if self.extra_indexes:
            options["indexes"] = [*options.get("indexes", ()), *self.extra_indexes]
        return options


def history(**kwargs: Any) -> HistoricalRecords:
    """Return HistoricalRecords configured the Chancery way.

    ``related_name="revisions"`` gives a real relation that prefetch_related
    can use (the plain ``.history`` manager cannot be prefetched). ``indexes=[…]`` adds indexes
    to the historical table (the as-of reads of events.asof_timeline need some).
    """
    kwargs.setdefault("related_name", "revisions")
    kwargs.setdefault("bases", [EditTagged])
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
