"""Treaties with their parties, provisions and citations, written in batches."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.services import ListEdit, Rows
from core.services.children import lists_given
from core.services.record_writes import DeclaredWrite, create_one, delete_one, update_one
from events.declarations import TREATY
from events.models import Treaty
from events.services.citations import resolve_citations

TREATY_FIELDS = TREATY.allowed  # from the declaration (events.declarations)


treaties_write: DeclaredWrite[Treaty] = DeclaredWrite(
    TREATY,
    doc="Write treaties by slug with the child lists given (``parties``, ``provisions``, ``citations``).",
    resolve=resolve_citations,
)


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
    return create_one(treaties_write, Treaty, actor=actor, reason=reason, fields=fields, children=children)


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
    return update_one(
        treaties_write,
        treaty,
        actor=actor,
        reason=reason,
        fields=fields,
        children=lists_given(parties=parties, provisions=provisions, citations=citations),
        list_edits=list_edits,
        expected_version=expected_version,
    )


def treaty_delete(
    *, actor: Any, reason: str | None = None, treaty: Treaty, expected_version: int | None = None
) -> None:
    """Delete a treaty with its parties, provisions and citations; its events stay, unlinked."""
    delete_one(actor=actor, reason=reason, instance=treaty, expected_version=expected_version)
