"""Sources: the documents facts are taken from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.services import Record, Tally, Written
from core.services.record_writes import create_one, delete_one, update_one, write_declared
from events.declarations import SOURCE
from events.models import Source

SOURCE_FIELDS = SOURCE.allowed  # from the declaration (events.declarations)


def sources_write(
    *,
    actor: Any,
    reason: str | None = None,
    records: Sequence[Record[Source]],
    full: bool = False,
    tally: Tally | None = None,
) -> list[Written[Source]]:
    """Insert, update or leave alone sources by slug."""
    return write_declared(SOURCE, actor=actor, reason=reason, records=records, full=full, tally=tally)


def source_create(*, actor: Any, reason: str | None = None, fields: dict[str, Any]) -> Source:
    """Create a source."""
    return create_one(sources_write, Source, actor=actor, reason=reason, fields=fields)


def source_update(
    *, actor: Any, reason: str | None = None, source: Source, fields: dict[str, Any]
) -> tuple[Source, bool]:
    """Change a source's fields; return it and whether anything changed."""
    return update_one(sources_write, source, actor=actor, reason=reason, fields=fields)


def source_delete(*, actor: Any, reason: str | None = None, source: Source) -> None:
    """Delete a source nothing cites; otherwise explain what still cites it."""
    delete_one(actor=actor, reason=reason, instance=source)
