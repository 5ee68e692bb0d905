"""Sources: the documents facts are taken from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.edits import edit
from core.services import Record, Tally, Written, delete_rows, write_records
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
    for record in records:
        SOURCE.check(record.fields)
    with edit(actor=actor, reason=reason):
        written, _ = write_records(Source, records, full=full, tally=tally or Tally())
    return written


def source_create(*, actor: Any, reason: str | None = None, fields: dict[str, Any]) -> Source:
    """Create a source."""
    (written,) = sources_write(
        actor=actor, reason=reason, records=[Record(fields.get("slug"), fields, create_only=True)], full=True
    )
    return written.instance


def source_update(
    *, actor: Any, reason: str | None = None, source: Source, fields: dict[str, Any]
) -> tuple[Source, bool]:
    """Change a source's fields; return it and whether anything changed."""
    (written,) = sources_write(
        actor=actor, reason=reason, records=[Record(source.slug, fields, instance=source)], full=True
    )
    return source, bool(written.changed)


def source_delete(*, actor: Any, reason: str | None = None, source: Source) -> None:
    """Delete a source nothing cites; otherwise explain what still cites it."""
    with edit(actor=actor, reason=reason):
        delete_rows([source])
