"""Treaties with their parties, provisions and citations, written in batches."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from core.edits import edit
from core.services import (
    ListEdit,
    Outcome,
    Record,
    Rows,
    Tally,
    Written,
    apply_list_edits,
    check_fields,
    claim,
    delete_rows,
    write_records,
)
from core.services.children import lists_given
from events.declarations import TREATY
from events.models import Treaty
from events.services.citations import resolve_citations

TREATY_FIELDS = TREATY.allowed  # from the declaration (events.declarations)


def treaties_write(
    *,
    actor: Any,
    reason: str | None = None,
    records: Sequence[Record[Treaty]],
    full: bool = False,
    tally: Tally | None = None,
) -> list[Written[Treaty]]:
    """Write treaties by slug with the child lists given (``parties``, ``provisions``, ``citations``)."""
    for record in records:
        check_fields(record.fields, TREATY_FIELDS)
    with edit(actor=actor, reason=reason):
        records = resolve_citations(records)
        written, _ = write_records(Treaty, records, full=full, tally=tally if tally is not None else Tally())
    return written


def treaty_create(
    *,
    actor: Any,
    reason: str | None = None,
    fields: dict[str, Any],
    parties: Rows = (),
    provisions: Rows = (),
    citations: Rows = (),
) -> Treaty:
    """Create a treaty with its parties, provisions and citations."""
    children = lists_given(parties=parties, provisions=provisions, citations=citations)
    record = Record(fields.get("slug"), fields, children, create_only=True)
    (written,) = treaties_write(actor=actor, reason=reason, records=[record], full=True)
    return written.instance


def treaty_update(
    *,
    actor: Any,
    reason: str | None = None,
    treaty: Treaty,
    fields: dict[str, Any],
    parties: Rows | None = None,
    provisions: Rows | None = None,
    citations: Rows | None = None,
    list_edits: Mapping[str, ListEdit] | None = None,
    expected_version: int | None = None,
) -> tuple[Treaty, bool]:
    """Change a treaty's fields and replace the lists given; return it and whether anything changed.

    ``list_edits`` names rows to add to or remove from a list (see ``event_update``).
    A stale ``expected_version`` raises ``StaleVersion`` and writes nothing.
    """
    children = lists_given(parties=parties, provisions=provisions, citations=citations)
    check_fields(fields, TREATY_FIELDS)
    with edit(actor=actor, reason=reason):
        claim(treaty, expected_version=expected_version)
        children = apply_list_edits(treaty, list_edits, children)
        record = Record(treaty.slug, fields, children, instance=treaty)
        (written,) = treaties_write(actor=actor, reason=reason, records=[record], full=True)
    return treaty, written.outcome is not Outcome.UNCHANGED


def treaty_delete(
    *, actor: Any, reason: str | None = None, treaty: Treaty, expected_version: int | None = None
) -> None:
    """Delete a treaty with its parties, provisions and citations; its events stay, unlinked."""
    with edit(actor=actor, reason=reason):
        claim(treaty, expected_version=expected_version)
        delete_rows([treaty])
