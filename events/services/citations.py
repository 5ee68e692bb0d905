"""Citations: rows backing an event, a treaty or a role, checked by the one quote rule."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from core.edits import edit
from core.services import Outcome, Record, Row, Rows, delete_rows, write_rows
from events.declarations import CITATION
from events.models import Citation, Source

# Sources a caller read already, by id (``sources_read``): an import reads them once, after
# writing its sources, not once a batch.
_READ: ContextVar[Mapping[int, Source] | None] = ContextVar("chancery_sources_read", default=None)


@contextmanager
def sources_read(sources: Mapping[int, Source]) -> Iterator[None]:
    """Let ``with_sources`` take these instances instead of reading them, for the block.

    For a write that changes no source meanwhile: an import's later sections, after its
    sources' own. On PostgreSQL every read in an import's write waits for the rows queued
    before it (core.services.pipeline); a read of the same sources each batch made every
    batch wait for the last one's rows to be stored (issue 25, item 3).
    """
    token = _READ.set(sources)
    try:
        yield
    finally:
        _READ.reset(token)


def with_sources(lists: Sequence[Rows]) -> list[list[dict[str, Any]]]:
    """Return citation rows with each source as an instance, all loaded in one query.

    ``Citation.clean`` applies the quote rule to the source's text; with the
    instances in hand a batch of thousands reads each source once.
    """
    ids = {row["source_id"] for rows in lists for row in rows if "source_id" in row}
    known = _READ.get() or {}
    sources = {i: known[i] for i in ids if i in known}
    if missing := ids - sources.keys():
        sources.update(Source.objects.in_bulk(missing))
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
