"""Shared django-simple-history settings and the helper that tags a save."""

from typing import Any

from django.db import models
from simple_history.models import HistoricalRecords


def history(**kwargs: Any) -> HistoricalRecords:
    """Return HistoricalRecords configured the Chancery way.

    ``related_name="revisions"`` gives a real relation that prefetch_related
    can use (the plain ``.history`` manager cannot be prefetched).
    """
    kwargs.setdefault("related_name", "revisions")
    return HistoricalRecords(**kwargs)


def tag_revision(instance: models.Model, *, actor: Any | None, reason: str | None) -> None:
    """Attach the acting user and reason to the next historical row of ``instance``."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor  # type: ignore[attr-defined]
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]
