"""Citations: rows backing an event, a treaty or a role, checked by the one quote rule."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.edits import edit
from core.services import Outcome, Record, Row, Rows, delete_rows, write_rows
from events.declarations import CITATION
from events.models import Citation, Source


def with_sources(lists: Sequence[Rows]) -> list[list[dict[str, Any]]]:
    """Return citation rows with each source as an instance, all loaded in one query.

    ``Citation.clean`` applies the quote rule to the source's text; with the
    instances in hand a batch of thousands reads each source once.
    """
    ids = {row["source_id"] for rows in lists for row in rows if "source_id" in row}
    sources = Source.objects.in_bulk(ids) if ids else {}
    result = []
    for rows in lists:
        resolved = []
        for row in rows:
            values = dict(row)
            if "source_id" in values:
                values["source"] = sources.get(values.pop("source_id"))
            resolved.append(values)
        result.append(resolved)
    return result


def resolve_citations(records: Sequence[Record[Any]]) -> list[Record[Any]]:
    """Return ``records`` with their ``citations`` lists' sources resolved, one query for the batch."""
    given = [r for r in records if "citations" in r.children]
    resolved = iter(with_sources([r.children["citations"] for r in given]))
    return [
        Record(
            r.key,
            r.fields,
            {**r.children, "citations": next(resolved)} if "citations" in r.children else dict(r.children),
            r.reason,
            r.instance,
            r.create_only,
        )
        for r in records
    ]


def citation_create(*, actor: Any, reason: str | None = None, fields: dict[str, Any]) -> Citation:
    """Create a citation backing one event, treaty or role."""
    CITATION.check(fields)
    with edit(actor=actor, reason=reason):
        (written,) = write_rows(Citation, [Row(fields)], full=True)
    return written.instance


def citation_update(
    *, actor: Any, reason: str | None = None, citation: Citation, fields: dict[str, Any]
) -> tuple[Citation, bool]:
    """Change a citation's fields; return it and whether anything changed."""
    CITATION.check(fields)
    with edit(actor=actor, reason=reason):
        (written,) = write_rows(Citation, [Row(fields, citation)], full=True)
    return citation, written.outcome is not Outcome.UNCHANGED


def citation_delete(*, actor: Any, reason: str | None = None, citation: Citation) -> None:
    """Delete a citation."""
    with edit(actor=actor, reason=reason):
        delete_rows([citation])
