"""Citations: rows backing an event, a treaty or a role, checked by the one quote rule."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from core.edits import edit
from core.services import Outcome, Row, Rows, delete_rows, write_rows
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


def resolve_citations(children: Mapping[str, Rows]) -> dict[str, Rows]:
    """Return ``children`` with its ``citations`` list's sources resolved (see ``with_sources``)."""
    if "citations" not in children:
        return dict(children)
    (citations,) = with_sources([children["citations"]])
    return {**children, "citations": citations}


def citation_create(*, actor: Any, reason: str | None = None, fields: dict[str, Any]) -> Citation:
    """Create a citation backing one event, treaty or role."""
    with edit(actor=actor, reason=reason):
        (written,) = write_rows(Citation, [Row(fields)], full=True)
    return written.instance


def citation_update(
    *, actor: Any, reason: str | None = None, citation: Citation, fields: dict[str, Any]
) -> tuple[Citation, bool]:
    """Change a citation's fields; return it and whether anything changed."""
    with edit(actor=actor, reason=reason):
        (written,) = write_rows(Citation, [Row(fields, citation)], full=True)
    return citation, written.outcome is not Outcome.UNCHANGED


def citation_delete(*, actor: Any, reason: str | None = None, citation: Citation) -> None:
    """Delete a citation."""
    with edit(actor=actor, reason=reason):
        delete_rows([citation])
