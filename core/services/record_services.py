"""A model's create, update and delete services, called the one way every surface calls them.

The admin (``core.admin_writes.ServiceWrites``) and the GraphQL mutations
(``core.graphql.mutations.RecordMutations``) both write through one of these, so the
shape of a service call (who, why, which record, which version) is written once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class RecordServices:
    """``create(actor, reason, fields, **children)``, ``update(actor, reason, <record>=…, …)``
    returning ``(record, …)``, and ``delete(actor, reason, <record>=…, …)``, where
    ``<record>`` is ``record`` (``"event"`` for ``event_update(event=…)``)."""

    create: Callable[..., Any]
    update: Callable[..., tuple[Any, ...]]
    delete: Callable[..., Any]
    record: str

    def write(
        self,
        *,
        actor: Any,
        reason: str | None,
        stored: models.Model | None,
        arguments: Mapping[str, Any],
        **versioned: Any,
    ) -> Any:
        """Create the record (``stored`` is None) or change ``stored``; return it.

        ``arguments`` are the service's own (``fields=…`` and the child lists);
        ``versioned`` is ``expected_version=…`` where the caller read a version (updates only).
        """
        if stored is None:
            return self.create(actor=actor, reason=reason, **arguments)
        return self.update(actor=actor, reason=reason, **{self.record: stored}, **arguments, **versioned)[0]

    def remove(self, *, actor: Any, reason: str | None, record: models.Model, **versioned: Any) -> None:
        """Delete ``record`` (``versioned`` as for ``write``)."""
        self.delete(actor=actor, reason=reason, **{self.record: record}, **versioned)
