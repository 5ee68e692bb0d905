"""Sources: the documents facts are taken from."""

from __future__ import annotations

from typing import Any

from core.services.record_writes import DeclaredWrite, create_one, delete_one, update_one
from events.declarations import SOURCE
from events.models import Source

SOURCE_FIELDS = SOURCE.allowed  # from the declaration (events.declarations)


sources_write: DeclaredWrite[Source] = DeclaredWrite(
    SOURCE, doc="Insert, update or leave alone sources by slug."
)


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
